// The scenario rules of management groups, the patch system and cleanup
// (population.groups, patching, cleanup, run.clock). Part of find_violation().
#pragma once

#include "model/rule_checks.hpp"
#include "patchrace/scenario.hpp"

namespace patchrace::rules {

/// The first broken rule of population.groups, patching, cleanup or run.clock.
Violation find_patch_violation(const Scenario& scenario);

}  // namespace patchrace::rules
