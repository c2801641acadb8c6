// A run's output files made to appear together: every file is complete under a temporary
// name before any is renamed, the index file (summary.json, sweep.json) that lists them
// is removed first and renamed into place last, so whenever an index exists the files it
// lists are those of its run. README.md ("Reliability") states the same for users.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "io/atomic_file.hpp"

namespace patchrace::detail {

/// Prepares `dir` for a run's outputs: creates it if needed and removes the stale
/// temporaries (remove_stale_temporaries()) of `names`, the files the run writes.
/// Throws patchrace::UsageError if `dir` cannot be created.
void prepare_output_dir(const std::string& dir, std::span<const std::string_view> names);

/// The record of a run's files that its index carries under "outputs":
///   {"run_id": "<16 hex digits>",
///    "files": [{"name": "timeseries.csv", "bytes": 123, "lines": 9,
///               "fnv1a_64": "<16 hex digits>"}, ...]}
/// run_id is the FNV-1a 64 hash of the seed and each file's name, size and hash, so two
/// runs with the same seed and outputs share it and any difference changes it.
[[nodiscard]] nlohmann::ordered_json outputs_json(std::uint64_t seed,
                                                  std::span<const FileDigest> files);

/// Makes finished `files` and their finished `index` appear together in `dir`: removes
/// the index's final path, renames each of `files` into place in order, renames `index`
/// last and flushes the directory. A process killed in between leaves either the old
/// index with its own files, or no index (the files then belong to no complete run),
/// or the new index with its files. Throws patchrace::UsageError on failure.
void commit_together(const std::filesystem::path& dir, std::span<AtomicFile* const> files,
                     AtomicFile& index);

}  // namespace patchrace::detail
