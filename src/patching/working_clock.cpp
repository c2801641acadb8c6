#include "patching/working_clock.hpp"

#include <cmath>

namespace patchrace::detail {
namespace {
constexpr double kWeek = 7.0 * kDay;
constexpr int kSaturday = 5;  // days counted from Monday = 0
}  // namespace

WorkingClock::WorkingClock(const WorkingHoursSpec& hours, double week_time_at_zero)
    : hours_(hours), zero_(week_time_at_zero) {}

double WorkingClock::working_day() const {
  return hours_.enabled ? hours_.end - hours_.start : kDay;
}

bool WorkingClock::working(double t) const {
  if (!hours_.enabled) return true;
  const double week = zero_ + t - kWeek * std::floor((zero_ + t) / kWeek);
  const int day = static_cast<int>(week / kDay);
  const double of_day = week - day * kDay;
  if (hours_.weekdays_only && day >= kSaturday) return false;
  return of_day >= hours_.start && of_day < hours_.end;
}

double WorkingClock::after(double t, double work) const {
  if (!hours_.enabled) return t + work;
  // Walk day by day from the start of t's day (in week time), consuming the working
  // interval of each working day that lies after t.
  const double week_t = zero_ + t;
  double day_start = kDay * std::floor(week_t / kDay);  // week time of t's midnight
  double now = week_t;
  while (true) {
    const long long day_index = static_cast<long long>(std::floor(day_start / kDay));
    const int weekday = static_cast<int>(((day_index % 7) + 7) % 7);
    if (!(hours_.weekdays_only && weekday >= kSaturday)) {
      const double open = day_start + hours_.start;
      const double close = day_start + hours_.end;
      const double from = now > open ? now : open;
      if (from < close) {
        if (work <= close - from) return from + work - zero_;
        work -= close - from;
      }
    }
    day_start += kDay;
    now = day_start;
  }
}

}  // namespace patchrace::detail
