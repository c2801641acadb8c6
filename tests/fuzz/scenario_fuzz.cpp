// libFuzzer target: scenario text, read and validated as `patchrace validate` reads a file
// (parse_sweep_toml() reads and validates the scenario, then expands its [sweep]).
//
// Contract checked: any input either gives a valid scenario or raises patchrace::Error
// with a one-line message. Any other exception escapes, reaches std::terminate and is
// reported by libFuzzer as a crash; so are sanitizer findings, hangs and memory blow-ups.
// Every input is tried: the characters for which toml++ 3.3.0 reaches unreachable code
// are kept from it by parse_toml() (src/io/toml.hpp), and the seeds that reached it are
// in corpus/scenario/toml-unreachable-*.toml.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz_contract.hpp"
#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const patchrace::ScenarioSweep sweep = patchrace::parse_sweep_toml(text, "fuzz.toml");
    patchrace::fuzz::require(sweep.labels.size() == sweep.scenarios.size(),
                             "a sweep has one label per scenario");
  } catch (const patchrace::Error& error) {
    patchrace::fuzz::check_message(error);
  }
  return 0;
}
