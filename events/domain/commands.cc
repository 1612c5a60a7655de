#include "events/domain/commands.h"

#include <algorithm>
#include <string>

#include "events/domain/decision.h"
#include "events/domain/identifiers.h"

namespace aidtrail::domain {
namespace {

using C = v1::Command;
using K = StreamKind;
constexpr v1::Role kIntake = v1::ROLE_INTAKE, kReviewer = v1::ROLE_REVIEWER,
                   kAssigner = v1::ROLE_ASSIGNER, kLawyer = v1::ROLE_LAWYER,
                   kSupervisor = v1::ROLE_SUPERVISOR, kPartner = v1::ROLE_PARTNER,
                   kAuditor = v1::ROLE_AUDITOR, kAdmin = v1::ROLE_ADMIN,
                   kBureau = v1::ROLE_JUDICIAL_BUREAU;

// Whoever may read personal data records each read. Partner agencies hold
// their own files and never read ours.
const std::vector<v1::Role> kEveryStaffRole = {kIntake,     kReviewer, kAssigner, kLawyer,
                                               kSupervisor, kAuditor,  kAdmin};

const std::vector<CommandSpec>& Table() {
  static const std::vector<CommandSpec> table = {
      {C::kSubmitApplication, K::kCase, "受理法律援助申请", {kIntake}},
      {C::kReceiveNotification, K::kCase, "接收通知辩护", {kPartner, kIntake}},
      {C::kRequestMaterials, K::kCase, "一次性告知补充材料", {kIntake, kReviewer}},
      {C::kSupplyMaterials, K::kCase, "登记补充材料", {kIntake, kReviewer}},
      {C::kWithdrawApplication, K::kCase, "撤回申请", {kIntake, kReviewer}},
      {C::kSignCommitment, K::kCase, "登记告知承诺", {kIntake, kReviewer}},
      {C::kVerifyCommitment, K::kCase, "核查承诺事项", {kReviewer}},
      {C::kReview, K::kCase, "审查决定", {kReviewer}},
      {C::kGrantAidFirst, K::kCase, "先行提供法律援助", {kReviewer}},
      {C::kFileObjection, K::kCase, "登记异议", {kIntake, kSupervisor, kBureau}},
      // Art. 49: the judicial bureau, not the centre that decided.
      {C::kDecideObjection, K::kCase, "作出异议处理决定", {kBureau}},
      // Art. 64: the judicial administration, not the centre.
      {C::kOrderCostRecovery, K::kCase, "责令支付法律援助费用", {kBureau}},
      // Finance records the money as received.
      {C::kRecordCostRepayment, K::kCase, "登记缴回法律援助费用", {kAdmin}},
      {C::kAssignLawyer, K::kCase, "指派律师", {kAssigner}},
      {C::kNotifyAssignment, K::kCase, "告知指派情况", {kAssigner}},
      {C::kReplaceLawyer, K::kCase, "更换律师", {kAssigner}},
      {C::kInformAuthority, K::kCase, "告知办案机关承办律师", {kAssigner}},
      // Which kind each role issues is the document's rule (documents.cc).
      {C::kIssueDocument, K::kCase, "出具法律文书", {kIntake, kReviewer, kAssigner, kSupervisor}},
      // The lawyer records the agreement signed; the assigner may enter it
      // from the paper the lawyer files.
      {C::kSignEntrustment, K::kCase, "签订委托协议", {kLawyer, kAssigner}},
      {C::kFileComplaint, K::kCase, "登记投诉", {kIntake, kSupervisor}},
      {C::kResolveComplaint, K::kCase, "办结投诉", {kSupervisor}},
      {C::kScheduleHearing, K::kCase, "登记开庭安排", {kLawyer, kSupervisor}},
      {C::kRecordHearing, K::kCase, "登记开庭", {kLawyer}},
      {C::kAttendHearing, K::kCase, "庭审旁听评价", {kSupervisor}},
      {C::kRecordMediation, K::kCase, "登记调解", {kLawyer}},
      {C::kRecordFollowUp, K::kCase, "回访受援人", {kSupervisor}},
      {C::kRecordAuthorityOpinion, K::kCase, "征询办案机关意见", {kSupervisor}},
      {C::kRecordQualityReview, K::kCase, "案件质量评查", {kSupervisor}},
      {C::kRequireRectification, K::kCase, "下达整改要求", {kSupervisor}},
      {C::kCompleteRectification, K::kCase, "整改完成", {kLawyer}},
      {C::kCloseCase, K::kCase, "结案", {kLawyer}},
      {C::kSubmitClosingFiles, K::kCase, "提交结案材料", {kLawyer}},
      {C::kReviewClosingFiles, K::kCase, "审查结案材料", {kSupervisor}},
      {C::kTerminateAid, K::kCase, "终止法律援助", {kReviewer, kSupervisor}},
      {C::kTransferOut, K::kCase, "转出案件", {kReviewer}},
      {C::kApproveSubsidy, K::kCase, "审批办案补贴", {kSupervisor}},
      {C::kPaySubsidy, K::kCase, "支付办案补贴", {kAdmin}},
      // Which fields each role may correct: corrections.cc.
      {C::kCorrectEvent, K::kCase, "更正记录", {kIntake, kReviewer, kSupervisor}},
      {C::kConfirmRectification, K::kCase, "确认整改完成", {kSupervisor}},
      {C::kJustifyDelay, K::kCase, "逾期情况说明", {kSupervisor}},
      {C::kRecordDutySession, K::kService, "登记值班", {kLawyer, kIntake}},
      {C::kRecordDutyService, K::kService, "登记值班律师法律帮助", {kLawyer, kIntake}},
      {C::kRecordConsultation, K::kService, "登记法律咨询", {kIntake, kLawyer}},
      {C::kRequestHomeVisit, K::kService, "预约上门服务", {kIntake}},
      {C::kCompleteHomeVisit, K::kService, "完成上门服务", {kIntake}},
      {C::kCancelHomeVisit, K::kService, "取消上门服务", {kIntake}},
      // As for case subsidies: a supervisor approves, the admin pays.
      {C::kApproveServicePay, K::kService, "审批值班、咨询补贴", {kSupervisor}},
      {C::kPayServicePay, K::kService, "支付值班、咨询补贴", {kAdmin}},
      {C::kRegisterFirm, K::kFirm, "登记律师事务所", {kAdmin}},
      {C::kRegisterLawyer, K::kLawyer, "登记律师", {kAdmin}},
      {C::kChangeLawyerProfile, K::kLawyer, "变更律师信息", {kAdmin}},
      {C::kSuspendLawyer, K::kLawyer, "暂停律师承办", {kAdmin, kSupervisor}},
      {C::kReinstateLawyer, K::kLawyer, "恢复律师承办", {kAdmin, kSupervisor}},
      {C::kAppropriateBudget, K::kBudget, "下达年度预算", {kAdmin}},
      {C::kAdjustBudget, K::kBudget, "调整预算", {kAdmin}},
      {C::kRecordExpenditure, K::kBudget, "登记经费支出", {kAdmin}},
      {C::kRecordPersonalDataAccess, K::kAccess, "登记个人信息查阅", kEveryStaffRole},
      {C::kSetHardshipStandard, K::kPolicy, "公布经济困难标准", {kAdmin}},
      {C::kSetSubsidyStandard, K::kPolicy, "公布补贴标准", {kAdmin}},
      {C::kSetExemptionList, K::kPolicy, "公布免审范围", {kAdmin}},
      {C::kSetHolidayCalendar, K::kPolicy, "公布节假日安排", {kAdmin}},
      {C::kSetDeadlineRules, K::kPolicy, "设置期限规则", {kAdmin}},
      {C::kSetJurisdiction, K::kPolicy, "设置受理范围", {kAdmin}},
      {C::kSetSubsidyMethod, K::kPolicy, "公布补贴计算办法", {kAdmin}},
  };
  return table;
}

}  // namespace

std::span<const CommandSpec> AllCommands() { return Table(); }

const CommandSpec* FindCommand(v1::Command::KindCase kind) {
  for (const CommandSpec& s : Table())
    if (s.kind == kind) return &s;
  return nullptr;
}

const char* RoleLabelZh(v1::Role role) {
  switch (role) {
    case v1::ROLE_INTAKE:
      return "受理人员";
    case v1::ROLE_REVIEWER:
      return "审查人员";
    case v1::ROLE_ASSIGNER:
      return "指派人员";
    case v1::ROLE_LAWYER:
      return "承办律师";
    case v1::ROLE_SUPERVISOR:
      return "监管人员";
    case v1::ROLE_AUDITOR:
      return "审计人员";
    case v1::ROLE_PARTNER:
      return "通知机关";
    case v1::ROLE_ADMIN:
      return "管理员";
    case v1::ROLE_SYSTEM:
      return "系统";
    case v1::ROLE_JUDICIAL_BUREAU:
      return "司法局";
    default:
      return "未指定角色";
  }
}

Status Authorize(const v1::Command& c) {
  const CommandSpec* spec = FindCommand(c.kind_case());
  if (spec == nullptr)
    return InputError("command.empty", "the command names no action", "指令未指明要办理的事项");
  if (c.command_id().empty())
    return InputError("command.no_id",
                      "command_id is required so that a retry is not recorded twice",
                      "缺少指令编号（command_id），重复提交时无法识别", "command_id");
  if (!c.has_occurred_at())
    return InputError("command.no_time", "occurred_at is required", "缺少发生时间（occurred_at）",
                      "occurred_at");
  // The safety net under the writer's sealing step: clear personal data
  // must never reach a decision, and so never the log.
  if (!c.personal().empty())
    return InputError(
        "command.personal_unsealed",
        "the command carries personal data in the clear; the writer must seal it first",
        "指令含有未加密的个人信息，须由系统加密后才能办理，请联系系统管理员", "personal");
  if (c.actor().id().empty())
    return InputError("command.no_actor", "the actor's id is required", "缺少经办人", "actor.id");
  if (KindOfStream(c.stream_id()) != spec->stream)
    return InputError("command.wrong_stream",
                      std::string("this command belongs on a '") + StreamPrefix(spec->stream) +
                          "' stream, not '" + c.stream_id() + "'",
                      std::string("“") + spec->label_zh + "”应针对" + StreamPrefix(spec->stream) +
                          "类记录，而不是“" + c.stream_id() + "”",
                      "stream_id");
  if (Status s = CheckIdentifiers(c); !s) return s;
  if (std::find(spec->roles.begin(), spec->roles.end(), c.actor().role()) == spec->roles.end())
    return MakeError(
        ErrorKind::kForbidden, "command.role_forbidden",
        "role " + v1::Role_Name(c.actor().role()) + " may not " + spec->label_zh,
        std::string(RoleLabelZh(c.actor().role())) + "无权办理“" + spec->label_zh + "”");
  return {};
}

}  // namespace aidtrail::domain
