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
// is not in the published notice at all. Withheld cells are also chosen so
// that no reader of the whole notice can work one out (notice_audit.h):
// merged categories whose published subsidy rates differ, for instance,
// can give their counts away through the merged amount.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "aidtrail/v1/notice.pb.h"
#include "projections/notice_audit.h"

namespace aidtrail::projections {

inline constexpr char kOtherRowKey[] = "OTHER";
inline constexpr char kOtherRowLabelZh[] = "其他（合并小于5件的类别）";
inline constexpr char kOtherRowLabelEn[] = "Other (categories under 5 cases merged)";

// The rule as printed on every notice.
extern const char kSuppressionRuleZh[];
extern const char kSuppressionRuleEn[];

// Applies the rule to `table` in place if it is protected_counts; fills
// AVERAGE cells (fen, rounded half up) in any table. Beyond the cells the
// rule names, it withholds the next smallest cells of a column for as long
// as `reader` (what the rest of the notice tells: notice_audit.h) could pin
// a withheld cell to one value; reader.k is the rule's k.
// Count columns in `hidden` (and the amounts following them) are withheld
// whole: a quantity another table had to withhold (SuppressNotice).
void Suppress(v1::NoticeTable& table, const ReaderKnowledge& reader = {},
              const std::set<std::string>& hidden = {});

// The rule over a whole notice: each table protected against what the
// others publish (their totals, the subsidy standards and method); a
// total that would still let a reader pin a withheld cell is withheld,
// with its column, in every table that publishes it.
void SuppressNotice(std::vector<v1::NoticeTable>& tables);

}  // namespace aidtrail::projections
