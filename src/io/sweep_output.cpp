#include "patchrace/sweep_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "io/atomic_file.hpp"
#include "io/ensemble_json.hpp"
#include "io/figure_stats.hpp"
#include "io/format_units.hpp"
#include "io/output_set.hpp"
#include "io/scenario_json.hpp"

namespace patchrace {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr std::string_view kSweepCsv = "sweep.csv";
constexpr std::string_view kSweepJson = "sweep.json";


/// `text` as a CSV field, quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

/// Median of one figure across the replicates (NaN when none has it).
template <typename Get>
double median_of(const std::vector<Result>& results, Get get) {
  return detail::stats_of(detail::collect(results, get)).median;
}

}  // namespace

std::string sweep_csv(const ScenarioSweep& sweep, const SweepResults& results) {
  std::string out =
      "value,replicate,total_infected,final_infected,final_patched,final_cleaned,time_to_50_s,"
      "patched_at_start,breaks,outage_host_hours\n";
  for (std::size_t i = 0; i < results.results.size() && i < sweep.labels.size(); ++i) {
    for (const Result& r : results.results[i]) {
      const Figures& f = r.figures;
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_field(sweep.labels[i]), r.replicate,
                         f.total_infected, f.final_infected, f.final_patched, f.final_cleaned,
                         f.time_to_50 ? fmt::format("{}", *f.time_to_50) : std::string(),
                         f.patched_at_start, f.breaks, f.outage_host_hours);
    }
  }
  return out;
}

namespace {

/// sweep.json's object (without "outputs", which write_sweep_outputs() adds).
json sweep_object(const ScenarioSweep& sweep, const SweepResults& results, std::uint64_t seed,
                  SeedSource source) {
  json points = json::array();
  for (std::size_t i = 0; i < results.results.size() && i < sweep.labels.size(); ++i) {
    points.push_back({{"value", sweep.labels[i]}, {"ensemble", detail::ensemble_json(results.results[i])}});
  }
  return {
      {"patchrace_version", PATCHRACE_VERSION},
      {"key", sweep.key},
      {"seed", seed},
      {"seed_source", seed_source_name(source)},
      {"scenario", detail::scenario_json(sweep.base)},
      {"points", std::move(points)},
  };
}

std::string dump(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string sweep_json(const ScenarioSweep& sweep, const SweepResults& results, std::uint64_t seed,
                       SeedSource source) {
  return dump(sweep_object(sweep, results, seed, source));
}

std::string sweep_text(const ScenarioSweep& sweep, const SweepResults& results, std::uint64_t seed,
                       double wall_seconds) {
  const std::size_t replicates = results.results.empty() ? 0 : results.results.front().size();
  std::string out = fmt::format("{} — sweep of {} over {} values, {} replicate{} each (medians), seed {}\n",
                                sweep.base.name, sweep.key, sweep.labels.size(), replicates,
                                replicates == 1 ? "" : "s", seed);
  struct Row {
    std::string cells[6];
  };
  std::vector<Row> rows;
  rows.push_back({{"value", "ever infected", "patched at start", "time to 50 %", "breaks",
                   "outage host-h"}});
  const double hosts = static_cast<double>(sweep.base.population.hosts);
  for (std::size_t i = 0; i < results.results.size() && i < sweep.labels.size(); ++i) {
    const auto& rs = results.results[i];
    using F = const Figures&;
    const double infected = median_of(rs, [](F f) { return std::optional<double>(static_cast<double>(f.total_infected)); });
    const double patched = median_of(rs, [](F f) { return std::optional<double>(f.patched_at_start); });
    const auto t50 = detail::collect(rs, [](F f) { return f.time_to_50; });
    const double breaks = median_of(rs, [](F f) { return std::optional<double>(static_cast<double>(f.breaks)); });
    const double outage = median_of(rs, [](F f) { return std::optional<double>(f.outage_host_hours); });
    std::string t50_text = "never";
    if (!t50.empty()) {
      t50_text = detail::format_duration(detail::stats_of(t50).median);
      if (t50.size() < rs.size()) t50_text += fmt::format(" ({}/{})", t50.size(), rs.size());
    }
    rows.push_back({{sweep.labels[i],
                     fmt::format("{} ({:.1f} %)", detail::format_count(infected), 100.0 * infected / hosts),
                     fmt::format("{:.1f} %", 100.0 * patched), t50_text, detail::format_count(breaks),
                     detail::format_count(std::round(outage))}});
  }
  std::size_t width[6] = {};
  for (const Row& row : rows) {
    for (int c = 0; c < 6; ++c) width[c] = std::max(width[c], row.cells[c].size());
  }
  for (const Row& row : rows) {
    std::string line = "  " + row.cells[0] + std::string(width[0] - row.cells[0].size(), ' ');
    for (int c = 1; c < 6; ++c) {
      // Count columns are right-aligned (by display width: the UTF-8 "—" and "%" are fine).
      line += "  " + std::string(width[c] - row.cells[c].size(), ' ') + row.cells[c];
    }
    out += line + "\n";
  }
  out += fmt::format("  wall time {}\n", detail::format_duration(wall_seconds));
  return out;
}

void write_sweep_outputs(const std::string& dir, const ScenarioSweep& sweep,
                         const SweepResults& results, std::uint64_t seed, SeedSource source) {
  constexpr std::string_view kNames[] = {kSweepCsv, kSweepJson};
  detail::prepare_output_dir(dir, kNames);
  const fs::path base(dir);
  for (std::string_view name : kNames) {
    std::error_code ec;
    if (fs::is_directory(base / name, ec)) detail::throw_write_error(base / name, EISDIR);
  }
  detail::AtomicFile csv(base / kSweepCsv);
  csv.write(sweep_csv(sweep, results));
  csv.finish();
  json index = sweep_object(sweep, results, seed, source);
  const detail::FileDigest digests[] = {csv.digest()};
  index["outputs"] = detail::outputs_json(seed, digests);
  detail::AtomicFile json_file(base / kSweepJson);
  json_file.write(dump(index));
  json_file.finish();
  // Both files are complete before either is renamed; sweep.json goes last.
  detail::AtomicFile* const files[] = {&csv};
  detail::commit_together(base, files, json_file);
}

}  // namespace patchrace
