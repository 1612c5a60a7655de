// Internal to EvolveCase: what a case remembers of when its steps were
// recorded, as against when they are said to have happened.
#pragma once

#include <array>
#include <optional>

#include "events/domain/case_state.h"

namespace aidtrail::domain {

// The business dates of the timed steps, before an event is folded.
struct TimedSteps {
  std::optional<Instant> received;
  std::array<std::optional<CivilDate>, 7> days;  // decided … entrustment signed, in TimedStep order
};
TimedSteps TimedStepsOf(const CaseState& s);

// After `event` is folded: a timed step it set is remembered with the
// event's recorded time, one it cleared is forgotten; a late entry is
// listed; simulated-clock and migrated events are counted.
void NoteEntryTime(CaseState& s, const TimedSteps& before, const v1::Event& event);

}  // namespace aidtrail::domain
