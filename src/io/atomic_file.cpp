#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "patchrace/error.hpp"

namespace patchrace::detail {

namespace fs = std::filesystem;

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

AtomicFile::AtomicFile(fs::path final_path)
    : final_path_(std::move(final_path)),
      temp_path_(final_path_.string() + fmt::format(".tmp-{}", ::getpid())) {
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) throw_write_error(final_path_, errno);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void AtomicFile::write(std::string_view data) {
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

}  // namespace patchrace::detail
