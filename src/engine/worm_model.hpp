// What the engine derives from a scenario before it runs: per-type exploit
// outcomes, per-link scan rates, the allowed target space, and the hosts with their
// attributes.
#pragma once

#include <cstdint>
#include <vector>

#include "base/rng.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::detail {

/// The vulnerable hosts of one replicate.
struct HostAttributes {
  std::vector<std::uint32_t> address;     // sorted ascending; host i lives at address[i]
  std::vector<std::uint16_t> type;        // type index of each host; empty: all of type 0
  std::vector<std::uint8_t> link;         // link class of each host; empty: all of class 0
  std::vector<std::uint32_t> seed_hosts;  // the hosts at worm.seed_addresses, in that order
};

/// Derived, immutable view of a scenario's worm and population settings.
class WormModel {
 public:
  explicit WormModel(const Scenario& scenario);

  [[nodiscard]] ScanStrategy strategy() const { return strategy_; }
  /// True for strategies whose probes go to random addresses (uniform, local preference).
  [[nodiscard]] bool random_targets() const {
    return strategy_ == ScanStrategy::kUniform || strategy_ == ScanStrategy::kLocalPreference;
  }

  [[nodiscard]] int type_count() const { return static_cast<int>(types_.size()); }
  /// Probability that a probe reaching a susceptible host of type t infects it.
  [[nodiscard]] double success(int t) const { return types_[t].success; }
  /// Probability that such a probe crashes the host instead.
  [[nodiscard]] double crash_share(int t) const { return types_[t].crash; }
  /// Probability that such a probe changes the host at all: success + crash share.
  [[nodiscard]] double weight(int t) const { return types_[t].success + types_[t].crash; }
  /// Seconds a crashed host of type t stays offline.
  [[nodiscard]] double downtime(int t) const { return types_[t].downtime; }

  [[nodiscard]] int link_count() const { return static_cast<int>(link_rates_.size()); }
  /// Probes per second sent by a scanning host of link class c.
  [[nodiscard]] double link_rate(int c) const { return link_rates_[c]; }
  /// Probes per second the network carries in all; 0: unlimited.
  [[nodiscard]] double capacity() const { return capacity_; }
  [[nodiscard]] int link_of(const HostAttributes& hosts, std::uint32_t host) const {
    return hosts.link.empty() ? 0 : hosts.link[host];
  }

  /// Addresses of the space outside the excluded prefixes.
  [[nodiscard]] double allowed_space() const { return static_cast<double>(allowed_size_); }
  /// A uniformly random offset (address - space base) outside the excluded prefixes.
  [[nodiscard]] std::uint64_t random_allowed_offset(Rng& rng) const;

 private:
  struct TypeOutcome {
    double success;
    double crash;
    double downtime;
  };
  struct Interval {
    std::uint64_t begin, end;  // offsets [begin, end)
    std::uint64_t before;      // allowed addresses before this interval
  };

  ScanStrategy strategy_;
  std::vector<TypeOutcome> types_;
  std::vector<double> link_rates_;
  double capacity_;
  std::vector<Interval> allowed_;
  std::uint64_t allowed_size_;
};

/// Places the hosts (worm.seed_addresses included, never in an excluded prefix)
/// and draws each host's type and link class by the scenario's shares, each from
/// its own stream of `key` (kPlacement, kHostType, kHostLink).
[[nodiscard]] HostAttributes place_population(const Scenario& scenario, const WormModel& model, StreamKey key);

}  // namespace patchrace::detail
