// Golden results: the exact output of every preset, and of variants that reach the
// engine's other paths, at a fixed seed. A commit that only moves code keeps every
// line of tests/golden/results.txt; a commit that changes random draws says so and
// rewrites the file on purpose:
//
//   PATCHRACE_WRITE_GOLDEN=tests/golden/results.txt ./build/tests/patchrace_golden_tests
//
// What is pinned is a 64-bit FNV-1a hash of every reported value and figure (the
// bit patterns of doubles, so a last-bit difference shows), with a few figures
// beside it for whoever reads a failure. See docs/design.md ("Golden results") for
// what the goldens guarantee across compilers and C libraries.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "patchrace/scenario_file.hpp"
#include "patchrace/simulate.hpp"

#ifndef PATCHRACE_GOLDEN_FILE
#error "PATCHRACE_GOLDEN_FILE must name tests/golden/results.txt"
#endif

namespace patchrace {
namespace {

constexpr std::uint64_t kGoldenSeed = 20261207;

/// FNV-1a over the bytes of the values fed to it.
class Fnv1a {
 public:
  void add_bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      hash_ ^= p[i];
      hash_ *= 0x100000001b3ULL;
    }
  }
  void add(std::uint64_t v) { add_bytes(&v, sizeof v); }
  void add(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    add(bits);
  }
  void add(const std::optional<double>& v) {
    add(std::uint64_t{v.has_value()});
    if (v) add(*v);
  }
  void add(const std::vector<double>& v) {
    add(std::uint64_t{v.size()});
    for (double x : v) add(x);
  }
  void add(const std::string& s) {
    add(std::uint64_t{s.size()});
    add_bytes(s.data(), s.size());
  }
  [[nodiscard]] std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

std::uint64_t hash_result(const Result& r) {
  Fnv1a h;
  h.add(r.series.time);
  for (const auto& row : r.series.values) h.add(row);
  for (const auto& group : r.series.group_values)
    for (const auto& row : group) h.add(row);
  for (const auto& row : r.series.ring_patched) h.add(row);
  const Figures& f = r.figures;
  for (std::uint64_t v : {f.vulnerable, f.final_infected, f.total_infected, f.final_patched,
                          f.final_cleaned, f.peak_new_per_minute, f.crashes, f.sweeps_started,
                          f.local_sweeps, f.events, f.breaks})
    h.add(v);
  for (double v : {f.peak_minute_start, f.probes, f.outage_host_hours, f.patched_at_start}) h.add(v);
  h.add(f.time_to_10);
  h.add(f.time_to_50);
  h.add(f.time_to_90);
  for (const GroupFigures& g : f.groups) {
    h.add(g.name);
    for (std::uint64_t v : {g.hosts, g.infected, g.final_patched, g.final_cleaned, g.breaks}) h.add(v);
    h.add(g.patched_at_start);
    h.add(g.half_life);
    h.add(g.outage_host_hours);
  }
  return h.value();
}

/// Variants that reach paths no preset takes.
std::map<std::string, Scenario> variants() {
  std::map<std::string, Scenario> out;

  // Permutation scanning with dormancy, patching that cures, a bad patch, crashes
  // on one host type and cleanup: every way an infected host stops.
  Scenario perm = load_preset("warhol");
  perm.population.hosts = 60000;
  perm.worm.initial_infected = 50;
  perm.worm.permutation.dormant_after = 3;
  perm.population.types = {{"a", 0.7}, {"b", 0.3}};
  perm.worm.exploits = {{"b", 0.5, FailureOutcome::kCrash, 120.0}};
  perm.patching.enabled = true;
  perm.patching.release = -3600;
  perm.patching.half_life = 3 * kHour;
  perm.patching.cures_infected = true;
  perm.patching.bad_patch = {true, 0.2, kHour, 600.0, 2 * kHour, 1800.0};
  perm.cleanup.enabled = true;
  perm.cleanup.mean_delay = 2 * kHour;
  perm.run.duration = 2 * kHour;
  perm.run.report_interval = 60;
  out.emplace("permutation-every-stop", perm);

  // Local preference with two host types (the first of weight below 1) and two
  // link classes, groups, self and central patching, cleanup.
  Scenario lp = load_preset("codered2-2001");
  lp.population.hosts = 40000;
  lp.population.types = {{"iis4", 0.4}, {"iis5", 0.6}};
  lp.worm.exploits = {{"iis4", 0.3, FailureOutcome::kCrash, 300.0}};
  lp.population.groups = {{"org", 0.5, {}, {0.5, 0.5, 0.0}, 2.0}, {"home", 0.5, {}, {0.2, 0.0, 0.8}, 1.0}};
  lp.patching.enabled = true;
  lp.patching.release = -kDay;
  PatchPolicySpec self;
  self.group = "home";
  self.adoption.half_life = 2 * kDay;
  self.adoption.never_fraction = 0.3;
  PatchPolicySpec central;
  central.group = "org";
  central.kind = PolicyKind::kCentral;
  central.service = "it";
  lp.patching.policies = {self, central};
  PatchServiceSpec it;
  it.name = "it";
  it.capacity = 20000;
  it.rings = {{"pilot", 0.1, kHour}, {"broad", 0.9, 0.0}};
  lp.patching.services = {it};
  lp.cleanup.enabled = true;
  lp.cleanup.mean_delay = 6 * kHour;
  lp.worm.initial_infected = 20;
  lp.run.duration = 8 * kHour;
  out.emplace("local-preference-types-groups", lp);

  // Sequential sweeps on a small space, so that sweeps wrap at its top.
  Scenario seq;
  seq.name = "sequential-wrap";
  seq.address_space.base = 0x0a000000;
  seq.address_space.prefix_length = 16;
  seq.population.hosts = 3000;
  seq.worm.strategy = ScanStrategy::kSequential;
  seq.worm.scan_rate = 5;
  seq.worm.initial_infected = 2;
  seq.cleanup.enabled = true;
  seq.cleanup.mean_delay = 3 * kHour;
  seq.run.duration = 6 * kHour;
  seq.run.report_interval = 60;
  out.emplace("sequential-wrap", seq);

  // Uniform scanning with crashes on the first host type, whose weight is not 1.
  Scenario crash = load_preset("codered-2001");
  crash.population.types = {{"w2k", 0.35}, {"nt4", 0.65}};
  crash.worm.exploits = {{"w2k", 0.4, FailureOutcome::kCrash, 900.0}};
  crash.run.duration = 10 * kHour;
  out.emplace("uniform-crash-types", crash);

  for (auto& [name, s] : out) {
    s.name = name;
    validate(s, "golden variant " + name);
  }
  return out;
}

struct Golden {
  std::uint64_t hash = 0;
  std::uint64_t total_infected = 0;
  std::uint64_t events = 0;
};

std::string golden_line(const std::string& name, const Result& r) {
  std::ostringstream line;
  line << name << ' ' << std::hex << hash_result(r) << std::dec << ' ' << r.figures.total_infected
       << ' ' << r.figures.events;
  return line.str();
}

std::map<std::string, Golden> read_goldens() {
  std::ifstream in(PATCHRACE_GOLDEN_FILE);
  std::map<std::string, Golden> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string name;
    Golden g;
    fields >> name >> std::hex >> g.hash >> std::dec >> g.total_infected >> g.events;
    out[name] = g;
  }
  return out;
}

/// Every case: the presets by name, then the variants.
std::vector<std::pair<std::string, Scenario>> golden_cases() {
  std::vector<std::pair<std::string, Scenario>> cases;
  for (const std::string& name : preset_names()) cases.emplace_back("preset:" + name, load_preset(name));
  for (auto& [name, s] : variants()) cases.emplace_back("variant:" + name, s);
  return cases;
}

TEST(Golden, EveryPresetAndVariantGivesItsPinnedResult) {
  const auto cases = golden_cases();
  if (const char* path = std::getenv("PATCHRACE_WRITE_GOLDEN")) {
    std::ofstream out(path);
    out << "# name, FNV-1a hash of the result (hex), hosts ever infected, events; seed "
        << kGoldenSeed << ", replicate 0.\n"
        << "# Written by tests/golden/golden_test.cpp with PATCHRACE_WRITE_GOLDEN set.\n";
    for (const auto& [name, s] : cases) out << golden_line(name, simulate(s, kGoldenSeed, 0)) << '\n';
    GTEST_SKIP() << "wrote " << path;
  }
  const auto goldens = read_goldens();
  ASSERT_EQ(goldens.size(), cases.size()) << "tests/golden/results.txt has a line per case";
  for (const auto& [name, s] : cases) {
    SCOPED_TRACE(name);
    const auto it = goldens.find(name);
    ASSERT_NE(it, goldens.end()) << name << " has no golden line";
    const Result r = simulate(s, kGoldenSeed, 0);
    EXPECT_EQ(r.figures.total_infected, it->second.total_infected);
    EXPECT_EQ(r.figures.events, it->second.events);
    EXPECT_EQ(hash_result(r), it->second.hash) << "now: " << golden_line(name, r);
  }
}

TEST(Golden, HashSeesALastBitChange) {
  Result r = simulate(load_preset("witty-2004"), kGoldenSeed, 0);
  const std::uint64_t before = hash_result(r);
  r.series.values[0][3] = std::nextafter(r.series.values[0][3], 1e300);
  EXPECT_NE(hash_result(r), before);
}

}  // namespace
}  // namespace patchrace
