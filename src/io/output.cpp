// Writing results: tidy CSV time series and the JSON summary (the human summary is in
// summary_text.cpp).
//
// summary.json echoes the scenario with the keys of the TOML form (scenario_json.hpp): every
// time in it (run.duration, patching.release, worm.seed_window, a ring's qa_delay, ...) is a
// number of seconds, except the clock readings a service's working_hours (["09:00", "17:00"])
// and run.clock ("Mon 16:00"), which keep their TOML form; addresses are dotted quads,
// prefixes (the address space, worm.excluded, ...) are CIDR text and enum settings are their
// TOML strings. Tables whose presence turns a feature on in TOML (patching, cleanup,
// worm.bandwidth, patching.bad_patch, a policy's news) carry "enabled". Figures keep the
// names of patchrace::Figures and patchrace::GroupFigures. Ensemble statistics of an optional
// time (time_to_10 ..., a group's half_life) are taken over the replicates that reached it;
// "reached" counts them. A group's ensemble statistics are taken over the replicates whose
// figures have the group (by name).
#include "patchrace/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "io/atomic_file.hpp"
#include "io/ensemble_json.hpp"
#include "io/figure_stats.hpp"
#include "io/output_set.hpp"
#include "io/scenario_json.hpp"
#include "patchrace/error.hpp"

namespace patchrace {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keys in the order written
using detail::collect;
using detail::collect_group;
using detail::AtomicFile;
using detail::create_output_dir;
using detail::throw_write_error;

constexpr std::string_view kCsvName = "timeseries.csv";
constexpr std::string_view kJsonName = "summary.json";
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

// ---------------------------------------------------------------------------------------------
// CSV

constexpr std::string_view kCsvHeader = "replicate,time_s,series,group,value\n";
constexpr std::string_view kAllGroup = "all";             // group of the global series
constexpr std::string_view kRingSeries = "ring_patched";  // series of the ring rows

/// `text` as a CSV field: as it is, or double-quoted with its quotes doubled when it holds a
/// comma, a quote or a line break (names are validated not to, but hand-built scenarios may).
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

/// The group column of the per-group and ring rows, as CSV fields.
struct CsvLabels {
  std::vector<std::string> groups;  // group_labels(scenario)
  std::vector<std::string> rings;   // ring_labels(scenario)

  explicit CsvLabels(const Scenario& scenario) {
    for (const std::string& name : group_labels(scenario)) groups.push_back(csv_field(name));
    for (const std::string& name : ring_labels(scenario)) rings.push_back(csv_field(name));
  }
};

/// Appends a reported value: integral values (counts) as integers, others shortest round-trip.
void append_value(fmt::memory_buffer& out, double value) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (value == std::trunc(value) && std::fabs(value) < kExactIntegers) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(value));
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void append_text(fmt::memory_buffer& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

/// Appends the rows of one replicate: for each reported time, the global series (group
/// "all"), then each group's series (when the result has group_values), then each ring's
/// ring_patched. Rows the result lacks (fewer series, groups, rings or points than the
/// scenario implies) are left out; rows the scenario has no name for are left out too.
void append_csv_rows(fmt::memory_buffer& out, const Result& result, const CsvLabels& labels) {
  const TimeSeries& ts = result.series;
  const std::size_t series = std::min<std::size_t>(ts.values.size(), kSeriesCount);
  const std::size_t groups = std::min(ts.group_values.size(), labels.groups.size());
  const std::size_t rings = std::min(ts.ring_patched.size(), labels.rings.size());
  fmt::memory_buffer prefix;  // "replicate,time_s,"
  for (std::size_t k = 0; k < ts.time.size(); ++k) {
    prefix.clear();
    fmt::format_to(std::back_inserter(prefix), "{},{},", result.replicate, ts.time[k]);
    auto row = [&](std::string_view name, std::string_view group,
                   const std::vector<double>& values) {
      if (k >= values.size()) return;
      out.append(prefix.data(), prefix.data() + prefix.size());
      append_text(out, name);
      out.push_back(',');
      append_text(out, group);
      out.push_back(',');
      append_value(out, values[k]);
      out.push_back('\n');
    };
    for (std::size_t s = 0; s < series; ++s) {
      row(series_name(static_cast<Series>(s)), kAllGroup, ts.values[s]);
    }
    for (std::size_t g = 0; g < groups; ++g) {
      const auto& rows = ts.group_values[g];
      const std::size_t count = std::min<std::size_t>(rows.size(), kGroupSeriesCount);
      for (std::size_t s = 0; s < count; ++s) {
        row(group_series_name(static_cast<GroupSeries>(s)), labels.groups[g], rows[s]);
      }
    }
    for (std::size_t r = 0; r < rings; ++r) row(kRingSeries, labels.rings[r], ts.ring_patched[r]);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON


json optional_json(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json group_figures_json(const GroupFigures& g) {
  return {
      {"name", g.name},
      {"hosts", g.hosts},
      {"patched_at_start", g.patched_at_start},
      {"half_life", optional_json(g.half_life)},
      {"infected", g.infected},
      {"final_patched", g.final_patched},
      {"final_cleaned", g.final_cleaned},
      {"breaks", g.breaks},
      {"outage_host_hours", g.outage_host_hours},
  };
}

json figures_json(const Figures& f) {
  json groups = json::array();
  for (const GroupFigures& g : f.groups) groups.push_back(group_figures_json(g));
  return {
      {"vulnerable", f.vulnerable},
      {"final_infected", f.final_infected},
      {"total_infected", f.total_infected},
      {"final_patched", f.final_patched},
      {"final_cleaned", f.final_cleaned},
      {"peak_new_per_minute", f.peak_new_per_minute},
      {"peak_minute_start", f.peak_minute_start},
      {"time_to_10", optional_json(f.time_to_10)},
      {"time_to_50", optional_json(f.time_to_50)},
      {"time_to_90", optional_json(f.time_to_90)},
      {"probes", f.probes},
      {"events", f.events},
      {"crashes", f.crashes},
      {"sweeps_started", f.sweeps_started},
      {"local_sweeps", f.local_sweeps},
      {"breaks", f.breaks},
      {"outage_host_hours", f.outage_host_hours},
      {"patched_at_start", f.patched_at_start},
      {"groups", std::move(groups)},
  };
}

/// A statistic as JSON: null when undefined, an integer when `counts` and it is whole.
json stat_number(double value, bool counts) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (std::isnan(value)) return nullptr;
  if (counts && value == std::trunc(value) && value >= 0 && value < kExactIntegers) {
    return static_cast<std::uint64_t>(value);
  }
  return value;
}

/// {"mean", "min", "median", "max"} of `values`; `counts` for figures that are counts.
json stats_json(const std::vector<double>& values, bool counts) {
  const detail::Stats st = detail::stats_of(values);
  return {{"mean", stat_number(st.mean, false)},
          {"min", stat_number(st.min, counts)},
          {"median", stat_number(st.median, counts)},
          {"max", stat_number(st.max, counts)}};
}

/// {"reached", "mean", "min", "median", "max"} of an optional time: over the replicates
/// that reached it.
json reached_json(const std::vector<double>& reached) {
  json entry = {{"reached", reached.size()}};
  entry.update(stats_json(reached, false));
  return entry;
}

/// Statistics of each group's figures, by group name.
json group_ensemble_json(const std::vector<Result>& results) {
  using G = const GroupFigures&;
  json out = json::object();
  for (const std::string& name : detail::group_names(results)) {
    json entry = json::object();
    auto add = [&](const char* key, bool counts, auto get) {
      entry[key] = stats_json(
          collect_group(results, name, [&](G g) { return std::optional<double>(get(g)); }), counts);
    };
    add("hosts", true, [](G g) { return static_cast<double>(g.hosts); });
    add("patched_at_start", false, [](G g) { return g.patched_at_start; });
    entry["half_life"] =
        reached_json(collect_group(results, name, [](G g) { return g.half_life; }));
    add("infected", true, [](G g) { return static_cast<double>(g.infected); });
    add("final_patched", true, [](G g) { return static_cast<double>(g.final_patched); });
    add("final_cleaned", true, [](G g) { return static_cast<double>(g.final_cleaned); });
    add("breaks", true, [](G g) { return static_cast<double>(g.breaks); });
    add("outage_host_hours", false, [](G g) { return g.outage_host_hours; });
    out[name] = std::move(entry);
  }
  return out;
}

json ensemble_json_of(const std::vector<Result>& results) {
  using F = const Figures&;
  json out = json::object();
  auto add = [&](const char* key, bool counts, auto get) {
    out[key] =
        stats_json(collect(results, [&](F f) { return std::optional<double>(get(f)); }), counts);
  };
  auto add_time = [&](const char* key, std::optional<double> Figures::*member) {
    out[key] = reached_json(collect(results, [&](F f) { return f.*member; }));
  };
  add("vulnerable", true, [](F f) { return static_cast<double>(f.vulnerable); });
  add("final_infected", true, [](F f) { return static_cast<double>(f.final_infected); });
  add("total_infected", true, [](F f) { return static_cast<double>(f.total_infected); });
  add("final_patched", true, [](F f) { return static_cast<double>(f.final_patched); });
  add("final_cleaned", true, [](F f) { return static_cast<double>(f.final_cleaned); });
  add("peak_new_per_minute", true, [](F f) { return static_cast<double>(f.peak_new_per_minute); });
  add("peak_minute_start", false, [](F f) { return f.peak_minute_start; });
  add_time("time_to_10", &Figures::time_to_10);
  add_time("time_to_50", &Figures::time_to_50);
  add_time("time_to_90", &Figures::time_to_90);
  add("probes", false, [](F f) { return f.probes; });
  add("events", true, [](F f) { return static_cast<double>(f.events); });
  add("crashes", true, [](F f) { return static_cast<double>(f.crashes); });
  add("sweeps_started", true, [](F f) { return static_cast<double>(f.sweeps_started); });
  add("local_sweeps", true, [](F f) { return static_cast<double>(f.local_sweeps); });
  add("breaks", true, [](F f) { return static_cast<double>(f.breaks); });
  add("outage_host_hours", false, [](F f) { return f.outage_host_hours; });
  add("patched_at_start", false, [](F f) { return f.patched_at_start; });
  out["groups"] = group_ensemble_json(results);
  return out;
}

void write_csv(AtomicFile& file, const Scenario& scenario, const std::vector<Result>& results) {
  const CsvLabels labels(scenario);
  fmt::memory_buffer buffer;
  append_text(buffer, kCsvHeader);
  for (const Result& result : results) {
    append_csv_rows(buffer, result, labels);
    if (buffer.size() >= kFlushBytes) {
      file.write({buffer.data(), buffer.size()});
      buffer.clear();
    }
  }
  file.write({buffer.data(), buffer.size()});
  file.finish();
}

}  // namespace

const char* seed_source_name(SeedSource source) {
  switch (source) {
    case SeedSource::kScenario:
      return "scenario";
    case SeedSource::kCommandLine:
      return "command-line";
    case SeedSource::kPicked:
      return "picked";
  }
  return "unknown";
}

nlohmann::ordered_json detail::ensemble_json(const std::vector<Result>& results) {
  return ensemble_json_of(results);
}

std::string timeseries_csv(const Scenario& scenario, const std::vector<Result>& results) {
  const CsvLabels labels(scenario);
  fmt::memory_buffer buffer;
  append_text(buffer, kCsvHeader);
  for (const Result& result : results) append_csv_rows(buffer, result, labels);
  return fmt::to_string(buffer);
}

namespace {

/// summary.json's object (without "outputs", which write_outputs() adds).
json summary_object(const Scenario& scenario, const std::vector<Result>& results,
                    std::uint64_t seed, SeedSource source) {
  json replicates = json::array();
  for (const Result& r : results) {
    replicates.push_back({{"replicate", r.replicate},
                          {"figures", figures_json(r.figures)},
                          {"wall_seconds", r.wall_seconds}});
  }
  return {
      {"patchrace_version", PATCHRACE_VERSION},
      {"scenario", detail::scenario_json(scenario)},
      {"seed", seed},
      {"seed_source", seed_source_name(source)},
      {"replicates", std::move(replicates)},
      {"ensemble", ensemble_json_of(results)},
  };
}

std::string dump(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string summary_json(const Scenario& scenario, const std::vector<Result>& results,
                         std::uint64_t seed, SeedSource source) {
  return dump(summary_object(scenario, results, seed, source));
}

void write_outputs(const std::string& dir, const Scenario& scenario,
                   const std::vector<Result>& results, std::uint64_t seed, SeedSource source) {
  constexpr std::string_view kNames[] = {kCsvName, kJsonName};
  detail::prepare_output_dir(dir, kNames);
  const fs::path base(dir);
  for (std::string_view name : kNames) {
    std::error_code ec;
    if (fs::is_directory(base / name, ec)) throw_write_error(base / name, EISDIR);
  }
  AtomicFile csv(base / kCsvName);
  write_csv(csv, scenario, results);
  json summary = summary_object(scenario, results, seed, source);
  const detail::FileDigest digests[] = {csv.digest()};
  summary["outputs"] = detail::outputs_json(seed, digests);
  AtomicFile json_file(base / kJsonName);
  json_file.write(dump(summary));
  json_file.finish();
  // Both files are complete before either is renamed; summary.json goes last.
  AtomicFile* const files[] = {&csv};
  detail::commit_together(base, files, json_file);
}

}  // namespace patchrace
