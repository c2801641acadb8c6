// libFuzzer target: an allocation list (population.placement.allocation_file), parsed as
// the scenario reader parses the file it names.
//
// Contract checked: any input either gives a sorted list of pairwise disjoint prefixes
// without host bits, or raises patchrace::Error with a one-line message. Any other
// exception escapes and is reported by libFuzzer as a crash, as are sanitizer findings.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_contract.hpp"
#include "io/allocation_file.hpp"
#include "patchrace/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const std::vector<patchrace::Prefix> prefixes = patchrace::parse_allocation_list(text, "fuzz.txt");
    patchrace::fuzz::require(!prefixes.empty(), "a parsed list has at least one prefix");
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
      const patchrace::Prefix& p = prefixes[i];
      patchrace::fuzz::require(p.length >= 0 && p.length <= 32, "prefix lengths are 0..32");
      const std::uint32_t mask = p.length == 0 ? 0 : ~std::uint32_t{0} << (32 - p.length);
      patchrace::fuzz::require((p.base & ~mask) == 0, "prefixes have no host bits");
      if (i > 0) {
        const patchrace::Prefix& q = prefixes[i - 1];
        patchrace::fuzz::require(q.base < p.base, "prefixes are sorted by address");
        patchrace::fuzz::require(!q.contains(p.base), "prefixes are pairwise disjoint");
      }
    }
  } catch (const patchrace::Error& error) {
    patchrace::fuzz::check_message(error);
  }
  return 0;
}
