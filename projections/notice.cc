#include "projections/notice.h"

#include <chrono>
#include <map>
#include <set>

#include "events/core/civil_date.h"
#include "events/core/hash_chain.h"
#include "events/core/types.h"
#include "events/domain/subsidy_formula.h"
#include "projections/case_queries.h"
#include "projections/green_channel.h"
#include "projections/ledger_queries.h"
#include "projections/ledger_views.h"
#include "projections/notice_audit.h"
#include "projections/notice_labels.h"
#include "projections/notice_privacy.h"

namespace aidtrail::projections {
namespace {

using Kind = v1::NoticeColumnKind;
constexpr auto kCount = v1::NOTICE_COLUMN_KIND_COUNT;
constexpr auto kAmount = v1::NOTICE_COLUMN_KIND_AMOUNT;
constexpr auto kAverage = v1::NOTICE_COLUMN_KIND_AVERAGE;
constexpr auto kText = v1::NOTICE_COLUMN_KIND_TEXT;

// Builds one table: columns, item rows, a total row, then the small-cell rule.
class Table {
 public:
  Table(const std::string& key, const std::string& zh, const std::string& en, bool protect) {
    t_.set_key(key);
    t_.set_title_zh(zh);
    t_.set_title_en(en);
    t_.set_protected_counts(protect);
  }
  Table& Col(const std::string& key, const std::string& zh, const std::string& en, Kind kind,
             const std::string& count_column = "", const std::string& amount_column = "") {
    auto* c = t_.add_columns();
    c->set_key(key);
    c->set_label_zh(zh);
    c->set_label_en(en);
    c->set_kind(kind);
    c->set_count_column(count_column);
    c->set_amount_column(amount_column);
    return *this;
  }
  Table& Row(const Label& l) {
    auto* r = t_.add_rows();
    r->set_key(l.key);
    r->set_label_zh(l.zh);
    r->set_label_en(l.en);
    r->set_kind(v1::NOTICE_ROW_KIND_ITEM);
    for (int i = 0; i < t_.columns_size(); ++i) r->add_cells();
    return *this;
  }
  // Sets a cell of the last row.
  Table& Set(const std::string& column, int64_t value) {
    v1::NoticeCell& c = Cell(column);
    c.set_value(value);
    if (Column(column).kind() == kAmount) c.set_yuan(Fen(value).ToYuan());
    return *this;
  }
  Table& Text(const std::string& column, const std::string& text) {
    Cell(column).set_text(text);
    return *this;
  }
  Table& Note(const std::string& zh) {
    t_.set_note_zh(zh);
    return *this;
  }
  v1::NoticeTable Done(const std::string& total_zh = "合计",
                       const std::string& total_en = "Total") {
    if (!total_zh.empty()) {
      v1::NoticeRow total;
      total.set_key("TOTAL");
      total.set_label_zh(total_zh);
      total.set_label_en(total_en);
      total.set_kind(v1::NOTICE_ROW_KIND_TOTAL);
      for (int c = 0; c < t_.columns_size(); ++c) {
        int64_t sum = 0;
        for (const auto& r : t_.rows()) sum += r.cells(c).value();
        auto* cell = total.add_cells();
        if (t_.columns(c).kind() == kCount || t_.columns(c).kind() == kAmount) cell->set_value(sum);
        if (t_.columns(c).kind() == kAmount) cell->set_yuan(Fen(sum).ToYuan());
      }
      *t_.add_rows() = std::move(total);
    }
    // The small-cell rule runs over the whole notice (SuppressNotice), so
    // that each table is protected against what the others publish.
    return std::move(t_);
  }

 private:
  const v1::NoticeColumn& Column(const std::string& key) const {
    for (const auto& c : t_.columns())
      if (c.key() == key) return c;
    return v1::NoticeColumn::default_instance();
  }
  v1::NoticeCell& Cell(const std::string& key) {
    auto* row = t_.mutable_rows(t_.rows_size() - 1);
    for (int i = 0; i < t_.columns_size(); ++i)
      if (t_.columns(i).key() == key) return *row->mutable_cells(i);
    return *row->mutable_cells(0);  // unknown column: a bug in this file
  }
  v1::NoticeTable t_;
};

std::set<std::string> Quarters(int quarter) {
  if (quarter >= 1 && quarter <= 4) return {"Q" + std::to_string(quarter)};
  return {"Q1", "Q2", "Q3", "Q4"};
}

std::string PeriodEnd(int year, int quarter) {
  static const char* ends[] = {"12-31", "03-31", "06-30", "09-30", "12-31"};
  return std::to_string(year) + "-" + ends[quarter >= 1 && quarter <= 4 ? quarter : 0];
}

// Notice counters "Q1/metric/dim/value" -> n, summed over `quarters`.
class Counts {
 public:
  Counts(std::map<std::string, int64_t> raw, std::set<std::string> quarters) {
    for (const auto& [k, v] : raw) {
      const auto slash = k.find('/');
      if (quarters.count(k.substr(0, slash))) by_[k.substr(slash + 1)] += v;
    }
  }
  [[nodiscard]] int64_t Get(const std::string& metric, const std::string& dim,
                            const std::string& value) const {
    const auto it = by_.find(metric + "/" + dim + "/" + value);
    return it == by_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, int64_t> by_;
};

// Ledger counters "Q1/CASE_CATEGORY_CIVIL" -> n, summed per category over `quarters`.
std::map<std::string, int64_t> ByCategory(const std::map<std::string, int64_t>& m,
                                          const std::set<std::string>& quarters) {
  std::map<std::string, int64_t> out;
  for (const auto& [k, v] : m) {
    const auto slash = k.find('/');
    if (quarters.count(k.substr(0, slash))) out[k.substr(slash + 1)] += v;
  }
  return out;
}

int64_t At(const std::map<std::string, int64_t>& m, const std::string& k) {
  const auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

v1::NoticeTable BudgetTable(const ViewStore& store, const YearLedger& l, int year, int quarter) {
  const auto quarters = Quarters(quarter);
  std::map<std::string, int64_t> spent;  // line -> fen in the period
  for (const auto& [k, v] :
       SumCounters(store, kLedger, std::string("spent") + '\0' + std::to_string(year) + '\0')) {
    const auto slash = k.find('/');
    if (quarters.count(k.substr(slash + 1))) spent[k.substr(0, slash)] += v;
  }
  int64_t paid = 0;
  for (const auto& [cat, v] : ByCategory(l.paid_fen, quarters)) paid += v;
  spent["BUDGET_LINE_CASE_SUBSIDY"] += paid;
  // Approved but not yet paid at the period's end, of this year's
  // approvals (an earlier year's paid now is its own column): an amount on
  // the case subsidy line only. Not split by category, where approved minus
  // paid would reopen the small cells the subsidy table withholds.
  const int64_t unpaid = l.UnpaidAt(quarter);
  const int64_t earlier = l.PaidForEarlierYears(quarter);
  int64_t recovered = 0;  // Art. 64: paid back, on the line that paid the aid
  for (const auto& [q, fen] : l.recovered_fen)
    if (quarters.count(q)) recovered += fen;
  Table t("budget", quarter ? "经费预算及本季度支出" : "经费预算及支出", "Budget and spending",
          false);
  t.Col("appropriated", "年初预算（元）", "Appropriated (yuan)", kAmount)
      .Col("adjusted", "预算调整（元）", "Adjusted (yuan)", kAmount)
      .Col("budget", "调整后预算（元）", "Budget after adjustment (yuan)", kAmount)
      .Col("spent", quarter ? "本季度支出（元）" : "本年度支出（元）", "Spent in the period (yuan)",
           kAmount)
      .Col("unpaid", "本年度已核定未支付（元，截至期末）",
           "Approved this year, unpaid at period end (yuan)", kAmount)
      .Col("earlier", "其中：支付以前年度核定（元）",
           "Of spending: approvals of earlier years (yuan)", kAmount)
      .Col("recovered", quarter ? "本季度追回法律援助费用（元）" : "本年度追回法律援助费用（元）",
           "Art. 64 costs and fines paid back in the period (yuan)", kAmount);
  for (const Label& line : BudgetLineLabels()) {
    const auto it = l.lines.find(line.key);
    const LedgerLine b = it == l.lines.end() ? LedgerLine{} : it->second;
    t.Row(line)
        .Set("appropriated", b.appropriated_fen)
        .Set("adjusted", b.adjusted_fen)
        .Set("budget", b.appropriated_fen + b.adjusted_fen)
        .Set("spent", At(spent, line.key))
        .Set("unpaid",
             line.key == "BUDGET_LINE_CASE_SUBSIDY" ? unpaid : l.ServiceUnpaidAt(line.key, quarter))
        .Set("earlier", line.key == "BUDGET_LINE_CASE_SUBSIDY"
                            ? earlier
                            : l.ServicePaidForEarlierYears(line.key, quarter))
        .Set("recovered", line.key == "BUDGET_LINE_CASE_SUBSIDY" ? recovered : 0);
  }
  t.Note(
      "办案补贴、值班补贴、咨询补贴支出为本期实际支付的补贴（含支付以前年度核定的补贴）；"
      "已核定未支付仅计本年度核定、截至期末尚未支付的补贴；预算为全年数；"
      "追回法律援助费用为依法律援助法第六十四条责令支付后实际缴回的费用及罚款（收入，不冲减支出）"
      "。");
  return t.Done();
}

v1::NoticeTable SubsidyTable(const YearLedger& l, int quarter) {
  const auto q = Quarters(quarter);
  const auto approved = ByCategory(l.approved_fen, q), approved_n = ByCategory(l.approved_count, q);
  const auto paid = ByCategory(l.paid_fen, q), paid_n = ByCategory(l.paid_count, q);
  Table t("subsidies_by_category", "办案补贴（按案件类别）", "Case subsidies by category", true);
  t.Col("approved_count", "核定件数", "Approved (cases)", kCount)
      .Col("approved_amount", "核定金额（元）", "Approved (yuan)", kAmount, "approved_count")
      .Col("paid_count", "已支付件数", "Paid (cases)", kCount)
      .Col("paid_amount", "已支付金额（元）", "Paid (yuan)", kAmount, "paid_count")
      .Col("average", "件均补贴（元）", "Average per case (yuan)", kAverage, "paid_count",
           "paid_amount");
  for (const Label& c : CategoryLabels())
    t.Row(c)
        .Set("approved_count", At(approved_n, c.key))
        .Set("approved_amount", At(approved, c.key))
        .Set("paid_count", At(paid_n, c.key))
        .Set("paid_amount", At(paid, c.key));
  t.Note("件均补贴 = 已支付金额 ÷ 已支付件数，以分为单位四舍五入。");
  return t.Done();
}

v1::NoticeTable CaseTable(const Counts& n) {
  Table t("cases_by_category", "案件受理及办理情况（按案件类别）", "Cases by category", true);
  t.Col("received", "受理（含通知）", "Received (incl. notifications)", kCount)
      .Col("approved", "给予援助", "Approved", kCount)
      .Col("refused", "不予援助", "Refused", kCount)
      .Col("closed", "结案", "Closed", kCount)
      .Col("terminated", "终止援助", "Terminated", kCount);
  for (const Label& c : CategoryLabels())
    t.Row(c)
        .Set("received", n.Get("received", "category", c.key))
        .Set("approved", n.Get("approved", "category", c.key))
        .Set("refused", n.Get("refused", "category", c.key))
        .Set("closed", n.Get("closed", "category", c.key))
        .Set("terminated", n.Get("terminated", "category", c.key));
  return t.Done();
}

v1::NoticeTable SimpleCountTable(const std::string& key, const std::string& zh,
                                 const std::string& en, const std::vector<Label>& labels,
                                 const Counts& n, const std::string& metric, const std::string& dim,
                                 const std::string& col_zh, const std::string& col_en,
                                 const std::string& total_zh = "合计") {
  Table t(key, zh, en, true);
  t.Col(metric, col_zh, col_en, kCount);
  for (const Label& l : labels) t.Row(l).Set(metric, n.Get(metric, dim, l.key));
  return t.Done(total_zh);
}

// 服务总量: what the centre did, counted as published notices count it:
// cases, persons aided (受援人次: applicants and co-applicants), legal help
// (consultations and duty lawyers' help, in persons) and documents drafted.
// Totals only; one under 5 is withheld like any small cell.
v1::NoticeTable TotalsTable(const Counts& n) {
  const auto sum = [&](const std::vector<Label>& labels, const std::string& metric,
                       const std::string& dim) {
    int64_t total = 0;
    for (const Label& l : labels) total += n.Get(metric, dim, l.key);
    return total;
  };
  Table t("service_totals", "服务总量", "Services in total", false);
  t.Col("count", "数量", "Number", kCount);
  t.Row({"cases", "办理法律援助案件（件）", "Legal-aid cases received"})
      .Set("count", sum(CategoryLabels(), "received", "category"));
  t.Row({"persons", "受援人次", "Persons aided"})
      .Set("count", sum(CategoryLabels(), "persons", "category"));
  t.Row({"consultations", "法律咨询（人次）", "Consultations (people)"})
      .Set("count", sum(ConsultationChannelLabels(), "consultation", "channel"));
  t.Row({"duty_help", "值班律师法律帮助（人次）", "Duty lawyers' legal help (people)"})
      .Set("count", sum(DutyStationLabels(), "duty_service", "station"));
  t.Row({"documents", "代写法律文书（件）", "Legal documents drafted"})
      .Set("count", n.Get("documents_drafted", "all", "all"));
  v1::NoticeTable out = t.Done("");
  // A total of 1..4 is a small cell too, and the tables that split it
  // withhold their own total then (notice_privacy.h).
  for (auto& row : *out.mutable_rows()) {
    v1::NoticeCell& cell = *row.mutable_cells(0);
    if (cell.value() > 0 && cell.value() < kMinCellCases) {
      cell.set_value(0);
      cell.set_suppressed(true);
    }
  }
  return out;
}

v1::NoticeTable QuarterTable(const Counts& all_year, const YearLedger& l,
                             const std::map<std::string, int64_t>& raw) {
  Table t("by_quarter", "分季度情况", "By quarter", true);
  t.Col("received", "受理案件", "Cases received", kCount)
      .Col("closed", "结案", "Cases closed", kCount)
      .Col("paid_count", "已支付补贴件数", "Subsidies paid (cases)", kCount)
      .Col("paid_amount", "已支付补贴金额（元）", "Subsidies paid (yuan)", kAmount, "paid_count");
  (void)all_year;
  for (int q = 1; q <= 4; ++q) {
    const Counts n(raw, Quarters(q));
    int64_t received = 0, closed = 0;
    for (const Label& c : CategoryLabels()) {
      received += n.Get("received", "category", c.key);
      closed += n.Get("closed", "category", c.key);
    }
    int64_t paid = 0, paid_n = 0;
    for (const auto& [k, v] : ByCategory(l.paid_fen, Quarters(q))) paid += v;
    for (const auto& [k, v] : ByCategory(l.paid_count, Quarters(q))) paid_n += v;
    const std::string key = "Q" + std::to_string(q);
    t.Row({key, "第" + std::to_string(q) + "季度", key})
        .Set("received", received)
        .Set("closed", closed)
        .Set("paid_count", paid_n)
        .Set("paid_amount", paid);
  }
  return t.Done("全年合计", "Year");
}

v1::NoticeTable ServiceTable(const Counts& n) {
  Table t("duty_services", "值班律师法律帮助（按工作站）", "Duty-lawyer services by station", true);
  t.Col("duty_service", "法律帮助人次", "Services (people helped)", kCount)
      .Col("duty_session", "值班天次", "Duty sessions (days)", kCount);
  for (const Label& s : DutyStationLabels())
    t.Row(s)
        .Set("duty_service", n.Get("duty_service", "station", s.key))
        .Set("duty_session", n.Get("duty_session", "station", s.key));
  return t.Done();
}

v1::NoticeTable RecoveredTable(const Counts& n) {
  Table t("recovered", "结案挽回经济损失（按案件类别）", "Amounts recovered at closure", true);
  t.Col("recovered", "挽回损失件数", "Cases with an amount recovered", kCount)
      .Col("recovered_amount", "挽回金额（元）", "Recovered (yuan)", kAmount, "recovered");
  for (const Label& c : CategoryLabels())
    t.Row(c)
        .Set("recovered", n.Get("recovered", "category", c.key))
        .Set("recovered_amount", n.Get("recovered_fen", "category", c.key));
  return t.Done();
}

std::map<std::string, std::string> FirmNames(const CaseQueries& q,
                                             const std::set<std::string>& firms) {
  std::map<std::string, std::string> names;
  for (const auto& id : firms)
    for (const v1::Event& e : q.Timeline("firm/" + id))
      if (e.payload().has_firm_registered()) names[id] = e.payload().firm_registered().name();
  return names;
}

// The quarter ("Q1".."Q4") of the event `ref` names, from its stream's
// timeline; "" when it is not there.
std::string QuarterOf(const CaseQueries& cq, const v1::EventRef& ref) {
  for (const v1::Event& e : cq.Timeline(ref.stream_id()))
    if (e.event_id() == ref.event_id()) return YearQuarter(e).second;
  return "";
}

// A firm's registered name, or its id where none was recorded.
std::string FirmName(const std::map<std::string, std::string>& names, const std::string& id) {
  const auto it = names.find(id);
  return it == names.end() ? id : it->second;
}

v1::NoticeTable FirmTable(const ViewStore& store, int year, int quarter) {
  const LedgerQueries lq(store);
  const CaseQueries cq(store);
  const auto quarters = Quarters(quarter);
  std::map<std::string, std::pair<int64_t, int64_t>> by_firm;  // id -> (count, fen)
  for (const v1::PaymentTrace& p : lq.Payments(year)) {
    if (quarter && !quarters.count(QuarterOf(cq, p.payment()))) continue;
    auto& f = by_firm[p.firm_id()];
    f.first += 1;
    f.second += p.amount_fen();
  }
  std::set<std::string> ids;
  for (const auto& [id, v] : by_firm) ids.insert(id);
  const auto names = FirmNames(cq, ids);
  Table t("payments_by_firm", "办案补贴支付（按律师事务所）", "Subsidies paid by law firm", true);
  t.Col("paid_count", "支付件数", "Payments (cases)", kCount)
      .Col("paid_amount", "支付金额（元）", "Paid (yuan)", kAmount, "paid_count");
  for (const auto& [id, v] : by_firm) {
    const std::string name = FirmName(names, id);
    t.Row({id, name, name}).Set("paid_count", v.first).Set("paid_amount", v.second);
  }
  return t.Done();
}

// Duty and consultation standards (events/domain/service_pay.h keys), with
// their unit, since the table's amount column is per case for the rest.
Label ServiceStandardLabel(const std::string& key) {
  static const std::map<std::string, std::pair<std::string, std::string>> kStations = {
      {"", {"", ""}},
      {"court", {"法院工作站", "court station"}},
      {"procuratorate", {"检察院工作站", "procuratorate station"}},
      {"detention-centre", {"看守所工作站", "detention centre station"}},
      {"arbitration", {"劳动人事争议仲裁院工作站", "arbitration station"}},
      {"centre", {"法律援助中心", "legal aid centre"}}};
  const auto slash = key.find('/');
  const std::string head = key.substr(0, slash);
  const std::string station = slash == std::string::npos ? "" : key.substr(slash + 1);
  const auto st = kStations.find(station);
  if (st == kStations.end()) return {};
  const auto at = [&](const std::string& zh) {
    return st->second.first.empty() ? zh : zh + "（" + st->second.first + "）";
  };
  const auto at_en = [&](const std::string& en) {
    return st->second.second.empty() ? en : en + " (" + st->second.second + ")";
  };
  if (head == "duty-day")
    return {key, at("值班律师补贴·元/日"), at_en("Duty lawyer, yuan per day")};
  if (head == "duty-half-day")
    return {key, at("值班律师补贴·元/半日"), at_en("Duty lawyer, yuan per half day")};
  if (head == "consultation" && station.empty())
    return {key, "法律咨询补贴·元/次", "Consultation, yuan per session"};
  return {};
}

// Duty days' and consultations' pay by law firm: what each firm's lawyers
// were paid in the period, by line. Firms are public, as for case subsidies;
// unlike a case subsidy, a duty day or a consultation paid names no
// recipient's case, so small figures are shown.
v1::NoticeTable ServiceFirmTable(const ViewStore& store, int year, int quarter) {
  const LedgerQueries lq(store);
  const CaseQueries cq(store);
  const auto quarters = Quarters(quarter);
  struct Paid {
    int64_t duty_n = 0, duty_fen = 0, consultation_n = 0, consultation_fen = 0;
  };
  std::map<std::string, Paid> by_firm;
  for (const v1::ServicePayTrace& p : lq.ServicePayments(year)) {
    if (p.fiscal_year() != year || !p.has_payment()) continue;
    if (quarter && !quarters.count(QuarterOf(cq, p.payment()))) continue;
    Paid& f = by_firm[p.firm_id()];
    if (p.line() == v1::BUDGET_LINE_CONSULTATION_SUBSIDY) {
      ++f.consultation_n;
      f.consultation_fen += p.amount_fen();
    } else {
      ++f.duty_n;
      f.duty_fen += p.amount_fen();
    }
  }
  std::set<std::string> ids;
  for (const auto& [id, v] : by_firm) ids.insert(id);
  const auto names = FirmNames(cq, ids);
  Table t("service_payments_by_firm", "值班律师、法律咨询补贴支付（按律师事务所）",
          "Duty and consultation pay by law firm", false);
  t.Col("duty_count", "值班（日次）", "Duty days paid", kCount)
      .Col("duty_amount", "值班补贴（元）", "Duty pay (yuan)", kAmount)
      .Col("consultation_count", "咨询（次）", "Consultations paid", kCount)
      .Col("consultation_amount", "咨询补贴（元）", "Consultation pay (yuan)", kAmount);
  for (const auto& [id, v] : by_firm) {
    const std::string name = FirmName(names, id);
    t.Row({id, name, name})
        .Set("duty_count", v.duty_n)
        .Set("duty_amount", v.duty_fen)
        .Set("consultation_count", v.consultation_n)
        .Set("consultation_amount", v.consultation_fen);
  }
  return t.Done();
}

v1::NoticeTable StandardsTable(const ViewStore& store, int year, int quarter) {
  const std::string end = PeriodEnd(year, quarter);
  std::map<std::string, v1::SubsidyStandardSet> in_force;
  for (const v1::Event& e : CaseQueries(store).Timeline("policy")) {
    if (!e.payload().has_subsidy_standard_set()) continue;
    const auto& s = e.payload().subsidy_standard_set();
    if (s.effective_from() > end) continue;
    auto it = in_force.find(s.key());
    if (it == in_force.end() || it->second.effective_from() <= s.effective_from())
      in_force[s.key()] = s;
  }
  Table t("subsidy_standards", "执行的办案补贴标准（期末有效）",
          "Subsidy standards in force at period end", false);
  t.Col("category", "案件类别", "Category", kText)
      .Col("stage", "诉讼阶段", "Stage", kText)
      .Col("amount", "补贴标准（元/件）", "Standard (yuan per case)", kAmount)
      .Col("effective_from", "执行日期", "In force from", kText);
  for (const auto& [key, s] : in_force) {
    if (const Label svc = ServiceStandardLabel(key); !svc.zh.empty()) {
      t.Row(svc)
          .Text("category", svc.zh)
          .Text("stage", "")
          .Set("amount", s.amount_fen())
          .Text("effective_from", s.effective_from());
      continue;
    }
    const Label cat = LabelOf(CategoryLabels(), v1::CaseCategory_Name(s.category()));
    const Label stage = LabelOf(CriminalStageLabels(), v1::CriminalStage_Name(s.criminal_stage()));
    t.Row({key, stage.zh.empty() ? cat.zh : cat.zh + "（" + stage.zh + "）",
           stage.en.empty() ? cat.en : cat.en + " (" + stage.en + ")"})
        .Text("category", LabelOf(CategoryLabels(), v1::CaseCategory_Name(s.category())).zh)
        .Text("stage",
              LabelOf(CriminalStageLabels(), v1::CriminalStage_Name(s.criminal_stage())).zh)
        .Set("amount", s.amount_fen())
        .Text("effective_from", s.effective_from());
  }
  return t.Done("");
}

// The subsidy method in force at period end (Guangdong's 补贴办法): the
// regional factor that applies to this centre, the quality adjustment by
// grade and the shares of unfinished work, so that anyone can recompute
// what a case's subsidy can be — and the small-cell rule is checked
// against that knowledge too (notice_audit.h).
v1::NoticeTable SubsidyMethodTable(const ViewStore& store, int year, int quarter) {
  const auto end = CivilDate::Parse(PeriodEnd(year, quarter));
  const auto policy_state = CaseQueries(store).Policy();
  const domain::PolicyState& policy = *policy_state;
  const v1::SubsidyMethodSet* m = end.ok() ? policy.SubsidyMethod(*end) : nullptr;
  Table t("subsidy_method", "办案补贴计算办法（期末有效）", "Subsidy method in force at period end",
          false);
  t.Col("permille", "系数（‰）", "Factor (per mille)", kCount)
      .Col("basis", "说明", "Applies to", kText);
  if (m == nullptr) {
    t.Note("期末无有效的补贴计算办法：按补贴标准全额计算，未办结的工作不予补贴。");
    return t.Done("");
  }
  const auto region = domain::RegionOf(m, policy.Jurisdiction(*end).centre_region());
  t.Row({"region", "地区系数", "Regional factor"})
      .Set("permille", region.permille)
      .Text("basis",
            region.prefix.empty() ? "本中心所在地区无地区系数" : "地区代码 " + region.prefix);
  for (const Label& g : QualityGradeLabels()) {
    v1::QualityGrade grade = v1::QUALITY_GRADE_UNSPECIFIED;
    v1::QualityGrade_Parse(g.key, &grade);
    t.Row({"grade/" + g.key, "质量等级系数·" + g.zh, "Quality factor, " + g.en})
        .Set("permille", domain::GradeFactor(m, grade))
        .Text("basis", "仅适用于办结案件的承办律师");
  }
  t.Row({"replaced", "被更换律师·交接阶段补贴比例", "Replaced lawyer, share of the handover stage"})
      .Set("permille", m->replaced_permille())
      .Text("basis", "须已签订委托协议或出庭");
  t.Row({"terminated", "终止援助·所处阶段补贴比例", "Terminated aid, share of the stage cut short"})
      .Set("permille", m->terminated_permille())
      .Text("basis", "须已签订委托协议或出庭");
  t.Note("补贴 = 各阶段补贴标准 × 地区系数 × 质量等级系数 × 补贴比例，逐项四舍五入到分。执行日期 " +
         m->effective_from() + "；依据：" + m->source());
  return t.Done("");
}

// 绿色通道: the waits of key groups against everyone else, in days. Every
// figure of a group with fewer than 5 cases is withheld: a median of one or
// two cases is that person's wait.
v1::NoticeTable GreenChannelTable(const ViewStore& store, int year, int quarter) {
  const std::string period =
      std::to_string(year) + (quarter ? "-Q" + std::to_string(quarter) : std::string());
  Table t("green_channel", "绿色通道办理时效（等待天数）", "Green channel: waiting times (days)",
          false);
  t.Col("decided", "作出审查决定（件）", "Decided (cases)", kText)
      .Col("decision_median", "受理至决定·中位数", "Application to decision, median", kText)
      .Col("decision_p90", "受理至决定·90%分位", "Application to decision, 90th percentile", kText)
      .Col("assigned", "指派（件）", "Assigned (cases)", kText)
      .Col("assignment_median", "决定至指派·中位数", "Decision to assignment, median", kText)
      .Col("assignment_p90", "决定至指派·90%分位", "Decision to assignment, 90th percentile",
           kText);
  std::map<std::string, GreenChannelRow> rows;
  for (auto& row : GreenChannel(store, year))
    if (row.period == period) rows[row.group] = std::move(row);
  auto shown = [](int64_t cases, int64_t figure) {
    return cases < 5 ? std::string("*") : std::to_string(figure);
  };
  for (const char* group : {"priority", "others"}) {
    const GreenChannelRow& r = rows[group];
    t.Row({group, WaitGroupLabelZh(group),
           group == std::string("priority") ? "Key groups" : "Others"})
        .Text("decided", shown(r.to_decision.cases, r.to_decision.cases))
        .Text("decision_median", shown(r.to_decision.cases, r.to_decision.median_days))
        .Text("decision_p90", shown(r.to_decision.cases, r.to_decision.p90_days))
        .Text("assigned", shown(r.to_assignment.cases, r.to_assignment.cases))
        .Text("assignment_median", shown(r.to_assignment.cases, r.to_assignment.median_days))
        .Text("assignment_p90", shown(r.to_assignment.cases, r.to_assignment.p90_days));
  }
  t.Note(std::string(kGreenChannelNoteZh) + "少于5件的组别不公布（*）。");
  return t.Done("");
}

std::string Today() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return CivilDate::Of(Instant{std::chrono::duration_cast<std::chrono::microseconds>(now).count()})
      .ToString();
}

}  // namespace

std::vector<v1::NoticeTable> BuildTables(const ViewStore& store, int year, int quarter) {
  const LedgerQueries lq(store);
  const YearLedger ledger = lq.Ledger(year);
  const auto raw = lq.NoticeCounts(year);
  const Counts n(raw, Quarters(quarter));
  std::vector<v1::NoticeTable> t;
  t.push_back(BudgetTable(store, ledger, year, quarter));
  t.push_back(SubsidyTable(ledger, quarter));
  t.push_back(CaseTable(n));
  t.push_back(TotalsTable(n));
  t.push_back(SimpleCountTable("cases_by_channel", "受理案件（按申请渠道）",
                               "Cases received by channel", ChannelLabels(), n, "received",
                               "channel", "受理件数", "Received"));
  t.push_back(SimpleCountTable("cases_by_key_group", "受理案件（按重点人群）",
                               "Cases received by key group", KeyGroupLabels(), n, "received",
                               "key_group", "受理件数", "Received", "合计（一案可属多个群体）"));
  t.push_back(SimpleCountTable("cases_by_matter_type", "受理案件（按案件事项）",
                               "Cases received by matter type", MatterTypeLabels(), n, "received",
                               "matter_type", "受理件数", "Received"));
  if (!quarter) t.push_back(QuarterTable(n, ledger, raw));
  t.push_back(ServiceTable(n));
  t.push_back(SimpleCountTable("consultations", "法律咨询（按咨询方式）",
                               "Consultations by channel", ConsultationChannelLabels(), n,
                               "consultation", "channel", "咨询人次", "Consultations"));
  t.push_back(RecoveredTable(n));
  t.push_back(SimpleCountTable("quality_review", "案件质量评查结果", "Quality review grades",
                               QualityGradeLabels(), n, "quality_review", "grade", "评查件数",
                               "Files reviewed"));
  t.push_back(GreenChannelTable(store, year, quarter));
  t.push_back(FirmTable(store, year, quarter));
  t.push_back(ServiceFirmTable(store, year, quarter));
  t.push_back(StandardsTable(store, year, quarter));
  t.push_back(SubsidyMethodTable(store, year, quarter));
  SuppressNotice(t);
  return t;
}

v1::NoticeCheckpoint ToNoticeCheckpoint(const Checkpoint& c) {
  v1::NoticeCheckpoint out;
  for (const auto& p : c.partitions) {
    auto* h = out.add_partitions();
    h->set_partition(p.partition);
    h->set_size(p.size);
    h->set_root_hex(ToHex(p.root));
  }
  out.set_root_hex(ToHex(c.root));
  out.set_records(c.size());
  return out;
}

std::string NoticeTitle(const std::string& region_zh, const v1::NoticePeriod& p) {
  const std::string period =
      p.quarter() ? std::to_string(p.year()) + "年第" + std::to_string(p.quarter()) + "季度"
                  : std::to_string(p.year()) + "年度";
  return region_zh + "法律援助经费使用情况公示（" + period + "）";
}

Result<v1::PublicNotice> BuildNotice(const ViewStore& store, int32_t partitions,
                                     const NoticeRequest& r) {
  if (r.year < 2000 || r.year > 2200 || r.quarter < 0 || r.quarter > 4)
    return MakeError(ErrorKind::kInvalidArgument, "notice.period",
                     "year must be 2000..2200 and quarter 0..4",
                     "年度须在2000至2200之间，季度须为1至4（0表示全年）", "period");
  v1::PublicNotice n;
  n.set_format_version(1);
  n.mutable_period()->set_year(r.year);
  n.mutable_period()->set_quarter(r.quarter);
  n.set_issuing_office_zh(r.issuing_office_zh);
  n.set_title_zh(NoticeTitle("江门市蓬江区", n.period()));
  n.set_issued_date(r.issued_date.empty() ? Today() : r.issued_date);
  n.set_legal_basis_zh(kLegalBasisZh);
  n.set_suppression_rule_zh(kSuppressionRuleZh);
  n.set_suppression_rule_en(kSuppressionRuleEn);
  n.set_supervision_zh("欢迎社会各界对法律援助经费的使用进行监督。" + r.contact_zh);
  // The views may be folding underneath: accept the figures only if the
  // checkpoint did not move while they were read (every folded batch grows it).
  const AuditQueries audit(store);
  for (int attempt = 0; attempt < 20; ++attempt) {
    const Checkpoint before = audit.Current(partitions);
    std::vector<v1::NoticeTable> tables = BuildTables(store, r.year, r.quarter);
    const Checkpoint after = audit.Current(partitions);
    if (before.root != after.root) continue;
    n.clear_tables();
    for (auto& t : tables) *n.add_tables() = std::move(t);
    *n.mutable_checkpoint() = ToNoticeCheckpoint(after);
    n.set_figures_digest_hex(FiguresDigestHex(n));
    return n;
  }
  return MakeError(ErrorKind::kUnavailable, "notice.busy",
                   "the log kept growing while the notice was computed",
                   "计算公示期间日志持续写入，请稍后重试");
}

std::string CellText(const v1::NoticeColumn& column, const v1::NoticeCell& cell) {
  if (cell.suppressed()) return "*";
  if (!cell.text().empty()) return cell.text();
  switch (column.kind()) {
    case v1::NOTICE_COLUMN_KIND_AMOUNT:
    case v1::NOTICE_COLUMN_KIND_AVERAGE:
      return Fen(cell.value()).ToYuan();
    case v1::NOTICE_COLUMN_KIND_TEXT:
      return cell.text();
    default:
      return std::to_string(cell.value());
  }
}

std::string FiguresText(const v1::PublicNotice& n) {
  std::string s = "aidtrail-notice-figures-v1\nperiod\t" + std::to_string(n.period().year()) +
                  "\t" + std::to_string(n.period().quarter()) + "\n";
  for (const auto& t : n.tables())
    for (const auto& r : t.rows())
      for (int c = 0; c < t.columns_size(); ++c) {
        const v1::NoticeCell cell = c < r.cells_size() ? r.cells(c) : v1::NoticeCell();
        s += t.key() + "\t" + r.key() + "\t" + r.label_zh() + "\t" + t.columns(c).key() + "\t" +
             CellText(t.columns(c), cell) + "\n";
      }
  return s;
}

std::string FiguresDigestHex(const v1::PublicNotice& n) { return ToHex(Sha256(FiguresText(n))); }

std::vector<v1::NoticeFigureChange> CompareFigures(const v1::PublicNotice& before,
                                                   const v1::PublicNotice& after) {
  struct Fig {
    std::string label, text;
  };
  auto figures = [](const v1::PublicNotice& n) {
    std::map<std::tuple<std::string, std::string, std::string>, Fig> m;
    for (const auto& t : n.tables())
      for (const auto& r : t.rows())
        for (int c = 0; c < t.columns_size() && c < r.cells_size(); ++c)
          m[{t.key(), r.key(), t.columns(c).key()}] = {
              t.title_zh() + " / " + r.label_zh() + " / " + t.columns(c).label_zh(),
              CellText(t.columns(c), r.cells(c))};
    return m;
  };
  const auto a = figures(before), b = figures(after);
  std::vector<v1::NoticeFigureChange> out;
  auto add = [&](const auto& key, const std::string& label, const std::string& was,
                 const std::string& now) {
    v1::NoticeFigureChange ch;
    ch.set_table_key(std::get<0>(key));
    ch.set_row_key(std::get<1>(key));
    ch.set_column_key(std::get<2>(key));
    ch.set_label_zh(label);
    ch.set_before(was);
    ch.set_after(now);
    out.push_back(std::move(ch));
  };
  for (const auto& [k, f] : b) {
    const auto it = a.find(k);
    if (it == a.end())
      add(k, f.label, "—", f.text);
    else if (it->second.text != f.text)
      add(k, f.label, it->second.text, f.text);
  }
  for (const auto& [k, f] : a)
    if (!b.count(k)) add(k, f.label, f.text, "—");
  return out;
}

}  // namespace aidtrail::projections
