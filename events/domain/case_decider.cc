#include "events/domain/case_decider.h"

#include <algorithm>

#include "events/domain/case_rules.h"
#include "events/domain/commands.h"

namespace aidtrail::domain {
namespace case_rules {

Decision One(v1::EventPayload e, std::string policy_version) {
  Decision d;
  d.events.push_back(std::move(e));
  d.policy_version = std::move(policy_version);
  return d;
}

Status RequireStage(const Input& in, std::initializer_list<Stage> stages) {
  if (std::find(stages.begin(), stages.end(), in.state.stage) != stages.end()) return {};
  const CommandSpec* spec = FindCommand(in.cmd.kind_case());
  const std::string label = spec ? spec->label_zh : "";
  if (!in.state.Exists())
    return NotFoundError("case.not_found", "no case '" + in.cmd.stream_id() + "' has been recorded",
                         "未找到案件“" + in.cmd.stream_id() + "”");
  return RuleError(
      "case.wrong_stage", std::string("not allowed while the case is ") + StageName(in.state.stage),
      std::string("案件当前状态为“") + StageLabelZh(in.state.stage) + "”，不能办理“" + label + "”");
}

Status RequireOwnLawyer(const Input& in) {
  if (in.cmd.actor().role() != v1::ROLE_LAWYER || in.cmd.actor().id() == in.state.lawyer_id)
    return {};
  return MakeError(ErrorKind::kForbidden, "case.not_own_case",
                   "only the lawyer assigned to this case may record this",
                   "只有本案承办律师可以登记此事项");
}

Status Require(bool present, const std::string& field, const std::string& what_en,
               const std::string& what_zh) {
  if (present) return {};
  return InputError("input.missing", what_en + " is required", "请填写" + what_zh, field);
}

}  // namespace case_rules

Result<Decision> DecideCase(const v1::Command& cmd, const CaseState& state,
                            const CaseContext& ctx) {
  using C = v1::Command;
  const Instant at = Instant::FromProto(cmd.occurred_at());
  const case_rules::Input in{cmd, state, ctx, at, CivilDate::Of(at)};
  if (state.Exists() && at < state.received_at)
    return InputError("case.time_before_case", "occurred_at is earlier than the case itself",
                      "发生时间早于案件受理时间", "occurred_at");
  switch (cmd.kind_case()) {
    case C::kSubmitApplication:
    case C::kReceiveNotification:
    case C::kRequestMaterials:
    case C::kSupplyMaterials:
    case C::kSignCommitment:
    case C::kVerifyCommitment:
      return case_rules::Intake(in);
    case C::kReview:
    case C::kGrantAidFirst:
    case C::kFileObjection:
    case C::kDecideObjection:
    case C::kTransferOut:
    case C::kWithdrawApplication:
      return case_rules::Review(in);
    case C::kCloseCase:
    case C::kSubmitClosingFiles:
    case C::kReviewClosingFiles:
    case C::kTerminateAid:
    case C::kApproveSubsidy:
    case C::kPaySubsidy:
    case C::kOrderCostRecovery:
    case C::kRecordCostRepayment:
    case C::kCorrectEvent:
      return case_rules::Closure(in);
    case C::kIssueDocument:
      return case_rules::Documents(in);
    default:
      return case_rules::Handling(in);
  }
}

}  // namespace aidtrail::domain
