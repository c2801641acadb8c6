// Output files written whole or not at all: a temporary next to the final path,
// renamed into place once complete. Temporaries are named "<final name>.tmp-<pid>" after
// the process writing them, so that a later run can remove those of a process that died.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace patchrace::detail {

/// Throws patchrace::UsageError "cannot write '<path>': <strerror(error)>".
[[noreturn]] void throw_write_error(const std::filesystem::path& path, int error);

/// Creates `dir` and its parents if needed. Throws patchrace::UsageError naming it.
void create_output_dir(const std::string& dir);

/// What was written to a file: its name (without directory), size in bytes, number of
/// line ends ('\n') and 64-bit FNV-1a hash of its bytes (offset basis
/// 0xcbf29ce484222325, prime 0x100000001b3).
struct FileDigest {
  std::string name;
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t fnv1a_64 = 0xcbf29ce484222325;
};

/// The FNV-1a 64-bit hash of `data`, continued from `hash`.
[[nodiscard]] std::uint64_t fnv1a_64(std::string_view data, std::uint64_t hash = 0xcbf29ce484222325);

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

  /// Size, lines and hash of everything written so far.
  [[nodiscard]] const FileDigest& digest() const { return digest_; }
  [[nodiscard]] const std::filesystem::path& final_path() const { return final_path_; }

 private:
  std::filesystem::path final_path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
  FileDigest digest_;
};

/// Removes from `dir` the temporaries "<name>.tmp-<pid>" of each of `names` whose process
/// is gone: kill(pid, 0) fails with ESRCH. A temporary of a live process (or of a pid
/// reused since) is left for a later run. Returns how many were removed; never throws
/// (what cannot be listed or removed is left). Only names patchrace writes are passed,
/// so no other file of the folder is touched.
std::size_t remove_stale_temporaries(const std::filesystem::path& dir,
                                     std::span<const std::string_view> names);

/// Flushes `dir`'s entries (renames, removals) to disk. Throws UsageError on failure.
void sync_directory(const std::filesystem::path& dir);

}  // namespace patchrace::detail
