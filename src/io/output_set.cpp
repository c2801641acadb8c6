#include "io/output_set.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace patchrace::detail {

namespace fs = std::filesystem;

void prepare_output_dir(const std::string& dir, std::span<const std::string_view> names) {
  create_output_dir(dir);
  (void)remove_stale_temporaries(dir, names);
}

nlohmann::ordered_json outputs_json(std::uint64_t seed, std::span<const FileDigest> files) {
  std::uint64_t id = fnv1a_64(fmt::format("seed={}\n", seed));
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const FileDigest& file : files) {
    const std::string hash = fmt::format("{:016x}", file.fnv1a_64);
    id = fnv1a_64(fmt::format("{} {} {}\n", file.name, file.bytes, hash), id);
    list.push_back({{"name", file.name},
                    {"bytes", file.bytes},
                    {"lines", file.lines},
                    {"fnv1a_64", hash}});
  }
  return {{"run_id", fmt::format("{:016x}", id)}, {"files", std::move(list)}};
}

void commit_together(const fs::path& dir, std::span<AtomicFile* const> files, AtomicFile& index) {
  // Without the index, whatever files are present belong to no complete run.
  if (::unlink(index.final_path().c_str()) != 0 && errno != ENOENT) {
    throw_write_error(index.final_path(), errno);
  }
  for (AtomicFile* file : files) file->commit();
  index.commit();
  sync_directory(dir);
}

}  // namespace patchrace::detail
