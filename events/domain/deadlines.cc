#include "events/domain/deadlines.h"

#include <algorithm>

#include "events/domain/calendar.h"

namespace aidtrail::domain {

const char* DeadlineKindName(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kDetentionForward: return "detention_forward";
    case DeadlineKind::kReview: return "review";
    case DeadlineKind::kAssignAfterApproval: return "assign_after_approval";
    case DeadlineKind::kAssignAfterNotification: return "assign_after_notification";
    case DeadlineKind::kObjection: return "objection";
    case DeadlineKind::kClosingFiles: return "closing_files";
    case DeadlineKind::kClosingReview: return "closing_review";
  }
  return "unknown";
}

const char* DeadlineKindLabelZh(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kDetentionForward: return "羁押场所24小时内转交申请";
    case DeadlineKind::kReview: return "7日内审查决定";
    case DeadlineKind::kAssignAfterApproval: return "决定援助后3日内指派";
    case DeadlineKind::kAssignAfterNotification: return "收到通知后3日内指派";
    case DeadlineKind::kObjection: return "5日内作出异议处理决定";
    case DeadlineKind::kClosingFiles: return "结案后30日内提交结案材料";
    case DeadlineKind::kClosingReview: return "提交后30日内审查结案材料";
  }
  return "未知";
}

const char* DeadlineStatusName(DeadlineStatus s) {
  switch (s) {
    case DeadlineStatus::kPending: return "pending";
    case DeadlineStatus::kMet: return "met";
    case DeadlineStatus::kMissed: return "missed";
  }
  return "unknown";
}

namespace {

DeadlineStatus Evaluate(CivilDate due, std::optional<CivilDate> done, CivilDate today) {
  if (done) return *done <= due ? DeadlineStatus::kMet : DeadlineStatus::kMissed;
  return today > due ? DeadlineStatus::kMissed : DeadlineStatus::kPending;
}

// A step that can no longer happen (the case left the process) is not
// reported as pending or missed.
bool Abandoned(const CaseState& c) {
  return c.stage == Stage::kWithdrawn || c.stage == Stage::kTransferredOut ||
         c.stage == Stage::kTerminated || c.stage == Stage::kRefused;
}

}  // namespace

std::vector<Deadline> CaseDeadlines(const CaseState& c, const PolicyState& policy, Instant now) {
  std::vector<Deadline> out;
  if (!c.Exists()) return out;
  const DayCounter days(policy);
  const auto& rules = policy.rules();
  const CivilDate today = CivilDate::Of(now);
  auto add = [&](DeadlineKind kind, CivilDate due, std::optional<CivilDate> done) {
    if (!done && Abandoned(c)) return;
    out.push_back(Deadline{kind, due, std::nullopt, done, Evaluate(due, done, today)});
  };

  if (c.detainee_requested_at) {
    const Instant due_at = c.detainee_requested_at->PlusHours(rules.detention_forward_hours());
    out.push_back(Deadline{DeadlineKind::kDetentionForward, CivilDate::Of(due_at), due_at, c.received_on,
                           c.received_at <= due_at ? DeadlineStatus::kMet : DeadlineStatus::kMissed});
  }
  if (!c.notification && c.review_started_on) {
    // While materials are awaited the clock stands still: the open pause
    // runs to today, so the due date moves with the calendar.
    std::vector<Pause> pauses = c.pauses;
    if (c.stage == Stage::kAwaitingMaterials && !pauses.empty()) pauses.back().to = std::max(pauses.back().to, today);
    add(DeadlineKind::kReview, days.DueDate(*c.review_started_on, rules.review_days(), pauses), c.decided_on);
  }
  if (c.notification) {
    add(DeadlineKind::kAssignAfterNotification,
        days.DueDate(c.received_on, rules.assign_after_notification_days()), c.first_assigned_on);
  } else if (c.approved_on) {
    // After aid-first the lawyer may be assigned before the approval: met.
    std::optional<CivilDate> done = c.first_assigned_on;
    if (done && *done < *c.approved_on) done = c.approved_on;
    add(DeadlineKind::kAssignAfterApproval,
        days.DueDate(*c.approved_on, rules.assign_after_approval_days()), done);
  }
  if (c.objection_filed_on) {
    const auto due = days.DueDate(*c.objection_filed_on, rules.objection_days());
    out.push_back(Deadline{DeadlineKind::kObjection, due, std::nullopt, c.objection_decided_on,
                           Evaluate(due, c.objection_decided_on, today)});
  }
  if (c.closed_on) {
    add(DeadlineKind::kClosingFiles, days.DueDate(*c.closed_on, rules.closing_files_days()),
        c.closing_submitted_on);
  }
  if (c.closing_submitted_on) {
    add(DeadlineKind::kClosingReview, days.DueDate(*c.closing_submitted_on, rules.closing_review_days()),
        c.closing_reviewed_on);
  }
  return out;
}

}  // namespace aidtrail::domain
