// Queries over the money and fairness views, summing each counter over
// partitions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "aidtrail/v1/views.pb.h"
#include "projections/view_store.h"

namespace aidtrail::projections {

// Sums every counter of `family` under `prefix` across partitions; keys are
// returned without their partition tag, parts joined by '/'.
std::map<std::string, int64_t> SumCounters(const ViewStore& store, const std::string& family,
                                           const std::string& prefix);

struct LedgerLine {
  int64_t appropriated_fen = 0;
  int64_t adjusted_fen = 0;
  int64_t spent_fen = 0;  // expenditures; case subsidies are in `paid`
};

struct YearLedger {
  int year = 0;
  std::map<std::string, LedgerLine> lines;      // by BudgetLine name
  std::map<std::string, int64_t> approved_fen;  // "Q1/CASE_CATEGORY_CIVIL" -> fen
  std::map<std::string, int64_t> approved_count;
  std::map<std::string, int64_t> paid_fen;
  std::map<std::string, int64_t> paid_count;
  std::map<std::string, int64_t> paid_by_firm_fen;  // firm id -> fen
  // Paid in this year, by quarter and the fiscal year of the approval paid:
  // "Q1/2023" -> fen.
  std::map<std::string, int64_t> settled_fen;
  // Duty days and consultations: approved in this year, "BUDGET_LINE_DUTY_SUBSIDY/Q1"
  // -> fen; paid in this year, "BUDGET_LINE_DUTY_SUBSIDY/Q1/2023" -> fen (by
  // the approval's year). Their payments are in lines[..].spent_fen.
  std::map<std::string, int64_t> service_approved_fen;
  std::map<std::string, int64_t> service_settled_fen;
  // Art. 64 money paid back in this year (income), "Q1" -> fen.
  std::map<std::string, int64_t> recovered_fen;
  // As UnpaidAt, for a duty or consultation line (by its BudgetLine name).
  [[nodiscard]] int64_t ServiceUnpaidAt(const std::string& line, int through_quarter) const;
  // As PaidForEarlierYears, for a duty or consultation line.
  [[nodiscard]] int64_t ServicePaidForEarlierYears(const std::string& line, int quarter) const;
  [[nodiscard]] int64_t TotalPaid() const;
  // This year's approvals up to the end of `through_quarter` (1-4; 0: the
  // year), less what had been paid toward them by then. Never counts an
  // earlier year's approvals, whose payments this year are
  // PaidForEarlierYears.
  [[nodiscard]] int64_t UnpaidAt(int through_quarter) const;
  // Paid in `quarter` (1-4; 0: the year) toward approvals of earlier years.
  [[nodiscard]] int64_t PaidForEarlierYears(int quarter) const;
  [[nodiscard]] int64_t TotalApproved() const;
  // Case-subsidy budget (appropriated + adjusted) less subsidies paid.
  [[nodiscard]] int64_t CaseSubsidyRemaining() const;
};

struct LawyerLoad {
  std::string lawyer_id;
  int64_t cases = 0;
  std::map<std::string, int64_t> by_method;    // AssignmentMethod name -> cases
  std::map<std::string, int64_t> by_category;  // CaseCategory name -> cases
};

struct FairnessReport {
  int year = 0;
  std::vector<LawyerLoad> lawyers;  // by lawyer id
  int64_t rotation = 0, applicant_choice = 0, specialty_team = 0;
  int64_t min_rotation = 0, max_rotation = 0;
  double mean_rotation = 0;
  double max_deviation = 0;  // largest |rotation cases - mean| / mean
};

class LedgerQueries {
 public:
  explicit LedgerQueries(const ViewStore& store) : store_(store) {}
  [[nodiscard]] YearLedger Ledger(int year) const;
  [[nodiscard]] Result<v1::PaymentTrace> Trace(const std::string& case_stream,
                                               const std::string& subsidy_id) const;
  [[nodiscard]] std::vector<v1::PaymentTrace> Payments(int fiscal_year) const;
  // Duty days' and consultations' pay approved or paid in `fiscal_year`.
  [[nodiscard]] std::vector<v1::ServicePayTrace> ServicePayments(int fiscal_year) const;
  [[nodiscard]] FairnessReport Fairness(int year) const;
  // Public-notice counters of a year: "Q1/received/category/CASE_CATEGORY_CIVIL" -> n.
  [[nodiscard]] std::map<std::string, int64_t> NoticeCounts(int year) const;

 private:
  const ViewStore& store_;
};

}  // namespace aidtrail::projections
