// Placement of the vulnerable hosts in the address space: uniform, or clustered in
// organisation blocks inside the allocated prefixes. docs/placement.md describes the
// same model for users.
//
// Both kinds place the hosts in the *allowed* addresses, computed once:
//   uniform:   address_space minus every worm.excluded prefix;
//   clustered: (placement.allocated, or default_allocated_prefixes() when empty)
//              intersected with address_space, minus every worm.excluded prefix.
// The worm.seed_addresses are hosts first, wherever they are in the space (a seed
// outside the allocated prefixes is still a host); a seed inside an excluded prefix is
// an error. The other hosts are drawn as follows.
//
// Uniform: a uniformly random subset of the allowed addresses not holding a seed,
// exactly (every subset of the right size equally likely). An index in
// [0, allowed count) is drawn and mapped through the sorted, merged allowed intervals.
//
// Clustered, with T = hosts - seeds and G the allowed addresses:
//  1. Blocks. Draw blocks one at a time until their hosts sum to T: a prefix length L
//     with probability block_sizes[i].share (normalised), then a host count
//     h = min(floor(m * U^(-1/alpha)), 2^(32-L)) with U uniform in (0, 1],
//     m = min_hosts_per_block, alpha = hosts_per_block_alpha (a Pareto variate, floored,
//     so P(h >= k) = (m/k)^alpha for m <= k <= 2^(32-L)). The last block is trimmed so
//     the counts sum to exactly T.
//  2. Positions, largest blocks first. A block of length L occupies one aligned /L
//     prefix lying wholly inside G. Lengths are processed from short (large blocks) to
//     long; the blocks of one length take a uniformly random set of distinct free slots
//     of that length (a slot is free when no block placed before overlaps it), block i
//     in drawing order getting the i-th slot in address order. Because every block
//     placed earlier is an aligned prefix at least as large as the current slots, each
//     slot is either wholly inside an earlier block or disjoint from all of them: the
//     free slots form a list of index intervals, blocks never overlap, and no
//     rejection loop is needed.
//  3. Overflow. When a length has fewer free slots than blocks, the blocks beyond the
//     free slots (the last ones in order) are split: a block of h hosts becomes
//     ceil(h / 2^(32-L')) blocks of the next longer length L' (the next listed length,
//     or L + 1 past the last one), with the h hosts shared as evenly as possible,
//     appended to the blocks of L'. Blocks that find no slot even at /32 have no block.
//  4. Seeds. A block holding seeds keeps at most (its size - its seeds) hosts; the
//     excess has no block.
//  5. Hosts without a block (steps 3 and 4; none unless the blocks cover most of G)
//     join existing blocks: each picks a block with probability proportional to the
//     block's host count, among the blocks with a free address. This keeps the
//     per-block counts heavy-tailed when the parameters ask for more blocks than G
//     holds, instead of spreading the excess evenly.
//  6. Hosts in blocks. In address order, each block's hosts take a uniformly random
//     set of distinct addresses of the block that hold no seed.
//  7. Whatever step 5 could not place (every block full, or still unplaced after its
//     64 rounds of draws; only when the hosts nearly fill G) goes to uniformly random
//     addresses of G holding no host.
// Every step draws from `rng` in a fixed order, so the result is a function of the
// scenario and the stream. Cost O(hosts + blocks) expected, times the number of
// distinct block lengths for step 2, plus O(allocated + excluded prefixes).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/rng.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::detail {

/// Returns `scenario.population.hosts` distinct host addresses, sorted ascending:
/// every `worm.seed_addresses` entry, and the other hosts placed by
/// `population.placement` (see the model above). Every address lies inside
/// `address_space` and outside every `worm.excluded` prefix; with clustered placement
/// the non-seed hosts also lie inside the allocated prefixes.
/// Deterministic for a given scenario and `rng` state. Cost O(hosts + blocks) expected.
/// Throws patchrace::InvalidScenario if the allowed addresses cannot hold the hosts
/// (find_capacity_violation(); validation reports it first),
/// or if a seed address is outside the space, inside an excluded prefix or repeated,
/// or (clustered) if block_sizes, hosts_per_block_alpha or min_hosts_per_block are
/// unusable.
[[nodiscard]] std::vector<std::uint32_t> place_hosts(const Scenario& scenario, Rng& rng);

/// The number of distinct addresses `place_hosts` can use for `scenario`: the allowed
/// addresses (see above) plus the seed addresses outside them. `population.hosts` must
/// not exceed it. Cost O(allocated + excluded prefixes + seeds).
[[nodiscard]] std::uint64_t placeable_address_count(const Scenario& scenario);

/// The capacity rule of placement, in one place: `population.hosts` must not exceed
/// placeable_address_count(). Returns the violation, keyed "population.hosts", whose
/// message names the capacity, where it comes from and the hosts asked for:
///   "population.hosts must be at most 256 for clustered placement (the 256 allocated
///    addresses of population.placement.allocated (1 prefix) inside the address space
///    0.0.0.0/0 and outside worm.excluded), got 600"
/// or nullopt. find_violation() applies it, so validation, the TOML loader (located at
/// population.hosts) and `patchrace validate` report it; place_hosts() checks it again.
/// Preconditions: the address space, worm.excluded, worm.seed_addresses and (clustered)
/// the allocated prefixes already pass their own rules. Cost as placeable_address_count().
[[nodiscard]] std::optional<ScenarioViolation> find_capacity_violation(const Scenario& scenario);

/// The default allocated space for clustered placement: the /8s of IPv4 that IANA had
/// allocated to a regional Internet registry, or that legacy holders used, by the end
/// of 2003 (the era of Slammer and Blaster), minus the special-use blocks inside them
/// (169.254.0.0/16 link-local, 172.16.0.0/12 and 192.168.0.0/16 private). Approximate:
/// from the IANA IPv4 address space registry's allocation dates, at /8 granularity.
/// Never includes 0/8, 10/8, 127/8 or 224/3. Sorted, disjoint.
[[nodiscard]] std::vector<Prefix> default_allocated_prefixes();

}  // namespace patchrace::detail
