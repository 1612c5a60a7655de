// Statutory deadlines of a case as derived facts: due date and met / missed /
// pending, evaluated against a clock passed in (never read here), so a
// deadline turns "missed" without any new event for the case.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "events/domain/case_state.h"
#include "events/domain/policy.h"

namespace aidtrail::domain {

enum class DeadlineKind {
  kDetentionForward,         // Art. 39: 24 h
  kReview,                   // Art. 43: 7 days to decide
  kAssignAfterApproval,      // Art. 43: 3 days to assign
  kAssignAfterNotification,  // Art. 36: 3 days to assign
  kObjection,                // Art. 49: 5 days to decide
  kClosingFiles,             // 30 days to submit closing files
  kClosingReview,            // 30 days to review them
  kInformAuthority,          // Art. 36: 3 days to tell the notifying authority which lawyer
  kEntrustment,              // 5 working days to sign the entrustment agreement
};
// kMetLateEntry: the step is dated within the period but was recorded after
// its last day (a late entry, or an entry crossing midnight): never shown as
// plainly met, so a late entry cannot turn a missed deadline into a met one.
enum class DeadlineStatus { kPending, kMet, kMissed, kMetLateEntry };

const char* DeadlineKindName(DeadlineKind k);
std::optional<DeadlineKind> ParseDeadlineKind(std::string_view name);
const char* DeadlineKindLabelZh(DeadlineKind k);
const char* DeadlineStatusName(DeadlineStatus s);

struct Deadline {
  DeadlineKind kind;
  CivilDate due;                         // last permitted day
  std::optional<Instant> due_at;         // for hour-based deadlines
  std::optional<CivilDate> done_on;      // when the step happened
  std::optional<CivilDate> recorded_on;  // when it was recorded, if a later day than done_on
  DeadlineStatus status = DeadlineStatus::kPending;
  // The period reaches a year with no holiday calendar loaded: counted as
  // if that year had no holidays, and reported to the admin.
  std::optional<int> uncalendared_year;
};

std::vector<Deadline> CaseDeadlines(const CaseState& c, const PolicyState& policy, Instant now);

}  // namespace aidtrail::domain
