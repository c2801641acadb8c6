// The simulator's set-up (strata, groups, seeds) and the patch system's actions.
#include "engine/simulator.hpp"

namespace patchrace::detail {

std::vector<std::uint32_t> Simulator::strata_of_hosts() const {
  if (!local_ && hosts_.type.empty()) return {};
  std::vector<std::uint32_t> strata(host_count());
  const auto types = static_cast<std::uint32_t>(model_.type_count());
  std::uint32_t block = 0;  // hosts are sorted by address, so their blocks are in order
  for (std::uint32_t h = 0; h < host_count(); ++h) {
    while (local_ && static_cast<int>(block) + 1 < local_->block_count() && local_->first_host(static_cast<int>(block) + 1) <= h) {
      ++block;
    }
    strata[h] = block * types + (hosts_.type.empty() ? 0 : hosts_.type[h]);
  }
  return strata;
}

void Simulator::init_stratum_counts() {
  const int strata = pools_.stratum_count();
  susceptible_by_type_.assign(model_.type_count(), 0);
  use_trees_ = strata > kLinearStrata;
  if (use_trees_) {
    // Susceptible picks happen only while the seeds are chosen; the tree is
    // dropped after that.
    track_susceptible_ = true;
    susceptible_tree_ = SumTree(strata);
  }
  for (int st = 0; st < strata; ++st) {
    const std::uint32_t n = susceptible_in(st);
    susceptible_by_type_[type_of_stratum(st)] += n;
    if (local_ && n > 0) local_->susceptible_changed(block_of_stratum(st), type_of_stratum(st), n);
    if (use_trees_) refresh_trees(st);
  }
  weigh_susceptible();
}

void Simulator::init_groups() {
  const int groups = patches_.group_count();
  group_patched_.assign(groups, 0);
  group_infected_.assign(groups, 0);
  group_breaks_.assign(groups, 0);
  group_half_life_.assign(groups, std::nullopt);
  group_outages_done_.assign(groups, 0);
  group_broken_since_.assign(groups, 0.0);
  cleanup_ = scenario_.cleanup.enabled;
  if (cleanup_) {
    const auto names = group_labels(scenario_);
    for (const auto& name : names) {
      double mean = scenario_.cleanup.mean_delay;
      for (const auto& [group, delay] : scenario_.cleanup.group_mean_delay) {
        if (group == name) mean = delay;
      }
      cleanup_rates_.push_back(1.0 / mean);
    }
  }
  ring_patched_.assign(patches_.ring_count(), 0);
  track_groups_ = groups > 1;
  if (!track_groups_) return;
  group_pools_.assign(static_cast<std::size_t>(groups) * kPoolCount, 0);
  for (std::uint32_t h = 0; h < host_count(); ++h) {
    ++group_pools_[patches_.group_of(h) * kPoolCount + pools_.pool_of(h)];
  }
}

void Simulator::run_patches_before_start() {
  if (!scenario_.patching.enabled) return;
  if (!hosts_.seed_hosts.empty() && patches_.next_time() < 0.0) {
    explicit_seed_.assign(host_count(), false);
    for (std::uint32_t h : hosts_.seed_hosts) explicit_seed_[h] = true;
  }
  while (patches_.next_time() < 0.0) handle_patch_action(patches_.next_time());
  explicit_seed_ = {};
  patches_.release_deferred();
}

void Simulator::handle_patch_action(double t) {
  now_ = t;
  PatchAction action;
  if (!patches_.take([&](std::uint32_t h, double when) { return patch_need(h, when); }, action)) {
    return;
  }
  if (action.kind == PatchAction::Kind::kRollback) {
    roll_back(action.host, t);
  } else {
    apply_patch(action.host, t, action.ring);
  }
}

void Simulator::apply_patch(std::uint32_t host, double t, int ring) {
  ++result_.figures.events;
  const int pool = pools_.pool_of(host);
  const double p_break = patches_.break_probability(t);
  if (p_break > 0.0 && sample_bernoulli(break_rng_, p_break)) {
    ++group_breaks_[patches_.group_of(host)];
    ++result_.figures.breaks;
    broken_since_sum_ += t;
    group_broken_since_[patches_.group_of(host)] += t;
    patches_.broke(host, t);
    // A broken host is offline until its rollback: sweeps passing it before then
    // skip it, later ones stop there (it stays on the walk if it was on it). A
    // crashed host's downtime runs on underneath.
    if (pool == kOffline && offline_until_.contains(host)) crashed_until_[host] = offline_until_.until(host);
    offline_until_.set(host, t + scenario_.patching.bad_patch.outage);
    if (pool == kInfected) {
      move(host, kBrokenInfected);
      pause_scanning(host);
    } else {
      move(host, kBroken);
    }
    return;
  }
  if (ring >= 0) ++ring_patched_[ring];
  if (pool == kInfected) {
    if (scenario_.patching.cures_infected) {
      move(host, kCleanedPool);
      stop_scanning(host);
    } else {
      move(host, kInfectedPatched);
    }
    return;
  }
  if (pool == kOffline) offline_until_.erase(host);
  move(host, kPatchedPool);
  sweeps_.leave_walk(host);
}

void Simulator::roll_back(std::uint32_t host, double t) {
  ++result_.figures.events;
  ++outages_done_;
  ++group_outages_done_[patches_.group_of(host)];
  broken_since_sum_ -= t - scenario_.patching.bad_patch.outage;
  group_broken_since_[patches_.group_of(host)] -= t - scenario_.patching.bad_patch.outage;
  offline_until_.erase(host);
  if (pools_.pool_of(host) == kBroken) {
    const auto crashed = crashed_until_.find(host);
    if (crashed != crashed_until_.end() && crashed->second > t) {
      // Still down from its crash: back as susceptible at the crash's return.
      move(host, kOffline);
      offline_until_.set(host, crashed->second);
    } else {
      move(host, kSusceptible);
    }
    if (crashed != crashed_until_.end()) crashed_until_.erase(crashed);
  } else if (cleanup_when_back_.erase(host) > 0) {
    move(host, kCleanedPool);  // its cleanup fell due while it was broken
    sweeps_.leave_walk(host);
    return;
  } else {
    move(host, kInfected);
    resume_scanning(host, t);
  }
  patches_.rolled_back(host, t);
}

void Simulator::patched_now(int g) {
  const std::uint64_t n = ++group_patched_[g];
  if (!group_half_life_[g] && 2 * n >= patches_.group_size(g)) {
    group_half_life_[g] = now_ - scenario_.patching.release;
  }
}

void Simulator::seed_infections() {
  const auto& worm = scenario_.worm;
  Rng rng = key_.stream(StreamPurpose::kSeeds);
  std::vector<std::uint32_t> seeds = hosts_.seed_hosts;
  if (seeds.empty()) seeds = choose_seeds(worm.initial_infected, rng);
  track_susceptible_ = false;  // no susceptible picks after this
  if (worm.seed_window > 0.0) {
    for (std::uint32_t h : seeds) {
      queue_.push(rng.uniform() * worm.seed_window, h, EventKind::kSeedInfection);
    }
  } else {
    for (std::uint32_t h : seeds) infect(h, 0.0);
  }
  new_infections_ = cumulative_infected_;
}

std::vector<std::uint32_t> Simulator::choose_seeds(std::uint64_t count, Rng& rng) {
  count = std::min<std::uint64_t>(count, susceptible());
  std::vector<std::uint32_t> seeds;
  seeds.reserve(count);
  const int group = patches_.seed_group();
  if (group >= 0 && scenario_.worm.seed_rule == SeedRule::kRandom) {
    // Uniform without replacement among the group's susceptible hosts.
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t h = 0; h < host_count(); ++h) {
      if (patches_.group_of(h) == group && is_susceptible_pool(pools_.pool_of(h))) candidates.push_back(h);
    }
    for (std::size_t i = 0; i < candidates.size() && seeds.size() < count; ++i) {
      std::swap(candidates[i], candidates[i + sample_index(rng, candidates.size() - i)]);
      seeds.push_back(candidates[i]);
    }
    return seeds;
  }
  if (scenario_.worm.seed_rule == SeedRule::kRandom) {
    // Uniform without replacement among the susceptible hosts: repeated uniform
    // picks, a repeat being drawn again (the hit-list is small beside the hosts).
    std::vector<bool> taken(host_count(), false);
    while (seeds.size() < count) {
      const std::uint32_t h = random_susceptible_host(rng);
      if (taken[h]) continue;
      taken[h] = true;
      seeds.push_back(h);
    }
    return seeds;
  }
  // Largest prefixes: /16s by decreasing number of vulnerable hosts (ties: lower
  // address first); inside each, its unpatched hosts in uniformly random order.
  struct Block {
    std::uint32_t first, end;
  };
  std::vector<Block> blocks;
  for (std::uint32_t h = 0; h < host_count();) {
    std::uint32_t e = h;
    while (e < host_count() && (hosts_.address[e] >> 16) == (hosts_.address[h] >> 16)) ++e;
    blocks.push_back({h, e});
    h = e;
  }
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const Block& a, const Block& b) { return a.end - a.first > b.end - b.first; });
  for (const Block& b : blocks) {
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t h = b.first; h < b.end; ++h) {
      if (is_susceptible_pool(pools_.pool_of(h)) && (group < 0 || patches_.group_of(h) == group)) {
        candidates.push_back(h);
      }
    }
    for (std::size_t i = 0; i < candidates.size() && seeds.size() < count; ++i) {
      const std::uint64_t j = i + sample_index(rng, candidates.size() - i);
      std::swap(candidates[i], candidates[j]);
      seeds.push_back(candidates[i]);
    }
    if (seeds.size() == count) break;
  }
  return seeds;
}

std::uint32_t Simulator::random_susceptible_host(Rng& rng) {
  if (!model_.random_targets()) {
    // The sweeping strategies keep no order inside the pools: a uniform host,
    // drawn again until it is susceptible.
    while (true) {
      const auto h = static_cast<std::uint32_t>(sample_index(rng, host_count()));
      if (is_susceptible_pool(pools_.pool_of(h))) return h;
    }
  }
  std::uint64_t i = sample_index(rng, susceptible());
  const int st = locate(susceptible_tree_, [&](int k) { return susceptible_in(k); }, i);
  return pools_.at(st, kSusceptible, static_cast<std::uint32_t>(i));
}

}  // namespace patchrace::detail
