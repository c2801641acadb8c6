// Writing results: tidy CSV time series, JSON summary, human summary.
//
// summary.json echoes the scenario with the keys of the TOML form; every time in it
// (run.duration, patching.release, worm.seed_window, ...) is a number of seconds,
// addresses are dotted quads, prefixes (the address space, worm.excluded, ...) are
// CIDR text and enum settings are their TOML strings. Tables whose presence turns a
// feature on in TOML (patching, cleanup, worm.bandwidth) carry "enabled". Figures keep the names of
// patchrace::Figures. Ensemble statistics of an optional time (time_to_10 ...) are taken over the
// replicates that reached it; "reached" counts them.
#include "patchrace/output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "io/format_units.hpp"
#include "patchrace/error.hpp"

namespace patchrace {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keys in the order written

constexpr std::string_view kCsvName = "timeseries.csv";
constexpr std::string_view kJsonName = "summary.json";
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

// ---------------------------------------------------------------------------------------------
// CSV

/// Appends a reported value: integral values (counts) as integers, others shortest round-trip.
void append_value(fmt::memory_buffer& out, double value) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (value == std::trunc(value) && std::fabs(value) < kExactIntegers) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(value));
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

/// Appends the rows of one replicate: for each reported time, one row per series.
void append_csv_rows(fmt::memory_buffer& out, const Result& result) {
  const TimeSeries& ts = result.series;
  for (std::size_t k = 0; k < ts.time.size(); ++k) {
    for (int s = 0; s < kSeriesCount; ++s) {
      fmt::format_to(std::back_inserter(out), "{},{},{},", result.replicate, ts.time[k],
                     series_name(static_cast<Series>(s)));
      append_value(out, ts.values[static_cast<std::size_t>(s)][k]);
      out.push_back('\n');
    }
  }
}

constexpr std::string_view kCsvHeader = "replicate,time_s,series,value\n";

// ---------------------------------------------------------------------------------------------
// JSON

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

json optional_json(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

// The enum settings as spelled in TOML (the loader's tables in scenario_toml.cpp).

const char* placement_kind_name(PlacementKind kind) {
  switch (kind) {
    case PlacementKind::kUniform:
      return "uniform";
    case PlacementKind::kClustered:
      return "clustered";
  }
  return "unknown";
}

const char* strategy_name(ScanStrategy strategy) {
  switch (strategy) {
    case ScanStrategy::kUniform:
      return "uniform";
    case ScanStrategy::kLocalPreference:
      return "local-preference";
    case ScanStrategy::kSequential:
      return "sequential";
    case ScanStrategy::kPermutation:
      return "permutation";
  }
  return "unknown";
}

const char* failure_outcome_name(FailureOutcome outcome) {
  switch (outcome) {
    case FailureOutcome::kNothing:
      return "nothing";
    case FailureOutcome::kCrash:
      return "crash";
  }
  return "unknown";
}

const char* seed_rule_name(SeedRule rule) {
  switch (rule) {
    case SeedRule::kRandom:
      return "random";
    case SeedRule::kLargestPrefixes:
      return "largest-prefixes";
  }
  return "unknown";
}

/// Prefixes as CIDR text: ["10.0.0.0/8", ...].
json prefixes_json(const std::vector<Prefix>& prefixes) {
  json out = json::array();
  for (const Prefix& p : prefixes)
    out.push_back(fmt::format("{}/{}", format_address(p.base), p.length));
  return out;
}

json population_json(const PopulationSpec& population) {
  json types = json::array();
  for (const HostTypeSpec& type : population.types) {
    types.push_back({{"name", type.name}, {"share", type.share}});
  }
  const PlacementSpec& placement = population.placement;
  json block_sizes = json::array();
  for (const BlockSizeSpec& size : placement.block_sizes) {
    block_sizes.push_back({{"prefix_length", size.prefix_length}, {"share", size.share}});
  }
  return {
      {"hosts", population.hosts},
      {"types", std::move(types)},
      {"placement",
       {{"kind", placement_kind_name(placement.kind)},
        {"allocated", prefixes_json(placement.allocated)},
        {"allocation_file", placement.allocation_file},
        {"block_sizes", std::move(block_sizes)},
        {"hosts_per_block_alpha", placement.hosts_per_block_alpha},
        {"min_hosts_per_block", placement.min_hosts_per_block}}},
  };
}

json worm_json(const WormSpec& worm) {
  json exploits = json::array();
  for (const ExploitSpec& exploit : worm.exploits) {
    exploits.push_back({{"type", exploit.type},
                        {"success", exploit.success},
                        {"on_failure", failure_outcome_name(exploit.on_failure)},
                        {"downtime", exploit.downtime}});
  }
  json links = json::array();
  for (const LinkClassSpec& link : worm.bandwidth.links) {
    links.push_back({{"share", link.share}, {"bits_per_second", link.bits_per_second}});
  }
  json seeds = json::array();
  for (std::uint32_t address : worm.seed_addresses) seeds.push_back(format_address(address));
  return {
      {"name", worm.name},
      {"strategy", strategy_name(worm.strategy)},
      {"scan_rate", worm.scan_rate},
      {"exploit_success", worm.exploit_success},
      {"exploits", std::move(exploits)},
      {"excluded", prefixes_json(worm.excluded)},
      {"local_preference",
       {{"same_slash8", worm.local_preference.same_slash8},
        {"same_slash16", worm.local_preference.same_slash16}}},
      {"sequential",
       {{"local_start", worm.sequential.local_start},
        {"local_backoff", worm.sequential.local_backoff},
        {"batch", worm.sequential.batch}}},
      {"permutation", {{"dormant_after", worm.permutation.dormant_after}}},
      {"bandwidth",
       {{"enabled", worm.bandwidth.enabled},
        {"probe_bytes", worm.bandwidth.probe_bytes},
        {"capacity", worm.bandwidth.capacity},
        {"links", std::move(links)}}},
      {"seed_rule", seed_rule_name(worm.seed_rule)},
      {"seed_window", worm.seed_window},
      {"initial_infected", worm.initial_infected},
      {"seed_addresses", std::move(seeds)},
  };
}

json scenario_json(const Scenario& s) {
  return {
      {"name", s.name},
      {"description", s.description},
      {"address_space",
       {{"prefix", fmt::format("{}/{}", format_address(s.address_space.base),
                               s.address_space.prefix_length)}}},
      {"population", population_json(s.population)},
      {"worm", worm_json(s.worm)},
      {"patching",
       {{"enabled", s.patching.enabled},
        {"release", s.patching.release},
        {"half_life", s.patching.half_life},
        {"never_fraction", s.patching.never_fraction},
        {"cures_infected", s.patching.cures_infected}}},
      {"cleanup", {{"enabled", s.cleanup.enabled}, {"mean_delay", s.cleanup.mean_delay}}},
      {"run",
       {{"duration", s.run.duration},
        {"report_interval", s.run.report_interval},
        {"seed", s.run.seed ? json(*s.run.seed) : json(nullptr)},
        {"replicates", s.run.replicates}}},
  };
}

json figures_json(const Figures& f) {
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
  };
}

/// Order statistics of a sample; all NaN when it is empty.
struct Stats {
  double mean = NAN;
  double min = NAN;
  double median = NAN;
  double max = NAN;
};

Stats stats_of(std::vector<double> values) {
  Stats st;
  if (values.empty()) return st;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  double sum = 0;
  for (double v : values) sum += v;
  st.mean = sum / static_cast<double>(n);
  st.min = values.front();
  st.max = values.back();
  st.median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return st;
}

/// Values of one figure across the replicates (those that reached it, for optional times).
template <typename Get>
std::vector<double> collect(const std::vector<Result>& results, Get get) {
  std::vector<double> values;
  values.reserve(results.size());
  for (const Result& r : results) {
    const std::optional<double> v = get(r.figures);
    if (v) values.push_back(*v);
  }
  return values;
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
  const Stats st = stats_of(values);
  return {{"mean", stat_number(st.mean, false)},
          {"min", stat_number(st.min, counts)},
          {"median", stat_number(st.median, counts)},
          {"max", stat_number(st.max, counts)}};
}

json ensemble_json(const std::vector<Result>& results) {
  using F = const Figures&;
  json out = json::object();
  auto add = [&](const char* key, bool counts, auto get) {
    out[key] =
        stats_json(collect(results, [&](F f) { return std::optional<double>(get(f)); }), counts);
  };
  auto add_time = [&](const char* key, std::optional<double> Figures::*member) {
    const std::vector<double> values = collect(results, [&](F f) { return f.*member; });
    json entry = {{"reached", values.size()}};
    entry.update(stats_json(values, false));
    out[key] = std::move(entry);
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
  return out;
}

// ---------------------------------------------------------------------------------------------
// Human summary

constexpr std::string_view kRowFormat = "  {:<28}{}\n";

/// " [min–max]" of a count over several replicates; empty for one replicate.
std::string count_range(const Stats& st, std::size_t n) {
  if (n <= 1) return "";
  return fmt::format(" [{}–{}]", detail::format_count(st.min), detail::format_count(st.max));
}

/// "median [min–max]" of a count, or just the value for one replicate.
std::string count_cell(const Stats& st, std::size_t n) {
  return detail::format_count(st.median) + count_range(st, n);
}

/// Median time with its range over the replicates that reached it, or "never".
std::string time_cell(const std::vector<double>& reached, std::size_t n) {
  if (reached.empty()) return "never";
  const Stats st = stats_of(reached);
  std::string text = detail::format_duration(st.median);
  if (n > 1) {
    text +=
        fmt::format(" [{}–{}]", detail::format_duration(st.min), detail::format_duration(st.max));
    if (reached.size() < n) text += fmt::format(" ({} of {} reached)", reached.size(), n);
  }
  return text;
}

std::string percent_of(double part, std::uint64_t whole) {
  if (whole == 0) return "n/a";
  return fmt::format("{:.1f} %", 100.0 * part / static_cast<double>(whole));
}

template <typename Get>
Stats count_stats(const std::vector<Result>& results, Get get) {
  return stats_of(
      collect(results, [&](const Figures& f) { return std::optional<double>(get(f)); }));
}

void append_time_rows(std::string& out, const std::vector<Result>& results) {
  const auto t10 = collect(results, [](const Figures& f) { return f.time_to_10; });
  const auto t50 = collect(results, [](const Figures& f) { return f.time_to_50; });
  const auto t90 = collect(results, [](const Figures& f) { return f.time_to_90; });
  const std::size_t n = results.size();
  if (n == 1) {
    out += fmt::format(
        kRowFormat, "time to 10 % / 50 % / 90 %",
        fmt::format("{} / {} / {}", time_cell(t10, n), time_cell(t50, n), time_cell(t90, n)));
    return;
  }
  out += fmt::format(kRowFormat, "time to 10 %", time_cell(t10, n));
  out += fmt::format(kRowFormat, "time to 50 %", time_cell(t50, n));
  out += fmt::format(kRowFormat, "time to 90 %", time_cell(t90, n));
}

void append_wall_row(std::string& out, const std::vector<Result>& results, double wall_seconds) {
  double probes = 0;
  for (const Result& r : results) probes += r.figures.probes;
  std::string text =
      fmt::format("{} ({:.1e} probes represented", detail::format_duration(wall_seconds), probes);
  if (wall_seconds > 0) text += fmt::format(", {:.1e} probes/s", probes / wall_seconds);
  out += fmt::format(kRowFormat, "wall time", text + ")");
}

// ---------------------------------------------------------------------------------------------
// Files

[[noreturn]] void throw_write_error(const fs::path& path, int error) {
  throw UsageError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(error)));
}

/// A file written under a temporary name next to its final path and renamed into place by
/// commit(). Until then the final path is untouched; the destructor removes the temporary.
class AtomicFile {
 public:
  explicit AtomicFile(fs::path final_path)
      : final_path_(std::move(final_path)),
        temp_path_(final_path_.string() + fmt::format(".tmp-{}", ::getpid())) {
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) throw_write_error(final_path_, errno);
  }
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_path_.c_str());
  }

  /// Writes all of `data`. Throws UsageError on failure.
  void write(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw_write_error(final_path_, n < 0 ? errno : EIO);
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  /// Flushes the data to disk and closes the temporary. Throws UsageError on failure.
  void finish() {
    if (::fsync(fd_) != 0 && errno != EINVAL) throw_write_error(final_path_, errno);
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) throw_write_error(final_path_, errno);
  }

  /// Renames the finished temporary over the final path. Throws UsageError on failure.
  void commit() {
    if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
      throw_write_error(final_path_, errno);
    }
    committed_ = true;
  }

 private:
  fs::path final_path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

void create_output_dir(const std::string& dir) {
  if (dir.empty()) throw UsageError("the output directory must not be an empty path");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec && !fs::is_directory(dir, ec)) ec = std::make_error_code(std::errc::not_a_directory);
  if (ec) {
    throw UsageError(fmt::format("cannot create output directory '{}': {}", dir, ec.message()));
  }
}

void write_csv(AtomicFile& file, const std::vector<Result>& results) {
  fmt::memory_buffer buffer;
  buffer.append(kCsvHeader);
  for (const Result& result : results) {
    append_csv_rows(buffer, result);
    if (buffer.size() >= kFlushBytes) {
      file.write({buffer.data(), buffer.size()});
      buffer.clear();
    }
  }
  file.write({buffer.data(), buffer.size()});
  file.finish();
}

}  // namespace

std::string timeseries_csv(const std::vector<Result>& results) {
  fmt::memory_buffer buffer;
  buffer.append(kCsvHeader);
  for (const Result& result : results) append_csv_rows(buffer, result);
  return fmt::to_string(buffer);
}

std::string summary_json(const Scenario& scenario, const std::vector<Result>& results,
                         std::uint64_t seed, SeedSource source) {
  json replicates = json::array();
  for (const Result& r : results) {
    replicates.push_back({{"replicate", r.replicate},
                          {"figures", figures_json(r.figures)},
                          {"wall_seconds", r.wall_seconds}});
  }
  const json summary = {
      {"patchrace_version", PATCHRACE_VERSION},
      {"scenario", scenario_json(scenario)},
      {"seed", seed},
      {"seed_source", seed_source_name(source)},
      {"replicates", std::move(replicates)},
      {"ensemble", ensemble_json(results)},
  };
  return summary.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string summary_text(const Scenario& scenario, const std::vector<Result>& results,
                         std::uint64_t seed, double wall_seconds) {
  using F = const Figures&;
  const std::size_t n = results.size();
  const std::uint64_t hosts = scenario.population.hosts;
  std::string out = fmt::format("{} — {}, {} vulnerable hosts, {} replicate{}{}, seed {}\n",
                                scenario.name, scenario.worm.name, detail::format_count(hosts), n,
                                n == 1 ? "" : "s", n > 1 ? " (median [min–max])" : "", seed);
  if (n == 0) return out;
  const Stats infected = count_stats(results, [](F f) { return f.final_infected; });
  out += fmt::format(kRowFormat, "final infected",
                     fmt::format("{} ({}){}", detail::format_count(infected.median),
                                 percent_of(infected.median, hosts), count_range(infected, n)));
  if (scenario.cleanup.enabled || (scenario.patching.enabled && scenario.patching.cures_infected)) {
    out += fmt::format(kRowFormat, "ever infected",
                       count_cell(count_stats(results, [](F f) { return f.total_infected; }), n));
  }
  const Stats peak = count_stats(results, [](F f) { return f.peak_new_per_minute; });
  const Stats peak_at = count_stats(results, [](F f) { return f.peak_minute_start; });
  out += fmt::format(kRowFormat, "peak new infections/min",
                     fmt::format("{} (at {}){}", detail::format_count(peak.median),
                                 detail::format_duration(peak_at.median), count_range(peak, n)));
  append_time_rows(out, results);
  out += fmt::format(kRowFormat, "patched",
                     count_cell(count_stats(results, [](F f) { return f.final_patched; }), n));
  if (scenario.cleanup.enabled || scenario.patching.cures_infected) {
    out += fmt::format(kRowFormat, "cleaned",
                       count_cell(count_stats(results, [](F f) { return f.final_cleaned; }), n));
  }
  append_wall_row(out, results, wall_seconds);
  return out;
}

void write_outputs(const std::string& dir, const Scenario& scenario,
                   const std::vector<Result>& results, std::uint64_t seed, SeedSource source) {
  create_output_dir(dir);
  const fs::path base(dir);
  for (std::string_view name : {kCsvName, kJsonName}) {
    std::error_code ec;
    if (fs::is_directory(base / name, ec)) throw_write_error(base / name, EISDIR);
  }
  AtomicFile csv(base / kCsvName);
  write_csv(csv, results);
  AtomicFile json_file(base / kJsonName);
  json_file.write(summary_json(scenario, results, seed, source));
  json_file.finish();
  // Both files are complete before either is renamed into place.
  csv.commit();
  json_file.commit();
}

}  // namespace patchrace
