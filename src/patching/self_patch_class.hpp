// One class of self-patching hosts sharing a hazard curve (a group's fast or slow
// class, or its empirical curve). Each host patches when the curve's cumulative
// hazard, counted from the release, reaches the host's own unit-exponential budget.
//
// The budgets are never stored: the class holds its hosts in uniformly random order
// and generates the order statistics of n unit exponentials one after the other
// (E(k+1) = E(k) + Exp(1) / (n - k)), handing the k-th smallest budget to the k-th
// host. That is the same as an independent budget per host, costs 4 bytes per host,
// and yields the patch times in increasing order. A few hosts (seeds that cannot
// have patched before t = 0) carry budgets of their own in a small heap.
//
// News multiplies the hazard by `factor` from time tau on: a budget E > H(tau) is
// reached at H^-1(H(tau) + (E - H(tau)) / factor). The map is increasing in E, so the
// order of the hosts is unchanged.
#pragma once

#include <cstdint>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "patching/hazard_curve.hpp"
#include "base/rng.hpp"

namespace patchrace::detail {

class SelfPatchClass {
 public:
  /// `hosts` in uniformly random order; `release` in simulation seconds; `rng` the
  /// class's own stream, from which it draws every budget.
  SelfPatchClass(HazardCurve curve, double release, std::vector<std::uint32_t> hosts, Rng rng);

  /// Simulation time of the next patch, +infinity when no host of the class will patch.
  [[nodiscard]] double next_time() const { return next_time_; }
  /// The host due at next_time(); then advances to the following one.
  std::uint32_t pop();

  /// Gives `host` a budget conditioned on not having patched by simulation time `t`:
  /// H(t - release) + Exp(1).
  void defer(std::uint32_t host, double t);

  /// From simulation time `tau` on, hosts spend their budgets `factor` times faster.
  void speed_up(double tau, double factor);

 private:
  struct Extra {
    double budget;
    std::uint32_t host;
    bool operator>(const Extra& o) const {
      return budget != o.budget ? budget > o.budget : host > o.host;
    }
  };

  [[nodiscard]] double time_of(double budget) const;
  [[nodiscard]] double hazard_at(double t) const;
  void draw_next_budget();
  void update_next_time();

  HazardCurve curve_;
  double release_;
  Rng rng_;
  std::vector<std::uint32_t> hosts_;   // in budget order
  std::size_t next_ = 0;               // index of the host holding budget_
  double budget_ = 0.0;                // the next order statistic
  std::priority_queue<Extra, std::vector<Extra>, std::greater<>> extra_;
  bool news_ = false;
  double news_hazard_ = 0.0;  // H at the news
  double news_factor_ = 1.0;
  double next_time_ = std::numeric_limits<double>::infinity();
};

}  // namespace patchrace::detail
