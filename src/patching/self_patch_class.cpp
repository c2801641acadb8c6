#include "patching/self_patch_class.hpp"

#include <cmath>

#include "base/samplers.hpp"

namespace patchrace::detail {
namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}  // namespace

SelfPatchClass::SelfPatchClass(HazardCurve curve, double release, std::vector<std::uint32_t> hosts,
                               Rng rng)
    : curve_(std::move(curve)), release_(release), rng_(rng), hosts_(std::move(hosts)) {
  draw_next_budget();
  update_next_time();
}

void SelfPatchClass::draw_next_budget() {
  if (next_ < hosts_.size()) {
    budget_ += sample_exponential(rng_, static_cast<double>(hosts_.size() - next_));
  }
}

double SelfPatchClass::hazard_at(double t) const {
  return t > release_ ? curve_.hazard(t - release_) : 0.0;
}

double SelfPatchClass::time_of(double budget) const {
  if (news_ && budget > news_hazard_) budget = news_hazard_ + (budget - news_hazard_) / news_factor_;
  return release_ + curve_.age_at(budget);
}

void SelfPatchClass::update_next_time() {
  double budget = kInfinity;
  if (next_ < hosts_.size()) budget = budget_;
  if (!extra_.empty() && extra_.top().budget < budget) budget = extra_.top().budget;
  next_time_ = budget == kInfinity ? kInfinity : time_of(budget);
}

std::uint32_t SelfPatchClass::pop() {
  std::uint32_t host;
  if (!extra_.empty() && (next_ >= hosts_.size() || extra_.top().budget < budget_)) {
    host = extra_.top().host;
    extra_.pop();
  } else {
    host = hosts_[next_++];
    draw_next_budget();
  }
  update_next_time();
  return host;
}

void SelfPatchClass::defer(std::uint32_t host, double t) {
  extra_.push(Extra{hazard_at(t) + sample_exponential(rng_, 1.0), host});
  update_next_time();
}

void SelfPatchClass::speed_up(double tau, double factor) {
  if (news_) return;  // one trigger per group
  news_ = true;
  news_hazard_ = hazard_at(tau);
  news_factor_ = factor;
  update_next_time();
}

}  // namespace patchrace::detail
