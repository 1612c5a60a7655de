#include "events/domain/case_state.h"

#include <algorithm>

#include "events/domain/case_timing.h"
#include "events/domain/corrections.h"
#include "events/domain/matters.h"

namespace aidtrail::domain {

const char* StageName(Stage s) {
  switch (s) {
    case Stage::kNone:
      return "none";
    case Stage::kUnderReview:
      return "under_review";
    case Stage::kAwaitingMaterials:
      return "awaiting_materials";
    case Stage::kApproved:
      return "approved";
    case Stage::kRefused:
      return "refused";
    case Stage::kObjection:
      return "objection";
    case Stage::kInHandling:
      return "in_handling";
    case Stage::kClosed:
      return "closed";
    case Stage::kTerminated:
      return "terminated";
    case Stage::kWithdrawn:
      return "withdrawn";
    case Stage::kTransferredOut:
      return "transferred_out";
  }
  return "unknown";
}

const char* StageLabelZh(Stage s) {
  switch (s) {
    case Stage::kNone:
      return "未立案";
    case Stage::kUnderReview:
      return "审查中";
    case Stage::kAwaitingMaterials:
      return "补充材料中";
    case Stage::kApproved:
      return "已决定援助、待指派";
    case Stage::kRefused:
      return "不予援助";
    case Stage::kObjection:
      return "异议审查中";
    case Stage::kInHandling:
      return "办理中";
    case Stage::kClosed:
      return "已结案";
    case Stage::kTerminated:
      return "已终止援助";
    case Stage::kWithdrawn:
      return "已撤回";
    case Stage::kTransferredOut:
      return "已转出";
  }
  return "未知";
}

int64_t PaidOnCase(const std::map<std::string, SubsidyState>& subsidies) {
  int64_t paid = 0;
  for (const auto& [id, sub] : subsidies)
    if (sub.paid) paid += sub.paid_fen;
  return paid;
}

bool CaseState::MinorCase() const {
  if (notification_ground == v1::NOTIFICATION_GROUND_MINOR) return true;
  if (applicant.age() > 0 && applicant.age() < 18) return true;
  return std::find(key_groups.begin(), key_groups.end(), v1::KEY_GROUP_MINOR) != key_groups.end();
}

bool CaseState::OpenRectifications() const {
  for (const auto& [id, done] : rectifications)
    if (!done || !rectifications_confirmed.count(id)) return true;
  return false;
}

namespace {

// Ends the lawyer's open tenure. A replacement or termination fixes the
// stage it happened in (the stage the case was in when none is named); a
// closure is read at the stage of closure when the subsidy is computed.
void EndTenure(CaseState& s, LawyerTenure::End end, v1::CriminalStage at) {
  if (s.tenures.empty() || s.tenures.back().end != LawyerTenure::End::kOpen) return;
  LawyerTenure& t = s.tenures.back();
  t.end = end;
  if (end == LawyerTenure::End::kClosed) return;
  t.to_stage = at != v1::CRIMINAL_STAGE_UNSPECIFIED ? at : s.CurrentCriminalStage();
}

}  // namespace

v1::CriminalStage CaseState::CurrentCriminalStage() const {
  const LawyerTenure* now = tenures.empty() ? nullptr : &tenures.back();
  return now && now->from_stage != v1::CRIMINAL_STAGE_UNSPECIFIED ? now->from_stage
                                                                  : criminal_stage;
}

void EvolveCase(CaseState& s, const v1::Event& event) {
  const TimedSteps before = TimedStepsOf(s);
  s.version = event.stream_version();
  const Instant at = Instant::FromProto(event.occurred_at());
  const CivilDate day = CivilDate::Of(at);
  const v1::EventPayload& p = event.payload();
  s.last_version_of[int(p.kind_case())] = event.stream_version();
  switch (p.kind_case()) {
    case v1::EventPayload::kApplicationReceived: {
      const auto& a = p.application_received();
      s.stage = Stage::kUnderReview;
      s.channel = a.channel();
      s.category = a.category();
      s.criminal_stage = a.criminal_stage();
      s.infringement_region = a.infringement_region();
      s.domicile_region = a.domicile_region();
      s.handling_authority_region = a.handling_authority_region();
      if (!a.applicant().subject_id().empty()) s.subject_ids.push_back(a.applicant().subject_id());
      // Co-applicants are people of the case too: staff may read their
      // data (a recorded read), as the applicant's.
      for (const auto& co : a.co_applicants())
        if (!co.subject_id().empty()) s.subject_ids.push_back(co.subject_id());
      s.matter_type = MatterTypeOf(a);
      s.persons = 1 + a.co_applicants_size();
      s.applicant = a.applicant();
      s.applicant.clear_sealed_personal();
      s.received_at = at;
      s.received_on = day;
      s.review_started_on = day;
      if (a.has_detainee_requested_at())
        s.detainee_requested_at = Instant::FromProto(a.detainee_requested_at());
      break;
    }
    case v1::EventPayload::kCriminalNotificationReceived: {
      const auto& n = p.criminal_notification_received();
      s.stage = Stage::kApproved;  // no application or review is needed
      s.notification = true;
      s.channel = v1::CHANNEL_NOTIFICATION;
      s.category = v1::CASE_CATEGORY_CRIMINAL;
      s.criminal_stage = n.criminal_stage();
      s.notification_ground = n.ground();
      s.handling_authority_region = n.authority_region();
      s.notifying_authority = n.authority();
      if (!n.suspect().subject_id().empty()) s.subject_ids.push_back(n.suspect().subject_id());
      s.received_at = at;
      s.received_on = day;
      s.approved_on = day;
      break;
    }
    case v1::EventPayload::kPriorityFlagged:
      s.priority = true;
      s.key_groups.clear();
      for (int g : p.priority_flagged().key_groups())
        s.key_groups.push_back(static_cast<v1::KeyGroup>(g));
      break;
    case v1::EventPayload::kMaterialsRequested:
      s.materials_requested = true;
      s.stage = Stage::kAwaitingMaterials;
      s.pauses.push_back(Pause{day, day});
      break;
    case v1::EventPayload::kMaterialsSupplied:
      s.stage = Stage::kUnderReview;
      if (!s.pauses.empty()) s.pauses.back().to = day;
      break;
    case v1::EventPayload::kApplicationWithdrawn:
      s.stage = Stage::kWithdrawn;
      break;
    case v1::EventPayload::kCommitmentSigned:
      s.commitment_signed = true;
      break;
    case v1::EventPayload::kCommitmentVerified:
      s.commitment_verified = true;
      break;
    case v1::EventPayload::kCommitmentFoundFalse:
      s.commitment_false = true;  // the consequence (refusal or termination) is its own event
      s.obtained_falsely = true;
      break;
    case v1::EventPayload::kApplicationApproved:
      s.decided_version = event.stream_version();
      s.reviewed = true;
      s.decided_on = day;
      s.approved_on = day;
      s.basis = p.application_approved().basis();
      s.approved_ground = p.application_approved().ground();
      // Approved after aid-first: the lawyer is already at work.
      if (s.stage != Stage::kInHandling) s.stage = Stage::kApproved;
      break;
    case v1::EventPayload::kApplicationRefused:
      s.decided_version = event.stream_version();
      s.reviewed = true;
      s.decided_on = day;
      s.stage = Stage::kRefused;
      s.decision_agency = event.actor().agency();
      break;
    case v1::EventPayload::kAidFirstGranted:
      s.aid_first = true;
      break;
    case v1::EventPayload::kObjectionFiled:
      s.stage_before_objection = s.stage;
      s.objection_target = p.objection_filed().target();
      s.objection_filed_on = day;
      s.objection_decided_on.reset();
      s.stage = Stage::kObjection;
      break;
    case v1::EventPayload::kObjectionDecided:
      s.objection_decided_on = day;
      if (p.objection_decided().outcome() == v1::OBJECTION_OUTCOME_CORRECTION_ORDERED) {
        if (s.objection_target == v1::OBJECTION_TARGET_REFUSAL) {
          // The centre reviews again; the 7-day clock restarts.
          s.stage = Stage::kUnderReview;
          s.review_started_on = day;
          s.decided_on.reset();
        } else {
          s.stage = s.lawyer_id.empty() ? Stage::kApproved : Stage::kInHandling;
        }
        s.termination_ground = v1::TERMINATION_GROUND_UNSPECIFIED;
      } else {
        s.stage = s.stage_before_objection;
      }
      break;
    case v1::EventPayload::kLawyerAssigned:
      s.lawyer_id = p.lawyer_assigned().lawyer_id();
      s.firm_id = p.lawyer_assigned().firm_id();
      s.team = p.lawyer_assigned().team();
      if (!s.first_assigned_on) s.first_assigned_on = day;
      s.lawyer_assigned_on = day;
      s.lawyer_replaced = false;
      s.authority_informed_on.reset();
      s.entrustment_signed_on.reset();
      s.authority_informed_version = s.entrustment_version = 0;
      s.stage = Stage::kInHandling;
      s.handling_lawyers.insert(s.lawyer_id);
      s.handling_firms.insert(s.firm_id);
      s.tenures.push_back({.lawyer_id = s.lawyer_id, .firm_id = s.firm_id});
      break;
    case v1::EventPayload::kLawyerReplaced:
      switch (p.lawyer_replaced().reason()) {
        case v1::REPLACEMENT_REASON_RECIPIENT_REQUEST:
        case v1::REPLACEMENT_REASON_COMPLAINT_UPHELD:
        case v1::REPLACEMENT_REASON_CONFLICT_OF_INTEREST:
          s.rejected_lawyers.insert(p.lawyer_replaced().previous_lawyer_id());
          break;
        default:  // unable or suspended: may take the case again later
          break;
      }
      EndTenure(s, LawyerTenure::End::kReplaced, p.lawyer_replaced().criminal_stage());
      s.lawyer_id = p.lawyer_replaced().lawyer_id();
      s.firm_id = p.lawyer_replaced().firm_id();
      s.tenures.push_back({.lawyer_id = s.lawyer_id,
                           .firm_id = s.firm_id,
                           .from_stage = s.tenures.empty() ? v1::CRIMINAL_STAGE_UNSPECIFIED
                                                           : s.tenures.back().to_stage});
      s.lawyer_assigned_on = day;
      s.lawyer_replaced = true;
      s.authority_informed_on.reset();
      s.entrustment_signed_on.reset();
      s.authority_informed_version = s.entrustment_version = 0;
      // The new lawyer's steps are owed afresh; an earlier justification
      // covered the lawyer before.
      s.justified_delays.erase(v1::DELAYED_STEP_AUTHORITY_INFORMED);
      s.justified_delays.erase(v1::DELAYED_STEP_ENTRUSTMENT);
      s.handling_lawyers.insert(s.lawyer_id);
      s.handling_firms.insert(s.firm_id);
      break;
    case v1::EventPayload::kAuthorityInformed:
      s.authority_informed_on = day;
      s.authority_informed_version = event.stream_version();
      break;
    case v1::EventPayload::kDocumentIssued: {
      const auto& d = p.document_issued();
      s.documents[{int(d.kind()), d.basis_version()}] = d.number();
      break;
    }
    case v1::EventPayload::kEntrustmentSigned:
      s.entrustment_signed_on = day;
      s.entrustment_version = event.stream_version();
      if (!s.tenures.empty()) s.tenures.back().worked = true;
      break;
    case v1::EventPayload::kAidCostRecoveryOrdered:
      s.recovery_ordered = true;
      s.recovery_owed_fen =
          p.aid_cost_recovery_ordered().costs_fen() + p.aid_cost_recovery_ordered().fine_fen();
      break;
    case v1::EventPayload::kAidCostRepaid:
      s.recovery_repaid_fen += p.aid_cost_repaid().amount_fen();
      break;
    case v1::EventPayload::kComplaintFiled:
      s.complaints[p.complaint_filed().complaint_id()] = false;
      break;
    case v1::EventPayload::kComplaintResolved:
      s.complaints[p.complaint_resolved().complaint_id()] = true;
      break;
    case v1::EventPayload::kHearingScheduled:
      s.hearings[p.hearing_scheduled().hearing_id()].sampled =
          p.hearing_scheduled().sampled_for_attendance();
      break;
    case v1::EventPayload::kHearingHeld:
      s.hearings[p.hearing_held().hearing_id()].held = true;
      if (!s.tenures.empty()) s.tenures.back().worked = true;
      break;
    case v1::EventPayload::kHearingAttended:
      s.hearings[p.hearing_attended().hearing_id()].attended = true;
      break;
    case v1::EventPayload::kFollowUpVisited:
      s.follow_up_version = event.stream_version();
      break;
    case v1::EventPayload::kAuthorityOpinionReceived:
      s.authority_opinion_version = event.stream_version();
      break;
    case v1::EventPayload::kQualityReviewed:
      s.quality_review_version = event.stream_version();
      s.quality_grade = p.quality_reviewed().grade();
      break;
    case v1::EventPayload::kRectificationRequired:
      s.rectifications[p.rectification_required().rectification_id()] = false;
      break;
    case v1::EventPayload::kRectificationCompleted:
      s.rectifications[p.rectification_completed().rectification_id()] = true;
      break;
    case v1::EventPayload::kRectificationConfirmed: {
      const auto& r = p.rectification_confirmed();
      if (r.accepted())
        s.rectifications_confirmed.insert(r.rectification_id());
      else
        s.rectifications[r.rectification_id()] = false;  // sent back to the lawyer
      break;
    }
    case v1::EventPayload::kDelayJustified:
      s.justified_delays.insert(p.delay_justified().step());
      break;
    case v1::EventPayload::kCaseClosed:
      s.stage = Stage::kClosed;
      s.closed_on = day;
      s.closed_stage = p.case_closed().criminal_stage();
      s.closed_version = event.stream_version();
      EndTenure(s, LawyerTenure::End::kClosed, v1::CRIMINAL_STAGE_UNSPECIFIED);
      break;
    case v1::EventPayload::kClosingFilesSubmitted:
      s.closing_submitted_on = day;
      s.closing_reviewed_on.reset();
      s.closing_accepted = false;
      break;
    case v1::EventPayload::kClosingFilesReviewed:
      s.closing_reviewed_on = day;
      s.closing_accepted = p.closing_files_reviewed().accepted();
      s.closing_review_version = event.stream_version();
      break;
    case v1::EventPayload::kAidTerminated:
      switch (p.aid_terminated().ground()) {
        case v1::TERMINATION_GROUND_FRAUD:
        case v1::TERMINATION_GROUND_CONCEALMENT:
        case v1::TERMINATION_GROUND_FALSE_COMMITMENT:
          s.obtained_falsely = true;
          break;
        default:
          break;
      }
      s.stage = Stage::kTerminated;
      s.terminated_on = day;
      EndTenure(s, LawyerTenure::End::kTerminated, v1::CRIMINAL_STAGE_UNSPECIFIED);
      s.termination_ground = p.aid_terminated().ground();
      s.decision_agency = event.actor().agency();
      break;
    case v1::EventPayload::kCaseTransferredOut:
      s.stage = Stage::kTransferredOut;
      break;
    case v1::EventPayload::kSubsidyApproved: {
      const auto& a = p.subsidy_approved();
      s.subsidies[a.subsidy_id()] =
          SubsidyState{a.lawyer_id(), a.standard_key(), a.amount_fen(), a.fiscal_year(), false};
      break;
    }
    case v1::EventPayload::kSubsidyPaid: {
      SubsidyState& sub = s.subsidies[p.subsidy_paid().subsidy_id()];
      sub.paid = true;
      sub.paid_fen = p.subsidy_paid().amount_fen();
      break;
    }
    case v1::EventPayload::kSubsidyAdjusted: {
      // The subsidy now stands at the corrected amount; a paid one keeps
      // what was paid, so the difference stays visible as outstanding.
      const auto& a = p.subsidy_adjusted();
      SubsidyState& sub = s.subsidies[a.subsidy_id()];
      sub.amount_fen = a.amount_fen();
      sub.standard_key = a.standard_key();
      break;
    }
    case v1::EventPayload::kEventCorrected: {
      const auto& c = p.event_corrected();
      ApplyCorrection(s, c);
      s.corrections.push_back({.version = event.stream_version(),
                               .corrects_version = c.corrected().stream_version(),
                               .field = c.field(),
                               .corrected_value = c.corrected_value(),
                               .reason = c.reason(),
                               .actor = event.actor()});
      break;
    }
    default:
      break;  // assignment notices, mediation: no state change
  }
  NoteEntryTime(s, before, event);
}

}  // namespace aidtrail::domain
