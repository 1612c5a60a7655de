// The small-cell rule: no published cell counts 1..4 cases, and no withheld
// figure can be worked out from what is published — every subtraction of
// published cells from the totals and the "other" row is tried.
#include "projections/notice_privacy.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <set>

namespace aidtrail::projections {
namespace {

v1::NoticeTable MakeTable(const std::vector<std::vector<int64_t>>& rows, int count_columns,
                          bool amounts = false) {
  v1::NoticeTable t;
  t.set_key("t");
  t.set_protected_counts(true);
  for (int c = 0; c < count_columns; ++c) {
    auto* col = t.add_columns();
    col->set_key("n" + std::to_string(c));
    col->set_kind(v1::NOTICE_COLUMN_KIND_COUNT);
  }
  if (amounts) {
    auto* col = t.add_columns();
    col->set_key("fen");
    col->set_kind(v1::NOTICE_COLUMN_KIND_AMOUNT);
    col->set_count_column("n0");
    auto* avg = t.add_columns();
    avg->set_key("avg");
    avg->set_kind(v1::NOTICE_COLUMN_KIND_AVERAGE);
    avg->set_count_column("n0");
    avg->set_amount_column("fen");
  }
  std::vector<int64_t> totals(size_t(t.columns_size()), 0);
  for (size_t i = 0; i < rows.size(); ++i) {
    auto* r = t.add_rows();
    r->set_key("r" + std::to_string(i));
    r->set_kind(v1::NOTICE_ROW_KIND_ITEM);
    for (int c = 0; c < t.columns_size(); ++c) {
      int64_t v = c < count_columns ? rows[i][size_t(c)] : 0;
      if (amounts && c == count_columns) v = rows[i][0] * 150000 + int64_t(i) * 7;
      r->add_cells()->set_value(v);
      totals[size_t(c)] += v;
    }
  }
  auto* total = t.add_rows();
  total->set_key("TOTAL");
  total->set_kind(v1::NOTICE_ROW_KIND_TOTAL);
  for (int64_t v : totals) total->add_cells()->set_value(v);
  return t;
}

const v1::NoticeRow* RowByKey(const v1::NoticeTable& t, const std::string& key) {
  for (const auto& r : t.rows())
    if (r.key() == key) return &r;
  return nullptr;
}

// Every assignment of the withheld cells of column `c` that agrees with
// what is published: each withheld cell is at least 1 (zeros are shown),
// and they add up to the "other" cell, or else to the total minus every
// cell shown. Returns, per withheld row, the set of values it can take.
std::map<std::string, std::set<int64_t>> FeasibleValues(const v1::NoticeTable& published, int c,
                                                        int64_t cap) {
  std::vector<std::string> unknown;
  int64_t shown = 0;
  std::optional<int64_t> total, other;
  for (const auto& r : published.rows()) {
    const auto& cell = r.cells(c);
    if (r.kind() == v1::NOTICE_ROW_KIND_TOTAL) {
      if (!cell.suppressed()) total = cell.value();
    } else if (r.kind() == v1::NOTICE_ROW_KIND_OTHER) {
      if (!cell.suppressed()) other = cell.value();
    } else if (cell.suppressed()) {
      unknown.push_back(r.key());
    } else {
      shown += cell.value();
    }
  }
  // Every subtraction a reader can do reduces to these two equations.
  std::optional<int64_t> sum = other;
  if (total) {
    if (sum) {
      EXPECT_EQ(*sum, *total - shown) << "the other row and the total disagree";
    }
    sum = *total - shown;
  }
  // x can take value v iff the other m-1 withheld cells can make up the
  // rest, each between 1 and cap.
  std::map<std::string, std::set<int64_t>> feasible;
  const int64_t m = int64_t(unknown.size());
  for (const auto& row : unknown)
    for (int64_t v = 1; v <= cap; ++v) {
      if (!sum) {
        feasible[row].insert(v);
        continue;
      }
      const int64_t rest = *sum - v;
      if (rest >= m - 1 && rest <= (m - 1) * cap) feasible[row].insert(v);
    }
  return feasible;
}

// Checks the published table against the true one.
void ExpectSafe(const v1::NoticeTable& truth, const v1::NoticeTable& published, int count_columns) {
  for (int c = 0; c < count_columns; ++c) {
    int64_t withheld_true = 0;
    for (const auto& r : truth.rows()) {
      if (r.kind() != v1::NOTICE_ROW_KIND_ITEM) continue;
      const v1::NoticeRow* p = RowByKey(published, r.key());
      ASSERT_NE(p, nullptr);
      const auto& cell = p->cells(c);
      const int64_t v = r.cells(c).value();
      if (cell.suppressed()) {
        EXPECT_EQ(cell.value(), 0) << "a withheld cell must not carry its value";
        withheld_true += v;
      } else {
        EXPECT_EQ(cell.value(), v);
        EXPECT_FALSE(v > 0 && v < kMinCellCases)
            << "small cell published: row " << r.key() << " column " << c;
      }
    }
    if (const v1::NoticeRow* o = RowByKey(published, kOtherRowKey);
        o && !o->cells(c).suppressed()) {
      EXPECT_EQ(o->cells(c).value(), withheld_true);
    }
    const auto feasible = FeasibleValues(published, c, 64);
    for (const auto& [row, values] : feasible) {
      EXPECT_GE(values.size(), 2u) << "row " << row << " column " << c << " is recoverable: only "
                                   << (values.empty() ? -1 : *values.begin()) << " fits";
      int64_t truth_v = 0;
      for (const auto& r : truth.rows())
        if (r.key() == row) truth_v = r.cells(c).value();
      if (truth_v <= 64) {
        EXPECT_TRUE(values.count(truth_v)) << "the true value must stay feasible";
      }
    }
  }
}

TEST(NoticePrivacy, NothingSmallNothingWithheld) {
  auto t = MakeTable({{10, 0}, {20, 5}, {7, 9}}, 2);
  const auto truth = t;
  Suppress(t);
  EXPECT_EQ(t.rows_size(), truth.rows_size()) << "no other row when nothing is withheld";
  for (const auto& r : t.rows())
    for (const auto& c : r.cells()) EXPECT_FALSE(c.suppressed());
}

TEST(NoticePrivacy, OneSmallCellTakesTheNextSmallestWithIt) {
  auto t = MakeTable({{300, 0}, {110, 0}, {3, 0}, {12, 0}}, 1);
  const auto truth = t;
  Suppress(t);
  EXPECT_TRUE(RowByKey(t, "r2")->cells(0).suppressed());
  EXPECT_TRUE(RowByKey(t, "r3")->cells(0).suppressed()) << "complementary cell: the next smallest";
  EXPECT_FALSE(RowByKey(t, "r1")->cells(0).suppressed());
  const v1::NoticeRow* other = RowByKey(t, kOtherRowKey);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->label_zh(), "其他（合并小于5件的类别）");
  EXPECT_EQ(other->cells(0).value(), 15);
  EXPECT_EQ(t.rows(t.rows_size() - 1).kind(), v1::NOTICE_ROW_KIND_TOTAL)
      << "the other row precedes the total";
  EXPECT_EQ(t.rows(t.rows_size() - 1).cells(0).value(), 425);
  ExpectSafe(truth, t, 1);
}

TEST(NoticePrivacy, TwoTinyCellsAreNotEnoughTogether) {
  // 1 + 2 = 3 < 5: a third cell joins until the withheld cells count 5 or more.
  auto t = MakeTable({{1}, {2}, {40}, {9}}, 1);
  const auto truth = t;
  Suppress(t);
  EXPECT_TRUE(RowByKey(t, "r3")->cells(0).suppressed());
  EXPECT_EQ(RowByKey(t, kOtherRowKey)->cells(0).value(), 12);
  ExpectSafe(truth, t, 1);
}

TEST(NoticePrivacy, AColumnSmallThroughoutWithholdsItsTotal) {
  auto t = MakeTable({{100, 1}, {50, 2}, {30, 0}}, 2);
  const auto truth = t;
  Suppress(t);
  EXPECT_TRUE(RowByKey(t, kOtherRowKey)->cells(1).suppressed());
  EXPECT_TRUE(RowByKey(t, "TOTAL")->cells(1).suppressed());
  EXPECT_FALSE(RowByKey(t, "TOTAL")->cells(0).suppressed());
  ExpectSafe(truth, t, 2);
}

TEST(NoticePrivacy, AmountsAndAveragesFollowTheirCounts) {
  auto t = MakeTable({{30}, {2}, {8}, {20}}, 1, /*amounts=*/true);
  const auto truth = t;
  Suppress(t);
  const int fen = 1, avg = 2;
  for (const char* row : {"r1", "r2"}) {
    EXPECT_TRUE(RowByKey(t, row)->cells(fen).suppressed()) << row;
    EXPECT_TRUE(RowByKey(t, row)->cells(avg).suppressed()) << row;
    EXPECT_TRUE(RowByKey(t, row)->cells(fen).yuan().empty());
  }
  const v1::NoticeRow* other = RowByKey(t, kOtherRowKey);
  EXPECT_EQ(other->cells(fen).value(), 10 * 150000 + 7 + 14);
  EXPECT_EQ(other->cells(avg).value(), (10 * 150000 + 21 + 5) / 10) << "rounded half up, in fen";
  EXPECT_EQ(RowByKey(t, "r0")->cells(avg).yuan(), "1500.00");
  ExpectSafe(truth, t, 1);
}

TEST(NoticePrivacy, RandomTablesNeverLeakASmallOrWithheldCell) {
  std::mt19937 rng(58);
  for (int round = 0; round < 400; ++round) {
    const int rows = 2 + int(rng() % 6), cols = 1 + int(rng() % 3);
    std::vector<std::vector<int64_t>> v(size_t(rows), std::vector<int64_t>(size_t(cols), 0));
    for (auto& r : v)
      for (auto& x : r) x = rng() % 3 == 0 ? int64_t(rng() % 5) : int64_t(rng() % 30);
    auto t = MakeTable(v, cols);
    const auto truth = t;
    Suppress(t);
    SCOPED_TRACE("round " + std::to_string(round));
    ExpectSafe(truth, t, cols);
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(NoticePrivacy, UnprotectedTablesAreLeftAlone) {
  auto t = MakeTable({{1}, {2}}, 1);
  t.set_protected_counts(false);
  Suppress(t);
  EXPECT_EQ(RowByKey(t, "r0")->cells(0).value(), 1);
  EXPECT_EQ(RowByKey(t, kOtherRowKey), nullptr);
}

}  // namespace
}  // namespace aidtrail::projections
