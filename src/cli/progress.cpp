// A progress bar with an ETA, drawn on stderr while an ensemble runs.
#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "io/format_units.hpp"

namespace patchrace::cli {
namespace {

constexpr int kBarWidth = 30;
constexpr auto kRedrawPeriod = std::chrono::milliseconds(100);

std::string bar_line(std::uint32_t finished, std::uint32_t total, double elapsed_seconds) {
  const double fraction = total == 0 ? 1.0 : static_cast<double>(finished) / total;
  const int filled = static_cast<int>(fraction * kBarWidth);
  std::string line =
      fmt::format("\r[{}{}] {}/{} {:3.0f} %", std::string(filled, '#'),
                  std::string(kBarWidth - filled, '.'), finished, total, 100.0 * fraction);
  if (finished > 0 && finished < total) {
    const double remaining = elapsed_seconds / finished * (total - finished);
    line += fmt::format("  ETA {}", detail::format_duration(remaining));
  }
  return line + "\033[K";
}

}  // namespace

bool progress_wanted(bool quiet, std::uint32_t replicates) {
  return !quiet && replicates > 1 && ::isatty(STDERR_FILENO) == 1;
}

ProgressBar::ProgressBar(bool enabled) : enabled_(enabled), start_(Clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::uint32_t finished, std::uint32_t total) {
  if (!enabled_) return;
  const std::lock_guard lock(mutex_);
  const Clock::time_point now = Clock::now();
  if (drawn_ && finished < total && now - last_draw_ < kRedrawPeriod) return;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::fputs(bar_line(finished, total, elapsed).c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
  last_draw_ = now;
}

ProgressCallback ProgressBar::callback() {
  if (!enabled_) return {};
  return [this](std::uint32_t finished, std::uint32_t total) { update(finished, total); };
}

void ProgressBar::finish() {
  const std::lock_guard lock(mutex_);
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace patchrace::cli
