// The ensemble statistics of summary.json, shared with sweep.json.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "patchrace/result.hpp"

namespace patchrace::detail {

/// Mean, min, median and max of every figure across `results` (summary.json's
/// "ensemble"; optional times count the replicates that reached them).
[[nodiscard]] nlohmann::ordered_json ensemble_json(const std::vector<Result>& results);

}  // namespace patchrace::detail
