// Output files written whole or not at all: a temporary next to the final path,
// renamed into place once complete.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace patchrace::detail {

/// Throws patchrace::UsageError "cannot write '<path>': <strerror(error)>".
[[noreturn]] void throw_write_error(const std::filesystem::path& path, int error);

/// Creates `dir` and its parents if needed. Throws patchrace::UsageError naming it.
void create_output_dir(const std::string& dir);

/// A file written under a temporary name next to its final path and renamed into place by
/// commit(). Until then the final path is untouched; the destructor removes the temporary.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path final_path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  /// Writes all of `data`. Throws UsageError on failure.
  void write(std::string_view data);
  /// Flushes the data to disk and closes the temporary. Throws UsageError on failure.
  void finish();
  /// Renames the finished temporary over the final path. Throws UsageError on failure.
  void commit();

 private:
  std::filesystem::path final_path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace patchrace::detail
