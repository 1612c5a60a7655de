// The closed loop (全流程闭环监管): the supervision steps a case must show
// before its subsidy is approved. One pure function decides every step's
// status; the subsidy gate, the case summary, the supervision queue and
// the metrics all read it, so what a supervisor sees missing is exactly
// what blocks the money. The table of required steps per category and
// stage is in events/README.md ("The closed loop").
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "events/core/civil_date.h"
#include "events/domain/case_state.h"
#include "events/domain/policy.h"

namespace aidtrail::domain {

enum class LoopStep {
  kReviewInTime,        // Art. 43: decided within 7 days, or the delay justified
  kAssignmentInTime,    // Art. 36/43: assigned within 3 days, or justified
  kAuthorityInformed,   // Art. 36: the notifying authority told which lawyer, in time
  kEntrustment,         // the entrustment agreement signed within 5 working days
  kHearingAttendance,   // every sampled hearing attended by a supervisor
  kFollowUp,            // 回访受援人
  kAuthorityOpinion,    // 征询办案机关意见, where an authority handles the case
  kCommitmentVerified,  // 告知承诺 checked (核查)
  kComplaints,          // no complaint left open
  kQualityReview,       // 质量评查 after closure, not failed
  kRectification,       // every rectification completed and confirmed
  kClosingFiles,        // closing files submitted and accepted
};

enum class LoopStatus {
  kPresent,      // done (in time, where a deadline applies)
  kJustified,    // done late, with a supervisor's written reason
  kNotRequired,  // this case does not need the step
  kPending,      // not yet due: the case is still being handled
  kMissing,      // due and not there
  kLate,         // a deadline was missed and nobody justified it
  kFailed,       // there, but with a failing result (review failed, commitment false)
  // Done in time by its declared date but recorded later than the policy's
  // window (补录, declared with a reason): it counts, and says so.
  kLateEntry,
};

struct LoopStepStatus {
  LoopStep step;
  LoopStatus status;
};

// Stable names ("review_in_time", "present", ...) as the API shows them,
// and labels for people.
const char* LoopStepName(LoopStep step);
const char* LoopStepLabelZh(LoopStep step);
const char* LoopStepLabelEn(LoopStep step);
const char* LoopStatusName(LoopStatus status);
const char* LoopStatusLabelZh(LoopStatus status);
std::optional<LoopStatus> ParseLoopStatus(std::string_view name);

// The step counts towards a closed loop.
bool Satisfied(LoopStatus status);
// A supervisor has something to do about it (the queue and the metrics).
bool NeedsAction(LoopStatus status);

// The steps that apply to the case at `now`, in the order above: review,
// assignment, informing the authority and the entrustment once their
// deadlines exist, the rest once a lawyer handles the
// case. For a closed case every step is either satisfied or needs action.
std::vector<LoopStepStatus> ClosedLoop(const CaseState& c, const PolicyState& policy, Instant now);

// Every step satisfied: the subsidy gate's condition.
bool LoopClosed(const std::vector<LoopStepStatus>& steps);

}  // namespace aidtrail::domain
