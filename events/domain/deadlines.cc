#include "events/domain/deadlines.h"

#include <algorithm>

#include "events/domain/calendar.h"

namespace aidtrail::domain {

const char* DeadlineKindName(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kDetentionForward:
      return "detention_forward";
    case DeadlineKind::kReview:
      return "review";
    case DeadlineKind::kAssignAfterApproval:
      return "assign_after_approval";
    case DeadlineKind::kAssignAfterNotification:
      return "assign_after_notification";
    case DeadlineKind::kObjection:
      return "objection";
    case DeadlineKind::kClosingFiles:
      return "closing_files";
    case DeadlineKind::kClosingReview:
      return "closing_review";
  }
  return "unknown";
}

const char* DeadlineKindLabelZh(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kDetentionForward:
      return "羁押场所24小时内转交申请";
    case DeadlineKind::kReview:
      return "7日内审查决定";
    case DeadlineKind::kAssignAfterApproval:
      return "决定援助后3日内指派";
    case DeadlineKind::kAssignAfterNotification:
      return "收到通知后3日内指派";
    case DeadlineKind::kObjection:
      return "5日内作出异议处理决定";
    case DeadlineKind::kClosingFiles:
      return "结案后30日内提交结案材料";
    case DeadlineKind::kClosingReview:
      return "提交后30日内审查结案材料";
  }
  return "未知";
}

const char* DeadlineStatusName(DeadlineStatus s) {
  switch (s) {
    case DeadlineStatus::kPending:
      return "pending";
    case DeadlineStatus::kMet:
      return "met";
    case DeadlineStatus::kMissed:
      return "missed";
    case DeadlineStatus::kMetLateEntry:
      return "met_late_entry";
  }
  return "unknown";
}

namespace {

// Judged on both times: the business date must be within the period, and
// if the record was made after the period's last day it says so.
DeadlineStatus Evaluate(CivilDate due, std::optional<CivilDate> done,
                        std::optional<CivilDate> recorded, CivilDate today) {
  if (done) {
    if (*done > due) return DeadlineStatus::kMissed;
    return recorded && *recorded > due ? DeadlineStatus::kMetLateEntry : DeadlineStatus::kMet;
  }
  return today > due ? DeadlineStatus::kMissed : DeadlineStatus::kPending;
}

std::optional<CivilDate> RecordedOn(const CaseState& c, TimedStep step,
                                    std::optional<CivilDate> done) {
  auto it = c.recorded_at.find(step);
  if (!done || it == c.recorded_at.end()) return std::nullopt;
  const CivilDate day = CivilDate::Of(it->second);
  return day > *done ? std::optional(day) : std::nullopt;
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
  const CivilDate today = CivilDate::Of(now);
  // A step already recorded is judged under the calendar and rules known
  // when it was recorded; an open one under the policy in force now.
  auto policy_for = [&](TimedStep step, bool done) -> const PolicyState& {
    auto it = c.recorded_at.find(step);
    return done && it != c.recorded_at.end() ? policy.AsOf(it->second) : policy;
  };
  using DueOf =
      CivilDate (*)(const CaseState&, const DayCounter&, const v1::DeadlineRulesSet&, CivilDate);
  auto add = [&](DeadlineKind kind, DueOf due_of, std::optional<CivilDate> done, TimedStep step) {
    if (!done && Abandoned(c)) return;
    const PolicyState& p = policy_for(step, done.has_value());
    const CivilDate due = due_of(c, DayCounter(p), p.rules(), today);
    const auto recorded = RecordedOn(c, step, done);
    out.push_back(
        Deadline{kind, due, std::nullopt, done, recorded, Evaluate(due, done, recorded, today)});
  };

  if (c.detainee_requested_at) {
    const PolicyState& p = policy_for(TimedStep::kReceived, true);
    const Instant due_at = c.detainee_requested_at->PlusHours(p.rules().detention_forward_hours());
    auto it = c.recorded_at.find(TimedStep::kReceived);
    const Instant recorded = it == c.recorded_at.end() ? c.received_at : it->second;
    out.push_back(Deadline{DeadlineKind::kDetentionForward, CivilDate::Of(due_at), due_at,
                           c.received_on, RecordedOn(c, TimedStep::kReceived, c.received_on),
                           c.received_at > due_at ? DeadlineStatus::kMissed
                           : recorded > due_at    ? DeadlineStatus::kMetLateEntry
                                                  : DeadlineStatus::kMet});
  }
  if (!c.notification && c.review_started_on) {
    add(
        DeadlineKind::kReview,
        [](const CaseState& s, const DayCounter& days, const v1::DeadlineRulesSet& rules,
           CivilDate on) {
          // While materials are awaited the clock stands still: the open
          // pause runs to today, so the due date moves with the calendar.
          std::vector<Pause> pauses = s.pauses;
          if (s.stage == Stage::kAwaitingMaterials && !pauses.empty())
            pauses.back().to = std::max(pauses.back().to, on);
          return days.DueDate(*s.review_started_on, rules.review_days(), pauses);
        },
        c.decided_on, TimedStep::kDecided);
  }
  if (c.notification) {
    add(
        DeadlineKind::kAssignAfterNotification,
        [](const CaseState& s, const DayCounter& days, const v1::DeadlineRulesSet& rules,
           CivilDate) {
          return days.DueDate(s.received_on, rules.assign_after_notification_days());
        },
        c.first_assigned_on, TimedStep::kFirstAssigned);
  } else if (c.approved_on) {
    // After aid-first the lawyer may be assigned before the approval: met.
    std::optional<CivilDate> done = c.first_assigned_on;
    if (done && *done < *c.approved_on) done = c.approved_on;
    add(
        DeadlineKind::kAssignAfterApproval,
        [](const CaseState& s, const DayCounter& days, const v1::DeadlineRulesSet& rules,
           CivilDate) { return days.DueDate(*s.approved_on, rules.assign_after_approval_days()); },
        done, TimedStep::kFirstAssigned);
  }
  if (c.objection_filed_on) {
    // Reported even when the case has left the process: the bureau still
    // owes its decision.
    const PolicyState& p =
        policy_for(TimedStep::kObjectionDecided, c.objection_decided_on.has_value());
    const auto due = DayCounter(p).DueDate(*c.objection_filed_on, p.rules().objection_days());
    const auto recorded = RecordedOn(c, TimedStep::kObjectionDecided, c.objection_decided_on);
    out.push_back(Deadline{DeadlineKind::kObjection, due, std::nullopt, c.objection_decided_on,
                           recorded, Evaluate(due, c.objection_decided_on, recorded, today)});
  }
  if (c.closed_on) {
    add(
        DeadlineKind::kClosingFiles,
        [](const CaseState& s, const DayCounter& days, const v1::DeadlineRulesSet& rules,
           CivilDate) { return days.DueDate(*s.closed_on, rules.closing_files_days()); },
        c.closing_submitted_on, TimedStep::kClosingSubmitted);
  }
  if (c.closing_submitted_on) {
    add(
        DeadlineKind::kClosingReview,
        [](const CaseState& s, const DayCounter& days, const v1::DeadlineRulesSet& rules,
           CivilDate) {
          return days.DueDate(*s.closing_submitted_on, rules.closing_review_days());
        },
        c.closing_reviewed_on, TimedStep::kClosingReviewed);
  }
  return out;
}

}  // namespace aidtrail::domain
