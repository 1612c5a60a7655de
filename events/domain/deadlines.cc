#include "events/domain/deadlines.h"

#include <algorithm>
#include <iterator>

#include "events/domain/calendar.h"

namespace aidtrail::domain {

namespace {

// One row per kind, in enum order: names and labels come from here only.
struct KindText {
  DeadlineKind kind;
  const char* name;
  const char* zh;
};
constexpr KindText kKinds[] = {
    {DeadlineKind::kDetentionForward, "detention_forward", "羁押场所24小时内转交申请"},
    {DeadlineKind::kReview, "review", "7日内审查决定"},
    {DeadlineKind::kAssignAfterApproval, "assign_after_approval", "决定援助后3日内指派"},
    {DeadlineKind::kAssignAfterNotification, "assign_after_notification", "收到通知后3日内指派"},
    {DeadlineKind::kObjection, "objection", "5日内作出异议处理决定"},
    {DeadlineKind::kClosingFiles, "closing_files", "结案后30日内提交结案材料"},
    {DeadlineKind::kClosingReview, "closing_review", "提交后30日内审查结案材料"},
    {DeadlineKind::kInformAuthority, "inform_authority", "3日内告知办案机关承办律师"},
    {DeadlineKind::kEntrustment, "entrustment", "指派后5个工作日内签订委托协议"},
};
constexpr bool KindsInOrder() {
  for (int i = 0; i < int(std::size(kKinds)); ++i)
    if (int(kKinds[i].kind) != i) return false;
  return int(std::size(kKinds)) == int(DeadlineKind::kEntrustment) + 1;
}
static_assert(KindsInOrder(), "one row per deadline kind, in enum order");

}  // namespace

const char* DeadlineKindName(DeadlineKind k) { return kKinds[int(k)].name; }
const char* DeadlineKindLabelZh(DeadlineKind k) { return kKinds[int(k)].zh; }

std::optional<DeadlineKind> ParseDeadlineKind(std::string_view name) {
  for (const KindText& k : kKinds)
    if (name == k.name) return k.kind;
  return std::nullopt;
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

// The period of one deadline: counted from `start` (not itself counted).
struct Period {
  CivilDate start;
  int days = 0;
  std::vector<Pause> pauses;
};

// Per kind, the rules may set how it is counted; the entrustment agreement
// is due in working days by the procedure rules themselves.
v1::DayCounting CountingOf(DeadlineKind kind, const v1::DeadlineRulesSet& rules) {
  auto it = rules.counting_by_kind().find(DeadlineKindName(kind));
  if (it != rules.counting_by_kind().end() && it->second != v1::DAY_COUNTING_UNSPECIFIED)
    return static_cast<v1::DayCounting>(it->second);
  return kind == DeadlineKind::kEntrustment ? v1::DAY_COUNTING_WORKING : rules.counting();
}

int EntrustmentDays(const v1::DeadlineRulesSet& rules) {
  return rules.entrustment_days() > 0 ? rules.entrustment_days() : 5;
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
  using PeriodOf = Period (*)(const CaseState&, const v1::DeadlineRulesSet&, CivilDate today);
  // `owed`: reported even when the case has left the process.
  auto add = [&](DeadlineKind kind, PeriodOf period_of, std::optional<CivilDate> done,
                 TimedStep step, bool owed = false) {
    if (!done && !owed && Abandoned(c)) return;
    const PolicyState& p = policy_for(step, done.has_value());
    const Period period = period_of(c, p.rules(), today);
    const DayCounter days(p);
    const CivilDate due =
        days.DueDate(period.start, period.days, CountingOf(kind, p.rules()), period.pauses);
    const auto recorded = RecordedOn(c, step, done);
    out.push_back(Deadline{kind, due, std::nullopt, done, recorded,
                           Evaluate(due, done, recorded, today),
                           days.UncalendaredYear(period.start, due)});
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
                                                  : DeadlineStatus::kMet,
                           std::nullopt});
  }
  if (!c.notification && c.review_started_on) {
    add(
        DeadlineKind::kReview,
        [](const CaseState& s, const v1::DeadlineRulesSet& rules, CivilDate on) {
          // While materials are awaited the clock stands still: the open
          // pause runs to today, so the due date moves with the calendar.
          std::vector<Pause> pauses = s.pauses;
          if (s.stage == Stage::kAwaitingMaterials && !pauses.empty())
            pauses.back().to = std::max(pauses.back().to, on);
          return Period{*s.review_started_on, rules.review_days(), std::move(pauses)};
        },
        c.decided_on, TimedStep::kDecided);
  }
  if (c.notification) {
    add(
        DeadlineKind::kAssignAfterNotification,
        [](const CaseState& s, const v1::DeadlineRulesSet& rules, CivilDate) {
          return Period{s.received_on, rules.assign_after_notification_days(), {}};
        },
        c.first_assigned_on, TimedStep::kFirstAssigned);
  } else if (c.approved_on) {
    // After aid-first the lawyer may be assigned before the approval: met.
    std::optional<CivilDate> done = c.first_assigned_on;
    if (done && *done < *c.approved_on) done = c.approved_on;
    add(
        DeadlineKind::kAssignAfterApproval,
        [](const CaseState& s, const v1::DeadlineRulesSet& rules, CivilDate) {
          return Period{*s.approved_on, rules.assign_after_approval_days(), {}};
        },
        done, TimedStep::kFirstAssigned);
  }
  if (c.notification && c.lawyer_assigned_on) {
    // Art. 36: within the same 3 days of the notification as the
    // assignment itself; a replacement lawyer within 3 days of replacing.
    add(
        DeadlineKind::kInformAuthority,
        [](const CaseState& s, const v1::DeadlineRulesSet& rules, CivilDate) {
          return Period{s.lawyer_replaced ? *s.lawyer_assigned_on : s.received_on,
                        rules.assign_after_notification_days(),
                        {}};
        },
        c.authority_informed_on, TimedStep::kAuthorityInformed);
  }
  if (c.lawyer_assigned_on) {
    add(
        DeadlineKind::kEntrustment,
        [](const CaseState& s, const v1::DeadlineRulesSet& rules, CivilDate) {
          return Period{*s.lawyer_assigned_on, EntrustmentDays(rules), {}};
        },
        c.entrustment_signed_on, TimedStep::kEntrustmentSigned);
  }
  if (c.objection_filed_on) {
    // The bureau still owes its decision.
    add(
        DeadlineKind::kObjection,
        [](const CaseState& s, const v1::DeadlineRulesSet& rules, CivilDate) {
          return Period{*s.objection_filed_on, rules.objection_days(), {}};
        },
        c.objection_decided_on, TimedStep::kObjectionDecided, /*owed=*/true);
  }
  if (c.closed_on) {
    add(
        DeadlineKind::kClosingFiles,
        [](const CaseState& s, const v1::DeadlineRulesSet& rules, CivilDate) {
          return Period{*s.closed_on, rules.closing_files_days(), {}};
        },
        c.closing_submitted_on, TimedStep::kClosingSubmitted);
  }
  if (c.closing_submitted_on) {
    add(
        DeadlineKind::kClosingReview,
        [](const CaseState& s, const v1::DeadlineRulesSet& rules, CivilDate) {
          return Period{*s.closing_submitted_on, rules.closing_review_days(), {}};
        },
        c.closing_reviewed_on, TimedStep::kClosingReviewed);
  }
  return out;
}

}  // namespace aidtrail::domain
