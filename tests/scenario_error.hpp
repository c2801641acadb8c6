// The one-line message a scenario text gives, for tests of the TOML loader's errors.
#pragma once

#include <string>
#include <string_view>

#include "patchrace/error.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace::testing {

/// The InvalidScenario message parsing `text` as "t.toml" gives, or "no error".
inline std::string scenario_error_of(std::string_view text) {
  try {
    (void)parse_scenario_toml(text, "t.toml");
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "no error";
}

/// The same for expanding the text's [sweep].
inline std::string sweep_error_of(std::string_view text) {
  try {
    (void)parse_sweep_toml(text, "t.toml");
  } catch (const InvalidScenario& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace patchrace::testing
