// Closure rules: closing the case, closing files, termination (Art. 48),
// subsidies under the closed loop (Art. 52), and corrections.
#include "events/core/types.h"
#include "events/domain/case_rules.h"
#include "events/domain/closed_loop.h"
#include "events/domain/corrections.h"
#include "events/domain/subsidy_formula.h"

namespace aidtrail::domain::case_rules {
namespace {

Result<Decision> Close(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kInHandling}); !st) return st.error();
  if (Status st = RequireOwnLawyer(in); !st) return st.error();
  const auto& c = in.cmd.close_case();
  if (c.outcome() == v1::CASE_OUTCOME_UNSPECIFIED)
    return InputError("case.close_outcome", "record the outcome of the case", "请填写结案结果",
                      "close_case.outcome");
  if (in.state.category == v1::CASE_CATEGORY_CRIMINAL &&
      c.criminal_stage() == v1::CRIMINAL_STAGE_UNSPECIFIED)
    return InputError("case.close_stage",
                      "a criminal case closes at a procedural stage; the subsidy depends on it",
                      "刑事案件结案须注明办结的诉讼阶段（补贴按阶段发放）",
                      "close_case.criminal_stage");
  if (c.amount_recovered_fen() < 0)
    return InputError("case.close_amount", "the amount recovered cannot be negative",
                      "挽回金额不能为负数", "close_case.amount_recovered_fen");
  v1::EventPayload e;
  *e.mutable_case_closed() = c;
  return One(std::move(e));
}

Result<Decision> ClosingFiles(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kClosed}); !st) return st.error();
  const CaseState& s = in.state;
  v1::EventPayload e;
  if (in.cmd.has_submit_closing_files()) {
    if (Status st = RequireOwnLawyer(in); !st) return st.error();
    if (s.closing_submitted_on && !s.closing_reviewed_on)
      return RuleError("case.closing_files_pending",
                       "the closing files are already awaiting review",
                       "结案材料已提交，正在等待审查");
    if (s.closing_accepted)
      return RuleError("case.closing_files_accepted", "the closing files were already accepted",
                       "结案材料已审查通过");
    *e.mutable_closing_files_submitted() = in.cmd.submit_closing_files();
  } else {
    if (!s.closing_submitted_on || s.closing_reviewed_on)
      return RuleError("case.closing_files_none", "no closing files are awaiting review",
                       "没有待审查的结案材料");
    if (!in.cmd.review_closing_files().accepted() && in.cmd.review_closing_files().note().empty())
      return InputError("case.closing_files_note", "say what must be fixed in the files",
                        "请写明结案材料需补正的内容", "review_closing_files.note");
    *e.mutable_closing_files_reviewed() = in.cmd.review_closing_files();
  }
  return One(std::move(e));
}

Result<Decision> Terminate(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kApproved, Stage::kInHandling}); !st) return st.error();
  const auto& t = in.cmd.terminate_aid();
  if (t.ground() == v1::TERMINATION_GROUND_UNSPECIFIED || t.reasons().empty())
    return InputError("case.terminate_incomplete",
                      "Art. 48: state the ground of termination and the reasons",
                      "依法第四十八条，终止法律援助须注明法定情形和理由", "terminate_aid");
  if (t.ground() == v1::TERMINATION_GROUND_REFUSED_AFTER_AID_FIRST)
    return RuleError("case.terminate_by_refusal",
                     "aid given first ends with the review's refusal, which records it; refuse "
                     "the application instead",
                     "先行援助后经审查不符合条件的，由不予援助决定一并终止，请作出不予援助决定",
                     "terminate_aid.ground");
  if (t.ground() == v1::TERMINATION_GROUND_FALSE_COMMITMENT && !in.state.commitment_signed)
    return RuleError("case.terminate_no_commitment",
                     "this case has no commitment that could be false",
                     "本案未签署承诺书，不能以承诺不实为由终止");
  // A defence the law requires (Art. 25 / 28 notification) rests on no
  // economic condition, so it cannot end because the finances improved.
  if (in.state.notification && t.ground() == v1::TERMINATION_GROUND_NO_LONGER_QUALIFIES)
    return RuleError("case.terminate_mandatory_defence",
                     "a defence the authority was required to request (Art. 25 / 28) does not "
                     "depend on the defendant's finances and cannot be terminated on that ground",
                     "本案为办案机关依法通知辩护（法第二十五条、第二十八条），不以经济困难为条件，"
                     "不能以经济状况改善为由终止法律援助",
                     "terminate_aid.ground");
  v1::EventPayload e;
  *e.mutable_aid_terminated() = t;
  return One(std::move(e));
}

// The closed loop (closed_loop.h): money only for cases whose supervision
// evidence is complete; the message names every step that is not.
Status LoopClosedFor(const Input& in) {
  const auto steps = ClosedLoop(in.state, in.ctx.policy, in.at);
  if (LoopClosed(steps)) return {};
  std::string en = "the supervision loop is not closed: ", zh = "监管闭环未完成，不能审批补贴：";
  bool first = true;
  for (const auto& s : steps) {
    if (Satisfied(s.status)) continue;
    en += std::string(first ? "" : "; ") + LoopStepLabelEn(s.step) + " (" +
          LoopStatusName(s.status) + ")";
    zh += std::string(first ? "" : "；") + LoopStepLabelZh(s.step) + "（" +
          LoopStatusLabelZh(s.status) + "）";
    first = false;
  }
  return RuleError("subsidy.loop_not_closed", en, zh);
}

// Aid obtained falsely pays nothing more (Art. 64).
Status NotObtainedFalsely(const Input& in) {
  if (!in.state.obtained_falsely && !in.state.recovery_ordered) return {};
  return RuleError("subsidy.aid_obtained_falsely",
                   "this aid was obtained by deception (a false commitment, fraud or "
                   "concealment): nothing more is approved or paid on the case (Art. 64)",
                   "本案法律援助系以欺骗等不正当手段获得（承诺不实、欺诈或隐瞒），依法第六十四条"
                   "不再审批或支付补贴");
}

// Approves one lawyer's subsidy on a closed case, or on a terminated one
// for the work done (subsidy_formula.h computes it; the event carries the
// formula's inputs). A lawyer replaced mid-case is approved separately.
Result<Decision> ApproveSubsidy(const Input& in) {
  if (Status st = RequireStage(in, {Stage::kClosed, Stage::kTerminated}); !st) return st.error();
  const CaseState& s = in.state;
  const auto& cmd = in.cmd.approve_subsidy();
  const std::string& id = cmd.subsidy_id();
  if (id.empty())
    return InputError("subsidy.id", "a subsidy needs an id", "请填写补贴编号",
                      "approve_subsidy.subsidy_id");
  if (s.subsidies.count(id))
    return ConflictError("subsidy.exists", "this subsidy id is already used", "该补贴编号已存在");
  if (Status st = NotObtainedFalsely(in); !st) return st.error();
  if (Status st = LoopClosedFor(in); !st) return st.error();
  const std::string lawyer = cmd.lawyer_id().empty() ? s.lawyer_id : cmd.lawyer_id();
  if (!s.handling_lawyers.count(lawyer))
    return NotFoundError("subsidy.lawyer_not_on_case",
                         "lawyer " + lawyer + " never handled this case",
                         "律师 " + lawyer + " 未承办本案，不能为其审批补贴");
  for (const auto& [other, sub] : s.subsidies)
    if ((sub.lawyer_id.empty() ? s.lawyer_id : sub.lawyer_id) == lawyer)
      return ConflictError(
          "subsidy.duplicate",
          "lawyer " + lawyer + "'s subsidy on this case was already approved as " + other,
          "本案律师 " + lawyer + " 的补贴已审批（" + other + "）");
  auto computed = ComputeSubsidy(s, in.ctx.policy, lawyer);
  if (!computed.ok()) return computed.error();
  if (computed->lines.empty())
    return RuleError(
        "subsidy.nothing_earned",
        s.stage == Stage::kTerminated
            ? "the aid was terminated and the subsidy method in force pays nothing for this "
              "lawyer's work (no share for terminated cases, or no work on record: an "
              "entrustment signed or a hearing held)"
            : "this lawyer was replaced before finishing a stage and the subsidy method in "
              "force pays nothing for unfinished work (or no work is on record)",
        s.stage == Stage::kTerminated
            ? "本案已终止法律援助，现行补贴办法对该律师已做工作不予计发（未规定终止案件计发比例，"
              "或没有已签委托协议、已开庭等工作记录）"
            : "该律师在办结诉讼阶段前被更换，现行补贴办法对未办结部分不予计发（或没有工作记录）",
        "approve_subsidy.lawyer_id");
  v1::EventPayload e;
  auto* a = e.mutable_subsidy_approved();
  a->set_subsidy_id(id);
  a->set_lawyer_id(lawyer);
  a->set_firm_id(computed->firm_id);
  a->set_amount_fen(computed->amount_fen);
  a->set_fiscal_year(in.day.year());
  a->set_standard_key(computed->StandardKey());
  for (auto& line : computed->lines) *a->add_lines() = std::move(line);
  a->set_method_effective_from(computed->method_effective_from);
  for (uint64_t v :
       {s.closing_review_version, s.follow_up_version, s.quality_review_version,
        s.authority_opinion_version, s.entrustment_version, s.authority_informed_version}) {
    if (v == 0) continue;  // a step this case does not require
    auto* ref = a->add_evidence();
    ref->set_stream_id(in.cmd.stream_id());
    ref->set_stream_version(v);
  }
  return One(std::move(e), in.ctx.policy.VersionTag());
}

// Art. 64: the costs are what the case's subsidies actually paid.
Result<Decision> OrderCostRecovery(const Input& in) {
  const CaseState& s = in.state;
  if (!s.Exists()) return RequireStage(in, {}).error();
  const auto& r = in.cmd.order_cost_recovery();
  if (!s.obtained_falsely)
    return RuleError(
        "case.recovery_not_false",
        "Art. 64 applies to aid obtained by deception: record the false commitment "
        "(verify_commitment) or the termination for fraud or concealment first",
        "依法第六十四条，须先认定以欺骗等不正当手段获得法律援助（承诺不实、欺诈或隐瞒）"
        "，方可责令支付法律援助费用");
  if (s.recovery_ordered)
    return ConflictError("case.recovery_ordered", "recovery has already been ordered on this case",
                         "本案已责令支付法律援助费用");
  if (r.fine_fen() < 0 || r.fine_fen() > 300000)
    return InputError("case.recovery_fine", "Art. 64: the fine is at most 3,000.00 yuan",
                      "依法第六十四条，罚款不得超过三千元", "order_cost_recovery.fine_fen");
  if (r.decision_ref().empty() || r.reasons().empty())
    return InputError("case.recovery_incomplete", "record the decision's number and its reasons",
                      "请填写决定书文号和理由", "order_cost_recovery");
  v1::EventPayload e;
  *e.mutable_aid_cost_recovery_ordered() = r;
  e.mutable_aid_cost_recovery_ordered()->set_costs_fen(PaidOnCase(s.subsidies));
  return One(std::move(e));
}

// Art. 64 money received: only what an order set, never more than is
// still owed, with the receipt; income of the year it was received in.
Result<Decision> RecordCostRepayment(const Input& in) {
  const CaseState& s = in.state;
  if (!s.Exists()) return RequireStage(in, {}).error();
  const auto& r = in.cmd.record_cost_repayment();
  if (!s.recovery_ordered)
    return RuleError("case.recovery_not_ordered",
                     "no Art. 64 order to pay has been made on this case",
                     "本案尚未依法第六十四条责令支付法律援助费用，不能登记缴回");
  if (r.amount_fen() <= 0)
    return InputError("case.repayment_amount", "record the amount received, in fen",
                      "请填写缴回金额（单位：分）", "record_cost_repayment.amount_fen");
  if (r.payment_ref().empty())
    return InputError("case.repayment_ref", "record the receipt's number", "请填写缴款凭证号",
                      "record_cost_repayment.payment_ref");
  const int64_t owed = s.recovery_owed_fen - s.recovery_repaid_fen;
  if (r.amount_fen() > owed)
    return RuleError("case.repayment_exceeds",
                     "only " + Fen(owed).ToYuan() + " yuan is still owed under the order",
                     "按责令决定尚欠" + Fen(owed).ToYuan() + "元，缴回金额超出",
                     "record_cost_repayment.amount_fen");
  v1::EventPayload e;
  *e.mutable_aid_cost_repaid() = r;
  e.mutable_aid_cost_repaid()->set_fiscal_year(in.day.year());
  return One(std::move(e));
}

Result<Decision> PaySubsidy(const Input& in) {
  const auto& p = in.cmd.pay_subsidy();
  auto it = in.state.subsidies.find(p.subsidy_id());
  if (it == in.state.subsidies.end())
    return NotFoundError("subsidy.not_found",
                         "no approved subsidy '" + p.subsidy_id() + "' on this case",
                         "本案没有已审批的补贴“" + p.subsidy_id() + "”");
  if (it->second.paid)
    return ConflictError("subsidy.paid", "this subsidy has already been paid", "该补贴已支付");
  if (Status st = NotObtainedFalsely(in); !st) return st.error();
  if (p.payment_ref().empty())
    return InputError("subsidy.payment_ref", "record the payment voucher reference",
                      "请填写支付凭证号", "pay_subsidy.payment_ref");
  const int year = in.day.year();
  const BudgetState* budget = in.ctx.budgets.Year(year);
  const BudgetLineState* line = budget ? budget->Line(v1::BUDGET_LINE_CASE_SUBSIDY) : nullptr;
  if (line == nullptr || !line->appropriated)
    return RuleError("subsidy.no_budget",
                     "no case-subsidy budget is appropriated for " + std::to_string(year),
                     std::to_string(year) + "年度办案补贴预算尚未下达");
  if (it->second.amount_fen > line->RemainingFen())
    return RuleError("subsidy.budget_exceeded",
                     "paying " + Fen(it->second.amount_fen).ToYuan() +
                         " yuan would exceed the remaining " + std::to_string(year) +
                         " case-subsidy budget of " + Fen(line->RemainingFen()).ToYuan() + " yuan",
                     "支付" + Fen(it->second.amount_fen).ToYuan() + "元将超出" +
                         std::to_string(year) + "年度办案补贴剩余预算" +
                         Fen(line->RemainingFen()).ToYuan() + "元");
  v1::EventPayload e;
  auto* out = e.mutable_subsidy_paid();
  out->set_subsidy_id(p.subsidy_id());
  out->set_amount_fen(it->second.amount_fen);
  out->set_fiscal_year(year);
  out->set_payment_ref(p.payment_ref());
  return One(std::move(e));
}

Result<Decision> Correct(const Input& in) {
  if (!in.state.Exists()) return RequireStage(in, {}).error();
  const auto& c = in.cmd.correct_event();
  if (c.corrected().stream_id() != in.cmd.stream_id() || c.corrected().stream_version() == 0 ||
      c.corrected().stream_version() > in.state.version)
    return InputError("case.correct_target",
                      "a correction must point at an existing event of this case",
                      "更正须指向本案已有的记录", "correct_event.corrected");
  if (c.field().empty() || c.reason().empty())
    return InputError("case.correct_incomplete",
                      "a correction needs the field corrected and the reason",
                      "更正须填写更正事项和理由", "correct_event");
  if (Status s = CheckCorrection(c, in.cmd.actor().role()); !s) return s.error();
  if (Status s = CheckCorrectionTarget(in.state, c, in.ctx.policy, in.cmd.actor().role()); !s)
    return s.error();
  v1::EventPayload e;
  *e.mutable_event_corrected() = c;
  Decision d = One(std::move(e));
  // A subsidy already approved was computed from the record as it stood; the
  // corrected record may imply another amount. The difference is made
  // explicit in the same commit (SubsidyAdjusted) rather than left standing
  // silently: recomputed with the approval's own lookup, at the closing day.
  if (in.state.subsidies.empty() || (!in.state.closed_on && !in.state.terminated_on)) return d;
  CaseState corrected = in.state;
  ApplyCorrection(corrected, c);
  for (const auto& [id, sub] : in.state.subsidies) {
    const std::string& lawyer = sub.lawyer_id.empty() ? in.state.lawyer_id : sub.lawyer_id;
    auto computed = ComputeSubsidy(corrected, in.ctx.policy, lawyer);
    if (!computed.ok()) {
      Error err = computed.error();
      err.code = "correction.no_standard";
      err.message =
          "after the correction: " + err.message + "; the approved subsidy could not be adjusted";
      err.message_zh = "更正后：" + err.message_zh + "，已审批的补贴无法调整";
      return err;
    }
    if (sub.amount_fen == computed->amount_fen) continue;
    v1::EventPayload adj;
    auto* a = adj.mutable_subsidy_adjusted();
    a->set_subsidy_id(id);
    a->set_previous_amount_fen(sub.amount_fen);
    a->set_amount_fen(computed->amount_fen);
    a->set_difference_fen(computed->amount_fen - sub.amount_fen);
    a->set_reason(c.reason());
    a->set_fiscal_year(in.day.year());
    a->set_standard_key(computed->lines.empty() ? sub.standard_key : computed->StandardKey());
    a->mutable_correction()->set_stream_id(in.cmd.stream_id());
    a->mutable_correction()->set_stream_version(in.state.version + 1);  // the EventCorrected above
    a->set_after_payment(sub.paid);
    d.events.push_back(std::move(adj));
    d.policy_version = in.ctx.policy.VersionTag();
  }
  return d;
}

}  // namespace

Result<Decision> Closure(const Input& in) {
  switch (in.cmd.kind_case()) {
    case v1::Command::kCloseCase:
      return Close(in);
    case v1::Command::kSubmitClosingFiles:
    case v1::Command::kReviewClosingFiles:
      return ClosingFiles(in);
    case v1::Command::kTerminateAid:
      return Terminate(in);
    case v1::Command::kApproveSubsidy:
      return ApproveSubsidy(in);
    case v1::Command::kPaySubsidy:
      return PaySubsidy(in);
    case v1::Command::kOrderCostRecovery:
      return OrderCostRecovery(in);
    case v1::Command::kRecordCostRepayment:
      return RecordCostRepayment(in);
    default:
      return Correct(in);
  }
}

}  // namespace aidtrail::domain::case_rules
