// Working time of a central patch service: every second without working hours;
// with them, only the seconds inside the daily hours (on weekdays only, if so
// configured), in the week clock of RunSpec::clock.
#pragma once

#include "patchrace/scenario.hpp"

namespace patchrace::detail {

class WorkingClock {
 public:
  /// `week_time_at_zero`: seconds since Monday 00:00 at simulation time 0.
  WorkingClock(const WorkingHoursSpec& hours, double week_time_at_zero);

  /// The simulation time at which `work` seconds of working time (>= 0) have
  /// passed after simulation time `t`.
  [[nodiscard]] double after(double t, double work) const;

  /// Seconds of working time in one working day.
  [[nodiscard]] double working_day() const;

  /// Whether simulation time `t` is working time.
  [[nodiscard]] bool working(double t) const;

 private:
  WorkingHoursSpec hours_;
  double zero_;  // week time at t = 0
};

}  // namespace patchrace::detail
