// `--set KEY=VALUE`: scenario keys given on the command line, applied to the TOML
// document before it is read, so that every rule, message and default is the file's.
#pragma once

#include "io/toml.hpp"
#include "patchrace/scenario_file.hpp"

namespace patchrace::detail {

/// The source path that marks a node or key as given by `--set` ("--set KEY=VALUE"):
/// messages about it name the option instead of a file position.
[[nodiscard]] bool is_override_source(const toml::source_region& where);

/// Sets each override in `root`, in order: its value parsed as TOML (or, if that fails,
/// taken as a string, so that `--set run.duration=3d` works unquoted), at its key path,
/// creating the tables on the way that the document lacks (so setting a key of
/// [patching] or [cleanup] turns the table on). An index ("services[1]") must exist.
/// Throws patchrace::InvalidScenario "--set KEY=VALUE: …" for a key that is not a key
/// path or reaches through a value, and for an index the document does not have.
void apply_overrides(toml::table& root, const ScenarioOverrides& overrides);

}  // namespace patchrace::detail
