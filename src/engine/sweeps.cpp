// Setting up the walk of the sweeping strategies, and starting sweeps on it.
#include "engine/sweeps.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "base/radix_sort.hpp"

namespace patchrace::detail {

Sweeps::Sweeps(const Scenario& scenario, const WormModel& model, const HostAttributes& hosts,
               StreamKey key, Agenda& agenda, const OfflineUntil& offline_until, Figures& figures)
    : scenario_(scenario),
      model_(model),
      hosts_(hosts),
      rng_(key.stream(StreamPurpose::kSweeps, kSweepArrivals)),
      agenda_(agenda),
      offline_until_(offline_until),
      figures_(figures),
      host_count_(static_cast<std::uint32_t>(hosts.address.size())),
      random_rng_(key.stream(StreamPurpose::kSweeps, kSweepPositions)) {
  const ScanStrategy strategy = model_.strategy();
  const std::uint32_t batch = strategy == ScanStrategy::kSequential ? scenario_.worm.sequential.batch : 1;
  batch_ = Divider(batch);
  for (int c = 0; c < model_.link_count(); ++c) {
    probe_seconds_.push_back(1.0 / model_.link_rate(c));
    batch_seconds_.push_back(static_cast<double>(batch) / model_.link_rate(c));
  }
  const bool bad_patch = scenario_.patching.enabled && scenario_.patching.bad_patch.enabled;
  if (!model_.random_targets() && bad_patch) sweep_epoch_.assign(host_count(), 0);
  const int bits = 32 - scenario_.address_space.prefix_length;
  if (strategy == ScanStrategy::kSequential) {
    walk_ = NextSet(host_count());
    walk_index_ = PrefixIndex(hosts_.address, scenario_.address_space.base, bits);
  } else if (strategy == ScanStrategy::kPermutation) {
    permutation_.emplace(key.stream(StreamPurpose::kSweeps, kPermutationKey).next_u64(), bits);
    std::vector<std::uint64_t> keyed(host_count());
    for (std::uint32_t h = 0; h < host_count(); ++h) {
      const std::uint32_t offset = hosts_.address[h] - scenario_.address_space.base;
      keyed[h] = (std::uint64_t{permutation_->inverse(offset)} << 32) | h;
    }
    sort_u64_by_high32(keyed);  // positions are distinct: the same order as a full sort
    walk_steps_.resize(host_count());
    for (std::uint32_t r = 0; r < host_count(); ++r) {
      walk_steps_[r] = {static_cast<std::uint32_t>(keyed[r] >> 32), static_cast<std::uint32_t>(keyed[r])};
    }
    walk_ = NextSet(host_count(), true);  // flagged: the host at the rank is infected
    walk_index_ = PrefixIndex(std::span<const WalkStep>(walk_steps_), 0, bits, kStepPosition);
    const auto& patching = scenario_.patching;
    const bool infected_stop = scenario_.cleanup.enabled ||
                               (patching.enabled && (patching.cures_infected || patching.bad_patch.enabled));
    takes_hits_ahead_ = !infected_stop && !(model_.capacity() > 0.0);
  }
  if (!model_.random_targets()) {
    sweeping_ = BitVector(host_count());
    for (auto& position : random_positions_) position = draw_random_position();
  }
}

void Sweeps::throw_stopped_with_hits_ahead(std::uint32_t host) {
  throw std::logic_error(fmt::format(
      "Sweeps::stop: host {} stopped sweeping on a walk that takes hits ahead, where no infected host may stop", host));
}

std::uint64_t Sweeps::walk_rank(std::uint32_t host) const {
  if (walk_steps_.empty()) return host;
  const std::uint32_t offset = hosts_.address[host] - scenario_.address_space.base;
  return first_rank_at_or_after(permutation_->inverse(offset));
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
    const Start where = sequential_start(host);
    start = where.position;
    first_rank = where.first_rank;
  } else {
    if (rank == kUnknownRank) rank = walk_rank(host);
    walk_.set_flag(rank);
    start = (std::uint64_t{walk_position(rank)} + 1) & (scenario_.address_space.size() - 1);  // a power of two
    first_rank = rank + 1;
  }
  sweeping_.set(host);
  if (!sweep_epoch_.empty()) s.epoch = sweep_epoch_[host];
  schedule_from(s, start, 0, t, false, first_rank);
}

Sweeps::Start Sweeps::sequential_start(std::uint32_t host) {
  const auto& seq = scenario_.worm.sequential;
  const auto& space = scenario_.address_space;
  ++figures_.sweeps_started;
  if (sample_bernoulli(rng_, seq.local_start)) {
    ++figures_.local_sweeps;
    const std::uint32_t a = hosts_.address[host];
    std::uint32_t c = (a >> 8) & 0xff;
    if (c > seq.local_backoff) c -= static_cast<std::uint32_t>(sample_index(rng_, seq.local_backoff));
    std::uint32_t base = (a & 0xffff0000u) | (c << 8);
    if (base < space.base) base = space.base;
    const std::uint64_t position = base - space.base;
    // The base is at or below the host's own address, so the first host at or
    // after it is at most the host itself (whose rank is its index): usually a few
    // ranks back, next to the address just read.
    constexpr int kNearRanks = 32;
    std::uint64_t rank = host;
    for (int k = 0; k < kNearRanks && rank > 0 && walk_position(rank - 1) >= position; ++k) --rank;
    if (rank > 0 && walk_position(rank - 1) >= position) rank = first_rank_at_or_after(position);
    return {position, rank};
  }
  const std::uint64_t position = next_random_position();
  return {position, first_rank_at_or_after(position)};
}

std::uint64_t Sweeps::draw_random_position() {
  if (model_.strategy() == ScanStrategy::kPermutation) return sample_index(random_rng_, scenario_.address_space.size());
  const std::uint64_t offset = model_.random_allowed_offset(random_rng_);
  return scenario_.address_space.size() >= 256 ? (offset & ~std::uint64_t{0xff}) : 0;
}

std::uint64_t Sweeps::next_random_position() {
  const std::size_t i = next_random_;
  const std::uint64_t position = random_positions_[i];
  random_positions_[i] = draw_random_position();
  next_random_ = (i + 1) % kRandomAhead;
  // Two steps: the index entry of the position just drawn, then what the lookup of
  // the one drawn half a ring ago reads, its entry having arrived: the walk
  // positions it searches, and the word of the walk set (with the infected ranks'
  // flags) that the search's answer (a few ranks on) most likely falls in.
  walk_index_.prefetch_entry(random_positions_[i]);
  const std::uint64_t later = random_positions_[(i + kRandomAhead / 2) % kRandomAhead];
  const std::size_t near = walk_steps_.empty()
                               ? walk_index_.prefetch_keys(std::span<const std::uint32_t>(hosts_.address), later)
                               : walk_index_.prefetch_keys(std::span<const WalkStep>(walk_steps_), later);
  if (near < host_count()) walk_.prefetch(near);
  return position;
}

}  // namespace patchrace::detail
