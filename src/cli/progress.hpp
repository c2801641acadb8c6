// A progress bar with an ETA, drawn on stderr while an ensemble runs.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

#include "patchrace/ensemble.hpp"

namespace patchrace::cli {

/// Whether a progress bar is wanted: stderr is a terminal, there are several
/// replicates and the user did not ask for quiet.
[[nodiscard]] bool progress_wanted(bool quiet, std::uint32_t replicates);

/// Draws "[#####.....]  37/100  37 %  ETA 1.2 min" on stderr, redrawing at most ten
/// times a second, and clears the line when done. Disabled bars draw nothing.
/// update() may be called from any thread.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  /// Records that `finished` of `total` replicates are done and redraws if due.
  void update(std::uint32_t finished, std::uint32_t total);

  /// A callback for run_ensemble() that forwards to update(); empty when disabled.
  /// The bar must outlive the callback's use.
  [[nodiscard]] ProgressCallback callback();

  /// Clears the bar's line (also done by the destructor).
  void finish();

 private:
  using Clock = std::chrono::steady_clock;

  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  std::mutex mutex_;
};

}  // namespace patchrace::cli
