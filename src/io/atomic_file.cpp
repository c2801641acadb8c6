#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>
#include <utility>

#include "patchrace/error.hpp"

namespace patchrace::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempMark = ".tmp-";

/// The pid of `file_name` when it is "<name>.tmp-<pid>", else 0.
pid_t temporary_owner(std::string_view file_name, std::string_view name) {
  if (!file_name.starts_with(name) || !file_name.substr(name.size()).starts_with(kTempMark)) {
    return 0;
  }
  const std::string_view digits = file_name.substr(name.size() + kTempMark.size());
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.front() == '0') return 0;
  return pid > 0 ? pid : 0;
}

}  // namespace

void throw_write_error(const fs::path& path, int error) {
  throw UsageError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(error)));
}

void create_output_dir(const std::string& dir) {
  if (dir.empty()) throw UsageError("the output directory must not be an empty path");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec && !fs::is_directory(dir, ec)) ec = std::make_error_code(std::errc::not_a_directory);
  if (ec) {
    throw UsageError(fmt::format("cannot create output directory '{}': {}", dir, ec.message()));
  }
}

std::uint64_t fnv1a_64(std::string_view data, std::uint64_t hash) {
  constexpr std::uint64_t kPrime = 0x100000001b3;
  for (char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kPrime;
  }
  return hash;
}

AtomicFile::AtomicFile(fs::path final_path)
    : final_path_(std::move(final_path)),
      temp_path_(final_path_.string() + fmt::format("{}{}", kTempMark, ::getpid())) {
  digest_.name = final_path_.filename().string();
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) throw_write_error(final_path_, errno);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void AtomicFile::write(std::string_view data) {
  digest_.bytes += data.size();
  digest_.lines += static_cast<std::uint64_t>(std::count(data.begin(), data.end(), '\n'));
  digest_.fnv1a_64 = fnv1a_64(data, digest_.fnv1a_64);
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw_write_error(final_path_, n < 0 ? errno : EIO);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicFile::finish() {
  if (::fsync(fd_) != 0 && errno != EINVAL) throw_write_error(final_path_, errno);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) throw_write_error(final_path_, errno);
}

void AtomicFile::commit() {
  if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
    throw_write_error(final_path_, errno);
  }
  committed_ = true;
}

std::size_t remove_stale_temporaries(const fs::path& dir, std::span<const std::string_view> names) {
  std::size_t removed = 0;
  std::error_code ec;
  const pid_t self = ::getpid();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file_name = it->path().filename().string();
    for (std::string_view name : names) {
      const pid_t owner = temporary_owner(file_name, name);
      if (owner == 0 || owner == self) continue;
      if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
      std::error_code remove_error;
      if (fs::remove(it->path(), remove_error)) ++removed;
    }
  }
  return removed;
}

void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_write_error(dir, errno);
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0 && error != EINVAL) throw_write_error(dir, error);
}

}  // namespace patchrace::detail
