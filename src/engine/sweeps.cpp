// Setting up the walk of the sweeping strategies, and starting sweeps on it.
#include "engine/sweeps.hpp"

#include <algorithm>

namespace patchrace::detail {

Sweeps::Sweeps(const Scenario& scenario, const WormModel& model, const HostAttributes& hosts,
               std::uint64_t seed, std::uint64_t replicate, Rng& rng, Agenda& agenda,
               const OfflineUntil& offline_until, Figures& figures)
    : scenario_(scenario),
      model_(model),
      hosts_(hosts),
      rng_(rng),
      agenda_(agenda),
      offline_until_(offline_until),
      figures_(figures),
      host_count_(static_cast<std::uint32_t>(hosts.address.size())) {
  const ScanStrategy strategy = model_.strategy();
  const bool bad_patch = scenario_.patching.enabled && scenario_.patching.bad_patch.enabled;
  if (!model_.random_targets() && bad_patch) sweep_epoch_.assign(host_count(), 0);
  const int bits = 32 - scenario_.address_space.prefix_length;
  if (strategy == ScanStrategy::kSequential) {
    walk_ = NextSet(host_count());
    walk_index_ = PrefixIndex(hosts_.address, scenario_.address_space.base, bits);
  } else if (strategy == ScanStrategy::kPermutation) {
    permutation_.emplace(Rng(seed, replicate, StreamPurpose::kEngine, 7).next_u64(), bits);
    std::vector<std::uint64_t> keyed(host_count());
    for (std::uint32_t h = 0; h < host_count(); ++h) {
      const std::uint32_t offset = hosts_.address[h] - scenario_.address_space.base;
      keyed[h] = (std::uint64_t{permutation_->inverse(offset)} << 32) | h;
    }
    std::sort(keyed.begin(), keyed.end());
    walk_position_.resize(host_count());
    walk_host_.resize(host_count());
    for (std::uint32_t r = 0; r < host_count(); ++r) {
      walk_position_[r] = static_cast<std::uint32_t>(keyed[r] >> 32);
      walk_host_[r] = static_cast<std::uint32_t>(keyed[r]);
    }
    walk_ = NextSet(host_count());
    walk_index_ = PrefixIndex(walk_position_, 0, bits);
    if (scenario_.worm.permutation.dormant_after > 0) dormant_.assign(host_count(), false);
  }
}

std::uint64_t Sweeps::walk_rank(std::uint32_t host) const {
  if (walk_host_.empty()) return host;
  const std::uint32_t offset = hosts_.address[host] - scenario_.address_space.base;
  return walk_index_.lower_bound(walk_position_, permutation_->inverse(offset));
}

void Sweeps::start_scanner(std::uint32_t host, int link, double t, std::uint64_t rank) {
  Scanner s{};
  s.self = host;
  s.link = static_cast<std::uint8_t>(link);
  // Permutation (Staniford et al.): a new copy starts just after its own host's
  // position on the shared walk, where the first host is the next rank.
  std::uint64_t start;
  std::uint64_t first_rank = kUnknownRank;
  if (model_.strategy() == ScanStrategy::kSequential) {
    start = sequential_start(host);
  } else if (rank != kUnknownRank) {
    start = (std::uint64_t{walk_position(rank)} + 1) % scenario_.address_space.size();
    first_rank = rank + 1;
  } else {
    start = (std::uint64_t{permutation_->inverse(hosts_.address[host] - scenario_.address_space.base)} + 1) %
            scenario_.address_space.size();
  }
  std::uint32_t id;
  if (!free_scanners_.empty()) {
    id = free_scanners_.back();
    free_scanners_.pop_back();
  } else {
    id = static_cast<std::uint32_t>(scanners_.size());
    scanners_.emplace_back();
    if (!sweep_epoch_.empty()) scanner_epoch_.push_back(0);
  }
  scanners_[id] = s;
  if (!sweep_epoch_.empty()) scanner_epoch_[id] = sweep_epoch_[host];
  schedule_from(id, start, 0, t, false, first_rank);
}

std::uint64_t Sweeps::sequential_start(std::uint32_t host) {
  const auto& seq = scenario_.worm.sequential;
  const auto& space = scenario_.address_space;
  std::uint32_t base;
  ++figures_.sweeps_started;
  if (sample_bernoulli(rng_, seq.local_start)) {
    ++figures_.local_sweeps;
    const std::uint32_t a = hosts_.address[host];
    std::uint32_t c = (a >> 8) & 0xff;
    if (c > seq.local_backoff) c -= static_cast<std::uint32_t>(sample_index(rng_, seq.local_backoff));
    base = (a & 0xffff0000u) | (c << 8);
    if (base < space.base) base = space.base;
    return base - space.base;
  }
  const std::uint64_t offset = model_.random_allowed_offset(rng_);
  return space.size() >= 256 ? (offset & ~std::uint64_t{0xff}) : 0;
}

}  // namespace patchrace::detail
