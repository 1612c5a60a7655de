// Handling rules: assignment and replacement, complaints, hearings and the
// supervision steps of the closed loop (hearing attendance, follow-up visit,
// the handling authority's opinion, quality review, rectification and its
// confirmation, justified delays), and who may record each of them.
#include <algorithm>
#include <iterator>
#include <string_view>

#include "events/domain/case_rules.h"
#include "events/domain/deadlines.h"

namespace aidtrail::domain::case_rules {
namespace {

AssignmentNeed NeedOf(const Input& in, std::string team, std::string exclude) {
  return AssignmentNeed{.category = in.state.category,
                        .life_or_death = in.state.LifeOrDeath(),
                        .minor = in.state.MinorCase(),
                        .team = std::move(team),
                        .exclude = std::move(exclude),
                        .year = in.day.year(),
                        .rejected = in.state.rejected_lawyers};
}

Result<Decision> Assign(const Input& in) {
  const CaseState& s = in.state;
  const bool aid_first_ready =
      s.aid_first && (s.stage == Stage::kUnderReview || s.stage == Stage::kAwaitingMaterials);
  if (!aid_first_ready) {
    if (Status st = RequireStage(in, {Stage::kApproved}); !st) return st.error();
  }
  const auto& a = in.cmd.assign_lawyer();
  auto choice = in.ctx.roster.Choose(a.named_lawyer_id(), NeedOf(in, a.team(), {}));
  if (!choice.ok()) return choice.error();
  v1::EventPayload e;
  auto* out = e.mutable_lawyer_assigned();
  out->set_lawyer_id(choice->lawyer_id);
  out->set_firm_id(choice->firm_id);
  out->set_method(choice->method);
  out->set_team(a.team());
  out->set_eligible_lawyers(choice->eligible_lawyers);
  out->set_priority(s.priority);
  return One(std::move(e));
}

Result<Decision> Replace(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kInHandling}); !st) return st.error();
  const auto& r = in.cmd.replace_lawyer();
  if (r.reason() == v1::REPLACEMENT_REASON_UNSPECIFIED)
    return InputError("case.replace_reason", "choose the reason for replacing the lawyer",
                      "请选择更换律师的原因", "replace_lawyer.reason");
  // The handover stage divides a criminal case's subsidy between the two
  // lawyers (subsidy_formula.h); a case does not go back a stage.
  if (r.criminal_stage() != v1::CRIMINAL_STAGE_UNSPECIFIED) {
    if (in.state.category != v1::CASE_CATEGORY_CRIMINAL)
      return InputError("case.replace_stage", "only a criminal case has procedural stages",
                        "只有刑事案件区分诉讼阶段", "replace_lawyer.criminal_stage");
    if (r.criminal_stage() < in.state.CurrentCriminalStage())
      return InputError("case.replace_stage",
                        "the case is already at a later stage than the one named for the handover",
                        "案件已处于更后的诉讼阶段，更换时所处阶段填写有误",
                        "replace_lawyer.criminal_stage");
  }
  // Art. 56: the replacement comes from the same specialised team, and is
  // never a lawyer the recipient already rejected.
  auto choice =
      in.ctx.roster.Choose(r.named_lawyer_id(), NeedOf(in, in.state.team, in.state.lawyer_id));
  if (!choice.ok()) return choice.error();
  v1::EventPayload e;
  auto* out = e.mutable_lawyer_replaced();
  out->set_previous_lawyer_id(in.state.lawyer_id);
  out->set_lawyer_id(choice->lawyer_id);
  out->set_firm_id(choice->firm_id);
  out->set_method(choice->method);
  out->set_reason(r.reason());
  out->set_note(r.note());
  out->set_team(in.state.team);
  out->set_criminal_stage(r.criminal_stage());
  return One(std::move(e));
}

// Art. 36: the notifying authority learns which lawyer, once per lawyer.
Result<Decision> InformAuthority(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kInHandling}); !st) return st.error();
  const CaseState& s = in.state;
  const auto& a = in.cmd.inform_authority();
  if (!s.notification)
    return RuleError(
        "case.not_notified",
        "only a case notified by a court, procuratorate or police has an authority "
        "to inform; record other notices with notify_assignment",
        "本案不是办案机关通知辩护的案件，无需告知办案机关；其他告知请登记“告知指派情况”");
  if (!a.lawyer_id().empty() && a.lawyer_id() != s.lawyer_id)
    return RuleError("case.inform_other_lawyer",
                     "the letter must name the lawyer now assigned, " + s.lawyer_id,
                     "告知函须写明现承办律师" + s.lawyer_id, "inform_authority.lawyer_id");
  if (!a.authority().empty() && !s.notifying_authority.empty() &&
      a.authority() != s.notifying_authority)
    return RuleError(
        "case.inform_other_authority",
        "the letter goes to the authority that notified the case, " + s.notifying_authority,
        "告知函应送达通知辩护的办案机关" + s.notifying_authority, "inform_authority.authority");
  if (s.authority_informed_on)
    return ConflictError("case.authority_informed",
                         "the authority has already been told of lawyer " + s.lawyer_id,
                         "已告知办案机关承办律师" + s.lawyer_id);
  v1::EventPayload e;
  *e.mutable_authority_informed() = a;
  e.mutable_authority_informed()->set_lawyer_id(s.lawyer_id);
  if (!s.notifying_authority.empty())
    e.mutable_authority_informed()->set_authority(s.notifying_authority);
  return One(std::move(e));
}

// The entrustment agreement, once per lawyer, signed by the lawyer now
// assigned.
Result<Decision> SignEntrustment(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kInHandling}); !st) return st.error();
  if (Status st = RequireOwnLawyer(in); !st) return st.error();
  const CaseState& s = in.state;
  const auto& a = in.cmd.sign_entrustment();
  if (!a.lawyer_id().empty() && a.lawyer_id() != s.lawyer_id)
    return RuleError("case.entrustment_other_lawyer",
                     "the agreement is signed by the lawyer now assigned, " + s.lawyer_id,
                     "委托协议应由现承办律师" + s.lawyer_id + "签订", "sign_entrustment.lawyer_id");
  static constexpr std::string_view kSigners[] = {"recipient", "legal_representative",
                                                  "close_relative"};
  if (std::find(std::begin(kSigners), std::end(kSigners), a.signed_by()) == std::end(kSigners))
    return InputError("case.entrustment_signed_by",
                      "say who signed for the recipient: recipient, legal_representative or "
                      "close_relative",
                      "请选择签订人：受援人本人、法定代理人或近亲属", "sign_entrustment.signed_by");
  if (s.entrustment_signed_on)
    return ConflictError("case.entrustment_signed",
                         "lawyer " + s.lawyer_id + " has already signed the agreement",
                         "承办律师" + s.lawyer_id + "已签订委托协议");
  v1::EventPayload e;
  *e.mutable_entrustment_signed() = a;
  e.mutable_entrustment_signed()->set_lawyer_id(s.lawyer_id);
  return One(std::move(e));
}

Result<Decision> Complaint(const Input& in) {
  if (!in.state.Exists()) return RequireStage(in, {}).error();
  v1::EventPayload e;
  if (in.cmd.has_file_complaint()) {
    const auto& c = in.cmd.file_complaint();
    if (c.complaint_id().empty() || c.summary().empty())
      return InputError("case.complaint_incomplete", "a complaint needs an id and a summary",
                        "投诉须填写编号和内容", "file_complaint");
    if (in.state.complaints.count(c.complaint_id()))
      return ConflictError("case.complaint_exists", "this complaint id is already used",
                           "该投诉编号已存在");
    *e.mutable_complaint_filed() = c;
  } else {
    const auto& c = in.cmd.resolve_complaint();
    auto it = in.state.complaints.find(c.complaint_id());
    if (it == in.state.complaints.end())
      return NotFoundError("case.complaint_not_found", "no such complaint on this case",
                           "本案没有该投诉");
    if (it->second)
      return RuleError("case.complaint_resolved", "the complaint is already resolved",
                       "该投诉已办结");
    if (c.action().empty())
      return InputError("case.complaint_action", "record what was done about the complaint",
                        "请填写投诉处理情况", "resolve_complaint.action");
    *e.mutable_complaint_resolved() = c;
  }
  return One(std::move(e));
}

Result<Decision> Hearing(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kInHandling}); !st) return st.error();
  const bool lawyer = in.cmd.actor().role() == v1::ROLE_LAWYER;
  if (Status st = RequireOwnLawyer(in); !st) return st.error();
  v1::EventPayload e;
  switch (in.cmd.kind_case()) {
    case v1::Command::kScheduleHearing: {
      const auto& h = in.cmd.schedule_hearing();
      if (h.hearing_id().empty() || !h.has_scheduled_for())
        return InputError("case.hearing_incomplete", "a hearing needs an id and its date and time",
                          "开庭安排须填写编号和开庭时间", "schedule_hearing");
      auto it = in.state.hearings.find(h.hearing_id());
      if (it != in.state.hearings.end() && it->second.held)
        return RuleError("case.hearing_already_held", "this hearing has already been held",
                         "该次庭审已开庭");
      if (lawyer && h.sampled_for_attendance())
        return MakeError(ErrorKind::kForbidden, "case.sampling_by_supervisor",
                         "choosing hearings for attendance is a supervisor's decision",
                         "是否旁听庭审由监管人员抽取决定",
                         "schedule_hearing.sampled_for_attendance");
      *e.mutable_hearing_scheduled() = h;
      if (lawyer && it != in.state.hearings.end())  // rescheduling keeps the supervisor's sampling
        e.mutable_hearing_scheduled()->set_sampled_for_attendance(it->second.sampled);
      break;
    }
    case v1::Command::kRecordHearing: {
      auto it = in.state.hearings.find(in.cmd.record_hearing().hearing_id());
      if (it == in.state.hearings.end())
        return NotFoundError("case.hearing_not_found", "schedule the hearing first",
                             "请先登记开庭安排");
      if (it->second.held)
        return RuleError("case.hearing_already_held", "this hearing has already been held",
                         "该次庭审已开庭");
      *e.mutable_hearing_held() = in.cmd.record_hearing();
      break;
    }
    case v1::Command::kAttendHearing: {
      const auto& a = in.cmd.attend_hearing();
      auto it = in.state.hearings.find(a.hearing_id());
      if (it == in.state.hearings.end())
        return NotFoundError("case.hearing_not_found", "no such hearing on this case",
                             "本案没有该次庭审");
      if (a.grade() == v1::ATTENDANCE_GRADE_UNSPECIFIED || a.assessment().empty())
        return InputError("case.attendance_assessment",
                          "an attendance needs a grade and a written assessment",
                          "庭审旁听须填写评价等级和评价意见", "attend_hearing");
      // Attendance is recorded by the supervisor who sat in, in their own name.
      if (!a.supervisor_id().empty() && a.supervisor_id() != in.cmd.actor().id())
        return MakeError(ErrorKind::kForbidden, "case.attendance_not_self",
                         "only the supervisor who attended the hearing may record the attendance",
                         "庭审旁听记录须由旁听的监管人员本人登记", "attend_hearing.supervisor_id");
      *e.mutable_hearing_attended() = a;
      e.mutable_hearing_attended()->set_supervisor_id(in.cmd.actor().id());
      break;
    }
    default: {  // mediation
      if (in.cmd.record_mediation().result() == v1::MEDIATION_RESULT_UNSPECIFIED)
        return InputError("case.mediation_result", "record whether mediation reached agreement",
                          "请填写调解结果", "record_mediation.result");
      *e.mutable_mediation_held() = in.cmd.record_mediation();
    }
  }
  return One(std::move(e));
}

// Nobody reviews their own work: no reviewer may be a lawyer who handled
// the case, nor a lawyer of a firm that handled it (where the roster knows
// the reviewer's firm; reviewers from outside the roster are not checked).
Status IndependentReviewers(const Input& in, const v1::QualityReviewed& q) {
  for (const std::string& r : q.reviewers()) {
    if (in.state.handling_lawyers.count(r))
      return MakeError(ErrorKind::kForbidden, "case.reviewer_is_lawyer",
                       "reviewer " + r + " handled this case and may not review it",
                       "评查人" + r + "是本案承办律师，不能评查本案",
                       "record_quality_review.reviewers");
    const LawyerState* l = in.ctx.roster.Find(r);
    if (l != nullptr && !l->firm_id.empty() && in.state.handling_firms.count(l->firm_id))
      return MakeError(
          ErrorKind::kForbidden, "case.reviewer_same_firm",
          "reviewer " + r + " is of firm " + l->firm_id + ", which handled this case",
          "评查人" + r + "与本案承办律师同属一家律师事务所（" + l->firm_id + "），不能评查本案",
          "record_quality_review.reviewers");
  }
  return {};
}

// The lawyer completes a rectification; a supervisor confirms it closed or
// sends it back. Only a confirmed one counts for the loop.
Result<v1::EventPayload> ConfirmRectification(const Input& in) {
  const auto& c = in.cmd.confirm_rectification();
  auto it = in.state.rectifications.find(c.rectification_id());
  if (it == in.state.rectifications.end())
    return NotFoundError("case.rectification_not_found", "no such rectification on this case",
                         "本案没有该整改要求");
  if (in.state.rectifications_confirmed.count(c.rectification_id()))
    return RuleError("case.rectification_confirmed",
                     "this rectification is already confirmed closed", "该整改已确认完成");
  if (!it->second)
    return RuleError("case.rectification_not_completed",
                     "the lawyer has not reported this rectification completed",
                     "承办律师尚未报告整改完成，不能确认");
  if (!c.accepted() && c.note().empty())
    return InputError("case.rectification_note", "say what is still to be fixed",
                      "退回整改须写明仍需整改的内容", "confirm_rectification.note");
  v1::EventPayload e;
  *e.mutable_rectification_confirmed() = c;
  return e;
}

// 情况说明: a late review or assignment stays late on the record; a
// supervisor's written reason lets the loop close nonetheless.
Result<v1::EventPayload> JustifyDelay(const Input& in) {
  const auto& j = in.cmd.justify_delay();
  DeadlineKind kind = DeadlineKind::kReview;
  switch (j.step()) {
    case v1::DELAYED_STEP_REVIEW:
      break;
    case v1::DELAYED_STEP_ASSIGNMENT:
      kind = in.state.notification ? DeadlineKind::kAssignAfterNotification
                                   : DeadlineKind::kAssignAfterApproval;
      break;
    case v1::DELAYED_STEP_AUTHORITY_INFORMED:
      kind = DeadlineKind::kInformAuthority;
      break;
    case v1::DELAYED_STEP_ENTRUSTMENT:
      kind = DeadlineKind::kEntrustment;
      break;
    default:
      return InputError(
          "case.delay_step",
          "choose the late step: review, assignment, informing the authority or the entrustment",
          "请选择逾期的环节：审查决定、指派、告知办案机关或签订委托协议", "justify_delay.step");
  }
  if (j.reason().empty())
    return InputError("case.delay_reason", "write down why the step was late", "请写明逾期的原因",
                      "justify_delay.reason");
  if (in.state.justified_delays.count(j.step()))
    return ConflictError("case.delay_justified", "this delay is already justified",
                         "该逾期已作情况说明");
  bool late = false;
  for (const auto& d : CaseDeadlines(in.state, in.ctx.policy, in.at))
    late |= d.kind == kind && d.status == DeadlineStatus::kMissed;
  if (!late)
    return RuleError("case.delay_not_late",
                     "this step did not miss its deadline; nothing to justify",
                     "该环节未逾期，无需情况说明", "justify_delay.step");
  v1::EventPayload e;
  *e.mutable_delay_justified() = j;
  return e;
}

Result<Decision> Supervision(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kInHandling, Stage::kClosed}); !st) return st.error();
  v1::EventPayload e;
  switch (in.cmd.kind_case()) {
    case v1::Command::kRecordFollowUp: {
      const auto& f = in.cmd.record_follow_up();
      if (f.method() == v1::CONTACT_METHOD_UNSPECIFIED ||
          f.satisfaction() == v1::SATISFACTION_UNSPECIFIED)
        return InputError("case.follow_up_incomplete",
                          "a follow-up visit needs its method and the satisfaction",
                          "回访须填写回访方式和满意度", "record_follow_up");
      *e.mutable_follow_up_visited() = f;
      break;
    }
    case v1::Command::kRecordAuthorityOpinion: {
      const auto& o = in.cmd.record_authority_opinion();
      if (o.authority().empty() || o.rating() == v1::OPINION_RATING_UNSPECIFIED)
        return InputError("case.opinion_incomplete",
                          "an opinion needs the authority and its rating",
                          "办案机关意见须填写机关名称和评价", "record_authority_opinion");
      *e.mutable_authority_opinion_received() = o;
      break;
    }
    case v1::Command::kRecordQualityReview: {
      const auto& q = in.cmd.record_quality_review();
      if (q.review_id().empty() || q.kind() == v1::REVIEW_KIND_UNSPECIFIED ||
          q.grade() == v1::QUALITY_GRADE_UNSPECIFIED || q.reviewers().empty())
        return InputError("case.review_incomplete",
                          "a quality review needs an id, its kind, the grade and the reviewers",
                          "质量评查须填写编号、评查方式、等级和评查人", "record_quality_review");
      if (Status st = IndependentReviewers(in, q); !st) return st.error();
      *e.mutable_quality_reviewed() = q;
      break;
    }
    case v1::Command::kRequireRectification: {
      const auto& r = in.cmd.require_rectification();
      if (in.state.quality_review_version == 0)
        return RuleError("case.rectification_without_review",
                         "a rectification follows a quality review",
                         "整改要求应依据质量评查结果下达");
      if (r.rectification_id().empty() || r.items().empty())
        return InputError("case.rectification_incomplete",
                          "a rectification needs an id and the items to fix",
                          "整改要求须填写编号和整改事项", "require_rectification");
      if (in.state.rectifications.count(r.rectification_id()))
        return ConflictError("case.rectification_exists", "this rectification id is already used",
                             "该整改编号已存在");
      if (auto due = CivilDate::Parse(r.due_date()); !due.ok()) {
        Error err = due.error();
        err.field = "require_rectification.due_date";
        return err;
      }
      *e.mutable_rectification_required() = r;
      break;
    }
    case v1::Command::kConfirmRectification: {
      auto d = ConfirmRectification(in);
      if (!d.ok()) return d.error();
      e = std::move(d).value();
      break;
    }
    case v1::Command::kJustifyDelay: {
      auto d = JustifyDelay(in);
      if (!d.ok()) return d.error();
      e = std::move(d).value();
      break;
    }
    default: {  // rectification completed
      if (Status st = RequireOwnLawyer(in); !st) return st.error();
      auto it = in.state.rectifications.find(in.cmd.complete_rectification().rectification_id());
      if (it == in.state.rectifications.end())
        return NotFoundError("case.rectification_not_found", "no such rectification on this case",
                             "本案没有该整改要求");
      if (it->second)
        return RuleError("case.rectification_done", "this rectification is already completed",
                         "该整改已完成");
      *e.mutable_rectification_completed() = in.cmd.complete_rectification();
    }
  }
  return One(std::move(e));
}

}  // namespace

Result<Decision> Handling(const Input& in) {
  switch (in.cmd.kind_case()) {
    case v1::Command::kAssignLawyer:
      return Assign(in);
    case v1::Command::kReplaceLawyer:
      return Replace(in);
    case v1::Command::kInformAuthority:
      return InformAuthority(in);
    case v1::Command::kSignEntrustment:
      return SignEntrustment(in);
    case v1::Command::kNotifyAssignment: {
      if (Status st = RequireStage(in, {Stage::kInHandling}); !st) return st.error();
      if (in.cmd.notify_assignment().notified().empty())
        return InputError("case.notify_whom", "say whom the assignment was notified to",
                          "请填写告知对象", "notify_assignment.notified");
      v1::EventPayload e;
      *e.mutable_assignment_notified() = in.cmd.notify_assignment();
      return One(std::move(e));
    }
    case v1::Command::kFileComplaint:
    case v1::Command::kResolveComplaint:
      return Complaint(in);
    case v1::Command::kScheduleHearing:
    case v1::Command::kRecordHearing:
    case v1::Command::kAttendHearing:
    case v1::Command::kRecordMediation:
      return Hearing(in);
    default:
      return Supervision(in);
  }
}

}  // namespace aidtrail::domain::case_rules
