// The budget of each fiscal year (stream "budget/<year>"), per budget line,
// and what has been paid from it (case subsidies are paid on case streams and
// folded in here too, so "remaining" is exact in log order).
#pragma once

#include <cstdint>
#include <map>

#include "aidtrail/v1/envelope.pb.h"
#include "aidtrail/v1/writer_state.pb.h"
#include "events/core/types.h"
#include "events/domain/decision.h"

namespace aidtrail::domain {

struct BudgetLineState {
  bool appropriated = false;
  int64_t appropriated_fen = 0;
  int64_t adjusted_fen = 0;
  int64_t paid_fen = 0;
  [[nodiscard]] int64_t TotalFen() const { return appropriated_fen + adjusted_fen; }
  [[nodiscard]] int64_t RemainingFen() const { return TotalFen() - paid_fen; }
};

struct BudgetState {
  uint64_t version = 0;
  std::map<int, BudgetLineState> lines;  // v1::BudgetLine -> state
  [[nodiscard]] const BudgetLineState* Line(v1::BudgetLine line) const {
    auto it = lines.find(line);
    return it == lines.end() ? nullptr : &it->second;
  }
};

class Budgets {
 public:
  // Returns whether the event changed any year's budget.
  bool Apply(const v1::Event& event);
  // nullptr when nothing is known about the year.
  [[nodiscard]] const BudgetState* Year(int fiscal_year) const;

  // The budgets as a writer stores them (ingest/writer_store.h), and back.
  void Export(v1::SharedStateSnapshot& out) const;
  void Import(const v1::SharedStateSnapshot& in);

 private:
  std::map<int, BudgetState> years_;
};

Result<Decision> DecideBudget(const v1::Command& command, int stream_year,
                              const BudgetState* state);

}  // namespace aidtrail::domain
