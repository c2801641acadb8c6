// What a run reports: milestones, the time series at each report, the final figures.
#include "engine/simulator.hpp"

namespace patchrace::detail {

void Simulator::check_milestones(double t) {
  next_milestone_ = std::numeric_limits<std::uint64_t>::max();
  for (int i = 0; i < 3; ++i) {
    if (milestones_.figure[i]->has_value()) continue;
    if (cumulative_infected_ >= milestones_.count[i]) {
      *milestones_.figure[i] = t;
    } else {
      next_milestone_ = std::min(next_milestone_, milestones_.count[i]);
    }
  }
}

void Simulator::record(double t) {
  if (t == 0.0) {
    // Patched at the worm's start: the state the t = 0 report shows, after the
    // seeds and whatever happens at exactly t = 0.
    patched_at_start_ = pools_.total(kPatchedPool) + pools_.total(kInfectedPatched) +
                        pools_.total(kCleanedPool);
    group_patched_at_start_ = group_patched_;
  }
  auto& s = result_.series;
  s.time.push_back(t);
  auto push = [&](Series series, double v) { s.values[static_cast<int>(series)].push_back(v); };
  auto count = [](std::uint64_t v) { return static_cast<double>(v); };
  push(Series::kSusceptible, count(susceptible() + offline()));
  push(Series::kInfected, count(infected()));
  push(Series::kPatched, count(pools_.total(kPatchedPool)));
  push(Series::kCleaned, count(pools_.total(kCleanedPool)));
  push(Series::kNewInfections, count(new_infections_));
  push(Series::kCumulativeInfected, count(cumulative_infected_));
  push(Series::kBroken, count(broken()));
  push(Series::kOutageHostHours, outage_host_hours(t));
  new_infections_ = 0;
  if (!scenario_.population.groups.empty()) {
    for (int g = 0; g < patches_.group_count(); ++g) {
      auto& rows = s.group_values[g];
      auto of = [&](std::initializer_list<int> pools) {
        std::uint64_t n = 0;
        for (int pool : pools) n += group_pool(g, pool);
        return static_cast<double>(n);
      };
      rows[static_cast<int>(GroupSeries::kVulnerable)].push_back(
          of({kSusceptible, kInfected, kOffline, kBroken, kBrokenInfected}));
      rows[static_cast<int>(GroupSeries::kPatched)].push_back(
          of({kPatchedPool, kInfectedPatched, kCleanedPool}));
      rows[static_cast<int>(GroupSeries::kInfected)].push_back(of({kInfected, kInfectedPatched}));
      rows[static_cast<int>(GroupSeries::kCleaned)].push_back(of({kCleanedPool}));
      rows[static_cast<int>(GroupSeries::kBroken)].push_back(of({kBroken, kBrokenInfected}));
    }
  }
  for (std::size_t r = 0; r < ring_patched_.size(); ++r) {
    s.ring_patched[r].push_back(static_cast<double>(ring_patched_[r]));
  }
}

void Simulator::finish_figures(double end) {
  auto& f = result_.figures;
  f.vulnerable = host_count();
  f.final_infected = infected();
  f.total_infected = cumulative_infected_;
  f.final_patched = pools_.total(kPatchedPool);
  f.final_cleaned = pools_.total(kCleanedPool);
  for (std::size_t m = 0; m < minute_counts_.size(); ++m) {
    if (minute_counts_[m] > f.peak_new_per_minute) {
      f.peak_new_per_minute = minute_counts_[m];
      f.peak_minute_start = static_cast<double>(m) * kMinute;
    }
  }
  f.outage_host_hours = outage_host_hours(end);
  f.patched_at_start = static_cast<double>(patched_at_start_) / static_cast<double>(host_count());
  const std::vector<std::string> names = group_labels(scenario_);
  for (int g = 0; g < patches_.group_count(); ++g) {
    GroupFigures gf;
    gf.name = names[g];
    gf.hosts = patches_.group_size(g);
    const double hosts = static_cast<double>(std::max<std::uint64_t>(gf.hosts, 1));
    gf.patched_at_start = static_cast<double>(group_patched_at_start_.empty() ? 0 : group_patched_at_start_[g]) / hosts;
    gf.half_life = group_half_life_[g];
    gf.infected = track_groups_ ? group_infected_[g] : cumulative_infected_;
    gf.final_patched = group_pool(g, kPatchedPool) + group_pool(g, kInfectedPatched) +
                       group_pool(g, kCleanedPool);
    gf.final_cleaned = group_pool(g, kCleanedPool);
    gf.breaks = group_breaks_[g];
    const double broken_now = static_cast<double>(group_pool(g, kBroken) + group_pool(g, kBrokenInfected));
    const double done =
        static_cast<double>(group_outages_done_[g]) * scenario_.patching.bad_patch.outage;
    gf.outage_host_hours = (done + broken_now * end - group_broken_since_[g]) / kHour;
    f.groups.push_back(std::move(gf));
  }
}

}  // namespace patchrace::detail
