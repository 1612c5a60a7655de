#include "projections/notice_audit.h"

#include <algorithm>
#include <numeric>
#include <optional>

#include "events/domain/subsidy_formula.h"

namespace aidtrail::projections {
namespace {

// A set of small non-negative integers (amounts in units of the gcd).
class Bits {
 public:
  explicit Bits(int64_t size = 0) : w_(size_t((size + 64) / 64), 0), size_(size) {}
  void Set(int64_t i) { w_[size_t(i / 64)] |= uint64_t(1) << (i % 64); }
  [[nodiscard]] bool Test(int64_t i) const {
    return i >= 0 && i <= size_ && (w_[size_t(i / 64)] >> (i % 64) & 1);
  }
  [[nodiscard]] bool Empty() const {
    return std::all_of(w_.begin(), w_.end(), [](uint64_t x) { return x == 0; });
  }
  // this |= src << shift, dropping what passes size.
  void OrShifted(const Bits& src, int64_t shift) {
    const size_t words = size_t(shift / 64), bits = size_t(shift % 64);
    for (size_t i = w_.size(); i-- > words;) {
      const size_t j = i - words;
      uint64_t v = src.w_[j] << bits;
      if (bits && j > 0) v |= src.w_[j - 1] >> (64 - bits);
      w_[i] |= v;
    }
    if (const int64_t extra = int64_t(w_.size()) * 64 - 1 - size_; extra > 0)
      w_.back() &= ~uint64_t(0) >> extra;
  }
  void Or(const Bits& o) {
    for (size_t i = 0; i < w_.size(); ++i) w_[i] |= o.w_[i];
  }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (size_t i = 0; i < w_.size(); ++i)
      for (uint64_t x = w_[i]; x; x &= x - 1) fn(int64_t(i * 64 + size_t(__builtin_ctzll(x))));
  }

 private:
  std::vector<uint64_t> w_;
  int64_t size_;
};

// count -> the amounts reachable with that many cases.
using Reach = std::map<int64_t, Bits>;

// One more case of a row whose cases can be any of `per_case`.
Reach Step(const Reach& from, const std::vector<int64_t>& per_case, int64_t size) {
  Reach out;
  for (const auto& [t, bits] : from) {
    auto [it, fresh] = out.try_emplace(t + 1, size);
    for (int64_t p : per_case) it->second.OrShifted(bits, p);
    if (it->second.Empty()) out.erase(it);
    (void)fresh;
  }
  return out;
}

std::optional<int64_t> Cell(const v1::NoticeRow& r, int c) {
  if (c >= r.cells_size() || r.cells(c).suppressed()) return std::nullopt;
  return r.cells(c).value();
}

struct Column {
  std::vector<int> withheld;  // item rows
  int64_t shown = 0;
  std::optional<int64_t> min_shown;  // smallest non-zero cell shown
  std::optional<int64_t> sum;        // of the withheld cells, when known
};

Column Read(const v1::NoticeTable& t, int c, const ReaderKnowledge& reader) {
  Column col;
  std::optional<int64_t> other, total;
  for (int i = 0; i < t.rows_size(); ++i) {
    const auto& r = t.rows(i);
    const auto v = Cell(r, c);
    if (r.kind() == v1::NOTICE_ROW_KIND_OTHER) {
      other = v;
    } else if (r.kind() == v1::NOTICE_ROW_KIND_TOTAL) {
      total = v;
    } else if (!v) {
      col.withheld.push_back(i);
    } else {
      col.shown += *v;
      if (*v > 0 && (!col.min_shown || *v < *col.min_shown)) col.min_shown = *v;
    }
  }
  if (!total) {
    const auto it = reader.totals.find(t.columns(c).key());
    if (it != reader.totals.end()) total = it->second;
  }
  if (other)
    col.sum = *other;
  else if (total)
    col.sum = *total - col.shown;
  return col;
}

// Values of each withheld cell from the counts alone: each in [1, upper],
// all adding up to the sum when it is known.
std::vector<std::set<int64_t>> CountsOnly(size_t m, int64_t upper, std::optional<int64_t> sum,
                                          size_t cap) {
  std::vector<std::set<int64_t>> out(m);
  const int64_t others = int64_t(m) - 1;
  for (auto& values : out)
    for (int64_t v = 1; v <= upper && values.size() < cap; ++v)
      if (!sum || (*sum - v >= others && *sum - v <= others * upper)) values.insert(v);
  return out;
}

constexpr int64_t kMaxUnits = int64_t(1) << 20;   // amounts beyond this: counts only
constexpr int64_t kMaxWork = int64_t(400) << 20;  // word operations per column

}  // namespace

std::vector<WithheldCell> WithheldValues(const v1::NoticeTable& t, const ReaderKnowledge& reader,
                                         size_t cap) {
  std::vector<WithheldCell> out;
  if (!t.protected_counts()) return out;
  for (int c = 0; c < t.columns_size(); ++c) {
    if (t.columns(c).kind() != v1::NOTICE_COLUMN_KIND_COUNT) continue;
    const Column col = Read(t, c, reader);
    if (col.withheld.empty()) continue;
    const size_t m = col.withheld.size();
    int64_t upper = col.min_shown ? std::max(reader.k - 1, *col.min_shown)
                                  : (col.sum ? *col.sum : int64_t(cap) + reader.k);
    if (col.sum) upper = std::min(upper, *col.sum - int64_t(m - 1));
    std::vector<std::set<int64_t>> values = CountsOnly(m, upper, col.sum, cap);
    bool amounts_used = false;

    // The amount column following this count, where every withheld row's
    // possible amounts are known and the withheld rows' sum is known.
    int a = -1;
    for (int j = 0; j < t.columns_size(); ++j)
      if (t.columns(j).kind() == v1::NOTICE_COLUMN_KIND_AMOUNT &&
          t.columns(j).count_column() == t.columns(c).key())
        a = j;
    std::optional<int64_t> amount_sum;
    std::vector<const std::vector<int64_t>*> per_case;
    if (a >= 0) {
      amount_sum = Read(t, a, reader).sum;
      for (int r : col.withheld) {
        const auto it = reader.per_case_fen.find(t.rows(r).key());
        per_case.push_back(it == reader.per_case_fen.end() || it->second.empty() ? nullptr
                                                                                 : &it->second);
      }
    }
    const bool modelled =
        a >= 0 && amount_sum && *amount_sum >= 0 &&
        std::none_of(per_case.begin(), per_case.end(), [](const auto* p) { return p == nullptr; });
    if (modelled) {
      int64_t g = *amount_sum;
      for (const auto* p : per_case)
        for (int64_t v : *p) g = std::gcd(g, v);
      if (g == 0) g = 1;
      const int64_t size = *amount_sum / g;
      std::vector<std::vector<int64_t>> units(m);
      int64_t work = 0;
      for (size_t i = 0; i < m; ++i) {
        for (int64_t v : *per_case[i])
          if (v / g <= size) units[i].push_back(v / g);
        work += int64_t(units[i].size()) * upper * upper * (size / 64 + 1);
      }
      if (size <= kMaxUnits && work * int64_t(m) <= kMaxWork) {
        amounts_used = true;
        for (size_t i = 0; i < m; ++i) {
          // The others together: any number >= 1 of cases each, up to `upper`.
          Reach others;
          others.emplace(0, Bits(size)).first->second.Set(0);
          for (size_t j = 0; j < m; ++j) {
            if (j == i) continue;
            Reach sum_of, ext = others;
            for (int64_t x = 1; x <= upper && !ext.empty(); ++x) {
              ext = Step(ext, units[j], size);
              for (const auto& [n, bits] : ext) sum_of.try_emplace(n, size).first->second.Or(bits);
            }
            others = std::move(sum_of);
          }
          // This row with v cases.
          std::set<int64_t> fit;
          Reach own;
          own.emplace(0, Bits(size)).first->second.Set(0);
          for (int64_t v = 1; v <= upper && fit.size() < cap; ++v) {
            own = Step(own, units[i], size);
            const auto mine = own.find(v);
            if (mine == own.end()) break;
            bool ok = false;
            mine->second.ForEach([&](int64_t amount) {
              if (ok) return;
              for (const auto& [n, bits] : others)
                if ((!col.sum || n == *col.sum - v) && bits.Test(size - amount)) {
                  ok = true;
                  return;
                }
            });
            if (ok) fit.insert(v);
          }
          values[i] = std::move(fit);
        }
      }
    }
    // Reported as not used only where a model existed but was too large.
    for (size_t i = 0; i < m; ++i)
      out.push_back({t.rows(col.withheld[i]).key(), t.columns(c).key(), std::move(values[i]),
                     !modelled || amounts_used});
  }
  return out;
}

std::vector<int64_t> PerCaseAmounts(const std::string& category,
                                    const std::map<std::string, int64_t>& standards,
                                    const std::map<std::string, int64_t>& method) {
  const auto factor = [&](const std::string& key, int64_t fallback) {
    const auto it = method.find(key);
    return it == method.end() ? fallback : it->second;
  };
  const int32_t region = int32_t(factor("region", 1000));
  std::set<int32_t> grades{1000};
  for (const auto& [key, v] : method)
    if (key.starts_with("grade/")) grades.insert(int32_t(v));
  // Shares of unfinished work: none without a method.
  std::vector<int32_t> shares;
  if (!method.empty())
    for (const char* k : {"replaced", "terminated"})
      if (factor(k, 0) > 0) shares.push_back(int32_t(factor(k, 0)));

  std::vector<int64_t> stages;  // base of each stage, in procedural order
  if (category == "CASE_CATEGORY_CRIMINAL") {
    for (auto s : {v1::CRIMINAL_STAGE_INVESTIGATION, v1::CRIMINAL_STAGE_PROSECUTION_REVIEW,
                   v1::CRIMINAL_STAGE_TRIAL, v1::CRIMINAL_STAGE_DEATH_REVIEW}) {
      const auto it = standards.find(domain::SubsidyStandardKey(v1::CASE_CATEGORY_CRIMINAL, s));
      stages.push_back(it == standards.end() ? -1 : it->second);
    }
  } else {
    v1::CaseCategory cat = v1::CASE_CATEGORY_UNSPECIFIED;
    if (!v1::CaseCategory_Parse(category, &cat)) return {};
    const auto it = standards.find(domain::SubsidyStandardKey(cat, v1::CRIMINAL_STAGE_UNSPECIFIED));
    if (it == standards.end()) return {};
    stages.push_back(it->second);
  }
  // One payment: the stages first..last a lawyer handled, each a line of
  // base x region x grade x share. The lawyer who finished is graded on
  // every line; one replaced or whose aid was terminated earns the share on
  // the last line, ungraded (subsidy_formula.cc).
  std::set<int64_t> out;
  const auto line = [&](size_t s, int32_t grade, int32_t share) {
    return domain::SubsidyLineAmount(stages[s], region, grade, share);
  };
  for (size_t first = 0; first < stages.size(); ++first)
    for (size_t last = first; last < stages.size(); ++last) {
      bool known = true;
      for (size_t s = first; s <= last; ++s) known = known && stages[s] >= 0;
      if (!known) break;
      for (int32_t g : grades) {
        int64_t sum = 0;
        for (size_t s = first; s <= last; ++s) sum += line(s, g, 1000);
        out.insert(sum);
      }
      for (int32_t share : shares) {
        int64_t sum = 0;
        for (size_t s = first; s < last; ++s) sum += line(s, 1000, 1000);
        out.insert(sum + line(last, 1000, share));
      }
    }
  out.erase(0);
  return {out.begin(), out.end()};
}

namespace {

const v1::NoticeTable* Find(const std::vector<v1::NoticeTable>& tables, const std::string& key) {
  for (const auto& t : tables)
    if (t.key() == key) return &t;
  return nullptr;
}

int ColumnOf(const v1::NoticeTable& t, const std::string& key) {
  for (int i = 0; i < t.columns_size(); ++i)
    if (t.columns(i).key() == key) return i;
  return -1;
}

std::optional<int64_t> Published(const std::vector<v1::NoticeTable>& tables,
                                 const QuantityPlace& p) {
  const v1::NoticeTable* t = Find(tables, p.table);
  if (t == nullptr) return std::nullopt;
  const int c = ColumnOf(*t, p.column);
  if (c < 0) return std::nullopt;
  for (const auto& r : t->rows())
    if (r.key() == p.row) return Cell(r, c);
  return std::nullopt;
}

std::map<std::string, int64_t> Values(const v1::NoticeTable* t, const std::string& column) {
  std::map<std::string, int64_t> out;
  if (t == nullptr) return out;
  const int c = ColumnOf(*t, column);
  if (c < 0) return out;
  for (const auto& r : t->rows())
    if (const auto v = Cell(r, c)) out[r.key()] = *v;
  return out;
}

}  // namespace

const std::vector<std::vector<QuantityPlace>>& SameQuantities() {
  static const std::vector<std::vector<QuantityPlace>> groups = {
      {{"subsidies_by_category", "paid_count"},
       {"by_quarter", "paid_count"},
       {"payments_by_firm", "paid_count"}},
      // The budget's spending on the case subsidy line is the subsidies
      // paid (and any other expenditure booked on that line). Spending is
      // what the notice is for, but with the published rates a period of
      // one or two payments gives their count away: then it is withheld
      // like the rest of the group, as the last resort (it is the last
      // group SuppressNotice reaches for a paid count).
      {{"subsidies_by_category", "paid_amount"},
       {"by_quarter", "paid_amount"},
       {"payments_by_firm", "paid_amount"},
       {"budget", "spent", "BUDGET_LINE_CASE_SUBSIDY"}},
      {{"cases_by_category", "received"},
       {"cases_by_channel", "received"},
       {"cases_by_matter_type", "received"},
       {"by_quarter", "received"},
       {"service_totals", "count", "cases"}},
      {{"cases_by_category", "closed"}, {"by_quarter", "closed"}},
  };
  return groups;
}

int SameQuantityGroup(const std::string& table, const std::string& column) {
  const auto& groups = SameQuantities();
  for (size_t g = 0; g < groups.size(); ++g)
    for (const auto& p : groups[g])
      if (p.table == table && p.column == column) return int(g);
  return -1;
}

ReaderKnowledge KnowledgeFor(const std::vector<v1::NoticeTable>& tables,
                             const v1::NoticeTable& table) {
  const std::string& key = table.key();
  ReaderKnowledge reader;
  for (const auto& group : SameQuantities())
    for (const QuantityPlace& mine : group) {
      if (key != mine.table) continue;
      for (const QuantityPlace& other : group) {
        if (other.table == key) continue;
        if (const auto v = Published(tables, other)) reader.totals[mine.column] = *v;
      }
    }
  if (key == "subsidies_by_category") {
    const auto standards = Values(Find(tables, "subsidy_standards"), "amount");
    const auto method = Values(Find(tables, "subsidy_method"), "permille");
    for (const auto& r : table.rows())
      if (r.kind() == v1::NOTICE_ROW_KIND_ITEM)
        reader.per_case_fen[r.key()] = PerCaseAmounts(r.key(), standards, method);
  }
  return reader;
}

}  // namespace aidtrail::projections
