// The engine's data structures: host partition, next-member set, sum tree, the
// address permutation, the event queue, the arrival queue, the agenda and the
// prefix index.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "engine/agenda.hpp"
#include "base/bit_vector.hpp"
#include "base/arrival_queue.hpp"
#include "base/divider.hpp"
#include "base/event_queue.hpp"
#include "engine/host_partition.hpp"
#include "engine/local_preference.hpp"
#include "base/next_set.hpp"
#include "base/permutation.hpp"
#include "base/prefix_index.hpp"
#include "base/rng.hpp"
#include "base/samplers.hpp"
#include "base/sum_tree.hpp"
#include "engine/worm_model.hpp"

namespace patchrace::detail {
namespace {

/// Every pool of every stratum holds exactly the hosts whose pool says so.
void expect_consistent(const HostPartition& p, std::uint32_t hosts, int pools) {
  std::size_t total = 0;
  for (int s = 0; s < p.stratum_count(); ++s) {
    for (int k = 0; k < pools; ++k) {
      total += p.size(s, k);
      for (std::uint32_t i = 0; i < p.size(s, k); ++i) {
        const std::uint32_t h = p.at(s, k, i);
        EXPECT_EQ(p.pool_of(h), k);
        EXPECT_EQ(p.stratum_of(h), s);
      }
    }
  }
  EXPECT_EQ(total, hosts);
  for (int k = 0; k < pools; ++k) {
    std::uint32_t sum = 0;
    for (int s = 0; s < p.stratum_count(); ++s) sum += p.size(s, k);
    EXPECT_EQ(p.total(k), sum);
  }
}

TEST(HostPartition, MovesKeepEveryPoolConsistent) {
  HostPartition p(10, 4, 1);
  EXPECT_EQ(p.size(0, 0), 0u);
  EXPECT_EQ(p.size(0, 1), 10u);
  p.move(3, 3);
  p.move(7, 0);
  p.move(5, 2);
  const std::uint32_t first_of_pool_1 = p.at(0, 1, 0);
  const std::uint32_t moved = p.move_at(0, 1, 0, 3);
  EXPECT_EQ(moved, first_of_pool_1);
  EXPECT_EQ(p.pool_of(moved), 3);
  p.move(3, 0);
  expect_consistent(p, 10, 4);
  EXPECT_EQ(p.size(0, 0), 2u);
  EXPECT_EQ(p.size(0, 2), 1u);
  EXPECT_EQ(p.size(0, 3), 1u);
}

TEST(HostPartition, StrataStaySeparateUnderRandomMoves) {
  const std::vector<std::uint32_t> strata = {2, 0, 1, 2, 2, 0, 1, 1, 0, 2, 2, 1};
  HostPartition p(12, strata, 3, 5, 2);
  Rng rng(1, 0, StreamPurpose::kTest);
  for (int step = 0; step < 2000; ++step) {
    const auto host = static_cast<std::uint32_t>(sample_index(rng, 12));
    p.move(host, static_cast<int>(sample_index(rng, 5)));
  }
  expect_consistent(p, 12, 5);
  for (std::uint32_t h = 0; h < 12; ++h) EXPECT_EQ(p.stratum_of(h), static_cast<int>(strata[h]));
}

TEST(HostPartition, WithoutPicksKeepsTheSameCountsPoolsAndStrata) {
  const std::vector<std::uint32_t> strata = {2, 0, 1, 2, 2, 0, 1, 1, 0, 2, 2, 1};
  HostPartition picks(12, strata, 3, 5, 2);
  HostPartition counts(12, strata, 3, 5, 2, PoolPicks::kNone);
  HostPartition single(12, 5, 2, PoolPicks::kNone);
  Rng rng(3, 0, StreamPurpose::kTest);
  for (int step = 0; step < 2000; ++step) {
    const auto host = static_cast<std::uint32_t>(sample_index(rng, 12));
    const int to = static_cast<int>(sample_index(rng, 5));
    picks.move(host, to);
    counts.move(host, to);
    single.move(host, to);
    for (int k = 0; k < 5; ++k) {
      ASSERT_EQ(counts.total(k), picks.total(k));
      ASSERT_EQ(single.total(k), picks.total(k));
      for (int st = 0; st < 3; ++st) ASSERT_EQ(counts.size(st, k), picks.size(st, k));
    }
  }
  for (std::uint32_t h = 0; h < 12; ++h) {
    EXPECT_EQ(counts.pool_of(h), picks.pool_of(h));
    EXPECT_EQ(counts.stratum_of(h), static_cast<int>(strata[h]));
    EXPECT_EQ(single.stratum_of(h), 0);
  }
}

TEST(NextSet, FindsTheNextMemberAcrossLevelsAndWraps) {
  const std::uint64_t n = 300000;  // three levels of words
  for (const bool flags : {false, true}) {
    NextSet set(n, flags);
    std::set<std::uint64_t> reference;
    for (std::uint64_t i = 0; i < n; ++i) reference.insert(i);
    Rng rng(2, 0, StreamPurpose::kTest);
    for (int step = 0; step < 299000; ++step) {
      const std::uint64_t i = sample_index(rng, n);
      set.erase(i);
      reference.erase(i);
    }
    for (int q = 0; q < 5000; ++q) {
      const std::uint64_t i = sample_index(rng, n);
      const auto it = reference.lower_bound(i);
      EXPECT_EQ(set.next(i), it == reference.end() ? NextSet::kNone : *it) << flags;
      const std::uint64_t cyclic = it == reference.end() ? *reference.begin() : *it;
      EXPECT_EQ(set.next_cyclic(i), cyclic) << flags;
      EXPECT_EQ(set.contains(i), reference.count(i) == 1) << flags;
    }
  }
}

// Flags beside the members: set and cleared one by one, untouched by erasing members,
// and not members themselves (a flagged index erased is still not found).
TEST(NextSet, KeepsAFlagPerIndexApartFromMembership) {
  const std::uint64_t n = 5000;
  NextSet set(n, true);
  std::vector<bool> reference(n, false);
  Rng rng(3, 0, StreamPurpose::kTest);
  for (int step = 0; step < 20000; ++step) {
    const std::uint64_t i = sample_index(rng, n);
    switch (sample_index(rng, 3)) {
      case 0: set.set_flag(i); reference[i] = true; break;
      case 1: set.reset_flag(i); reference[i] = false; break;
      default: set.erase(i); break;
    }
  }
  for (std::uint64_t i = 0; i < n; ++i) EXPECT_EQ(set.flag(i), reference[i]) << i;
  for (std::uint64_t i = 0; i < n; ++i) set.set_flag(i);
  for (std::uint64_t i = 0; i < n; ++i) set.erase(i);
  EXPECT_EQ(set.next(0), NextSet::kNone);
  EXPECT_TRUE(set.flag(n - 1));
}

TEST(NextSet, EmptySetHasNoNextMember) {
  NextSet set(70);
  for (std::uint64_t i = 0; i < 70; ++i) set.erase(i);
  EXPECT_EQ(set.next(0), NextSet::kNone);
  EXPECT_EQ(set.next_cyclic(35), NextSet::kNone);
}

TEST(SumTree, FindsInProportionAndNeverAZeroWeight) {
  SumTree tree(5);
  const double w[5] = {1, 0, 2, 3, 4};
  for (int i = 0; i < 5; ++i) tree.set(i, w[i]);
  EXPECT_DOUBLE_EQ(tree.total(), 10);
  EXPECT_DOUBLE_EQ(tree.prefix(3), 3);
  EXPECT_EQ(tree.find(0.5), 0u);
  EXPECT_EQ(tree.find(1.0), 2u);  // item 1 has no weight: never chosen
  EXPECT_EQ(tree.find(2.999), 2u);
  EXPECT_EQ(tree.find(3.0), 3u);
  EXPECT_EQ(tree.find(9.99), 4u);
  tree.set(3, 0);
  EXPECT_DOUBLE_EQ(tree.total(), 7);
  EXPECT_EQ(tree.find(3.5), 4u);
  // A u at the total (rounding can leave it there) still lands on an item of
  // positive weight: the last one, not the zero-weight items after it.
  SumTree front(8);
  front.set(0, 2.0);
  EXPECT_EQ(front.find(2.0), 0u);
  EXPECT_EQ(front.find(2.5), 0u);
}

TEST(SumTree, LanesKeepTheSumsOfSeparateTrees) {
  const std::size_t n = 3000;  // four levels
  SumTreeLanes<2> both(n);
  SumTree first(n), second(n);
  Rng rng(7, 0, StreamPurpose::kTest);
  for (int step = 0; step < 20000; ++step) {
    const std::size_t i = sample_index(rng, n);
    const double a = step % 5 == 0 ? 0.0 : rng.uniform();
    const double b = a * 3.0 * rng.uniform();
    both.set(i, {a, b});
    first.set(i, a);
    second.set(i, b);
  }
  EXPECT_EQ(both.total(0), first.total());
  EXPECT_EQ(both.total(1), second.total());
  for (int q = 0; q < 2000; ++q) {
    const double u = rng.uniform();
    EXPECT_EQ(both.find(u * both.total(0), 0), first.find(u * first.total()));
    EXPECT_EQ(both.find(u * both.total(1), 1), second.find(u * second.total()));
    const std::size_t lo = sample_index(rng, n / 2);
    EXPECT_EQ(both.prefix(lo, 0), first.prefix(lo));
  }
}

TEST(SumTree, DescendsFromANodeToTheItemsUnderIt) {
  // 4,096 items: levels of 512, 64 and 8 groups, then the root (levels() = 4).
  const std::size_t n = 4096;
  SumTree tree(n);
  ASSERT_EQ(tree.levels(), 4u);
  std::vector<double> w(n, 0.0);
  Rng rng(11, 0, StreamPurpose::kTest);
  for (std::size_t i = 0; i < n; ++i) {
    w[i] = rng.uniform() < 0.4 ? 0.0 : static_cast<double>(1 + sample_index(rng, 50));
    tree.set(i, w[i]);
  }
  // Node 5 of level 3 stands for items [5 * 512, 6 * 512).
  double under = 0.0;
  for (std::size_t i = 5 * 512; i < 6 * 512; ++i) under += w[i];
  ASSERT_EQ(tree.subtotal(3, 5), under);
  EXPECT_EQ(tree.subtotal(4, 0), tree.total());
  for (double u = 0.0; u < under; u += 7.0) {
    std::size_t expected = 5 * 512;
    for (double left = u; left >= w[expected]; ++expected) left -= w[expected];
    const SumTree::Position item = tree.descend({3, 5, u}, 0);
    ASSERT_EQ(item.level, 0u);
    ASSERT_EQ(item.node, expected) << "u " << u;
    EXPECT_GE(item.u, 0.0);  // what is left of u falls inside the item's weight
    EXPECT_LT(item.u, w[expected]);
    // A descent in two steps, through the group above the item, ends at the same item.
    const SumTree::Position group = tree.descend({3, 5, u}, 1);
    EXPECT_EQ(group.node, expected / 8);
    EXPECT_EQ(tree.descend(group, 0).node, expected);
  }
}

TEST(SumTree, AgreesWithALinearScanOverManyLevels) {
  Rng rng(5, 0, StreamPurpose::kTest);
  for (const std::size_t n : {std::size_t{1}, std::size_t{8}, std::size_t{9}, std::size_t{700}, std::size_t{70000}}) {
    SumTree tree(n);
    std::vector<double> w(n, 0.0);
    for (int step = 0; step < 3000; ++step) {
      const std::size_t i = sample_index(rng, n);
      w[i] = rng.uniform() < 0.3 ? 0.0 : static_cast<double>(sample_index(rng, 1000));  // integer weights: exact sums
      tree.set(i, w[i]);
    }
    double total = 0.0;
    for (double x : w) total += x;
    ASSERT_EQ(tree.total(), total);
    for (int k = 0; k < 200; ++k) {
      const std::size_t i = sample_index(rng, n + 1);
      double prefix = 0.0;
      for (std::size_t j = 0; j < i; ++j) prefix += w[j];
      ASSERT_EQ(tree.prefix(i), prefix);
      if (total == 0.0) continue;
      const double u = std::floor(rng.uniform() * total);
      std::size_t expected = 0;
      for (double left = u; expected < n; ++expected) {
        if (left < w[expected]) break;
        left -= w[expected];
      }
      ASSERT_EQ(tree.find(u), expected) << "n " << n << " u " << u;
    }
  }
}

TEST(AddressPermutation, IsABijectionWithItsInverse) {
  for (int bits : {0, 1, 2, 3, 7, 12, 16, 19}) {
    AddressPermutation p(12345, bits);
    std::vector<bool> seen(std::size_t{1} << bits, false);
    for (std::uint32_t i = 0; i < (1u << bits); ++i) {
      const std::uint32_t f = p.forward(i);
      ASSERT_LT(f, 1u << bits);
      EXPECT_FALSE(seen[f]);
      seen[f] = true;
      EXPECT_EQ(p.inverse(f), i);
    }
  }
  AddressPermutation full(99, 32);
  for (std::uint32_t i = 0; i < 100000; ++i) {
    const std::uint32_t x = i * 2654435761u;
    EXPECT_EQ(full.inverse(full.forward(x)), x);
  }
}

TEST(AddressPermutation, DependsOnTheKey) {
  AddressPermutation a(1, 20), b(2, 20);
  int same = 0;
  for (std::uint32_t i = 0; i < 1000; ++i) same += a.forward(i) == b.forward(i);
  EXPECT_LT(same, 5);
}

// Own-/8 contacts from the hosts of one /8 choose only blocks of that /8, in
// proportion to their susceptible hosts, whether the /8's slot in the block tree is
// the first or the second half of a node (five /8s: slots 0 to 4).
TEST(LocalPreferenceIndex, OwnSlash8ChoicesStayInTheScannersSlash8) {
  Scenario scenario;
  const WormModel model(scenario);
  std::vector<std::uint32_t> address;
  for (std::uint32_t a = 8; a < 13; ++a) {
    for (std::uint32_t b = 0; b < 256; b += 3) {
      for (std::uint32_t h = 0; h <= (a + b) % 5; ++h) address.push_back((a << 24) | (b << 16) | h);
    }
  }
  for (int scanning_slash8 = 8; scanning_slash8 < 13; ++scanning_slash8) {
    LocalPreferenceIndex index(address, model, {.same_slash8 = 1.0, .same_slash16 = 0.0});
    std::vector<int> hosts(static_cast<std::size_t>(index.block_count()));
    for (int b = 0; b < index.block_count(); ++b) {
      const std::uint32_t end = b + 1 < index.block_count() ? index.first_host(b + 1) : static_cast<std::uint32_t>(address.size());
      hosts[b] = static_cast<int>(end - index.first_host(b));
      index.susceptible_changed(b, 0, hosts[b]);
      if (static_cast<int>(address[index.first_host(b)] >> 24) == scanning_slash8) index.scanning_changed(b, 0, 1);
    }
    Rng rng(3, static_cast<std::uint64_t>(scanning_slash8), StreamPurpose::kContacts);
    std::vector<int> chosen(hosts.size(), 0);
    constexpr int kDraws = 20000;
    for (int i = 0; i < kDraws; ++i) {
      const int b = index.choose_block(rng, 1.0, 1.0, 4294967296.0, [](int) {});
      ASSERT_EQ(static_cast<int>(address[index.first_host(b)] >> 24), scanning_slash8) << "block " << b;
      ++chosen[b];
    }
    int in_slash8 = 0;
    for (int b = 0; b < index.block_count(); ++b) {
      if (static_cast<int>(address[index.first_host(b)] >> 24) == scanning_slash8) in_slash8 += hosts[b];
    }
    for (int b = 0; b < index.block_count(); ++b) {
      if (static_cast<int>(address[index.first_host(b)] >> 24) != scanning_slash8) continue;
      const double p = static_cast<double>(hosts[b]) / in_slash8;
      EXPECT_NEAR(chosen[b], kDraws * p, 5.0 * std::sqrt(kDraws * p * (1 - p)) + 1) << "block " << b;
    }
  }
}

TEST(EventQueue, OrdersByTimeThenKindThenId) {
  EventQueue q;
  q.push(2.0, 5, EventKind::kCleanup);
  q.push(1.0, 9, EventKind::kCleanup);
  q.push(1.0, 3, EventKind::kCleanup);
  q.push(1.0, 7, EventKind::kCrashReturn);
  EXPECT_EQ(q.next_time(), 1.0);
  EXPECT_EQ(q.pop().id, 7u);
  EXPECT_EQ(q.pop().id, 3u);
  EXPECT_EQ(q.pop().id, 9u);
  EXPECT_EQ(q.pop().id, 5u);
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, RunsPopInTheSameOrderAsTheHeap) {
  // Two runs with constant delays (in order), one run whose events sometimes go back
  // in time (those go to the heap), ties between runs and the heap, and events
  // without a run; pops interleaved with pushes.
  EventQueue q;
  std::vector<ScheduledEvent> pending;
  Rng rng(7, 0, StreamPurpose::kContacts);
  double now = 0.0;
  std::uint32_t id = 0;
  std::vector<ScheduledEvent> popped;
  std::vector<ScheduledEvent> expected;
  for (int step = 0; step < 20000; ++step) {
    const int what = static_cast<int>(rng.uniform() * 5);
    if (what < 4 || pending.empty()) {
      double time = now;
      int run = EventQueue::kNoRun;
      if (what == 0) {
        time = now + 60.0, run = 0;
      } else if (what == 1) {
        time = now + 5.0, run = 1;
      } else if (what == 2) {
        time = now + std::floor(rng.uniform() * 4.0), run = 2;  // out of order, with ties
      } else {
        time = now + std::floor(rng.uniform() * 100.0);
      }
      const auto kind = static_cast<EventKind>(static_cast<int>(rng.uniform() * 3));
      q.push(time, id, kind, run);
      pending.push_back({time, id++, kind});
      now += std::floor(rng.uniform() * 2.0);  // equal times happen
    } else {
      const auto first = std::min_element(pending.begin(), pending.end());
      expected.push_back(*first);
      pending.erase(first);
      ASSERT_EQ(q.next_time(), expected.back().time);
      ASSERT_EQ(q.next_kind(), expected.back().kind);
      popped.push_back(q.pop());
    }
  }
  while (!pending.empty()) {
    const auto first = std::min_element(pending.begin(), pending.end());
    expected.push_back(*first);
    pending.erase(first);
    popped.push_back(q.pop());
  }
  EXPECT_TRUE(q.empty());
  ASSERT_EQ(popped.size(), expected.size());
  for (std::size_t i = 0; i < popped.size(); ++i) {
    ASSERT_EQ(popped[i].id, expected[i].id) << "pop " << i;
    ASSERT_EQ(popped[i].time, expected[i].time);
  }
}

TEST(EventQueue, AheadListsARunsEventsInOrder) {
  EventQueue q;
  q.push(10.0, 1, EventKind::kCrashReturn, 0);
  q.push(11.0, 2, EventKind::kCrashReturn, 0);
  q.push(10.5, 3, EventKind::kCrashReturn, 0);  // earlier than the run's last: the heap
  q.push(12.0, 4, EventKind::kCrashReturn, 0);
  ASSERT_NE(q.ahead(0, 2), nullptr);
  EXPECT_EQ(q.ahead(0, 0)->id, 1u);
  EXPECT_EQ(q.ahead(0, 1)->id, 2u);
  EXPECT_EQ(q.ahead(0, 2)->id, 4u);
  EXPECT_EQ(q.ahead(0, 3), nullptr);
  EXPECT_EQ(q.ahead(1, 0), nullptr);  // a run never named
  EXPECT_EQ(q.pop().id, 1u);
  EXPECT_EQ(q.pop().id, 3u);
  EXPECT_EQ(q.ahead(0, 0)->id, 2u);
  EXPECT_EQ(q.pop().id, 2u);
  EXPECT_EQ(q.pop().id, 4u);
  EXPECT_EQ(q.ahead(0, 0), nullptr);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.next_time(), std::numeric_limits<double>::infinity());
}

/// A record for the queue tests: an id and a payload that must travel with it.
struct TestRecord {
  std::uint32_t id;
  std::uint32_t payload;
};

TEST(ArrivalQueue, OrdersByTimeAndCarriesTheRecord) {
  ArrivalQueue<TestRecord> q;
  q.push(2.0, {5, 50});
  q.push(1.0, {9, 90});
  q.push(1.5, {3, 30});
  q.push(std::numeric_limits<double>::infinity(), {4, 40});
  q.push(1e9, {7, 70});
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.next_time(), 1.0);
  for (std::uint32_t id : {9u, 3u, 5u, 7u, 4u}) {
    const auto e = q.pop();
    EXPECT_EQ(e.record.id, id);
    EXPECT_EQ(e.record.payload, 10 * id);
  }
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.next_time(), std::numeric_limits<double>::infinity());
}

/// Records rescheduled as a simulation does: each taken record comes back later (at
/// a random delay, sometimes at the time of another, sometimes very far, sometimes
/// just behind the arrivals already sorted), or leaves; new records join. Every
/// arrival must come out exactly once, at the earliest pending time, and what
/// upcoming() shows must be pending arrivals in order of time. Returns the ids in
/// the order taken.
std::vector<std::uint32_t> expect_taken_in_time_order(std::uint64_t seed, double far_share, double near_share) {
  ArrivalQueue<TestRecord> q;
  std::set<std::pair<double, std::uint32_t>> reference;
  std::vector<std::uint32_t> taken;
  Rng rng(seed, 0, StreamPurpose::kTest);
  std::uint32_t next_id = 0;
  auto push = [&](double time) {
    q.push(time, {next_id, ~next_id});
    reference.insert({time, next_id});
    ++next_id;
  };
  for (int i = 0; i < 50; ++i) push(rng.uniform() * 10.0);
  double now = 0.0;
  for (int step = 0; step < 200000 && !reference.empty(); ++step) {
    EXPECT_EQ(q.size(), reference.size());
    const double earliest = reference.begin()->first;
    const auto upcoming = q.upcoming();
    EXPECT_FALSE(upcoming.empty());
    for (std::size_t k = 0; k < upcoming.size(); ++k) {
      EXPECT_EQ(reference.count({upcoming[k].time, upcoming[k].record.id}), 1u) << "step " << step;
      if (k > 0) {
        EXPECT_LE(upcoming[k - 1].time, upcoming[k].time);
      }
    }
    EXPECT_EQ(q.next_time(), earliest);
    const auto e = q.pop();
    EXPECT_EQ(e.time, earliest) << "step " << step;
    EXPECT_EQ(reference.erase({e.time, e.record.id}), 1u) << "step " << step;
    EXPECT_EQ(e.record.payload, ~e.record.id);
    if (::testing::Test::HasFailure()) return taken;
    taken.push_back(e.record.id);
    now = e.time;
    const double u = rng.uniform();
    if (u < 0.02) continue;  // leaves
    const double scale = rng.uniform() < far_share ? 1e4 : rng.uniform() < near_share ? 1e-4 : 1.0;
    double time = now + -std::log(rng.uniform_positive()) * scale;
    if (u < 0.05) time = now;                                             // due at once
    if (u < 0.08 && !reference.empty()) time = reference.rbegin()->first;  // a tie
    if (u > 0.9) time = now + std::floor(rng.uniform() * 8.0);             // on a common clock
    q.push(time, {e.record.id, ~e.record.id});
    reference.insert({time, e.record.id});
    if (u > 0.97 && next_id < 100000) push(now + rng.uniform());
  }
  return taken;
}

TEST(ArrivalQueue, TakesArrivalsInTimeOrderUnderRescheduling) {
  expect_taken_in_time_order(1, 0.0, 0.0);
  expect_taken_in_time_order(2, 0.1, 0.0);
  expect_taken_in_time_order(3, 0.6, 0.0);
  expect_taken_in_time_order(4, 0.1, 0.5);
}

TEST(ArrivalQueue, TakesArrivalsAtEqualTimesInTheSameOrderEveryTime) {
  EXPECT_EQ(expect_taken_in_time_order(5, 0.1, 0.2), expect_taken_in_time_order(5, 0.1, 0.2));
}

/// A large queue, so that windows have many buckets and chunks, with many arrivals
/// at equal times: the times come out as sorting them all gives, each arrival once.
TEST(ArrivalQueue, KeepsTheOrderAcrossManyBucketsAndChunks) {
  ArrivalQueue<TestRecord> q;
  std::vector<double> times;
  Rng rng(5, 0, StreamPurpose::kTest);
  const std::uint32_t n = 300000;
  for (std::uint32_t id = 0; id < n; ++id) {
    const double time = id % 7 == 0 ? std::floor(rng.uniform() * 100.0) : rng.uniform() * 1e3;
    q.push(time, {id, id});
    times.push_back(time);
  }
  std::sort(times.begin(), times.end());
  std::vector<bool> seen(n, false);
  for (const double time : times) {
    const auto e = q.pop();
    ASSERT_EQ(e.time, time);
    ASSERT_FALSE(seen[e.record.id]);
    seen[e.record.id] = true;
  }
  EXPECT_TRUE(q.empty());
}

/// Many arrivals at a few equal times, pushed before any is taken (so none goes
/// behind the run): at each time they come out in the order they were pushed, also
/// when a bucket's slot holds more arrivals than insertion sort takes.
TEST(ArrivalQueue, TakesArrivalsAtEqualTimesFirstInFirstOut) {
  ArrivalQueue<TestRecord> q;
  Rng rng(8, 0, StreamPurpose::kTest);
  const std::uint32_t n = 200000;
  for (std::uint32_t id = 0; id < n; ++id) {
    // A quarter at 50 distinct times, the rest spread: slots mix ties and others.
    const double time = id % 4 == 0 ? static_cast<double>(sample_index(rng, 50)) * 7.0 : rng.uniform() * 350.0;
    q.push(time, {id, 0});
  }
  double last_time = -1.0;
  std::uint32_t last_id = 0;
  while (!q.empty()) {
    const auto e = q.pop();
    ASSERT_GE(e.time, last_time);
    if (e.time == last_time) {
      ASSERT_GT(e.record.id, last_id) << "time " << e.time;
    }
    last_time = e.time;
    last_id = e.record.id;
  }
}

TEST(Agenda, OrdersArrivalsAndOtherEventsByTimeThenKindThenId) {
  Agenda a;
  auto scanner = [](std::uint32_t self) {
    Scanner s{};
    s.self = self;
    s.rank = 100 + self;
    return s;
  };
  a.push_arrival(2.0, scanner(5));
  a.push_arrival(1.0, scanner(9));
  a.push_arrival(1.0, scanner(3));
  a.push(1.0, 7, EventKind::kCrashReturn);
  a.push(1.0, 8, EventKind::kSeedInfection);
  a.push(3.0, 1, EventKind::kCrashReturn);
  EXPECT_EQ(a.next_time(), 1.0);
  // Arrivals go after the other events at equal times; the two at 1.0 in either order.
  const std::pair<std::uint32_t, EventKind> expected[] = {
      {8, EventKind::kSeedInfection},  {7, EventKind::kCrashReturn},    {3, EventKind::kScannerArrival},
      {9, EventKind::kScannerArrival}, {5, EventKind::kScannerArrival}, {1, EventKind::kCrashReturn}};
  std::vector<std::uint32_t> at_one;
  for (const auto& [id, kind] : expected) {
    ASSERT_EQ(a.next_kind(), kind);
    if (kind == EventKind::kScannerArrival) {
      const Agenda::Arrival e = a.pop_arrival();
      EXPECT_EQ(e.record.rank, 100 + e.record.self);
      if (e.time == 1.0) {
        at_one.push_back(e.record.self);
      } else {
        EXPECT_EQ(e.record.self, id);
      }
    } else {
      const ScheduledEvent e = a.pop();
      EXPECT_EQ(e.id, id);
    }
  }
  std::sort(at_one.begin(), at_one.end());
  EXPECT_EQ(at_one, (std::vector<std::uint32_t>{3, 9}));
  EXPECT_TRUE(a.empty());
}

TEST(Divider, AgreesWithDivisionAndRemainder) {
  Rng rng(6, 0, StreamPurpose::kTest);
  for (const std::uint64_t d : {1ull, 2ull, 3ull, 7ull, 20ull, 256ull, 65535ull, 65536ull, 100000ull,
                                (1ull << 31) + 1, (1ull << 32) - 1}) {
    const Divider divider(d);
    auto check = [&](std::uint64_t x) {
      const Divider::Result r = divider.divide(x);
      ASSERT_EQ(r.quotient, x / d) << x << " / " << d;
      ASSERT_EQ(r.remainder, x % d) << x << " % " << d;
    };
    const std::uint64_t edges[] = {0, 1, d - 1, d, d + 1, 2 * d - 1, (std::uint64_t{1} << 33) - 1,
                                   (std::uint64_t{1} << 62) + 12345};
    for (const std::uint64_t x : edges) check(x);
    for (int i = 0; i < 20000; ++i) check(rng.next_u64() >> (i % 2 == 0 ? 30 : 1));
  }
}

TEST(BitVector, SetsAndClearsSingleBitsAcrossWords) {
  BitVector bits(130);
  EXPECT_FALSE(bits.empty());
  EXPECT_TRUE(BitVector().empty());
  for (std::uint64_t i : {0u, 63u, 64u, 129u}) bits.set(i);
  for (std::uint64_t i = 0; i < 130; ++i) {
    EXPECT_EQ(bits.test(i), i == 0 || i == 63 || i == 64 || i == 129) << i;
  }
  bits.reset(63);
  bits.reset(5);  // already clear
  bits.prefetch(129);
  for (std::uint64_t i = 0; i < 130; ++i) EXPECT_EQ(bits.test(i), i == 0 || i == 64 || i == 129) << i;
}

TEST(PrefixIndex, AgreesWithBinarySearch) {
  Rng rng(4, 0, StreamPurpose::kTest);
  struct Case {
    std::uint32_t base;
    int bits;
    std::size_t n;
    bool clustered;
  };
  for (const Case& c : {Case{0, 32, 5000, false}, Case{0, 32, 5000, true}, Case{0x0a000000, 8, 3000, false},
                        Case{0xc0a80000, 16, 70000, false}, Case{0x0a000000, 24, 0, false},
                        Case{0x0a000000, 24, 1, false}, Case{0x0a0b0c00, 0, 1, false}}) {
    const std::uint64_t space = std::uint64_t{1} << c.bits;
    std::vector<std::uint32_t> keys;
    for (std::size_t i = 0; i < c.n; ++i) {
      // Clustered: most keys inside a few narrow blocks.
      std::uint64_t offset = sample_index(rng, space);
      if (c.clustered && i % 8 != 0) offset = (i % 3) * (space / 3) + sample_index(rng, 4096);
      keys.push_back(c.base + static_cast<std::uint32_t>(offset));
    }
    std::sort(keys.begin(), keys.end());
    const PrefixIndex index(keys, c.base, c.bits);
    auto check = [&](std::uint64_t offset) {
      const std::size_t expected =
          offset >= space ? keys.size()
                          : static_cast<std::size_t>(
                                std::lower_bound(keys.begin(), keys.end(), c.base + static_cast<std::uint32_t>(offset)) -
                                keys.begin());
      ASSERT_EQ(index.lower_bound(keys, offset), expected) << "offset " << offset << " bits " << c.bits;
    };
    for (int k = 0; k < 20000; ++k) check(sample_index(rng, space));
    for (std::uint32_t key : keys) {
      check(key - c.base);
      check(std::uint64_t{key - c.base} + 1);
    }
    check(0);
    check(space - 1);
    check(space);
  }
}

/// Keys that are a field of larger records: the same answers as over the keys alone.
TEST(PrefixIndex, SearchesAFieldOfRecords) {
  struct Record {
    std::uint32_t payload;
    std::uint32_t key;
  };
  Rng rng(6, 0, StreamPurpose::kTest);
  std::vector<std::uint32_t> keys;
  for (int i = 0; i < 20000; ++i) keys.push_back(0x0a000000 + static_cast<std::uint32_t>(sample_index(rng, 1 << 20)));
  std::sort(keys.begin(), keys.end());
  std::vector<Record> records;
  for (std::uint32_t key : keys) records.push_back({~key, key});
  const PrefixIndex plain(keys, 0x0a000000, 20);
  const auto field = &Record::key;
  const PrefixIndex projected(std::span<const Record>(records), 0x0a000000, 20, field);
  for (int k = 0; k < 20000; ++k) {
    const std::uint64_t offset = sample_index(rng, (1 << 20) + 16);
    const std::size_t expected = plain.lower_bound(keys, offset);
    ASSERT_EQ(projected.lower_bound(std::span<const Record>(records), offset, field), expected) << "offset " << offset;
    projected.prefetch_keys(std::span<const Record>(records), offset);
  }
}

}  // namespace
}  // namespace patchrace::detail
