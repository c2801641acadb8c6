// Every built-in preset loads, validates and is calibrated, by its own parameters,
// to the published figures its comment cites (../shared/REFERENCE.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace {
namespace {

/// Mean probe rate of a scanning host: the scan rate, or with a bandwidth limit the
/// link mix's mean of min(scan_rate, bits_per_second / (8 probe_bytes)).
double mean_scan_rate(const Scenario& s) {
  if (!s.worm.bandwidth.enabled) return s.worm.scan_rate;
  double rate = 0;
  for (const auto& link : s.worm.bandwidth.links) {
    rate += link.share * std::min(s.worm.scan_rate, link.bits_per_second / (8 * s.worm.bandwidth.probe_bytes));
  }
  return rate;
}

/// Random-constant-spread growth rate K = rate * exploit_success * N / |space|, per second
/// (before any capacity limit binds).
double rcs_rate(const Scenario& s) {
  return mean_scan_rate(s) * s.worm.exploit_success * static_cast<double>(s.population.hosts) /
         static_cast<double>(s.address_space.size());
}

TEST(Presets, EveryPresetLoadsAndValidates) {
  const auto names = preset_names();
  ASSERT_GE(names.size(), 3u);
  for (const auto& name : names) {
    const Scenario s = load_preset(name);
    EXPECT_EQ(s.name, name);
    EXPECT_NO_THROW(validate(s));
    EXPECT_FALSE(s.description.empty()) << name;
    EXPECT_TRUE(s.run.seed.has_value()) << name << " should pin its seed";
  }
}

TEST(Presets, DefaultPresetExists) {
  EXPECT_NO_THROW((void)load_preset(default_preset_name()));
}

TEST(Presets, UnknownPresetNamesTheKnownOnes) {
  try {
    (void)preset_text("nimda");
    FAIL() << "expected InvalidScenario";
  } catch (const InvalidScenario& e) {
    std::string known;
    for (const auto& name : preset_names()) known += (known.empty() ? "" : ", ") + name;
    EXPECT_EQ(std::string(e.what()), "unknown preset 'nimda', expected one of: " + known);
  }
}

TEST(Presets, CodeRedIsCalibratedToKOf1Point8PerHour) {
  // Staniford et al. 2002: K = 1.8/h at N = 359,000 (Moore et al. 2002).
  const Scenario s = load_preset("codered-2001");
  EXPECT_EQ(s.population.hosts, 359000u);
  EXPECT_EQ(s.address_space.size(), std::uint64_t{1} << 32);
  EXPECT_NEAR(rcs_rate(s) * kHour, 1.8, 0.01);
}

TEST(Presets, SlammerIsCalibratedToAn8Point5SecondDoubling) {
  // Moore et al. 2003: doubling 8.5 s early, N = 75,000.
  const Scenario s = load_preset("slammer-2003");
  EXPECT_EQ(s.population.hosts, 75000u);
  EXPECT_NEAR(std::log(2.0) / rcs_rate(s), 8.5, 0.05);
}

}  // namespace
}  // namespace patchrace
