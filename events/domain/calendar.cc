#include "events/domain/calendar.h"

namespace aidtrail::domain {
namespace {
bool Paused(CivilDate d, std::span<const Pause> pauses) {
  for (const Pause& p : pauses)
    if (d > p.from && d <= p.to) return true;
  return false;
}
}  // namespace

bool DayCounter::IsWorkingDay(CivilDate d) const {
  if (policy_.IsHoliday(d)) return false;
  if (policy_.IsMakeUpWorkday(d)) return true;
  return d.weekday() < 5;
}

CivilDate DayCounter::DueDate(CivilDate start, int days, std::span<const Pause> pauses) const {
  return DueDate(start, days, policy_.rules().counting(), pauses);
}

CivilDate DayCounter::DueDate(CivilDate start, int days, v1::DayCounting mode,
                              std::span<const Pause> pauses) const {
  const bool working = mode == v1::DAY_COUNTING_WORKING;
  CivilDate d = start;
  int counted = 0;
  // Bounded: a period never spans more than a few hundred days even with
  // long pauses and holidays.
  while (counted < days) {
    d = d + 1;
    if (Paused(d, pauses)) continue;
    if (working && !IsWorkingDay(d)) continue;
    ++counted;
  }
  if (mode != v1::DAY_COUNTING_WORKING && mode != v1::DAY_COUNTING_CALENDAR_STRICT) {
    while (!IsWorkingDay(d)) d = d + 1;
  }
  return d;
}

std::optional<int> DayCounter::UncalendaredYear(CivilDate start, CivilDate due) const {
  for (int y = start.year(); y <= due.year(); ++y)
    if (!policy_.HasCalendar(y)) return y;
  return std::nullopt;
}

}  // namespace aidtrail::domain
