// The naive per-probe simulator: the slow, obviously-correct reference the fast
// engine is checked against. It draws every probe, keeps a dense address → host
// table, and holds every clock (patch, cleanup, crash recovery, delayed seed,
// deterministic scan step) in one priority queue. Same semantics as
// patchrace::simulate(), implemented independently of the engine; only the RNG
// stream, the primitive samplers and the permutation bijection are shared.
//
// Semantics, as implemented here (scenario.hpp's comments and docs/patching.md are
// the contract):
//  - Placement: explicit seed addresses first, then distinct uniformly random
//    addresses of the space outside worm.excluded (rejection sampling).
//  - Host attributes, independently per host: a type by population.types' shares
//    (none: the single type "host"), a link class by worm.bandwidth.links' shares
//    (bandwidth enabled). Then, from a stream of their own, the management groups
//    (by shares, one uniform per host, or exact counts in a uniformly random order),
//    and per host its exposure (its group's shares) and, self-patching, its adoption
//    class and unit-exponential budget E (tests/oracle/naive_patching.hpp).
//  - A probe reaching a susceptible, online host infects it with the worm.exploits
//    success of its type (else worm.exploit_success). A failure on a type whose
//    on_failure is crash takes the host offline for exactly `downtime` seconds, then it
//    is susceptible again. Offline hosts are counted in the susceptible series and
//    cannot be infected; a patch reaching one makes it P for good (its return online
//    then changes nothing).
//  - Uniform and local-preference scanning: each scanning host sends probes as a
//    Poisson process at its rate (simulated as one superposed process; the sender of
//    each probe is drawn in proportion to its rate). Uniform: a uniformly random
//    address of the space outside worm.excluded. Local preference: with probability
//    same_slash8 a uniform address of the sender's own /8 (all 2^24 addresses, even
//    outside the space, where it hits nothing), with same_slash16 of its own /16,
//    otherwise as uniform.
//  - Sequential: on infection at t0 the host picks a base: with probability
//    local_start its own A.B, its own C lowered by a uniform integer in
//    [0, local_backoff) when C > local_backoff, last byte 0 (the space's base if that
//    falls outside the space); otherwise a uniformly random allowed address of the
//    space with its last 8 bits cleared (the space's base if the space holds fewer
//    than 256 addresses). Batch k = offsets base + k·batch ... base + k·batch +
//    batch - 1 modulo the space size (wrapping from the top to the bottom), all sent
//    at t0 + k·batch / rate, in that order.
//  - Permutation: one AddressPermutation per replicate, key
//    Rng(seed, replicate, kSweeps, kPermutationKey).next_u64(), bits = 32 - prefix length; walk
//    position j probes base + forward(j mod 2^bits). A copy infected at t0 starts just
//    after its own host's position, inverse(own offset) + 1, and sends its i-th probe
//    (i = 0, 1, ...) at t0 + i/rate
//    to successive positions; a probe that reaches a host in state I (itself included)
//    makes the next probe go to a new uniformly random position, and after
//    dormant_after such hits (> 0) the copy stops scanning for good (it stays infected).
//  - Bandwidth: a host's rate is min(scan_rate, bits_per_second / (8 probe_bytes)) of
//    its link class. With capacity > 0, when the summed rate R of the scanning hosts
//    (infected, not dormant, not broken; evaluated at each probe) exceeds it, each
//    probe is delivered with probability capacity / R, otherwise lost. Lost probes are
//    counted as sent.
//  - Seeds: worm.seed_addresses are infected at t = 0 (seed_window does not apply to
//    them). Otherwise initial_infected hosts among those in S, online and not broken
//    at t = 0 (after every patch-system event before t = 0): uniformly (random), or by
//    /16 in decreasing order of the number of population hosts in the /16 (ties: lower
//    /16 first), each /16's such hosts in uniformly random order (largest-prefixes).
//    With seed_window W > 0 each chosen seed gets a uniform time in [0, W] and is
//    infected then if it is still susceptible, online and not broken, else never.
//  - Patch system (docs/patching.md), running from the release, before t = 0 when the
//    release is negative (those events are handled first, then the seeds are chosen):
//     * Self-patching: each host patches at release + H^-1(E) of its class (never if E
//       exceeds H(∞)). An explicit seed host whose time falls before t = 0 gets the
//       budget H(-release) + a fresh Exp(1) (patch time >= 0). News at τ (the time
//       trigger, or the infection that brings the hosts ever infected, seeds included,
//       to the count) recomputes the time of every host of the group whose own patch
//       has not come yet: where H(τ') + factor (H(a) - H(τ')) reaches E, τ' = max(τ -
//       release, 0). News does not touch repatch delays.
//     * Central services: NaiveService, slot by slot (see naive_patching.hpp). Before
//       t = 0 a service passes over explicit seed hosts; those it has passed over are
//       re-queued at t = 0 in host order.
//     * A patch reaching a host in S (online or offline) or I unpatched, not broken,
//       breaks it with break_probability(age), else S -> P, I -> I (patched) or C with
//       cures_infected. Any other host is left alone (no draw).
//     * Broken (B): counted in the kBroken series only (not in S or I), not infectable,
//       not scanning; a crash downtime keeps running underneath. After `outage` it is
//       rolled back: S (offline if its crash downtime is not over) or I unpatched with a
//       new sweep (as a new infection: sequential base, permutation position and hits
//       afresh), or C if its cleanup fell due while broken. A rolled-back host that
//       still needs the patch is re-queued (central) at max(rollback, release +
//       fix_release), or repatched (self) at that time + Exp(mean repatch_mean).
//     * Outage host-hours: time in B from the release up to the report (at the end: up
//       to run.duration). ring_patched counts a ring's deployment patches that
//       succeeded (not those of re-queued hosts, not breaks).
//  - Cleanup: each infected host is cleaned (C) after Exp(mean of its group's entry in
//    cleanup.group_mean_delay, else mean_delay) from its infection; when broken then,
//    at its rollback. C counts as patched.
//  - A host infected at t starts scanning at t (sequential batch 0 and the first
//    permutation probe are sent at t). Simultaneous events are handled in the order:
//    returns online, rollbacks, delayed seeds, news, re-queues, self patches, repatches,
//    service wakes, cleanups, scan steps (ties among hosts by host index). Events at a
//    report instant are included in that report; events at t = duration happen.
//  - Time 0: first every patch-system event before t = 0, then the seeds are chosen
//    and infected (at t = 0), then the events at t = 0 in the order above: a patch
//    at exactly t = 0 (e.g. an empirical curve's point at age 0 with release 0)
//    comes after the seeding but before the seeds' first scan steps, and shows in the
//    report at t = 0.
//  - Figures: patched_at_start is read from the report at t = 0 (events at t = 0
//    included). A group's half_life is the first time ceil(n / 2) of its n hosts have
//    been patched (P, I patched or C) at least once, minus the release; absent for an
//    empty group.
#pragma once

#include <cstdint>
#include <vector>

#include "patchrace/result.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::testing {

/// Largest address space the oracle accepts (a /8): it allocates one table slot per address.
inline constexpr std::uint64_t kNaiveMaxSpace = std::uint64_t{1} << 24;

/// What became of one probe.
enum class ProbeOutcome {
  kEmpty,            // no host at the target (or the target is outside the space)
  kLost,             // dropped by the backbone (bandwidth capacity)
  kOffline,          // the host is offline after a crash
  kBroken,           // the host is broken by a bad patch (state B)
  kImmune,           // the host is patched (P) or cleaned (C)
  kAlreadyInfected,  // the host is infected (a permutation copy jumps)
  kFailed,           // the exploit failed without effect
  kCrashed,          // the exploit failed and crashed the host
  kInfected,         // the host is now infected
};

/// One probe: when, from which host, to which address, with what outcome.
struct ProbeRecord {
  double time = 0.0;           // seconds
  std::uint32_t source = 0;    // address of the sending host
  std::uint32_t target = 0;    // address probed (host byte order; may lie outside the space)
  ProbeOutcome outcome = ProbeOutcome::kEmpty;
};

/// One infection (seeds included).
struct InfectionRecord {
  double time = 0.0;          // seconds
  std::uint32_t address = 0;  // address of the infected host
  bool seed = false;          // a seed (initial or delayed by seed_window), not a probe
};

/// One patch that reached a host needing it (S, offline, or I unpatched).
struct PatchRecord {
  double time = 0.0;          // seconds
  std::uint32_t address = 0;  // address of the host
  std::uint32_t group = 0;    // its management group (index)
  Exposure exposure = Exposure::kInternet;  // its exposure
  int service = -1;           // index of the central service; -1: self-patching
  int ring = -1;              // ring of the service; -1: self-patching
  bool again = false;         // a re-queued host (central) or a repatch (self) after a rollback
  bool broken = false;        // the bad patch broke the host instead
};

/// Everything the oracle did, in order, for hand-checked tests. Recording does not
/// change the draws: a run with a trace is identical to one without.
struct NaiveTrace {
  std::vector<ProbeRecord> probes;
  std::vector<InfectionRecord> infections;
  std::vector<PatchRecord> patches;
};

/// Runs replicate `replicate` of `scenario` by simulating every probe and returns
/// the same series and figures as patchrace::simulate(), from streams
/// (seed, replicate, StreamPurpose::kTest + 1..5) (and the permutation key, see
/// above), so its draws are independent of the engine's. If `trace` is not null,
/// every probe and infection is appended to it. Differences from the engine's
/// Result, by design:
///  - figures.probes is the number of probes actually sent (an integer, lost ones
///    included), not its expected value given the path; sequential batches are sent
///    whole at their start, so the count runs ahead of rate × time by up to one batch
///    per scanner;
///  - figures.events counts infections (seeds excluded), patches applied (breaks
///    included), rollbacks, cleanups, crashes and returns online;
///  - peak_new_per_minute counts the seeds as infections in the minute of their
///    infection.
/// Cost ∝ probes sent: scan_rate × (infected-host seconds). Use small spaces.
/// Preconditions (checked, std::invalid_argument): uniform placement, address space <= kNaiveMaxSpace,
/// 1 <= hosts <= addresses outside worm.excluded, enough hosts unpatched at t = 0 for
/// the seeds, seed addresses distinct, inside the space and not excluded, exploit
/// types known, rates, times and shares valid, and the patch model's fields as
/// scenario.hpp allows them (check_patch_model()).
[[nodiscard]] Result naive_simulate(const Scenario& scenario, std::uint64_t seed, std::uint64_t replicate,
                                    NaiveTrace* trace = nullptr);

}  // namespace patchrace::testing
