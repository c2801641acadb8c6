#include "io/text_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "io/format_units.hpp"
#include "patchrace/error.hpp"

namespace patchrace::detail {
namespace {

/// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

/// What a file that is not a regular file is, for messages.
const char* kind_of(mode_t mode) {
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "an unknown kind of file";
}

}  // namespace

std::string read_text_file(const std::string& path, std::string_view what,
                           std::uint64_t max_bytes) {
  const auto cannot_read = [&](const std::string& reason) {
    return InvalidScenario(fmt::format("cannot read {} '{}': {}", what, path, reason));
  };
  const std::string limit_text =
      fmt::format("the limit of {} bytes ({})", max_bytes, format_bytes(max_bytes));
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (file.get() < 0) throw cannot_read(std::strerror(errno));
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) throw cannot_read(std::strerror(errno));
  if (S_ISDIR(status.st_mode)) throw cannot_read("it is a directory");
  if (!S_ISREG(status.st_mode)) {
    throw cannot_read(fmt::format("it is {}, not a regular file", kind_of(status.st_mode)));
  }
  const auto size = static_cast<std::uint64_t>(status.st_size);
  if (size > max_bytes) {
    throw cannot_read(fmt::format("it is {} bytes, more than {}", size, limit_text));
  }
  // Read at most max_bytes + 1 bytes: one byte past the limit shows the file grew.
  std::string text(static_cast<std::size_t>(size) + 1, '\0');
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) {
      if (used > max_bytes) break;
      text.resize(static_cast<std::size_t>(std::min<std::uint64_t>(2 * used, max_bytes + 1)));
    }
    const ssize_t n = ::read(file.get(), text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw cannot_read(std::strerror(errno));
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) {
    throw cannot_read(fmt::format("it grew past {} while it was read", limit_text));
  }
  text.resize(used);
  return text;
}

}  // namespace patchrace::detail
