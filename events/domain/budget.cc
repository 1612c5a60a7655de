#include "events/domain/budget.h"

#include <string>

namespace aidtrail::domain {

bool Budgets::Apply(const v1::Event& event) {
  const v1::EventPayload& p = event.payload();
  switch (p.kind_case()) {
    case v1::EventPayload::kBudgetAppropriated: {
      const auto& a = p.budget_appropriated();
      BudgetState& y = years_[a.fiscal_year()];
      y.version = event.stream_version();
      BudgetLineState& l = y.lines[a.line()];
      l.appropriated = true;
      l.appropriated_fen += a.amount_fen();
      return true;
    }
    case v1::EventPayload::kBudgetAdjusted: {
      const auto& a = p.budget_adjusted();
      BudgetState& y = years_[a.fiscal_year()];
      y.version = event.stream_version();
      y.lines[a.line()].adjusted_fen += a.delta_fen();
      return true;
    }
    case v1::EventPayload::kExpenditureRecorded: {
      const auto& x = p.expenditure_recorded();
      BudgetState& y = years_[x.fiscal_year()];
      y.version = event.stream_version();
      y.lines[x.line()].paid_fen += x.amount_fen();
      return true;
    }
    case v1::EventPayload::kSubsidyPaid: {
      const auto& x = p.subsidy_paid();
      years_[x.fiscal_year()].lines[v1::BUDGET_LINE_CASE_SUBSIDY].paid_fen += x.amount_fen();
      return true;
    }
    case v1::EventPayload::kServicePayPaid: {
      const auto& x = p.service_pay_paid();
      years_[x.fiscal_year()].lines[x.line()].paid_fen += x.amount_fen();
      return true;
    }
    default:
      return false;
  }
}

const BudgetState* Budgets::Year(int fiscal_year) const {
  auto it = years_.find(fiscal_year);
  return it == years_.end() ? nullptr : &it->second;
}

namespace {

Status CheckYear(int given, int stream_year, const std::string& field) {
  if (given != stream_year)
    return InputError("budget.year_mismatch",
                      "fiscal_year " + std::to_string(given) +
                          " does not match the budget stream's year " + std::to_string(stream_year),
                      "预算年度" + std::to_string(given) + "与预算账户年度" +
                          std::to_string(stream_year) + "不一致",
                      field);
  return {};
}

Error NotAppropriated(int year) {
  return RuleError("budget.not_appropriated",
                   "no budget has been appropriated for this line in " + std::to_string(year),
                   std::to_string(year) + "年度该科目尚未下达预算");
}

}  // namespace

Result<Decision> DecideBudget(const v1::Command& c, int stream_year, const BudgetState* state) {
  Decision d;
  v1::EventPayload e;
  const BudgetLineState empty;
  auto line_of = [&](v1::BudgetLine line) -> const BudgetLineState& {
    const BudgetLineState* l = state ? state->Line(line) : nullptr;
    return l ? *l : empty;
  };
  switch (c.kind_case()) {
    case v1::Command::kAppropriateBudget: {
      const auto& a = c.appropriate_budget();
      if (Status s = CheckYear(a.fiscal_year(), stream_year, "appropriate_budget.fiscal_year"); !s)
        return s.error();
      if (a.line() == v1::BUDGET_LINE_UNSPECIFIED || a.amount_fen() <= 0)
        return InputError("budget.appropriation_incomplete",
                          "an appropriation needs a budget line and a positive amount",
                          "预算下达须指定科目且金额大于零");
      if (line_of(a.line()).appropriated)
        return ConflictError(
            "budget.already_appropriated",
            "this line is already appropriated for the year; record an adjustment instead",
            "该科目本年度预算已下达，如需变动请录入预算调整");
      *e.mutable_budget_appropriated() = a;
      break;
    }
    case v1::Command::kAdjustBudget: {
      const auto& a = c.adjust_budget();
      if (Status s = CheckYear(a.fiscal_year(), stream_year, "adjust_budget.fiscal_year"); !s)
        return s.error();
      const BudgetLineState& l = line_of(a.line());
      if (!l.appropriated) return NotAppropriated(stream_year);
      if (a.delta_fen() == 0 || a.reason().empty())
        return InputError("budget.adjustment_incomplete",
                          "an adjustment needs a non-zero amount and a reason",
                          "预算调整须填写非零金额和调整理由");
      if (l.TotalFen() + a.delta_fen() < l.paid_fen)
        return RuleError("budget.below_paid",
                         "the adjusted budget would be less than what has already been paid (" +
                             Fen(l.paid_fen).ToYuan() + " yuan)",
                         "调整后预算将低于已支付金额（" + Fen(l.paid_fen).ToYuan() + "元）");
      *e.mutable_budget_adjusted() = a;
      break;
    }
    case v1::Command::kRecordExpenditure: {
      const auto& x = c.record_expenditure();
      if (Status s = CheckYear(x.fiscal_year(), stream_year, "record_expenditure.fiscal_year"); !s)
        return s.error();
      if (x.line() == v1::BUDGET_LINE_CASE_SUBSIDY)
        return RuleError("budget.case_subsidy_via_case",
                         "case subsidies are paid on the case (approve, then pay the subsidy)",
                         "办案补贴须在案件中审批并支付，不能直接录入支出");
      if (x.line() == v1::BUDGET_LINE_UNSPECIFIED || x.amount_fen() <= 0 || x.voucher_ref().empty())
        return InputError(
            "budget.expenditure_incomplete",
            "an expenditure needs a budget line, a positive amount and a voucher reference",
            "支出须指定科目、金额大于零并填写凭证号");
      const BudgetLineState& l = line_of(x.line());
      if (!l.appropriated) return NotAppropriated(stream_year);
      if (x.amount_fen() > l.RemainingFen())
        return RuleError("budget.exceeded",
                         "the expenditure exceeds the remaining budget (" +
                             Fen(l.RemainingFen()).ToYuan() + " yuan)",
                         "支出超出该科目剩余预算（剩余" + Fen(l.RemainingFen()).ToYuan() + "元）");
      *e.mutable_expenditure_recorded() = x;
      break;
    }
    default:
      return InputError("budget.unknown_command", "not a budget command", "不是经费类指令");
  }
  d.events.push_back(std::move(e));
  return d;
}

}  // namespace aidtrail::domain

namespace aidtrail::domain {

void Budgets::Export(v1::SharedStateSnapshot& out) const {
  for (const auto& [year, y] : years_) {
    auto& x = *out.add_budgets();
    x.set_fiscal_year(year);
    x.set_version(y.version);
    for (const auto& [line, l] : y.lines) {
      auto& xl = *x.add_lines();
      xl.set_line(line);
      xl.set_appropriated(l.appropriated);
      xl.set_appropriated_fen(l.appropriated_fen);
      xl.set_adjusted_fen(l.adjusted_fen);
      xl.set_paid_fen(l.paid_fen);
    }
  }
}

void Budgets::Import(const v1::SharedStateSnapshot& in) {
  years_.clear();
  for (const auto& x : in.budgets()) {
    BudgetState& y = years_[x.fiscal_year()];
    y.version = x.version();
    for (const auto& xl : x.lines())
      y.lines[xl.line()] = BudgetLineState{xl.appropriated(), xl.appropriated_fen(),
                                           xl.adjusted_fen(), xl.paid_fen()};
  }
}

}  // namespace aidtrail::domain
