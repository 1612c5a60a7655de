// Money and fairness views: the funding ledger (budget, approved, paid, per
// year, quarter, category, line) with a trace of every payment to its case,
// its supervision evidence and its policy version, and of every duty day's
// and consultation's pay to its service record; assignment fairness per
// lawyer; and the public-notice aggregates (counts only, no personal data).
// Every counter is keyed by partition and summed at query time.
//
// REQUIRES: registered after CaseSummaryView, whose summaries (for a
// case's category) they read from the same batch.
#pragma once

#include "projections/engine.h"

namespace aidtrail::projections {

inline constexpr char kLedger[] = "ledger";      // counters
inline constexpr char kPayments[] = "payments";  // case \0 subsidy -> PaymentTrace
// service stream -> ServicePayTrace (duty days and consultations)
inline constexpr char kServicePayments[] = "service_payments";
inline constexpr char kFairness[] = "fairness";  // counters
inline constexpr char kNotice[] = "notice";      // counters

class LedgerView final : public View {
 public:
  [[nodiscard]] std::string name() const override { return "ledger"; }
  [[nodiscard]] std::vector<std::string> dependencies() const override { return {"cases"}; }
  [[nodiscard]] std::vector<std::string> families() const override {
    return {kLedger, kPayments, kServicePayments};
  }
  void Apply(const store::ScannedCommit& commit, Batch& batch) override;
};

class FairnessView final : public View {
 public:
  [[nodiscard]] std::string name() const override { return "fairness"; }
  [[nodiscard]] std::vector<std::string> dependencies() const override { return {"cases"}; }
  [[nodiscard]] std::vector<std::string> families() const override { return {kFairness}; }
  void Apply(const store::ScannedCommit& commit, Batch& batch) override;
};

class NoticeView final : public View {
 public:
  [[nodiscard]] std::string name() const override { return "notice"; }
  [[nodiscard]] std::vector<std::string> dependencies() const override { return {"cases"}; }
  [[nodiscard]] std::vector<std::string> families() const override { return {kNotice}; }
  void Apply(const store::ScannedCommit& commit, Batch& batch) override;
};

// Joins key parts with '\0' and appends the partition tag.
std::string CounterKey(std::initializer_list<std::string> parts, int32_t partition);
// "2024" and "Q1".."Q4" of an event's business date (China Standard Time).
std::pair<std::string, std::string> YearQuarter(const v1::Event& e);

}  // namespace aidtrail::projections
