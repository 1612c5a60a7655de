// What a reader can work out about a withheld cell of the public notice
// from the notice alone. The small-cell rule (notice_privacy.h) holds only
// if every withheld count could still be at least two different numbers
// given everything published; this is the reader the rule is checked
// against, and the rule uses it to decide when to withhold more.
//
// The reader knows, for a count column of a protected table:
// - the rule itself: a withheld cell is not zero (zeros are shown), and is
//   under k or no larger than the smallest non-zero cell shown in its
//   column (complementary cells are taken smallest first);
// - the cells shown, the "other" row and the total row;
// - the column's total where another table publishes the same quantity
//   (`ReaderKnowledge::totals`: the quarters' table, the firms' table,
//   the service totals);
// - for an amount column following the count (a subsidy amount), what one
//   payment of each row can amount to, from the published subsidy
//   standards and method (`per_case_fen`): so that merged categories with
//   different rates cannot be told apart by their amount;
// - averages add nothing: each is a shown amount over a shown count.
// Not modelled: how a firm's payments split into categories (the firms'
// table publishes counts and amounts per firm, not per category).
//
// Pure functions; no state.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "aidtrail/v1/notice.pb.h"

namespace aidtrail::projections {

// The small-cell rule's k: a count of 1..k-1 is withheld.
inline constexpr int64_t kMinCellCases = 5;

struct ReaderKnowledge {
  int64_t k = kMinCellCases;
  // Column key -> its total as published elsewhere in the notice.
  std::map<std::string, int64_t> totals;
  // Row key -> every amount (fen) one payment counted in that row can be.
  // Absent for a row: its amounts are not modelled (anything goes).
  std::map<std::string, std::vector<int64_t>> per_case_fen;
};

struct WithheldCell {
  std::string row, column;
  // The values it can take, smallest first, at most `cap` of them.
  std::set<int64_t> values;
  // False when the amount constraint was too large to work out exactly and
  // only the counts were used (a weaker reader).
  bool amounts_used = true;
};

// Every withheld count cell of the item rows of `published` (a protected
// table as published), with the values that fit everything the reader
// knows. A table that is not protected has none.
std::vector<WithheldCell> WithheldValues(const v1::NoticeTable& published,
                                         const ReaderKnowledge& reader, size_t cap = 64);

// What a reader of `tables` (other tables of the notice, as published)
// knows about `table`: column totals other tables publish, and the amounts
// one payment of each row can be, from the subsidy standards and method.
ReaderKnowledge KnowledgeFor(const std::vector<v1::NoticeTable>& tables,
                             const v1::NoticeTable& table);

// Where the notice publishes one quantity more than once: a column's
// total in each of these tables (or, for `row`, that row's cell). Knowing
// it in one, a reader knows it in all, so a total withheld in one table
// must be withheld in all of them (SuppressNotice). Spending is one of
// them: the notice exists to publish it, but a period whose case-subsidy
// spending and the published rates give a small count away (one payment
// in a quarter, at the one rate) withholds that line's spending and the
// budget's total spent too (domain.md, "Small cells").
struct QuantityPlace {
  std::string table, column, row = "TOTAL";
};
const std::vector<std::vector<QuantityPlace>>& SameQuantities();
// The group of SameQuantities() holding table/column, or -1.
int SameQuantityGroup(const std::string& table, const std::string& column);

// The amounts (fen) one payment of a case of `category` (an enum name,
// e.g. "CASE_CATEGORY_CRIMINAL") can be under the published standards
// (`standards`: standard key -> fen) and method factors (`method`: row key
// of the subsidy_method table -> per mille; empty: no method). Sorted,
// distinct; empty if no standard of the category is published.
std::vector<int64_t> PerCaseAmounts(const std::string& category,
                                    const std::map<std::string, int64_t>& standards,
                                    const std::map<std::string, int64_t>& method);

}  // namespace aidtrail::projections
