#include "events/domain/service_pay.h"

#include "events/domain/budget.h"
#include "events/domain/policy.h"

namespace aidtrail::domain {

const char* StationSlug(v1::DutyStation station) {
  switch (station) {
    case v1::DUTY_STATION_COURT:
      return "court";
    case v1::DUTY_STATION_PROCURATORATE:
      return "procuratorate";
    case v1::DUTY_STATION_DETENTION_CENTRE:
      return "detention-centre";
    case v1::DUTY_STATION_ARBITRATION:
      return "arbitration";
    case v1::DUTY_STATION_CENTRE:
      return "centre";
    default:
      return "";
  }
}

std::vector<std::string> ServiceStandardKeys(Payable payable, v1::DutyStation station) {
  const std::string slug = StationSlug(station);
  switch (payable) {
    case Payable::kDutyDay:
      return {"duty-day/" + slug, "duty-day"};
    case Payable::kDutyHalfDay:
      return {"duty-half-day/" + slug, "duty-half-day"};
    case Payable::kConsultation:
      return {"consultation"};
    case Payable::kNone:
      break;
  }
  return {};
}

v1::BudgetLine ServicePayLine(Payable payable) {
  return payable == Payable::kConsultation ? v1::BUDGET_LINE_CONSULTATION_SUBSIDY
                                           : v1::BUDGET_LINE_DUTY_SUBSIDY;
}

namespace {

const char* LineLabelZh(v1::BudgetLine line) {
  return line == v1::BUDGET_LINE_CONSULTATION_SUBSIDY ? "咨询补贴" : "值班补贴";
}

Result<Decision> Approve(const ServiceState& s, const CaseContext& ctx, CivilDate day) {
  if (!s.Exists())
    return NotFoundError("service.not_found", "no service record under this id",
                         "未找到该服务记录");
  if (s.payable == Payable::kNone)
    return RuleError("service_pay.not_payable",
                     "only a duty day (or half day) and a consultation answered by a lawyer are "
                     "paid; this record is neither",
                     "只有值班律师值班和律师解答的法律咨询可以审批补贴，该记录不属于此类");
  if (s.pay_approved)
    return ConflictError("service_pay.approved", "this record's pay was already approved",
                         "该记录的补贴已审批");
  if (!s.service_day)
    return RuleError("service_pay.no_day", "the record has no valid service day",
                     "该记录没有有效的服务日期");
  const auto keys = ServiceStandardKeys(s.payable, s.station);
  const v1::SubsidyStandardSet* standard = nullptr;
  std::string key;
  for (const auto& k : keys)
    if ((standard = ctx.policy.Subsidy(k, *s.service_day)) != nullptr) {
      key = k;
      break;
    }
  if (standard == nullptr)
    return RuleError("service_pay.no_standard",
                     "no standard '" + keys.front() + "' (or '" + keys.back() +
                         "') is in force on " + s.service_day->ToString(),
                     "服务日" + s.service_day->ToString() + "没有适用的补贴标准（" + keys.front() +
                         "），请管理员先公布");
  const LawyerState* lawyer = ctx.roster.Find(s.lawyer_id);
  v1::EventPayload e;
  auto* out = e.mutable_service_pay_approved();
  out->set_line(ServicePayLine(s.payable));
  out->set_lawyer_id(s.lawyer_id);
  out->set_firm_id(lawyer ? lawyer->firm_id : "");
  out->set_amount_fen(standard->amount_fen());
  out->set_standard_key(key);
  out->set_standard_effective_from(standard->effective_from());
  out->set_service_day(s.service_day->ToString());
  out->set_fiscal_year(day.year());
  Decision d;
  d.events.push_back(std::move(e));
  d.policy_version = ctx.policy.VersionTag();
  return d;
}

Result<Decision> Pay(const v1::PayServicePay& p, const ServiceState& s, const CaseContext& ctx,
                     CivilDate day) {
  if (!s.pay_approved)
    return NotFoundError("service_pay.not_found", "this record's pay has not been approved",
                         "该记录的补贴尚未审批");
  if (s.paid)
    return ConflictError("service_pay.paid", "this record's pay has already been paid",
                         "该记录的补贴已支付");
  if (p.payment_ref().empty())
    return InputError("service_pay.payment_ref", "record the payment voucher reference",
                      "请填写支付凭证号", "pay_service_pay.payment_ref");
  const int year = day.year();
  const std::string label = LineLabelZh(s.pay_line);
  const BudgetState* budget = ctx.budgets.Year(year);
  const BudgetLineState* line = budget ? budget->Line(s.pay_line) : nullptr;
  if (line == nullptr || !line->appropriated)
    return RuleError("service_pay.no_budget",
                     "no " + v1::BudgetLine_Name(s.pay_line) + " budget is appropriated for " +
                         std::to_string(year),
                     std::to_string(year) + "年度" + label + "预算尚未下达");
  if (s.pay_fen > line->RemainingFen())
    return RuleError("service_pay.budget_exceeded",
                     "paying " + Fen(s.pay_fen).ToYuan() + " yuan would exceed the remaining " +
                         std::to_string(year) + " " + v1::BudgetLine_Name(s.pay_line) +
                         " budget of " + Fen(line->RemainingFen()).ToYuan() + " yuan",
                     "支付" + Fen(s.pay_fen).ToYuan() + "元将超出" + std::to_string(year) + "年度" +
                         label + "剩余预算" + Fen(line->RemainingFen()).ToYuan() + "元");
  v1::EventPayload e;
  auto* out = e.mutable_service_pay_paid();
  out->set_line(s.pay_line);
  out->set_amount_fen(s.pay_fen);
  out->set_fiscal_year(year);
  out->set_approved_fiscal_year(s.pay_year);
  out->set_payment_ref(p.payment_ref());
  Decision d;
  d.events.push_back(std::move(e));
  return d;
}

}  // namespace

Result<Decision> DecideServicePay(const v1::Command& c, const ServiceState& s,
                                  const CaseContext& ctx) {
  const CivilDate day = CivilDate::Of(Instant::FromProto(c.occurred_at()));
  if (c.has_approve_service_pay()) return Approve(s, ctx, day);
  return Pay(c.pay_service_pay(), s, ctx, day);
}

}  // namespace aidtrail::domain
