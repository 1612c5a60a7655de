#include "projections/notice_privacy.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "events/core/types.h"
#include "projections/notice_audit.h"

namespace aidtrail::projections {

const char kSuppressionRuleZh[] =
    "为保护当事人个人信息，本公示不含任何受援人姓名、身份证号码、电话、住址或案件编号；"
    "统计数少于5件（人次）的单元格不单独公布（以“*"
    "”表示），其数字并入“其他（合并小于5件的类别）”行；"
    "为防止通过合计相减推算出被隐藏的数字，同一栏目中另有最小的单元格一并隐藏，"
    "直至隐藏的单元格不少于两个且合计不少于5件；金额及平均数随其件数一并隐藏；"
    "若结合公布的补贴标准、计算办法或其他表格的合计仍能推算出被隐藏的数字，"
    "则继续隐藏，必要时该栏目在各表中一并不公布；"
    "本期办案补贴支付笔数过少、其支出金额结合补贴标准即可推算出件数的，"
    "经费表中办案补贴支出及支出合计亦不公布。";
const char kSuppressionRuleEn[] =
    "No applicant's name, ID number, phone, address or case number appears in this notice. A cell "
    "counting fewer than 5 cases (services) is withheld (shown as *) and added to the row 'Other'; "
    "so "
    "that no withheld figure can be recovered from the totals by subtraction, the next smallest "
    "cells of "
    "the same column are withheld too until at least two cells counting at least 5 together are "
    "withheld. "
    "Amounts and averages are withheld with their counts. Where the published subsidy "
    "standards, the subsidy method or another table's totals would still give a withheld "
    "figure away, more is withheld, if need be the whole column in every table; where a period's "
    "case-subsidy payments are so few that their spending and the standards give their number "
    "away, the budget table withholds that spending and the total spent too.";

namespace {

using Kind = v1::NoticeColumnKind;

std::vector<int> RowsOf(const v1::NoticeTable& t, v1::NoticeRowKind kind) {
  std::vector<int> out;
  for (int i = 0; i < t.rows_size(); ++i)
    if (t.rows(i).kind() == kind) out.push_back(i);
  return out;
}

int ColumnIndex(const v1::NoticeTable& t, const std::string& key) {
  for (int i = 0; i < t.columns_size(); ++i)
    if (t.columns(i).key() == key) return i;
  return -1;
}

// Rows to withhold in count column `c`: primary small cells, then the
// smallest remaining non-zero cells until the withheld set is safe.
std::set<int> WithheldRows(const v1::NoticeTable& t, const std::vector<int>& items, int c,
                           int64_t k) {
  std::set<int> s;
  int64_t sum = 0;
  for (int r : items) {
    const int64_t v = t.rows(r).cells(c).value();
    if (v > 0 && v < k) {
      s.insert(r);
      sum += v;
    }
  }
  if (s.empty()) return s;
  std::vector<int> rest;
  for (int r : items)
    if (!s.count(r) && t.rows(r).cells(c).value() > 0) rest.push_back(r);
  std::stable_sort(rest.begin(), rest.end(), [&](int a, int b) {
    return t.rows(a).cells(c).value() < t.rows(b).cells(c).value();
  });
  for (int r : rest) {
    if (s.size() >= 2 && sum >= k) break;
    s.insert(r);
    sum += t.rows(r).cells(c).value();
  }
  return s;
}

void SetAmount(v1::NoticeCell& cell, int64_t fen) {
  cell.set_value(fen);
  cell.set_yuan(Fen(fen).ToYuan());
}

void Withhold(v1::NoticeCell& cell) {
  cell.set_value(0);
  cell.set_yuan("");
  cell.set_suppressed(true);
}

int64_t RoundedDiv(int64_t num, int64_t den) {
  const int64_t q = num / den, r = num % den;
  return 2 * (r < 0 ? -r : r) >= den ? q + (num < 0 ? -1 : 1) : q;
}

void FillAverages(v1::NoticeTable& t) {
  for (int c = 0; c < t.columns_size(); ++c) {
    const auto& col = t.columns(c);
    if (col.kind() != Kind::NOTICE_COLUMN_KIND_AVERAGE) continue;
    const int a = ColumnIndex(t, col.amount_column()), n = ColumnIndex(t, col.count_column());
    for (auto& row : *t.mutable_rows()) {
      v1::NoticeCell& cell = *row.mutable_cells(c);
      const auto& amount = row.cells(a);
      const auto& count = row.cells(n);
      if (amount.suppressed() || count.suppressed()) {
        Withhold(cell);
      } else if (count.value() == 0) {
        cell.set_value(0);
        cell.set_text("—");  // no case, no average
      } else {
        SetAmount(cell, RoundedDiv(amount.value(), count.value()));
      }
    }
  }
}

// The table as published when `withheld` (count column -> item rows) are
// withheld: their sums in an "other" row before the totals, amounts
// following their counts, and where a column's withheld cells still count
// fewer than k, that row's cell and the total withheld too. `truth` holds
// true values in every cell.
// Amount columns in `sums_withheld` keep their "other" and total cells
// back as well.
v1::NoticeTable Publish(const v1::NoticeTable& truth, std::map<int, std::set<int>> withheld,
                        const std::set<int>& sums_withheld, int64_t k) {
  v1::NoticeTable t = truth;
  const std::vector<int> totals = RowsOf(t, v1::NOTICE_ROW_KIND_TOTAL);
  bool any = false;
  for (const auto& [c, rows] : withheld) any = any || !rows.empty();
  if (!any) {
    FillAverages(t);
    return t;
  }
  v1::NoticeRow other;
  other.set_key(kOtherRowKey);
  other.set_label_zh(kOtherRowLabelZh);
  other.set_label_en(kOtherRowLabelEn);
  other.set_kind(v1::NOTICE_ROW_KIND_OTHER);
  for (int c = 0; c < t.columns_size(); ++c) other.add_cells();

  // Sums first, from the true values; then withhold.
  std::vector<std::pair<int, bool>>
      plan;  // (count column, whole column small) per column; -1: untouched
  for (int c = 0; c < t.columns_size(); ++c) {
    const auto& col = t.columns(c);
    const int count_c = col.kind() == Kind::NOTICE_COLUMN_KIND_COUNT ? c
                        : col.kind() == Kind::NOTICE_COLUMN_KIND_AMOUNT
                            ? ColumnIndex(t, col.count_column())
                            : -1;
    if (count_c < 0) {
      plan.emplace_back(-1, false);
      continue;
    }
    const std::set<int>& rows = withheld[count_c];
    int64_t sum = 0, count_sum = 0;
    for (int r : rows) {
      sum += t.rows(r).cells(c).value();
      count_sum += t.rows(r).cells(count_c).value();
    }
    v1::NoticeCell& o = *other.mutable_cells(c);
    if (col.kind() == Kind::NOTICE_COLUMN_KIND_AMOUNT)
      SetAmount(o, sum);
    else
      o.set_value(sum);
    // Every non-zero cell withheld and still under k: the total would give it away.
    plan.emplace_back(count_c, !rows.empty() && count_sum < k);
  }
  for (int c = 0; c < t.columns_size(); ++c) {
    const auto [count_c, whole_column_small] = plan[size_t(c)];
    if (count_c < 0) continue;
    if (whole_column_small || sums_withheld.count(c)) {
      Withhold(*other.mutable_cells(c));
      for (int r : totals) Withhold(*t.mutable_rows(r)->mutable_cells(c));
    }
    for (int r : withheld[count_c]) Withhold(*t.mutable_rows(r)->mutable_cells(c));
  }
  // The "other" row goes just before the totals.
  const int at = totals.empty() ? t.rows_size() : totals.front();
  t.mutable_rows()->Add(std::move(other));
  for (int i = t.rows_size() - 1; i > at; --i) t.mutable_rows()->SwapElements(i, i - 1);
  FillAverages(t);
  return t;
}

// The smallest non-zero item row of column `c` not yet withheld, or -1.
int NextSmallest(const v1::NoticeTable& t, const std::vector<int>& items, int c,
                 const std::set<int>& withheld) {
  int best = -1;
  for (int r : items) {
    const int64_t v = t.rows(r).cells(c).value();
    if (v > 0 && !withheld.count(r) && (best < 0 || v < t.rows(best).cells(c).value())) best = r;
  }
  return best;
}

// Withholds the cell at `p` of an unprotected table; where that is an item
// row, the column's totals too, which would give it back by subtraction.
void WithholdPlace(v1::NoticeTable& t, const QuantityPlace& p) {
  const int c = ColumnIndex(t, p.column);
  if (c < 0) return;
  bool item = false;
  for (auto& row : *t.mutable_rows())
    if (row.key() == p.row && c < row.cells_size()) {
      Withhold(*row.mutable_cells(c));
      item = item || row.kind() == v1::NOTICE_ROW_KIND_ITEM;
    }
  if (!item) return;
  for (auto& row : *t.mutable_rows())
    if (row.kind() == v1::NOTICE_ROW_KIND_TOTAL && c < row.cells_size())
      Withhold(*row.mutable_cells(c));
}

}  // namespace

void Suppress(v1::NoticeTable& t, const ReaderKnowledge& reader,
              const std::set<std::string>& hidden) {
  const int64_t k = reader.k;
  // Make sure every row has a cell per column.
  for (auto& row : *t.mutable_rows())
    while (row.cells_size() < t.columns_size()) row.add_cells();
  if (!t.protected_counts()) {
    FillAverages(t);
    return;
  }
  const std::vector<int> items = RowsOf(t, v1::NOTICE_ROW_KIND_ITEM);
  std::map<int, std::set<int>> withheld;  // count column -> rows
  for (int c = 0; c < t.columns_size(); ++c)
    if (t.columns(c).kind() == Kind::NOTICE_COLUMN_KIND_COUNT)
      withheld[c] = WithheldRows(t, items, c, k);
  // Withhold more, smallest first, while a reader of everything published
  // (notice_audit.h) could still pin a withheld cell to one value. With
  // every non-zero cell of a column withheld, what is left to give it away
  // is the merged amount: its "other" and total cells are withheld then.
  std::set<int> sums_withheld;  // columns whose "other" and total are withheld
  // Hides count column `c` whole: every non-zero cell, the sums, and the
  // sums of the amounts following it.
  const auto hide = [&](int c) {
    bool more = sums_withheld.insert(c).second;
    for (int a = 0; a < t.columns_size(); ++a)
      if (t.columns(a).kind() == Kind::NOTICE_COLUMN_KIND_AMOUNT &&
          t.columns(a).count_column() == t.columns(c).key())
        more = sums_withheld.insert(a).second || more;
    return more;
  };
  for (int c = 0; c < t.columns_size(); ++c) {
    const auto& col = t.columns(c);
    const bool hidden_here =
        hidden.count(col.key()) ||
        (col.kind() == Kind::NOTICE_COLUMN_KIND_AMOUNT && hidden.count(col.count_column()));
    if (!hidden_here) continue;
    const int count_c =
        col.kind() == Kind::NOTICE_COLUMN_KIND_COUNT ? c : ColumnIndex(t, col.count_column());
    if (count_c < 0) continue;
    for (int r : items)
      if (t.rows(r).cells(count_c).value() > 0) withheld[count_c].insert(r);
    hide(count_c);
  }
  for (;;) {
    v1::NoticeTable published = Publish(t, withheld, sums_withheld, k);
    bool more = false;
    std::set<int> widened;
    for (const WithheldCell& cell : WithheldValues(published, reader, 2)) {
      if (cell.values.size() >= 2) continue;
      const int c = ColumnIndex(t, cell.column);
      if (c < 0 || widened.count(c)) continue;
      const int next = NextSmallest(t, items, c, withheld[c]);
      widened.insert(c);
      if (next >= 0) {
        withheld[c].insert(next);
        more = true;
        continue;
      }
      more = hide(c) || more;
    }
    if (!more) {
      t = std::move(published);
      return;
    }
  }
}

void SuppressNotice(std::vector<v1::NoticeTable>& tables) {
  // Tables others read totals from come first: every unprotected table,
  // then the quarters' and the firms' tables; a table is protected against
  // what the tables already done publish.
  const auto rank = [](const v1::NoticeTable& t) {
    if (!t.protected_counts()) return 0;
    return t.key() == "by_quarter" || t.key() == "payments_by_firm" ? 1 : 2;
  };
  std::vector<size_t> order(tables.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return rank(tables[a]) < rank(tables[b]); });
  const std::vector<v1::NoticeTable> truth = tables;
  // A quantity published in several tables (SameQuantities) that still
  // lets a reader pin a withheld cell is hidden in all of them, whole;
  // each round hides one more such quantity, at most one per group.
  std::set<int> hidden_groups;
  for (size_t round = 0; round <= SameQuantities().size(); ++round) {
    std::map<std::string, std::set<std::string>> hidden;  // table -> columns
    for (int g : hidden_groups)
      for (const QuantityPlace& p : SameQuantities()[size_t(g)]) hidden[p.table].insert(p.column);
    tables = truth;
    std::vector<v1::NoticeTable> done;
    for (size_t i : order) {
      v1::NoticeTable& t = tables[i];
      Suppress(t, KnowledgeFor(done, t), hidden[t.key()]);
      if (!t.protected_counts())  // a published total of a hidden quantity
        for (int g : hidden_groups)
          for (const QuantityPlace& p : SameQuantities()[size_t(g)])
            if (p.table == t.key()) WithholdPlace(t, p);
      done.push_back(t);
    }
    bool more = false;
    for (const auto& t : tables)
      for (const WithheldCell& cell : WithheldValues(t, KnowledgeFor(tables, t), 2)) {
        if (cell.values.size() >= 2) continue;
        // The count's total first, then the amount following it.
        std::vector<int> groups{SameQuantityGroup(t.key(), cell.column)};
        for (const auto& col : t.columns())
          if (col.kind() == Kind::NOTICE_COLUMN_KIND_AMOUNT && col.count_column() == cell.column)
            groups.push_back(SameQuantityGroup(t.key(), col.key()));
        for (int g : groups)
          if (g >= 0 && hidden_groups.insert(g).second) {
            more = true;
            break;
          }
      }
    if (!more) return;
  }
}

}  // namespace aidtrail::projections
