// The human summary `patchrace run` prints (summary_text() of output.hpp): one row per figure,
// the median over the replicates and its range, then a table of the management groups.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

#include "io/figure_stats.hpp"
#include "io/format_units.hpp"
#include "patchrace/output.hpp"

namespace patchrace {
namespace {

using detail::collect;
using detail::collect_group;
using detail::Stats;
using detail::stats_of;

constexpr std::string_view kRowFormat = "  {:<28}{}\n";

/// Whether infected hosts can be cleaned (state C): by cleanup, or by a patch that cures.
bool hosts_can_be_cleaned(const Scenario& scenario) {
  return scenario.cleanup.enabled ||
         (scenario.patching.enabled && scenario.patching.cures_infected);
}

/// " [min–max]" of a count over several replicates; empty for one replicate.
std::string count_range(const Stats& st, std::size_t n) {
  if (n <= 1) return "";
  return fmt::format(" [{}–{}]", detail::format_count(st.min), detail::format_count(st.max));
}

/// "median [min–max]" of a count, or just the value for one replicate.
std::string count_cell(const Stats& st, std::size_t n) {
  return detail::format_count(st.median) + count_range(st, n);
}

/// A share in [0, 1] as a percentage: 0.4512 -> "45.1 %".
std::string share_text(double share) { return fmt::format("{:.1f} %", 100.0 * share); }

/// "median [min–max]" of a share as percentages, or just the median for one replicate.
std::string share_cell(const Stats& st, std::size_t n) {
  std::string text = share_text(st.median);
  if (n > 1) text += fmt::format(" [{}–{}]", share_text(st.min), share_text(st.max));
  return text;
}

/// Host-hours: one decimal below 100 (a trailing ".0" dropped), whole with separators above.
std::string hours_text(double hours) {
  if (!(hours < 99.95)) return detail::format_count(hours);
  std::string text = fmt::format("{:.1f}", hours);
  if (text.ends_with(".0")) text.resize(text.size() - 2);
  return text;
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

std::string percent_of(double part, double whole) {
  if (!(whole > 0)) return "n/a";
  return fmt::format("{:.1f} %", 100.0 * part / whole);
}

template <typename Get>
Stats figure_stats(const std::vector<Result>& results, Get get) {
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

/// "3 breaks, 24 host-hours" (medians, with ranges over several replicates).
void append_outage_row(std::string& out, const std::vector<Result>& results) {
  using F = const Figures&;
  const std::size_t n = results.size();
  const Stats breaks = figure_stats(results, [](F f) { return f.breaks; });
  const Stats hours = figure_stats(results, [](F f) { return f.outage_host_hours; });
  std::string text = detail::format_count(breaks.median) + count_range(breaks, n) +
                     (breaks.median == 1 && n == 1 ? " break, " : " breaks, ") +
                     hours_text(hours.median);
  if (n > 1) text += fmt::format(" [{}–{}]", hours_text(hours.min), hours_text(hours.max));
  out += fmt::format(kRowFormat, "bad-patch outage", text + " host-hours");
}

void append_wall_row(std::string& out, const std::vector<Result>& results, double wall_seconds) {
  double probes = 0;
  for (const Result& r : results) probes += r.figures.probes;
  std::string text =
      fmt::format("{} ({:.1e} simulated probes", detail::format_duration(wall_seconds), probes);
  if (wall_seconds > 0) text += fmt::format(", {:.1e} per wall-clock second", probes / wall_seconds);
  out += fmt::format(kRowFormat, "wall time", text + ")");
}

// ---------------------------------------------------------------------------------------------
// The table of groups

/// Columns a terminal shows `text` in: its UTF-8 code points (the texts here hold no wide
/// or combining characters).
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

/// A column of the table: two header lines and one cell per group.
struct Column {
  std::string_view head;     // first header line
  std::string_view subhead;  // second header line
  bool left = false;         // left-aligned (otherwise right-aligned)
  std::vector<std::string> cells;
};

/// The table: columns two spaces apart, each as wide as its widest entry, indented by two.
std::string render_table(const std::vector<Column>& columns) {
  std::vector<std::size_t> widths;
  for (const Column& c : columns) {
    std::size_t width = std::max(display_width(c.head), display_width(c.subhead));
    for (const std::string& cell : c.cells) width = std::max(width, display_width(cell));
    widths.push_back(width);
  }
  auto line = [&](auto text_of) {
    std::string row = " ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string_view text = text_of(columns[i]);
      const std::string pad(widths[i] - display_width(text), ' ');
      row += ' ';
      row += columns[i].left ? std::string(text) + pad : pad + std::string(text);
      if (i + 1 < columns.size()) row += ' ';
    }
    row.erase(row.find_last_not_of(' ') + 1);
    return row + '\n';
  };
  std::string out = line([](const Column& c) { return c.head; });
  out += line([](const Column& c) { return c.subhead; });
  const std::size_t rows = columns.empty() ? 0 : columns.front().cells.size();
  for (std::size_t r = 0; r < rows; ++r) {
    out += line([r](const Column& c) { return std::string_view(c.cells[r]); });
  }
  return out;
}

/// One line per management group: medians over the replicates whose figures have it. The
/// cleaned column appears when hosts can be cleaned, breaks and outage with a bad patch.
std::string group_table(const Scenario& scenario, const std::vector<Result>& results) {
  using G = const GroupFigures&;
  const std::size_t n = results.size();
  const bool cleaned = hosts_can_be_cleaned(scenario);
  const bool bad_patch = scenario.patching.enabled && scenario.patching.bad_patch.enabled;
  Column name{"group", n > 1 ? "(medians)" : "", true, {}};
  Column hosts{"hosts", "", false, {}};
  Column at_start{"patched", "at start", false, {}};
  Column half_life{"measured", "half-life", false, {}};
  Column infected{"ever infected", "", false, {}};
  Column at_end{"patched", "at end", false, {}};
  Column cleaned_column{"cleaned", "", false, {}};
  Column breaks{"breaks", "", false, {}};
  Column outage{"outage", "host-h", false, {}};
  for (const std::string& group : detail::group_names(results)) {
    auto median = [&](auto get) {
      return stats_of(
                 collect_group(results, group, [&](G g) { return std::optional<double>(get(g)); }))
          .median;
    };
    const double group_hosts = median([](G g) { return static_cast<double>(g.hosts); });
    const double group_infected = median([](G g) { return static_cast<double>(g.infected); });
    name.cells.push_back(group);
    hosts.cells.push_back(detail::format_count(group_hosts));
    at_start.cells.push_back(share_text(median([](G g) { return g.patched_at_start; })));
    const std::vector<double> reached =
        collect_group(results, group, [](G g) { return g.half_life; });
    const std::size_t present = detail::replicates_with_group(results, group);
    if (!scenario.patching.enabled) {
      half_life.cells.emplace_back("—");
    } else if (reached.empty()) {
      half_life.cells.emplace_back("never");
    } else {
      std::string text = detail::format_duration(stats_of(reached).median);
      if (reached.size() < present) text += fmt::format(" ({}/{})", reached.size(), present);
      half_life.cells.push_back(std::move(text));
    }
    infected.cells.push_back(fmt::format("{} ({})", detail::format_count(group_infected),
                                         percent_of(group_infected, group_hosts)));
    at_end.cells.push_back(
        detail::format_count(median([](G g) { return static_cast<double>(g.final_patched); })));
    cleaned_column.cells.push_back(
        detail::format_count(median([](G g) { return static_cast<double>(g.final_cleaned); })));
    breaks.cells.push_back(
        detail::format_count(median([](G g) { return static_cast<double>(g.breaks); })));
    outage.cells.push_back(hours_text(median([](G g) { return g.outage_host_hours; })));
  }
  if (name.cells.empty()) return "";
  std::vector<Column> columns = {name, hosts, at_start, half_life, infected, at_end};
  if (cleaned) columns.push_back(std::move(cleaned_column));
  if (bad_patch) {
    columns.push_back(std::move(breaks));
    columns.push_back(std::move(outage));
  }
  return render_table(columns);
}

}  // namespace

std::string summary_text(const Scenario& scenario, const std::vector<Result>& results,
                         std::uint64_t seed, double wall_seconds) {
  using F = const Figures&;
  const std::size_t n = results.size();
  const std::uint64_t hosts = scenario.population.hosts;
  std::string out = fmt::format("{} — {}, {} vulnerable hosts, {} replicate{}{}, seed {}\n",
                                scenario.name, scenario.worm.name, detail::format_count(hosts), n,
                                n == 1 ? "" : "s", n > 1 ? " (median [min–max])" : "", seed);
  if (n == 0) return out;
  const Stats infected = figure_stats(results, [](F f) { return f.final_infected; });
  out += fmt::format(kRowFormat, "final infected",
                     fmt::format("{} ({}){}", detail::format_count(infected.median),
                                 percent_of(infected.median, static_cast<double>(hosts)),
                                 count_range(infected, n)));
  if (hosts_can_be_cleaned(scenario)) {
    out += fmt::format(kRowFormat, "ever infected",
                       count_cell(figure_stats(results, [](F f) { return f.total_infected; }), n));
  }
  const Stats peak = figure_stats(results, [](F f) { return f.peak_new_per_minute; });
  const Stats peak_at = figure_stats(results, [](F f) { return f.peak_minute_start; });
  out += fmt::format(kRowFormat, "peak new infections/min",
                     fmt::format("{} (at {}){}", detail::format_count(peak.median),
                                 detail::format_duration(peak_at.median), count_range(peak, n)));
  append_time_rows(out, results);
  if (scenario.patching.enabled) {
    out +=
        fmt::format(kRowFormat, "patched at start",
                    share_cell(figure_stats(results, [](F f) { return f.patched_at_start; }), n));
  }
  if (scenario.patching.enabled) {
    out += fmt::format(kRowFormat, "patched",
                       count_cell(figure_stats(results, [](F f) { return f.final_patched; }), n));
  }
  if (hosts_can_be_cleaned(scenario)) {
    out += fmt::format(kRowFormat, "cleaned",
                       count_cell(figure_stats(results, [](F f) { return f.final_cleaned; }), n));
  }
  if (scenario.patching.enabled && scenario.patching.bad_patch.enabled) {
    append_outage_row(out, results);
  }
  append_wall_row(out, results, wall_seconds);
  if (scenario.patching.enabled || !scenario.population.groups.empty()) {
    const std::string table = group_table(scenario, results);
    if (!table.empty()) out += "\n" + table;
  }
  return out;
}

}  // namespace patchrace
