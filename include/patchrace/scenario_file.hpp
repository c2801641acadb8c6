// Reading scenarios from TOML text, files and the presets built into the binary.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "patchrace/scenario.hpp"

namespace patchrace {

/// One `--set KEY=VALUE`: a scenario key written as in error messages
/// ("worm.scan_rate", "patching.services[0].capacity") and its value as TOML text
/// ("3", "\"3d\"", "[1, 2]", "{ batch = 10 }"); a value that is not one TOML value is
/// taken as a string, so `run.duration=3d` and `worm.strategy=sequential` need no quotes.
/// Overrides are applied to the document before it is read, in order: every rule and
/// message is the file's, and a message about an overridden key names "--set KEY=VALUE"
/// instead of a file position. Setting a key of a table the document lacks creates the
/// table ([patching] and [cleanup] are then on).
struct ScenarioOverride {
  std::string key;
  std::string value;
  bool operator==(const ScenarioOverride&) const = default;
};
using ScenarioOverrides = std::vector<ScenarioOverride>;

/// Parses "KEY=VALUE" (the first '=' splits). Throws patchrace::UsageError naming the
/// text if there is no '=' or no key.
[[nodiscard]] ScenarioOverride parse_override(std::string_view text);

/// Parses TOML `text` into a validated Scenario. `source_name` (a file name or
/// "preset:NAME") starts every error message: "name:line:col: what is wrong".
/// Unknown keys, wrong types, out-of-range values and inconsistent settings are
/// errors; nothing is silently defaulted except keys documented as optional.
/// Throws patchrace::InvalidScenario.
[[nodiscard]] Scenario parse_scenario_toml(std::string_view text, const std::string& source_name,
                                           const ScenarioOverrides& overrides = {});

/// Reads and parses a scenario file: a regular file of at most kMaxScenarioFileBytes
/// (patchrace/limits.hpp). Throws patchrace::InvalidScenario if the file is not a regular
/// file, is larger, cannot be read or is invalid.
[[nodiscard]] Scenario load_scenario_file(const std::string& path, const ScenarioOverrides& overrides = {});

/// A parameter sweep: a scenario file's [sweep] table names one key of the
/// scenario (as in error messages: "patching.services[0].rings[0].qa_delay") and
/// the values to give it in turn:
///
///   [sweep]
///   key = "patching.bad_patch.probability"
///   values = [0.0, 0.05, 0.1]
///
/// The key must be set in the scenario itself (its base value); each value must be
/// a valid value for it. `patchrace run` runs the base scenario and ignores [sweep].
struct ScenarioSweep {
  Scenario base;                    // the scenario as written
  std::string key;                  // the swept key
  std::vector<std::string> labels;  // each value as written (strings without quotes)
  std::vector<Scenario> scenarios;  // one per value, validated
};

/// Expands the [sweep] of a scenario's TOML text (errors as parse_scenario_toml(),
/// plus "has no [sweep] table" and keys the scenario does not set).
[[nodiscard]] ScenarioSweep parse_sweep_toml(std::string_view text, const std::string& source_name,
                                             const ScenarioOverrides& overrides = {});

/// Reads a scenario file and expands its [sweep].
[[nodiscard]] ScenarioSweep load_sweep_file(const std::string& path, const ScenarioOverrides& overrides = {});

/// Reads a scenario file and expands its [sweep] if it has one (without: `key` empty and
/// no scenarios). What `patchrace validate` checks.
[[nodiscard]] ScenarioSweep load_scenario_and_sweep(const std::string& path,
                                                    const ScenarioOverrides& overrides = {});

/// Parses TOML text and expands its [sweep] if it has one (errors as parse_sweep_toml()).
[[nodiscard]] ScenarioSweep parse_scenario_and_sweep_toml(std::string_view text, const std::string& source_name,
                                                          const ScenarioOverrides& overrides = {});

/// Expands the [sweep] of a built-in preset.
[[nodiscard]] ScenarioSweep load_preset_sweep(const std::string& name, const ScenarioOverrides& overrides = {});

/// A built-in preset with its [sweep] expanded if it has one (what `validate --preset` checks).
[[nodiscard]] ScenarioSweep load_preset_and_sweep(const std::string& name, const ScenarioOverrides& overrides = {});

/// Names of the presets built into the binary, sorted.
[[nodiscard]] std::vector<std::string> preset_names();

/// Name of the preset `patchrace run` uses when given no scenario.
[[nodiscard]] std::string default_preset_name();

/// The TOML text of a built-in preset. Throws patchrace::InvalidScenario naming the
/// known presets if there is none called `name`.
[[nodiscard]] std::string_view preset_text(const std::string& name);

/// The validated Scenario of a built-in preset (see preset_text()).
[[nodiscard]] Scenario load_preset(const std::string& name, const ScenarioOverrides& overrides = {});

}  // namespace patchrace
