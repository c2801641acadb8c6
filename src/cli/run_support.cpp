// What `patchrace run` and `patchrace sweep` share: the memory check, the output
// directory check and picking a seed.
#include "cli/run_support.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>
#include <system_error>
#include <thread>

#include "io/format_units.hpp"
#include "patchrace/error.hpp"
#include "patchrace/result.hpp"

namespace patchrace::cli {
namespace {

namespace fs = std::filesystem;

std::uint64_t saturating_multiply(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return a * b;
}

/// Bytes of physical memory, or 0 if the system does not say.
std::uint64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return saturating_multiply(static_cast<std::uint64_t>(pages),
                             static_cast<std::uint64_t>(page_size));
}

/// Replicates simulated at the same time with `threads` (0: one per hardware thread).
std::uint64_t concurrent_replicates(unsigned threads, std::uint32_t replicates) {
  const unsigned workers =
      threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  return std::min<std::uint64_t>(workers, replicates);
}

/// Bytes kept per finished replicate until the outputs are written: its reported series.
std::uint64_t retained_bytes_per_replicate(const Scenario& scenario) {
  const double points = std::ceil(scenario.run.duration / scenario.run.report_interval) + 1;
  const double bytes = points * (kSeriesCount + 1) * sizeof(double) + sizeof(Result);
  return bytes < 1e18 ? static_cast<std::uint64_t>(bytes) : std::uint64_t{1} << 60;
}

[[noreturn]] void throw_dir_error(const std::string& what, const std::string& dir,
                                  std::error_code error) {
  throw UsageError(fmt::format("{} '{}': {}", what, dir, error.message()));
}

}  // namespace

/// Refuses a run whose concurrent replicates and retained results would not fit in
/// physical memory.
void check_memory(const Scenario& scenario, unsigned threads) {
  const std::uint64_t available = physical_memory_bytes();
  if (available == 0) return;
  const std::uint64_t per_replicate = estimated_memory_bytes(scenario);
  const std::uint64_t at_once = concurrent_replicates(threads, scenario.run.replicates);
  const std::uint64_t running = saturating_multiply(per_replicate, at_once);
  const std::uint64_t kept =
      saturating_multiply(retained_bytes_per_replicate(scenario), scenario.run.replicates);
  const std::uint64_t needed = running > UINT64_MAX - kept ? UINT64_MAX : running + kept;
  if (needed <= available) return;
  throw UsageError(fmt::format(
      "scenario '{}' needs about {} of memory ({} replicate{} at once x {} each, plus {} for "
      "the results) but this machine has {}; use fewer --threads or --replicates, or a "
      "smaller population",
      scenario.name, detail::format_bytes(needed), at_once, at_once == 1 ? "" : "s",
      detail::format_bytes(per_replicate), detail::format_bytes(kept),
      detail::format_bytes(available)));
}

std::uint64_t pick_seed() {
  std::random_device device;  // the only use of std::random_device in patchrace
  const std::uint64_t high = device();
  // 63 bits: TOML integers stop at 2^63 - 1, and a picked seed must go into run.seed.
  return ((high << 32) | device()) & 0x7fff'ffff'ffff'ffffULL;
}

void check_scenario_source(const RunOptions& options) {
  if (!options.scenario_file.empty() && !options.preset.empty()) {
    throw UsageError("give either a scenario file or --preset, not both");
  }
}

void check_output_dir(const std::string& dir, const std::vector<std::string>& files) {
  if (dir.empty()) throw UsageError("the output directory must not be an empty path");
  fs::path existing(dir);
  std::error_code ec;
  for (;;) {
    const fs::file_status status = fs::status(existing, ec);
    if (ec && status.type() != fs::file_type::not_found) {
      throw_dir_error("cannot create output directory", dir, ec);
    }
    if (fs::exists(status)) break;
    fs::path parent = existing.parent_path();
    if (parent.empty()) parent = ".";
    existing = std::move(parent);
  }
  const bool is_target = fs::equivalent(existing, fs::path(dir), ec);
  const char* what =
      is_target ? "cannot write to output directory" : "cannot create output directory";
  if (!fs::is_directory(existing, ec)) {
    throw_dir_error(what, dir, std::make_error_code(std::errc::not_a_directory));
  }
  if (::access(existing.c_str(), W_OK | X_OK) != 0) {
    throw_dir_error(what, dir, std::error_code(errno, std::generic_category()));
  }
  for (const std::string& name : files) {
    const fs::path file = fs::path(dir) / name;
    if (fs::is_directory(file, ec)) {
      throw_dir_error("cannot write", file.string(),
                      std::make_error_code(std::errc::is_a_directory));
    }
  }
}


}  // namespace patchrace::cli
