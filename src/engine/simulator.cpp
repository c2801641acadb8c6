// The event loop of the exact engine (the engine itself: simulator.hpp) and simulate().
#include "engine/simulator.hpp"

#include <chrono>

#include "patchrace/error.hpp"
#include "patchrace/simulate.hpp"

namespace patchrace {
namespace detail {

Result Simulator::run() {
  const std::vector<double> report_at = report_times(scenario_.run);
  std::size_t next_report = 0;
  double t = 0.0;
  check_milestones(0.0);
  while (next_report < report_at.size()) {
    const double scheduled =
        std::min({report_at[next_report], queue_.next_time(), patches_.next_time()});
    const double sent = sent_probe_rate();
    const double contact_rate = random_contact_rate(sent);
    const double wait = contact_rate > 0.0 ? sample_exponential(rng_, contact_rate)
                                           : std::numeric_limits<double>::infinity();

    if (t + wait >= scheduled) {
      result_.figures.probes += sent * (scheduled - t);
      t = scheduled;
      if (patches_.next_time() <= t && !queue_goes_first(t)) {
        handle_patch_action(t);
      } else if (!queue_.empty() && queue_.next_time() <= t) {
        handle_scheduled();
        if (!model_.random_targets()) run_arrivals(report_at[next_report], t);
      } else {
        record(t);
        ++next_report;
      }
      continue;
    }
    result_.figures.probes += sent * wait;
    t += wait;
    ++result_.figures.events;
    if (local_) {
      contact_local(t, sent);
    } else {
      contact_random_susceptible(t);
    }
  }
  finish_figures(t);
  return std::move(result_);
}

}  // namespace detail

Result simulate(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate) {
  validate(scenario);  // includes population.hosts <= 2^32 - 1, which the engine needs
  const auto start = std::chrono::steady_clock::now();
  detail::Simulator simulator(scenario, seed, replicate);
  Result result = simulator.run();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace patchrace
