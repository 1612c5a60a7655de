#include "events/domain/closed_loop.h"

#include <iterator>

#include "events/domain/deadlines.h"

namespace aidtrail::domain {

namespace {

// One row per step and per status, in enum order: names, labels and
// messages come from here only.
struct StepText {
  LoopStep step;
  const char* name;
  const char* zh;
  const char* en;
};
constexpr StepText kSteps[] = {
    {LoopStep::kReviewInTime, "review_in_time", "按期审查决定", "review in time"},
    {LoopStep::kAssignmentInTime, "assignment_in_time", "按期指派", "assignment in time"},
    {LoopStep::kAuthorityInformed, "authority_informed_in_time", "按期告知办案机关承办律师",
     "notifying authority told which lawyer, in time"},
    {LoopStep::kEntrustment, "entrustment_in_time", "按期签订委托协议",
     "entrustment agreement signed in time"},
    {LoopStep::kHearingAttendance, "hearing_attendance", "庭审旁听",
     "attendance of sampled hearings"},
    {LoopStep::kFollowUp, "follow_up", "回访受援人", "follow-up visit"},
    {LoopStep::kAuthorityOpinion, "authority_opinion", "征询办案机关意见",
     "handling authority's opinion"},
    {LoopStep::kCommitmentVerified, "commitment_verified", "告知承诺核查",
     "verification of the commitment"},
    {LoopStep::kComplaints, "complaints_resolved", "投诉办结", "complaints resolved"},
    {LoopStep::kQualityReview, "quality_review", "结案后质量评查", "quality review after closure"},
    {LoopStep::kRectification, "rectification", "整改完成并经确认",
     "rectifications completed and confirmed"},
    {LoopStep::kClosingFiles, "closing_files", "结案材料提交与审查",
     "closing files submitted and accepted"},
};

struct StatusText {
  LoopStatus status;
  const char* name;
  const char* zh;
};
constexpr StatusText kStatuses[] = {
    {LoopStatus::kPresent, "present", "已完成"},
    {LoopStatus::kJustified, "justified", "逾期已说明"},
    {LoopStatus::kNotRequired, "not_required", "无需"},
    {LoopStatus::kPending, "pending", "办理中"},
    {LoopStatus::kMissing, "missing", "缺失"},
    {LoopStatus::kLate, "late", "逾期"},
    {LoopStatus::kFailed, "failed", "不合格"},
    {LoopStatus::kLateEntry, "late_entry", "补录"},
};

constexpr bool InEnumOrder() {
  for (int i = 0; i < int(std::size(kSteps)); ++i)
    if (int(kSteps[i].step) != i) return false;
  for (int i = 0; i < int(std::size(kStatuses)); ++i)
    if (int(kStatuses[i].status) != i) return false;
  return int(std::size(kSteps)) == int(LoopStep::kClosingFiles) + 1 &&
         int(std::size(kStatuses)) == int(LoopStatus::kLateEntry) + 1;
}
static_assert(InEnumOrder(), "one row per enum value, in enum order");

const StepText& Text(LoopStep step) { return kSteps[static_cast<int>(step)]; }
const StatusText& Text(LoopStatus status) { return kStatuses[static_cast<int>(status)]; }

}  // namespace

const char* LoopStepName(LoopStep step) { return Text(step).name; }
const char* LoopStepLabelZh(LoopStep step) { return Text(step).zh; }
const char* LoopStepLabelEn(LoopStep step) { return Text(step).en; }
const char* LoopStatusName(LoopStatus status) { return Text(status).name; }
const char* LoopStatusLabelZh(LoopStatus status) { return Text(status).zh; }

std::optional<LoopStatus> ParseLoopStatus(std::string_view name) {
  for (const StatusText& s : kStatuses)
    if (name == s.name) return s.status;
  return std::nullopt;
}

bool Satisfied(LoopStatus s) {
  return s == LoopStatus::kPresent || s == LoopStatus::kJustified ||
         s == LoopStatus::kNotRequired || s == LoopStatus::kLateEntry;
}

bool NeedsAction(LoopStatus s) {
  return s == LoopStatus::kMissing || s == LoopStatus::kLate || s == LoopStatus::kFailed;
}

bool LoopClosed(const std::vector<LoopStepStatus>& steps) {
  for (const auto& s : steps)
    if (!Satisfied(s.status)) return false;
  return true;
}

namespace {

// A statutory step with a deadline: in time, late but justified by a
// supervisor once done, or late.
std::optional<LoopStatus> Timeliness(const std::vector<Deadline>& ds, DeadlineKind kind,
                                     bool justified) {
  for (const auto& d : ds) {
    if (d.kind != kind) continue;
    switch (d.status) {
      case DeadlineStatus::kMet:
        return LoopStatus::kPresent;
      case DeadlineStatus::kMetLateEntry:
        return LoopStatus::kLateEntry;
      case DeadlineStatus::kPending:
        return LoopStatus::kPending;
      case DeadlineStatus::kMissed:
        return justified && d.done_on ? LoopStatus::kJustified : LoopStatus::kLate;
    }
  }
  return std::nullopt;
}

// A step that is due once the case is closed: pending until then.
LoopStatus DueAtClosure(bool present, bool closed) {
  return present ? LoopStatus::kPresent : closed ? LoopStatus::kMissing : LoopStatus::kPending;
}

LoopStatus Hearings(const CaseState& c, bool closed) {
  bool sampled = false, waiting = false, overdue = false;
  for (const auto& [id, h] : c.hearings) {
    if (!h.sampled) continue;
    sampled = true;
    // The lawyer's word that a hearing was held neither satisfies nor
    // excuses it: only the attending supervisor's record does.
    if (h.attended) continue;
    if (closed || h.held)
      overdue = true;
    else
      waiting = true;
  }
  if (!sampled) return LoopStatus::kNotRequired;
  return overdue ? LoopStatus::kMissing : waiting ? LoopStatus::kPending : LoopStatus::kPresent;
}

// Criminal (police, procuratorate, court at every stage), civil and
// administrative litigation (a court) have a handling authority to ask.
bool AuthorityHandles(const CaseState& c) {
  return c.category == v1::CASE_CATEGORY_CRIMINAL || c.category == v1::CASE_CATEGORY_CIVIL ||
         c.category == v1::CASE_CATEGORY_ADMINISTRATIVE;
}

}  // namespace

std::vector<LoopStepStatus> ClosedLoop(const CaseState& c, const PolicyState& policy, Instant now) {
  std::vector<LoopStepStatus> out;
  const auto deadlines = CaseDeadlines(c, policy, now);
  auto justified = [&](v1::DelayedStep step) { return c.justified_delays.count(step) > 0; };
  if (auto st = Timeliness(deadlines, DeadlineKind::kReview, justified(v1::DELAYED_STEP_REVIEW)))
    out.push_back({LoopStep::kReviewInTime, *st});
  const DeadlineKind assign =
      c.notification ? DeadlineKind::kAssignAfterNotification : DeadlineKind::kAssignAfterApproval;
  if (auto st = Timeliness(deadlines, assign, justified(v1::DELAYED_STEP_ASSIGNMENT)))
    out.push_back({LoopStep::kAssignmentInTime, *st});
  if (auto st = Timeliness(deadlines, DeadlineKind::kInformAuthority,
                           justified(v1::DELAYED_STEP_AUTHORITY_INFORMED)))
    out.push_back({LoopStep::kAuthorityInformed, *st});
  if (auto st = Timeliness(deadlines, DeadlineKind::kEntrustment,
                           justified(v1::DELAYED_STEP_ENTRUSTMENT)))
    out.push_back({LoopStep::kEntrustment, *st});

  const bool closed = c.stage == Stage::kClosed;
  if (!closed && c.stage != Stage::kInHandling) return out;

  out.push_back({LoopStep::kHearingAttendance, Hearings(c, closed)});
  out.push_back({LoopStep::kFollowUp, DueAtClosure(c.follow_up_version > 0, closed)});
  out.push_back({LoopStep::kAuthorityOpinion,
                 AuthorityHandles(c) ? DueAtClosure(c.authority_opinion_version > 0, closed)
                                     : LoopStatus::kNotRequired});
  LoopStatus commitment = LoopStatus::kNotRequired;
  if (c.commitment_false)
    commitment = LoopStatus::kFailed;
  else if (c.commitment_signed)
    commitment = DueAtClosure(c.commitment_verified, closed);
  out.push_back({LoopStep::kCommitmentVerified, commitment});
  bool open_complaint = false;
  for (const auto& [id, resolved] : c.complaints) open_complaint |= !resolved;
  out.push_back({LoopStep::kComplaints, c.complaints.empty()
                                            ? LoopStatus::kNotRequired
                                            : DueAtClosure(!open_complaint, closed)});
  // Files are evaluated when they are closed: a review before closure
  // judged work still in progress.
  LoopStatus review = DueAtClosure(closed && c.quality_review_version > c.closed_version, closed);
  if (review == LoopStatus::kPresent && c.quality_grade == v1::QUALITY_GRADE_FAIL)
    review = LoopStatus::kFailed;
  out.push_back({LoopStep::kQualityReview, review});
  out.push_back({LoopStep::kRectification, c.rectifications.empty()
                                               ? LoopStatus::kNotRequired
                                               : DueAtClosure(!c.OpenRectifications(), closed)});
  LoopStatus files = DueAtClosure(c.closing_accepted, closed);
  if (files == LoopStatus::kMissing)
    for (const auto& d : deadlines)
      if ((d.kind == DeadlineKind::kClosingFiles || d.kind == DeadlineKind::kClosingReview) &&
          d.status == DeadlineStatus::kMissed && !d.done_on)
        files = LoopStatus::kLate;
  out.push_back({LoopStep::kClosingFiles, files});
  // Nothing waits any more once the case is closed (an aid-first case
  // closed before its review, say): what is not there is missing.
  if (closed)
    for (auto& s : out)
      if (s.status == LoopStatus::kPending) s.status = LoopStatus::kMissing;
  return out;
}

}  // namespace aidtrail::domain
