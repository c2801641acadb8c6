// What `patchrace run` and `patchrace sweep` share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::cli {

/// Throws patchrace::UsageError if the options give both a scenario file and --preset.
void check_scenario_source(const RunOptions& options);

/// Refuses (patchrace::UsageError) a run of `scenario` whose replicates running at once on
/// `threads` threads and retained results would not fit in physical memory.
void check_memory(const Scenario& scenario, unsigned threads);

/// A seed from the system's entropy source, for runs that name none.
[[nodiscard]] std::uint64_t pick_seed();

/// Throws patchrace::UsageError if `dir` cannot be created or written, without creating
/// anything: the nearest existing ancestor must be a writable directory, and none of
/// `files` inside it may be a directory.
void check_output_dir(const std::string& dir, const std::vector<std::string>& files);

}  // namespace patchrace::cli
