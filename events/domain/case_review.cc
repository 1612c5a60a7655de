// Review rules: approve or refuse (Art. 43), aid first (Art. 44), objections
// (Art. 49), transfer out (市域通办) and withdrawal.
#include "events/domain/case_rules.h"
#include "events/domain/eligibility.h"

namespace aidtrail::domain::case_rules {
namespace {

Result<Decision> DoReview(const Input& in) {
  const CaseState& s = in.state;
  if (s.notification)
    return RuleError("case.no_review_for_notification",
                     "a notified criminal case needs no review: assign a lawyer within 3 days",
                     "通知辩护案件无需审查，请在3日内指派律师");
  const bool after_aid_first = s.aid_first && !s.reviewed && s.stage == Stage::kInHandling;
  if (!after_aid_first) {
    if (Status st = RequireStage(in, {Stage::kUnderReview}); !st) return st.error();
  }
  const v1::ReviewApplication& r = in.cmd.review();
  const PolicyState& policy = in.ctx.policy;
  v1::EventPayload e;
  switch (r.decision_case()) {
    case v1::ReviewApplication::kApprove: {
      auto approved = DecideApproval(r.approve(), s, policy);
      if (!approved.ok()) return approved.error();
      *e.mutable_application_approved() = std::move(approved).value();
      return One(std::move(e), policy.VersionTag());
    }
    case v1::ReviewApplication::kRefuse: {
      const auto& rf = r.refuse();
      if (rf.reason() == v1::REFUSAL_REASON_UNSPECIFIED)
        return InputError("review.refuse_reason", "choose the reason for the refusal",
                          "请选择不予援助的理由", "review.refuse.reason");
      if (rf.written_reasons().empty())
        return InputError("review.written_reasons",
                          "Art. 43: a refusal must be written with its reasons, which the "
                          "applicant can object to",
                          "依法第四十三条，不予援助须书面说明理由",
                          "review.refuse.written_reasons");
      auto* out = e.mutable_application_refused();
      out->set_reason(rf.reason());
      out->set_written_reasons(rf.written_reasons());
      std::string applied;
      if (rf.reason() == v1::REFUSAL_REASON_HARDSHIP_NOT_MET) {
        if (!rf.has_evidence())
          return InputError(
              "review.refuse_evidence", "a refusal on hardship needs the evidence it rests on",
              "以经济状况不符合为由不予援助，须填写经济困难审查材料", "review.refuse.evidence");
        const std::string& city = policy.Jurisdiction(s.received_on).city_region();
        const std::string region = city.empty() ? s.domicile_region : city;
        auto a = AssessHardship(rf.evidence(), region, s.received_on.year(), policy);
        if (!a.ok()) return a.error();
        if (a->met())
          return RuleError(
              "review.refuse_but_eligible",
              "the evidence meets the hardship test; the application cannot be refused on hardship",
              "所填材料符合经济困难标准，不能以经济状况不符合为由不予援助",
              "review.refuse.evidence");
        *out->mutable_assessment() = std::move(a).value();
        applied = policy.VersionTag();
      }
      if (rf.reason() == v1::REFUSAL_REASON_OUT_OF_JURISDICTION &&
          CheckJurisdiction(s, policy).ok())
        return RuleError("review.refuse_but_in_jurisdiction",
                         "this case is within this centre's jurisdiction (city-wide handling)",
                         "本案属于本中心受理范围（市域通办），不能以不属于受理范围为由不予援助");
      Decision d = One(std::move(e), applied);
      // Aid given first ends with the refusal: the lawyer stops working on
      // a case the centre has refused (procedure rules, aid first).
      if (after_aid_first) {
        auto* t = d.events.emplace_back().mutable_aid_terminated();
        t->set_ground(v1::TERMINATION_GROUND_REFUSED_AFTER_AID_FIRST);
        t->set_reasons("先行提供法律援助后经审查不符合法律援助条件：" + rf.written_reasons());
      }
      return d;
    }
    default:
      return InputError("review.no_decision", "choose approve or refuse",
                        "请选择给予或不予法律援助", "review");
  }
}

Result<Decision> AidFirst(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kUnderReview, Stage::kAwaitingMaterials}); !st)
    return st.error();
  if (in.state.aid_first)
    return RuleError("case.aid_first_exists", "aid-first was already granted",
                     "本案已决定先行提供法律援助");
  if (in.cmd.grant_aid_first().urgency() == v1::URGENCY_UNSPECIFIED)
    return InputError("case.aid_first_urgency",
                      "Art. 44: state the urgency (limitation period, preservation or enforcement)",
                      "依法第四十四条，请注明紧急情形（期限将届满、需立即保全或先予执行）",
                      "grant_aid_first.urgency");
  v1::EventPayload e;
  *e.mutable_aid_first_granted() = in.cmd.grant_aid_first();
  return One(std::move(e));
}

Result<Decision> Objection(const Input& in) {
  v1::EventPayload e;
  if (in.cmd.has_file_objection()) {
    const auto& o = in.cmd.file_objection();
    const bool ok =
        (o.target() == v1::OBJECTION_TARGET_REFUSAL &&
         (in.state.stage == Stage::kRefused ||
          // refused after aid first: the refusal ended the aid, and stays contestable
          in.state.termination_ground == v1::TERMINATION_GROUND_REFUSED_AFTER_AID_FIRST)) ||
        (o.target() == v1::OBJECTION_TARGET_TERMINATION && in.state.stage == Stage::kTerminated);
    if (!ok)
      return RuleError("case.objection_target",
                       "an objection lies only against a refusal or a termination of this case",
                       "异议只能针对本案的不予援助决定或终止援助决定", "file_objection.target");
    if (o.grounds().empty())
      return InputError("case.objection_grounds", "record the applicant's grounds",
                        "请记录申请人的异议理由", "file_objection.grounds");
    *e.mutable_objection_filed() = o;
  } else {
    if (Status st = RequireStage(in, {Stage::kObjection}); !st) return st.error();
    // Art. 49: the judicial bureau that set up the centre decides, never
    // the agency whose refusal or termination is contested.
    const std::string& agency = in.cmd.actor().agency();
    if (agency.empty())
      return MakeError(
          ErrorKind::kForbidden, "case.objection_no_agency",
          "an objection is decided in the name of a judicial bureau; the actor names none",
          "异议须由司法行政机关以本机关名义处理，操作人未注明所属机关", "actor.agency");
    if (agency == in.state.decision_agency)
      return MakeError(
          ErrorKind::kForbidden, "case.objection_own_decision",
          "the agency that made the contested decision may not decide the objection to it",
          "作出原决定的机构不能处理针对该决定的异议，应由司法行政机关处理", "actor.agency");
    const auto& o = in.cmd.decide_objection();
    if (o.outcome() == v1::OBJECTION_OUTCOME_UNSPECIFIED || o.reasons().empty())
      return InputError("case.objection_decision",
                        "the decision must uphold or order a correction, with reasons",
                        "异议处理决定须选择维持或责令改正，并说明理由", "decide_objection");
    *e.mutable_objection_decided() = o;
  }
  return One(std::move(e));
}

Result<Decision> TransferOut(const Input& in) {
  if (Status st =
          RequireStage(in, {Stage::kUnderReview, Stage::kAwaitingMaterials, Stage::kApproved});
      !st)
    return st.error();
  const auto& t = in.cmd.transfer_out();
  if (t.to_centre().empty() || t.to_region().empty() || t.reason().empty())
    return InputError("case.transfer_incomplete",
                      "a transfer needs the receiving centre, its region and the reason",
                      "转出须填写接收机构、所在地区和转出理由", "transfer_out");
  if (!in.ctx.policy.Jurisdiction(in.day).city_regions().empty() &&
      !in.ctx.policy.InCity(t.to_region(), in.day))
    return RuleError("case.transfer_outside_city",
                     "city-wide handling transfers only to centres in this city",
                     "市域通办只能转至本市其他法律援助机构", "transfer_out.to_region");
  v1::EventPayload e;
  *e.mutable_case_transferred_out() = t;
  return One(std::move(e));
}

Result<Decision> Withdraw(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kUnderReview, Stage::kAwaitingMaterials}); !st)
    return st.error();
  const auto& w = in.cmd.withdraw_application();
  if (w.reason() == v1::WITHDRAWAL_REASON_UNSPECIFIED)
    return InputError("case.withdraw_reason", "choose the reason for the withdrawal",
                      "请选择撤回原因", "withdraw_application.reason");
  if (w.reason() == v1::WITHDRAWAL_REASON_MATERIALS_NOT_SUPPLIED &&
      in.state.stage != Stage::kAwaitingMaterials)
    return RuleError(
        "case.withdraw_not_awaiting",
        "an application is deemed withdrawn for missing materials only after they were asked for",
        "只有在一次性告知补充材料后仍未补充的，才能视为撤回申请");
  v1::EventPayload e;
  *e.mutable_application_withdrawn() = w;
  return One(std::move(e));
}

}  // namespace

Result<Decision> Review(const Input& in) {
  switch (in.cmd.kind_case()) {
    case v1::Command::kReview:
      return DoReview(in);
    case v1::Command::kGrantAidFirst:
      return AidFirst(in);
    case v1::Command::kTransferOut:
      return TransferOut(in);
    case v1::Command::kWithdrawApplication:
      return Withdraw(in);
    default:
      return Objection(in);
  }
}

}  // namespace aidtrail::domain::case_rules
