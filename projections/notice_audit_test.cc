// The reader the small-cell rule is checked against (notice_audit.h):
// checked itself against brute force on small tables, shown to find the
// leaks a count-only rule leaves (merged categories with different rates,
// five withheld ones), and the rule shown to close them on hand-made and
// random tables.
#include "projections/notice_audit.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "projections/notice_privacy.h"

namespace aidtrail::projections {
namespace {

struct Row {
  std::string key;
  std::vector<int64_t> per_case;  // amounts one payment of this row can be
  std::vector<int64_t> paid;      // the true payments
};

// A subsidy-like table: a count column and the amount column following it,
// total row, true values.
v1::NoticeTable MakeTable(const std::vector<Row>& rows) {
  v1::NoticeTable t;
  t.set_key("t");
  t.set_protected_counts(true);
  auto* n = t.add_columns();
  n->set_key("n");
  n->set_kind(v1::NOTICE_COLUMN_KIND_COUNT);
  auto* fen = t.add_columns();
  fen->set_key("fen");
  fen->set_kind(v1::NOTICE_COLUMN_KIND_AMOUNT);
  fen->set_count_column("n");
  int64_t count = 0, amount = 0;
  for (const Row& row : rows) {
    auto* r = t.add_rows();
    r->set_key(row.key);
    r->set_kind(v1::NOTICE_ROW_KIND_ITEM);
    int64_t sum = 0;
    for (int64_t p : row.paid) sum += p;
    r->add_cells()->set_value(int64_t(row.paid.size()));
    r->add_cells()->set_value(sum);
    count += int64_t(row.paid.size());
    amount += sum;
  }
  auto* total = t.add_rows();
  total->set_key("TOTAL");
  total->set_kind(v1::NOTICE_ROW_KIND_TOTAL);
  total->add_cells()->set_value(count);
  total->add_cells()->set_value(amount);
  return t;
}

ReaderKnowledge Reader(const std::vector<Row>& rows) {
  ReaderKnowledge r;
  for (const Row& row : rows) r.per_case_fen[row.key] = row.per_case;
  return r;
}

std::map<std::string, std::set<int64_t>> ValuesOf(const v1::NoticeTable& t,
                                                  const ReaderKnowledge& reader) {
  std::map<std::string, std::set<int64_t>> out;
  for (const auto& c : WithheldValues(t, reader))
    if (c.column == "n") {
      EXPECT_TRUE(c.amounts_used) << c.row;
      out[c.row] = c.values;
    }
  return out;
}

// No published cell 1..4; every withheld count can be two values at least,
// its true one among them.
void ExpectSafe(const std::vector<Row>& rows, const v1::NoticeTable& published,
                const ReaderKnowledge& reader) {
  const auto values = ValuesOf(published, reader);
  for (const Row& row : rows) {
    const int64_t truth = int64_t(row.paid.size());
    for (const auto& r : published.rows()) {
      if (r.key() != row.key) continue;
      if (!r.cells(0).suppressed()) {
        EXPECT_FALSE(truth > 0 && truth < kMinCellCases) << "small cell published: " << row.key;
        continue;
      }
      const auto it = values.find(row.key);
      ASSERT_NE(it, values.end()) << row.key;
      EXPECT_GE(it->second.size(), 2u) << row.key << " can only be " << *it->second.begin();
      EXPECT_TRUE(it->second.count(truth)) << row.key << ": the true value must fit";
    }
  }
}

// What fits, by brute force: every count vector in [1, upper] adding up to
// `sum`, and for each every choice of payments adding up to `amount`.
std::map<std::string, std::set<int64_t>> BruteForce(const std::vector<Row>& rows,
                                                    const std::vector<size_t>& withheld,
                                                    int64_t sum, int64_t amount, int64_t upper) {
  std::map<std::string, std::set<int64_t>> out;
  std::vector<int64_t> x(withheld.size(), 1);
  // Whether row i onwards can make up `left` with counts x[i..].
  std::function<bool(size_t, size_t, int64_t)> fits = [&](size_t i, size_t picked,
                                                          int64_t left) -> bool {
    if (i == withheld.size()) return left == 0;
    if (picked == size_t(x[i])) return fits(i + 1, 0, left);
    for (int64_t p : rows[withheld[i]].per_case)
      if (p <= left && fits(i, picked + 1, left - p)) return true;
    return false;
  };
  std::function<void(size_t, int64_t)> each = [&](size_t i, int64_t left) {
    if (i == withheld.size()) {
      if (left == 0 && fits(0, 0, amount))
        for (size_t j = 0; j < withheld.size(); ++j) out[rows[withheld[j]].key].insert(x[j]);
      return;
    }
    for (int64_t v = 1; v <= upper && v <= left; ++v) {
      x[i] = v;
      each(i + 1, left - v);
    }
  };
  each(0, sum);
  return out;
}

TEST(NoticeAudit, FindsTheCountsOfMergedCategoriesWithDifferentRates) {
  // 2 administrative at 2,000 yuan and 3 non-litigation at 1,000: merged
  // into "other" they count 5 and 7,000 yuan, and only 2 + 3 fits.
  const std::vector<Row> rows = {{"civil", {150000}, std::vector<int64_t>(40, 150000)},
                                 {"admin", {200000}, {200000, 200000}},
                                 {"nonlit", {100000}, {100000, 100000, 100000}}};
  auto t = MakeTable(rows);
  Suppress(t);  // what a rule blind to the rates publishes
  const auto values = ValuesOf(t, Reader(rows));
  EXPECT_EQ(values.at("admin"), (std::set<int64_t>{2}));
  EXPECT_EQ(values.at("nonlit"), (std::set<int64_t>{3}));

  auto safe = MakeTable(rows);
  Suppress(safe, Reader(rows));
  ExpectSafe(rows, safe, Reader(rows));
}

TEST(NoticeAudit, FindsFiveWithheldOnes) {
  // Five rows of 1: the other row says 5, and each withheld cell is not 0.
  std::vector<Row> rows;
  for (int i = 0; i < 5; ++i) rows.push_back({"r" + std::to_string(i), {}, {100}});
  rows.push_back({"big", {}, std::vector<int64_t>(50, 100)});
  // As a rule that only asks for two cells counting 5 would publish it.
  auto t = MakeTable(rows);
  for (int i = 0; i < 5; ++i)
    for (auto& c : *t.mutable_rows(i)->mutable_cells()) {
      c.set_value(0);
      c.set_suppressed(true);
    }
  auto* other = t.add_rows();
  other->set_key("OTHER");
  other->set_kind(v1::NOTICE_ROW_KIND_OTHER);
  other->add_cells()->set_value(5);
  other->add_cells()->set_value(500);
  ReaderKnowledge counts_only;
  for (const auto& c : WithheldValues(t, counts_only))
    if (c.column == "n" && c.row != "big") {
      EXPECT_EQ(c.values, (std::set<int64_t>{1})) << c.row;
    }

  auto safe = MakeTable(rows);
  Suppress(safe, counts_only);
  ExpectSafe(rows, safe, counts_only);
}

TEST(NoticeAudit, AgreesWithBruteForceOnSmallTables) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<Row> rows;
    const int m = 2 + int(rng() % 2);
    for (int i = 0; i < m; ++i) {
      Row r{"r" + std::to_string(i), {}, {}};
      for (int j = 0, n = 1 + int(rng() % 3); j < n; ++j)
        r.per_case.push_back(10 * (1 + int64_t(rng() % 6)));
      std::sort(r.per_case.begin(), r.per_case.end());
      r.per_case.erase(std::unique(r.per_case.begin(), r.per_case.end()), r.per_case.end());
      for (int j = 0, n = 1 + int(rng() % 4); j < n; ++j)
        r.paid.push_back(r.per_case[rng() % r.per_case.size()]);
      rows.push_back(r);
    }
    // Everything withheld: the other row publishes the sums.
    auto t = MakeTable(rows);
    int64_t sum = 0, amount = 0;
    for (auto& r : *t.mutable_rows()) {
      if (r.kind() != v1::NOTICE_ROW_KIND_ITEM) continue;
      sum += r.cells(0).value();
      amount += r.cells(1).value();
      for (auto& c : *r.mutable_cells()) {
        c.set_value(0);
        c.set_suppressed(true);
      }
    }
    auto* other = t.add_rows();
    other->set_key("OTHER");
    other->set_kind(v1::NOTICE_ROW_KIND_OTHER);
    other->add_cells()->set_value(sum);
    other->add_cells()->set_value(amount);
    std::vector<size_t> all;
    for (int i = 0; i < m; ++i) all.push_back(size_t(i));
    const auto expected = BruteForce(rows, all, sum, amount, sum - (m - 1));
    EXPECT_EQ(ValuesOf(t, Reader(rows)), expected);
  }
}

TEST(NoticeAudit, RandomTablesWithRatesNeverLeak) {
  std::mt19937 rng(2026);
  for (int round = 0; round < 1000; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<Row> rows;
    for (int i = 0, m = 2 + int(rng() % 5); i < m; ++i) {
      Row r{"r" + std::to_string(i), {}, {}};
      // A flat rate, or a rate with a few factors (grades, shares).
      const int64_t base = 50000 * (1 + int64_t(rng() % 6));
      r.per_case.push_back(base);
      if (rng() % 2)
        for (int64_t f : {900, 1100, 500}) r.per_case.push_back(base * f / 1000);
      std::sort(r.per_case.begin(), r.per_case.end());
      const int n = rng() % 3 == 0 ? int(rng() % 5) : int(rng() % 30);
      for (int j = 0; j < n; ++j) r.paid.push_back(r.per_case[rng() % r.per_case.size()]);
      rows.push_back(r);
    }
    auto t = MakeTable(rows);
    Suppress(t, Reader(rows));
    ExpectSafe(rows, t, Reader(rows));
    if (::testing::Test::HasFailure()) {
      std::string dump;
      for (const Row& r : rows) {
        dump += r.key + " per case";
        for (int64_t p : r.per_case) dump += " " + std::to_string(p);
        dump += "; paid " + std::to_string(r.paid.size()) + "\n";
      }
      ADD_FAILURE() << dump << t.DebugString();
      break;
    }
  }
}

TEST(NoticeAudit, APaymentCanBeEveryStageRangeAtEveryFactor) {
  const std::map<std::string, int64_t> standards = {{"criminal/investigation", 80000},
                                                    {"criminal/prosecution-review", 100000},
                                                    {"criminal/trial", 150000},
                                                    {"civil", 200000}};
  const std::map<std::string, int64_t> method = {{"region", 1050},
                                                 {"grade/QUALITY_GRADE_EXCELLENT", 1100},
                                                 {"grade/QUALITY_GRADE_PASS", 900},
                                                 {"replaced", 500},
                                                 {"terminated", 300}};
  const auto criminal = PerCaseAmounts("CASE_CATEGORY_CRIMINAL", standards, method);
  const auto has = [&](int64_t v) {
    return std::find(criminal.begin(), criminal.end(), v) != criminal.end();
  };
  EXPECT_TRUE(has(84000)) << "investigation at 1.05";
  EXPECT_TRUE(has(105000 + 157500)) << "prosecution review and trial, ungraded";
  EXPECT_TRUE(has(84000 + 52500)) << "investigation, then half of the stage handed over";
  EXPECT_TRUE(has(92400)) << "investigation graded excellent";
  EXPECT_FALSE(has(84000 + 157500)) << "stages are contiguous";
  EXPECT_EQ(PerCaseAmounts("CASE_CATEGORY_CIVIL", standards, {}), (std::vector<int64_t>{200000}))
      << "without a method: the standard, nothing for unfinished work";
  EXPECT_TRUE(PerCaseAmounts("CASE_CATEGORY_ADMINISTRATIVE", standards, method).empty());
}

}  // namespace
}  // namespace aidtrail::projections
