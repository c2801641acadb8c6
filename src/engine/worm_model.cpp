#include "engine/worm_model.hpp"

#include <algorithm>

#include "base/samplers.hpp"
#include "model/placement.hpp"

namespace patchrace::detail {
namespace {

/// Index drawn by the cumulative shares (the last index absorbs rounding).
template <typename Shares>
std::size_t sample_share(Rng& rng, const Shares& shares) {
  double u = rng.uniform();
  for (std::size_t i = 0; i + 1 < shares.size(); ++i) {
    u -= shares[i].share;
    if (u < 0.0) return i;
  }
  return shares.size() - 1;
}

}  // namespace

WormModel::WormModel(const Scenario& scenario) : strategy_(scenario.worm.strategy) {
  const auto& worm = scenario.worm;
  const auto& types = scenario.population.types;
  const std::size_t type_count = std::max<std::size_t>(types.size(), 1);
  for (std::size_t t = 0; t < type_count; ++t) {
    const std::string name = types.empty() ? "host" : types[t].name;
    TypeOutcome outcome{worm.exploit_success, 0.0, 0.0};
    for (const auto& e : worm.exploits) {
      if (e.type != name) continue;
      outcome.success = e.success;
      if (e.on_failure == FailureOutcome::kCrash) {
        outcome.crash = 1.0 - e.success;
        outcome.downtime = e.downtime;
      }
    }
    types_.push_back(outcome);
  }

  const auto& bandwidth = worm.bandwidth;
  if (bandwidth.enabled) {
    for (const auto& link : bandwidth.links) {
      link_rates_.push_back(std::min(worm.scan_rate, link.bits_per_second / (8.0 * bandwidth.probe_bytes)));
    }
    capacity_ = bandwidth.capacity;
  } else {
    link_rates_.push_back(worm.scan_rate);
    capacity_ = 0.0;
  }

  // Allowed offsets: the space minus the excluded prefixes, as sorted intervals.
  const auto& space = scenario.address_space;
  const std::uint64_t size = space.size();
  std::vector<std::pair<std::uint64_t, std::uint64_t>> cut;
  for (const Prefix& p : worm.excluded) {
    const std::uint64_t lo = std::max<std::uint64_t>(p.base, space.base);
    const std::uint64_t hi = std::min<std::uint64_t>(std::uint64_t{p.base} + p.size(),
                                                     std::uint64_t{space.base} + size);
    if (lo < hi) cut.emplace_back(lo - space.base, hi - space.base);
  }
  std::sort(cut.begin(), cut.end());
  std::uint64_t cursor = 0;
  allowed_size_ = 0;
  auto add = [&](std::uint64_t b, std::uint64_t e) {
    if (b >= e) return;
    allowed_.push_back({b, e, allowed_size_});
    allowed_size_ += e - b;
  };
  for (const auto& [lo, hi] : cut) {
    add(cursor, lo);
    cursor = std::max(cursor, hi);
  }
  add(cursor, size);
}

std::uint64_t WormModel::random_allowed_offset(Rng& rng) const {
  const std::uint64_t i = sample_index(rng, allowed_size_);
  if (allowed_.size() == 1) return allowed_[0].begin + i;
  const auto it = std::upper_bound(allowed_.begin(), allowed_.end(), i,
                                   [](std::uint64_t v, const Interval& in) { return v < in.before; });
  const Interval& in = *(it - 1);
  return in.begin + (i - in.before);
}

HostAttributes place_population(const Scenario& scenario, const WormModel& model, StreamKey key) {
  HostAttributes hosts;
  const auto& worm = scenario.worm;
  Rng placement = key.stream(StreamPurpose::kPlacement);
  hosts.address = place_hosts(scenario, placement);
  for (std::uint32_t a : worm.seed_addresses) {
    const auto it = std::lower_bound(hosts.address.begin(), hosts.address.end(), a);
    hosts.seed_hosts.push_back(static_cast<std::uint32_t>(it - hosts.address.begin()));
  }
  const std::size_t n = hosts.address.size();
  if (model.type_count() > 1) {
    hosts.type.resize(n);
    Rng rng = key.stream(StreamPurpose::kHostType);
    for (auto& t : hosts.type) t = static_cast<std::uint16_t>(sample_share(rng, scenario.population.types));
  }
  if (model.link_count() > 1) {
    hosts.link.resize(n);
    Rng rng = key.stream(StreamPurpose::kHostLink);
    for (auto& c : hosts.link) c = static_cast<std::uint8_t>(sample_share(rng, worm.bandwidth.links));
  }
  return hosts;
}

}  // namespace patchrace::detail
