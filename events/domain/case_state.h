// The state of one case, folded from its stream ("case/<id>"). Evolve is
// total: it never fails, because every event in the log was valid when it
// was decided.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aidtrail/v1/envelope.pb.h"
#include "events/core/civil_date.h"
#include "events/domain/calendar.h"

namespace aidtrail::domain {

enum class Stage {
  kNone,               // no event yet
  kUnderReview,        // 审查中
  kAwaitingMaterials,  // 补充材料中 (review clock paused)
  kApproved,           // 已决定给予援助, awaiting assignment
  kRefused,            // 不予援助
  kObjection,          // 异议审查中
  kInHandling,         // 已指派, 办理中
  kClosed,             // 已结案
  kTerminated,         // 终止援助
  kWithdrawn,          // 撤回
  kTransferredOut,     // 转出
};

// Stable English name, e.g. "under_review"; and the Chinese label.
const char* StageName(Stage s);
const char* StageLabelZh(Stage s);

struct HearingState {
  bool sampled = false;
  bool held = false;
  bool attended = false;
};

// One lawyer's time on the case, for the subsidy formula (subsidy_formula.h).
struct LawyerTenure {
  enum class End { kOpen, kReplaced, kClosed, kTerminated };
  std::string lawyer_id, firm_id;
  // Criminal cases: the stage the lawyer took the case on in (unspecified
  // for the first lawyer: the stage of receipt, read when computing so a
  // correction of it counts) and, once replaced or terminated, the stage it
  // was in then. A closed tenure ends at the stage of closure.
  v1::CriminalStage from_stage = v1::CRIMINAL_STAGE_UNSPECIFIED;
  v1::CriminalStage to_stage = v1::CRIMINAL_STAGE_UNSPECIFIED;
  End end = End::kOpen;
  // Work of this lawyer is on record: the entrustment agreement signed or
  // a hearing held while the lawyer held the case.
  bool worked = false;
};

struct SubsidyState {
  std::string lawyer_id;  // whose share (older logs: the approval's lawyer_id)
  std::string standard_key;
  int64_t amount_fen = 0;
  int32_t fiscal_year = 0;
  bool paid = false;
  // What was paid; once paid, amount_fen - paid_fen is the outstanding
  // difference a correction made (positive: owed to the lawyer; negative:
  // to recover). Recorded and shown; settled outside pay_subsidy.
  int64_t paid_fen = 0;
  int64_t OutstandingFen() const { return paid ? amount_fen - paid_fen : 0; }
};

// What the case's subsidies actually paid out (Art. 64's costs).
int64_t PaidOnCase(const std::map<std::string, SubsidyState>& subsidies);

// A late entry (补录) as folded from its event, for supervisors.
struct LateEntryRecord {
  uint64_t version = 0;
  std::string step;  // the event, e.g. "hearing_held"
  v1::Actor actor;
  Instant occurred_at;
  Instant recorded_at;
  std::string reason;
  int32_t window_minutes = 0;
};

// A correction (更正) as folded from its event, for supervisors.
struct CorrectionRecord {
  uint64_t version = 0;           // the EventCorrected
  uint64_t corrects_version = 0;  // the event it corrects
  std::string field, corrected_value, reason;
  v1::Actor actor;
};

// The steps a deadline is judged on (deadlines.h), by when they were recorded.
enum class TimedStep {
  kReceived,
  kDecided,
  kFirstAssigned,
  kObjectionDecided,
  kClosingSubmitted,
  kClosingReviewed,
  kAuthorityInformed,
  kEntrustmentSigned,
  kClosed  // no deadline: bounds a corrected closing day
};

struct CaseState {
  Stage stage = Stage::kNone;
  uint64_t version = 0;

  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  v1::CaseCategory category = v1::CASE_CATEGORY_UNSPECIFIED;
  v1::CriminalStage criminal_stage = v1::CRIMINAL_STAGE_UNSPECIFIED;
  bool notification = false;
  std::string notifying_authority;  // agency code of the court, procuratorate or police
  v1::NotificationGround notification_ground = v1::NOTIFICATION_GROUND_UNSPECIFIED;
  bool priority = false;
  std::vector<v1::KeyGroup> key_groups;
  std::string infringement_region, domicile_region, handling_authority_region;
  std::vector<std::string> subject_ids;  // the case's persons, whose data staff may read
  // The facts exemption grounds rest on (eligibility.cc): the matter type
  // and the applicant's age, ticked key groups and proven entitlements.
  v1::MatterType matter_type = v1::MATTER_TYPE_UNSPECIFIED;
  int persons = 0;          // persons aided: the applicant (or suspect) and co-applicants
  v1::PersonRef applicant;  // subject id and clear attributes only; sealed data dropped

  Instant received_at;
  CivilDate received_on;
  std::optional<Instant> detainee_requested_at;

  bool materials_requested = false;
  std::vector<Pause> pauses;
  bool commitment_signed = false;
  bool commitment_verified = false;
  bool aid_first = false;
  bool reviewed = false;                       // approved or refused at least once
  std::optional<CivilDate> review_started_on;  // restarts after a correction order
  std::optional<CivilDate> decided_on;
  std::optional<CivilDate> approved_on;
  v1::ApprovalBasis basis = v1::APPROVAL_BASIS_UNSPECIFIED;
  v1::EligibilityGround approved_ground = v1::ELIGIBILITY_GROUND_UNSPECIFIED;

  Stage stage_before_objection = Stage::kNone;
  v1::ObjectionTarget objection_target = v1::OBJECTION_TARGET_UNSPECIFIED;
  std::optional<CivilDate> objection_filed_on;
  std::optional<CivilDate> objection_decided_on;

  std::string lawyer_id;
  std::string firm_id;
  std::string team;                        // the specialised team, kept on replacement
  std::set<std::string> rejected_lawyers;  // replaced at the recipient's request (Art. 56) …
  std::optional<CivilDate> first_assigned_on;
  // The current lawyer: when assigned (or replaced in), and the two steps
  // owed for each lawyer (Art. 36 and the entrustment agreement).
  std::optional<CivilDate> lawyer_assigned_on;
  bool lawyer_replaced = false;
  std::optional<CivilDate> authority_informed_on;
  std::optional<CivilDate> entrustment_signed_on;
  uint64_t authority_informed_version = 0;  // the events, as subsidy evidence
  uint64_t entrustment_version = 0;

  std::map<std::string, HearingState> hearings;
  std::map<std::string, bool> complaints;  // id -> resolved
  uint64_t follow_up_version = 0;          // 0: no follow-up visit yet
  uint64_t authority_opinion_version = 0;
  uint64_t quality_review_version = 0;  // the latest review
  v1::QualityGrade quality_grade = v1::QUALITY_GRADE_UNSPECIFIED;
  std::map<std::string, bool> rectifications;  // id -> completed

  std::optional<CivilDate> closed_on;
  v1::CriminalStage closed_stage = v1::CRIMINAL_STAGE_UNSPECIFIED;
  std::optional<CivilDate> closing_submitted_on;
  std::optional<CivilDate> closing_reviewed_on;
  bool closing_accepted = false;
  uint64_t closing_review_version = 0;

  std::map<std::string, SubsidyState> subsidies;

  // For the closed loop (closed_loop.h) and who may supervise whom.
  uint64_t closed_version = 0;   // quality reviews before closure do not count
  uint64_t decided_version = 0;  // the latest approval or refusal
  bool commitment_false = false;
  // Aid obtained by deception (a false commitment, or terminated for fraud
  // or concealment): Art. 64 recovery may be ordered, once; after it
  // nothing more is paid on the case.
  bool obtained_falsely = false;
  v1::TerminationGround termination_ground =
      v1::TERMINATION_GROUND_UNSPECIFIED;  // while terminated
  bool recovery_ordered = false;
  int64_t recovery_owed_fen = 0;                           // costs and fine ordered (Art. 64)
  int64_t recovery_repaid_fen = 0;                         // paid back so far
  std::set<std::string> rectifications_confirmed;          // by a supervisor
  std::set<int> justified_delays;                          // v1::DelayedStep values
  std::set<std::string> handling_lawyers, handling_firms;  // every one ever assigned
  std::vector<LawyerTenure> tenures;                       // in order
  // The version of the latest event of each payload kind
  // (v1::EventPayload::KindCase), for the documents that state a step;
  // and the documents issued, by (v1::DocumentKind, basis version).
  std::map<int, uint64_t> last_version_of;
  std::map<std::pair<int, uint64_t>, std::string> documents;  // -> number
  std::optional<CivilDate> terminated_on;
  std::string decision_agency;  // the agency that refused or terminated (objections)
  // Business time against the writer's clock (entry_time.h): every late
  // entry, and when each step a deadline is judged on was recorded (its
  // business time for migrated history).
  std::vector<LateEntryRecord> late_entries;
  std::vector<CorrectionRecord> corrections;
  std::map<TimedStep, Instant> recorded_at;
  bool simulated_clock = false;  // some event was recorded on a simulated clock
  uint32_t migrated_events = 0;

  [[nodiscard]] bool Exists() const { return stage != Stage::kNone; }
  [[nodiscard]] bool LifeOrDeath() const {
    return notification_ground == v1::NOTIFICATION_GROUND_LIFE_OR_DEATH ||
           notification_ground == v1::NOTIFICATION_GROUND_DEATH_PENALTY_REVIEW;
  }
  // A minor's case (notified as such, an applicant under 18, or flagged
  // minor): only lawyers familiar with minors take it.
  [[nodiscard]] bool MinorCase() const;
  // A rectification counts as closed only once a supervisor confirms it.
  [[nodiscard]] bool OpenRectifications() const;
  // The criminal stage the case is in now: where the current lawyer took it
  // on, or the stage of receipt for the first lawyer (UNSPECIFIED for other
  // categories). Handovers and the subsidy's stages both start from it.
  [[nodiscard]] v1::CriminalStage CurrentCriminalStage() const;
};

// Folds one event of the case's own stream.
void EvolveCase(CaseState& state, const v1::Event& event);

}  // namespace aidtrail::domain
