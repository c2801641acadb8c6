// When each offline host (crashed, or broken by a bad patch) comes back: a map from
// host to return time (seconds), kept as one array over the hosts, allocated when
// the first host goes offline. A sweep looks a host up at every stop while any host
// is offline, which a hash map would pay for with a cache miss and an allocation per
// crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace patchrace::detail {

class OfflineUntil {
 public:
  /// For hosts [0, hosts), all online.
  explicit OfflineUntil(std::uint32_t hosts = 0) : hosts_(hosts) {}

  /// Whether every host is online.
  [[nodiscard]] bool empty() const { return count_ == 0; }

  [[nodiscard]] bool contains(std::uint32_t host) const { return until(host) != kOnline; }

  /// The time `host` comes back (seconds), or -infinity if it is online.
  [[nodiscard]] double until(std::uint32_t host) const { return until_.empty() ? kOnline : until_[host]; }

  /// `host` is offline until `time` (finite).
  void set(std::uint32_t host, double time) {
    if (until_.empty()) until_.assign(hosts_, kOnline);
    if (until_[host] == kOnline) ++count_;
    until_[host] = time;
  }

  /// `host` is online (no effect if it was).
  void erase(std::uint32_t host) {
    if (!contains(host)) return;
    until_[host] = kOnline;
    --count_;
  }

 private:
  static constexpr double kOnline = -std::numeric_limits<double>::infinity();

  std::uint32_t hosts_;
  std::size_t count_ = 0;      // offline hosts
  std::vector<double> until_;  // per host; empty until a host goes offline
};

}  // namespace patchrace::detail
