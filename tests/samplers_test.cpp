// Golden-value tests of the random stream and the samplers: the exact numbers are
// part of the contract (a replicate is bit-identical on every machine), so any
// change in them must be deliberate.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "base/rng.hpp"
#include "base/samplers.hpp"

namespace patchrace::detail {
namespace {

TEST(Philox, MatchesPublishedKnownAnswer) {
  // Known-answer vector of Philox4x64-10 with zero counter and key (Salmon et al. 2011).
  r123::Philox4x64 philox;
  const r123::Philox4x64::ctr_type counter = {{0, 0, 0, 0}};
  const r123::Philox4x64::key_type key = {{0, 0}};
  const auto out = philox(counter, key);
  EXPECT_EQ(out.v[0], 0x16554d9eca36314cULL);
  EXPECT_EQ(out.v[1], 0xdb20fe9d672d0fdcULL);
  EXPECT_EQ(out.v[2], 0xd7e772cee186176bULL);
  EXPECT_EQ(out.v[3], 0x7e68b68aec7ba23bULL);
}

TEST(Rng, SameKeyGivesSameStream) {
  Rng a(7, 3, StreamPurpose::kContacts);
  Rng b(7, 3, StreamPurpose::kContacts);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(Rng, SeedReplicateAndPurposeEachChangeTheStream) {
  const std::uint64_t base = Rng(7, 3, StreamPurpose::kContacts).next_u64();
  EXPECT_NE(base, Rng(8, 3, StreamPurpose::kContacts).next_u64());
  EXPECT_NE(base, Rng(7, 4, StreamPurpose::kContacts).next_u64());
  EXPECT_NE(base, Rng(7, 3, StreamPurpose::kPlacement).next_u64());
  EXPECT_NE(base, Rng(7, 3, StreamPurpose::kContacts, 1).next_u64());
}

TEST(Rng, UniformStaysInItsInterval) {
  Rng rng(1, 0, StreamPurpose::kTest);
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    const double v = rng.uniform_positive();
    EXPECT_GT(v, 0.0);
    EXPECT_LE(v, 1.0);
  }
}

TEST(Rng, GoldenWords) {
  Rng rng(20010719, 0, StreamPurpose::kContacts);
  const std::vector<std::uint64_t> expected = {0x0865309e0487c8a2ULL,0xba1159799b90665dULL,0x8d22cc6f6913e302ULL,0x87094f60c6baa37cULL,0xbdfe4eb4bc8c7240ULL,0x738c9e4a68047997ULL};
  for (std::uint64_t want : expected) EXPECT_EQ(rng.next_u64(), want);
}

TEST(Samplers, GoldenExponential) {
  Rng rng(42, 0, StreamPurpose::kTest);
  const std::vector<double> expected = {0.39681532346719267,0.35058673840654703,0.054875181737693721,0.03808908947009422,0.1487136153850353,0.25763571307648703};
  for (double want : expected) EXPECT_DOUBLE_EQ(sample_exponential(rng, 2.5), want);
}

TEST(Samplers, GoldenIndex) {
  Rng rng(42, 1, StreamPurpose::kTest);
  const std::vector<std::uint64_t> expected = {779828,633564,421092,226357,30096,496141,780715,148513};
  for (std::uint64_t want : expected) EXPECT_EQ(sample_index(rng, 1000003), want);
}

TEST(Samplers, GoldenPoissonSmallAndLargeMean) {
  Rng rng(42, 2, StreamPurpose::kTest);
  const std::vector<std::uint64_t> small = {2,1,4,4,4,6,5,1,5,5};
  for (std::uint64_t want : small) EXPECT_EQ(sample_poisson(rng, 3.5), want);
  const std::vector<std::uint64_t> large = {1251,1235,1226,1222,1262,1234};
  for (std::uint64_t want : large) EXPECT_EQ(sample_poisson(rng, 1234.5), want);
}

TEST(Samplers, GoldenBinomialInversionAndRejection) {
  Rng rng(42, 3, StreamPurpose::kTest);
  const std::vector<std::uint64_t> small = {2,5,5,5,3,7,3,7,3,5};
  for (std::uint64_t want : small) EXPECT_EQ(sample_binomial(rng, 40, 0.1), want);
  const std::vector<std::uint64_t> large = {69916,69982,70078,69974,69933,69894};
  for (std::uint64_t want : large) EXPECT_EQ(sample_binomial(rng, 100000, 0.7), want);
}

TEST(Samplers, EdgeCasesAreExact) {
  Rng rng(1, 0, StreamPurpose::kTest);
  EXPECT_EQ(sample_poisson(rng, 0.0), 0u);
  EXPECT_EQ(sample_binomial(rng, 0, 0.5), 0u);
  EXPECT_EQ(sample_binomial(rng, 17, 0.0), 0u);
  EXPECT_EQ(sample_binomial(rng, 17, 1.0), 17u);
  EXPECT_EQ(sample_index(rng, 1), 0u);
  EXPECT_FALSE(sample_bernoulli(rng, 0.0));
  EXPECT_TRUE(sample_bernoulli(rng, 1.0));
  for (int i = 0; i < 1000; ++i) EXPECT_LE(sample_binomial(rng, 25, 0.99), 25u);
}

TEST(Samplers, IndexCoversTheWholeRangeOfAHugeBound) {
  Rng rng(3, 0, StreamPurpose::kTest);
  const std::uint64_t n = (std::uint64_t{1} << 63) + 12345;  // rejection is frequent here
  bool high = false;
  for (int i = 0; i < 64; ++i) {
    const std::uint64_t k = sample_index(rng, n);
    EXPECT_LT(k, n);
    high = high || k >= (std::uint64_t{1} << 62);
  }
  EXPECT_TRUE(high);
}

}  // namespace
}  // namespace patchrace::detail
