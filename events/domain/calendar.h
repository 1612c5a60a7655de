// The one place where statutory periods are counted. The rule is policy
// data (DeadlineRulesSet.counting plus the holiday calendars):
//  - calendar mode: the day the period starts is not counted; if the last
//    day is not a working day, the period ends on the next working day
//    (民法典 arts. 201–203);
//  - working-day mode: only working days are counted;
//  - strict calendar mode: calendar days, and a last day that is not a
//    working day is not moved.
// The mode is per deadline kind (deadlines.cc); the one-argument forms use
// the policy's general mode.
// Either way, days on which the clock is paused (materials being supplied)
// are not counted.
#pragma once

#include <optional>
#include <span>

#include "events/core/civil_date.h"
#include "events/domain/policy.h"

namespace aidtrail::domain {

// A paused stretch: days after `from` up to and including `to` are not
// counted (the clock stops the day after the request and restarts the day
// after the materials arrive).
struct Pause {
  CivilDate from;
  CivilDate to;
};

class DayCounter {
 public:
  explicit DayCounter(const PolicyState& policy) : policy_(policy) {}

  // Weekends are days off unless made working days (调休); holidays are days off.
  [[nodiscard]] bool IsWorkingDay(CivilDate d) const;

  // The last day of a period of `days` starting on `start`.
  [[nodiscard]] CivilDate DueDate(CivilDate start, int days,
                                  std::span<const Pause> pauses = {}) const;
  [[nodiscard]] CivilDate DueDate(CivilDate start, int days, v1::DayCounting mode,
                                  std::span<const Pause> pauses = {}) const;

  // The first year from `start` to `due` with no holiday calendar loaded, if
  // any: a period counted there treats every weekday as a working day, and
  // the admin must be told.
  [[nodiscard]] std::optional<int> UncalendaredYear(CivilDate start, CivilDate due) const;

 private:
  const PolicyState& policy_;
};

}  // namespace aidtrail::domain
