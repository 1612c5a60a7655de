// The small-cell rule of the public notice: a count of fewer than five
// cases (1..4; zero is shown) could point at a person, so it is withheld.
// Withholding one cell of a column is not enough — the column total minus
// the cells shown would give it back — so each column with a withheld cell
// withholds further cells, smallest first, until at least two are withheld
// and together they count at least five. Their sum is published in an
// "其他（合并小于5件的类别）" row; if even every non-zero cell of the column
// together counts fewer than five, that row's cell and the total are
// withheld too. Amount columns follow the suppression of their count
// column; averages are withheld wherever their amount or count is.
//
// Operates on a table whose ITEM and TOTAL rows hold true values; after
// Suppress, withheld cells read 0 with `suppressed` set, so the true value
// is not in the published notice at all.
#pragma once

#include <cstdint>

#include "aidtrail/v1/notice.pb.h"

namespace aidtrail::projections {

inline constexpr int64_t kMinCellCases = 5;

inline constexpr char kOtherRowKey[] = "OTHER";
inline constexpr char kOtherRowLabelZh[] = "其他（合并小于5件的类别）";
inline constexpr char kOtherRowLabelEn[] = "Other (categories under 5 cases merged)";

// The rule as printed on every notice.
extern const char kSuppressionRuleZh[];
extern const char kSuppressionRuleEn[];

// Applies the rule to `table` in place if it is protected_counts; fills
// AVERAGE cells (fen, rounded half up) in any table.
void Suppress(v1::NoticeTable& table, int64_t k = kMinCellCases);

}  // namespace aidtrail::projections
