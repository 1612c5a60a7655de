// The public notice end to end: a hand-built log of known totals gives
// exactly those figures in every format; no applicant's identifiers appear
// in any format; small cells are withheld; and verify-notice accepts a true
// notice and names what failed for a changed figure, a changed log byte and
// a wrong signature. A re-published notice lists what changed and why.
#include "projections/notice.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "api/notice/changes.h"
#include "api/notice/render.h"
#include "api/notice/signing.h"
#include "api/notice/verify.h"
#include "events/core/civil_date.h"
#include "events/core/hash_chain.h"
#include "events/domain/model.h"
#include "events/store/embedded_log.h"
#include "events/store/log_scan.h"
#include "ingest/generator.h"
#include "projections/notice_audit.h"
#include "tests/support/district_log.h"
#include "tests/support/notice_formats.h"
#include "tests/support/seed.h"
#include "tests/support/temp_dir.h"
#include "tests/support/views.h"

namespace aidtrail {
namespace {

namespace notice = api::notice;

// Distinctive strings in every free-text field the scenario can reach. The
// sealed personal data (name, ID number, phone, address inside PersonRef)
// never reaches a view in the clear, so it is covered by construction; these
// check that no free text and no case or subject id leaks into a format.
const std::vector<std::string> kSecrets = {"王秀英",         "440703199001011234", "13800138000",
                                           "白沙大道东99号", "SUBJ-QX7Z",          "ZZQ-2025-"};
constexpr char kSecretText[] = "王秀英 440703199001011234 13800138000 白沙大道东99号";

// Writes commits of chosen events straight to the log, sealed into each
// stream's hash chain, at a business date (noon, China Standard Time).
class Scenario {
 public:
  // `run` keeps ids of a later batch apart from the first one's.
  explicit Scenario(store::EventLog& log, std::string run = "") : log_(log), run_(std::move(run)) {}

  void Put(const std::string& stream, const std::string& date,
           std::vector<v1::EventPayload> payloads) {
    v1::Command command;
    command.set_command_id("scn-" + run_ + std::to_string(++seq_));
    command.set_stream_id(stream);
    const int64_t secs = int64_t(CivilDate::Parse(date)->days()) * 86400 + 4 * 3600;
    command.mutable_occurred_at()->set_seconds(secs);
    command.mutable_actor()->set_id("clerk-1");
    command.mutable_actor()->set_role(v1::ROLE_ADMIN);
    command.mutable_actor()->set_agency("jm-pengjiang-lac");
    domain::Decision d{std::move(payloads), "policy@1", std::nullopt, std::nullopt};
    store::StreamHead& head = heads_[stream];
    v1::CommitRecord commit;
    commit.set_commit_id(command.command_id());
    commit.set_stream_id(stream);
    commit.set_expected_version(head.version);
    commit.set_writer_id("scenario");
    for (v1::Event& e : domain::ToEvents(command, d, head.version)) {
      e.mutable_recorded_at()->set_seconds(secs + 1);
      SealEvent(e, head.hash);
      head.hash = e.hash();
      head.version = e.stream_version();
      *commit.add_events() = std::move(e);
    }
    ASSERT_TRUE(log_.Append(commit).ok());
  }

  // A case subsidy standard in force for all of 2025.
  void PutStandard(const std::string& key, v1::CaseCategory category, int64_t fen) {
    v1::EventPayload standard;
    auto* st = standard.mutable_subsidy_standard_set();
    st->set_key(key);
    st->set_category(category);
    st->set_amount_fen(fen);
    st->set_effective_from("2025-01-01");
    Put("policy", "2025-01-02", {standard});
  }

  // One case: received, then approved or refused, then closed with a paid
  // subsidy, or terminated.
  struct Case {
    v1::CaseCategory category = v1::CASE_CATEGORY_UNSPECIFIED;
    v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
    std::string date{};
    bool approve = true, close = true, terminate = false;
    int64_t subsidy_fen = 0;
    std::string firm{};
    bool migrant = false;
  };
  void AddCase(const Case& c) {
    const std::string id = "ZZQ-2025-" + run_ + std::to_string(++cases_);
    const std::string stream = "case/" + id;
    std::vector<v1::EventPayload> intake(1);
    auto* a = intake[0].mutable_application_received();
    a->set_category(c.category);
    a->set_channel(c.channel);
    a->set_matter(std::string("wage-arrears ") + kSecretText);
    a->mutable_applicant()->set_subject_id("SUBJ-QX7Z-" + run_ + std::to_string(cases_));
    a->mutable_applicant()->set_age(41);
    if (c.migrant)
      intake.emplace_back().mutable_priority_flagged()->add_key_groups(
          v1::KEY_GROUP_MIGRANT_WORKER);
    Put(stream, c.date, intake);
    v1::EventPayload review;
    if (c.approve)
      review.mutable_application_approved()->set_note(kSecretText);
    else
      review.mutable_application_refused()->set_written_reasons(kSecretText);
    Put(stream, c.date, {review});
    if (c.terminate) {
      v1::EventPayload t;
      t.mutable_aid_terminated()->set_reasons(kSecretText);
      Put(stream, c.date, {t});
    }
    if (!c.close) return;
    v1::EventPayload closed, approved, paid;
    closed.mutable_case_closed()->set_summary(kSecretText);
    auto* s = approved.mutable_subsidy_approved();
    s->set_subsidy_id("S1");
    s->set_lawyer_id("L1");
    s->set_firm_id(c.firm);
    s->set_amount_fen(c.subsidy_fen);
    s->set_fiscal_year(2025);
    s->set_standard_key("civil");
    auto* p = paid.mutable_subsidy_paid();
    p->set_subsidy_id("S1");
    p->set_amount_fen(c.subsidy_fen);
    p->set_fiscal_year(2025);
    p->set_payment_ref("PAY-" + run_ + std::to_string(cases_));
    Put(stream, c.date, {closed, approved});
    Put(stream, c.date, {paid});
  }

 private:
  store::EventLog& log_;
  const std::string run_;
  uint64_t seq_ = 0;
  int cases_ = 0;
  std::map<std::string, store::StreamHead> heads_;
};

// 2025: 12 civil (Q1, window, migrant workers, F1, 2000.00 each), 6 criminal
// (Q2, forwarded by a detention facility, F2, 1500.50 each), 3
// administrative (Q3, online; 2 approved and paid 2000.00 by F2, 1 refused),
// 1 non-litigation (Q4, online, terminated). Budget 500000.00 + 1234.50.
void WriteYear(store::EventLog& log) {
  Scenario s(log);
  v1::EventPayload budget, adjust, firm1, firm2;
  budget.mutable_budget_appropriated()->set_fiscal_year(2025);
  budget.mutable_budget_appropriated()->set_line(v1::BUDGET_LINE_CASE_SUBSIDY);
  budget.mutable_budget_appropriated()->set_amount_fen(50'000'000);
  adjust.mutable_budget_adjusted()->set_fiscal_year(2025);
  adjust.mutable_budget_adjusted()->set_line(v1::BUDGET_LINE_CASE_SUBSIDY);
  adjust.mutable_budget_adjusted()->set_delta_fen(123'450);
  adjust.mutable_budget_adjusted()->set_reason(kSecretText);
  s.Put("budget/2025", "2025-01-02", {budget});
  s.Put("budget/2025", "2025-06-02", {adjust});
  firm1.mutable_firm_registered()->set_name("蓬江明理律师事务所");
  firm2.mutable_firm_registered()->set_name("江门海纳律师事务所");
  s.Put("firm/F1", "2025-01-02", {firm1});
  s.Put("firm/F2", "2025-01-02", {firm2});
  s.PutStandard("civil", v1::CASE_CATEGORY_CIVIL, 200'000);
  for (int i = 0; i < 12; ++i)
    s.AddCase({.category = v1::CASE_CATEGORY_CIVIL,
               .channel = v1::CHANNEL_WINDOW,
               .date = "2025-02-10",
               .subsidy_fen = 200'000,
               .firm = "F1",
               .migrant = true});
  for (int i = 0; i < 6; ++i)
    s.AddCase({.category = v1::CASE_CATEGORY_CRIMINAL,
               .channel = v1::CHANNEL_DETENTION_FORWARD,
               .date = "2025-05-10",
               .subsidy_fen = 150'050,
               .firm = "F2"});
  for (int i = 0; i < 2; ++i)
    s.AddCase({.category = v1::CASE_CATEGORY_ADMINISTRATIVE,
               .channel = v1::CHANNEL_ONLINE,
               .date = "2025-08-10",
               .subsidy_fen = 200'000,
               .firm = "F2"});
  s.AddCase({.category = v1::CASE_CATEGORY_ADMINISTRATIVE,
             .channel = v1::CHANNEL_ONLINE,
             .date = "2025-08-11",
             .approve = false,
             .close = false});
  s.AddCase({.category = v1::CASE_CATEGORY_NON_LITIGATION,
             .channel = v1::CHANNEL_ONLINE,
             .date = "2025-11-10",
             .close = false,
             .terminate = true});
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class NoticeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenLog(dir_.path() / "log");
    WriteYear(*log_);
  }
  void OpenLog(const std::filesystem::path& p) {
    log_.reset();
    auto log = store::EmbeddedLog::Open({.dir = p.string(), .partitions = 4});
    ASSERT_TRUE(log.ok());
    log_ = std::move(log).value();
  }
  // Folds the views of the whole log into a fresh store and builds the notice.
  v1::PublicNotice Notice(int quarter = 0, int year = 2025) {
    const std::string views = (dir_.path() / ("views-" + std::to_string(++folds_))).string();
    auto engine = projections::Engine::Open(views, testing::AllViews());
    EXPECT_TRUE(engine.ok());
    EXPECT_TRUE((*engine)->CatchUp(*log_).ok());
    projections::NoticeRequest r;
    r.year = year;
    r.quarter = quarter;
    r.issued_date = year == 2025 ? "2026-01-20" : std::to_string(year + 1) + "-01-20";
    auto n = projections::BuildNotice((*engine)->store(), log_->partitions(), r);
    EXPECT_TRUE(n.ok());
    auto key = notice::LoadOrCreateOperatorKey(dir_.str());
    EXPECT_TRUE(key.ok());
    notice::Sign(*n, *key);
    return *n;
  }
  notice::VerifyReport Verify(const v1::PublicNotice& n, const std::string& trusted_key = "") {
    notice::VerifyOptions o;
    o.trusted_public_key = trusted_key.empty()
                               ? *notice::ReadPublicKey((dir_.path() / "operator.pub").string())
                               : trusted_key;
    o.scratch_dir = (dir_.path() / ("verify-" + std::to_string(++folds_))).string();
    auto r = notice::VerifyNotice(n, *log_, o);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
    return r.ok() ? *r : notice::VerifyReport{};
  }
  static bool Has(const notice::VerifyReport& r, const std::string& code,
                  const std::string& zh_part) {
    for (const auto& f : r.failures)
      if (f.code == code && f.message_zh.find(zh_part) != std::string::npos) return true;
    return false;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::EmbeddedLog> log_;
  int folds_ = 0;
};

const std::string kCases = "案件受理及办理情况（按案件类别）";
const std::string kSubsidies = "办案补贴（按案件类别）";
const std::string kBudget = "经费预算及支出";
const std::string kFirms = "办案补贴支付（按律师事务所）";
const std::string kChannels = "受理案件（按申请渠道）";
const std::string kQuarters = "分季度情况";
const std::string kOther = "其他（合并小于5件的类别）";

// The known totals of the scenario, withheld cells as "*".
testing::Grid Expected() {
  return {
      {{kBudget, "办案补贴", "年初预算（元）"}, "500000.00"},
      {{kBudget, "办案补贴", "预算调整（元）"}, "1234.50"},
      {{kBudget, "办案补贴", "调整后预算（元）"}, "501234.50"},
      {{kBudget, "办案补贴", "本年度支出（元）"}, "37003.00"},
      {{kBudget, "办案补贴", "本年度已核定未支付（元，截至期末）"}, "0.00"},
      {{kBudget, "办案补贴", "其中：支付以前年度核定（元）"}, "0.00"},
      {{kBudget, "合计", "调整后预算（元）"}, "501234.50"},
      {{kCases, "民事", "受理（含通知）"}, "12"},
      {{kCases, "刑事", "受理（含通知）"}, "*"},  // complement of the small cells
      {{kCases, "行政", "受理（含通知）"}, "*"},
      {{kCases, "非诉讼", "受理（含通知）"}, "*"},
      {{kCases, kOther, "受理（含通知）"}, "10"},
      {{kCases, "合计", "受理（含通知）"}, "22"},
      {{kCases, "民事", "给予援助"}, "12"},
      {{kCases, "行政", "给予援助"}, "*"},
      {{kCases, "刑事", "给予援助"}, "*"},
      {{kCases, "非诉讼", "给予援助"}, "*"},
      {{kCases, kOther, "给予援助"}, "9"},
      {{kCases, "合计", "给予援助"}, "21"},
      {{kCases, "行政", "不予援助"}, "*"},  // the only refusal: its total goes too
      {{kCases, kOther, "不予援助"}, "*"},
      {{kCases, "合计", "不予援助"}, "*"},
      {{kCases, "刑事", "结案"}, "*"},  // complement of 行政's 2
      {{kCases, "民事", "结案"}, "12"},
      {{kCases, kOther, "结案"}, "8"},
      {{kCases, "合计", "终止援助"}, "*"},
      {{kSubsidies, "民事", "已支付件数"}, "12"},
      {{kSubsidies, "民事", "已支付金额（元）"}, "24000.00"},
      {{kSubsidies, "民事", "件均补贴（元）"}, "2000.00"},
      {{kSubsidies, "刑事", "已支付金额（元）"}, "*"},
      {{kSubsidies, "行政", "已支付件数"}, "*"},
      {{kSubsidies, kOther, "已支付件数"}, "8"},
      {{kSubsidies, kOther, "已支付金额（元）"}, "13003.00"},
      {{kSubsidies, kOther, "件均补贴（元）"}, "1625.38"},  // 1300300 / 8 fen, half up
      {{kSubsidies, "合计", "已支付金额（元）"}, "37003.00"},
      {{kSubsidies, "合计", "件均补贴（元）"}, "1850.15"},
      {{kFirms, "蓬江明理律师事务所", "支付件数"}, "12"},
      {{kFirms, "蓬江明理律师事务所", "支付金额（元）"}, "24000.00"},
      {{kFirms, "江门海纳律师事务所", "支付件数"}, "8"},
      {{kFirms, "江门海纳律师事务所", "支付金额（元）"}, "13003.00"},
      {{kChannels, "窗口申请", "受理件数"}, "12"},
      {{kChannels, "网上申请", "受理件数"}, "*"},
      {{kChannels, "羁押场所转交", "受理件数"}, "*"},
      {{kChannels, kOther, "受理件数"}, "10"},
      {{kQuarters, "第1季度", "受理案件"}, "12"},
      {{kQuarters, "第4季度", "受理案件"}, "*"},
      {{kQuarters, kOther, "受理案件"}, "10"},
      {{"受理案件（按重点人群）", "农民工", "受理件数"}, "12"},
  };
}

void ExpectFigures(const testing::Grid& got, const std::string& format) {
  for (const auto& [k, want] : Expected()) {
    const auto it = got.find(k);
    ASSERT_NE(it, got.end()) << format << ": no cell " << std::get<0>(k) << " / " << std::get<1>(k)
                             << " / " << std::get<2>(k);
    EXPECT_EQ(it->second, want) << format << ": " << std::get<0>(k) << " / " << std::get<1>(k)
                                << " / " << std::get<2>(k);
  }
}

TEST_F(NoticeTest, EveryFormatGivesTheKnownTotals) {
  const v1::PublicNotice n = Notice();
  EXPECT_EQ(n.title_zh(), "江门市蓬江区法律援助经费使用情况公示（2025年度）");
  const testing::Grid grid = testing::GridOf(n);
  ExpectFigures(grid, "notice");

  auto json = notice::RenderJson(n);
  ASSERT_TRUE(json.ok());
  auto parsed = notice::ParseNoticeJson(*json);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(testing::GridOf(*parsed), grid) << "JSON";
  EXPECT_EQ(projections::FiguresDigestHex(*parsed), n.figures_digest_hex());

  const std::string csv = notice::RenderCsv(n);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF") << "UTF-8 byte-order mark";
  EXPECT_NE(csv.find("\r\n"), std::string::npos);
  EXPECT_EQ(csv.find("\n", 0) - 1, csv.find("\r\n", 0)) << "CRLF line ends";
  EXPECT_EQ(testing::GridFromDelimited(n, csv, false), grid) << "CSV";

  const std::string html = notice::RenderHtml(n);
  EXPECT_NE(html.find("@page { size: A4; margin: 15mm }"), std::string::npos);
  EXPECT_NE(html.find("《中华人民共和国法律援助法》第五十八条"), std::string::npos);
  EXPECT_NE(html.find("aidtrail verify-notice"), std::string::npos);
  EXPECT_NE(html.find(n.checkpoint().root_hex()), std::string::npos);
  EXPECT_NE(html.find("其他（合并小于5件的类别）"), std::string::npos);
  EXPECT_EQ(testing::GridFromHtml(n, html), grid) << "HTML";

  const std::string xlsx = (dir_.path() / "notice.xlsx").string();
  ASSERT_TRUE(notice::WriteXlsx(n, xlsx).ok());
  EXPECT_EQ(testing::GridFromDelimited(n, testing::XlsxAsText(xlsx), true), grid) << "XLSX";
}

// A subsidy approved in December and paid in January is owed by the year
// that approved it: unpaid at that year's end, and in the next year spent
// "for an earlier year" — never a negative balance of the next year.
TEST_F(NoticeTest, ADecemberApprovalPaidInJanuaryIsOwedByItsOwnYear) {
  Scenario s(*log_, "dec-");
  v1::EventPayload received, approved, closed, subsidy, paid, budget;
  received.mutable_application_received()->set_category(v1::CASE_CATEGORY_CIVIL);
  received.mutable_application_received()->set_channel(v1::CHANNEL_WINDOW);
  approved.mutable_application_approved();
  closed.mutable_case_closed();
  auto* a = subsidy.mutable_subsidy_approved();
  a->set_subsidy_id("S1");
  a->set_lawyer_id("L1");
  a->set_firm_id("F1");
  a->set_amount_fen(300'000);
  a->set_fiscal_year(2025);
  a->set_standard_key("civil");
  auto* p = paid.mutable_subsidy_paid();
  p->set_subsidy_id("S1");
  p->set_amount_fen(300'000);
  p->set_fiscal_year(2026);
  p->set_payment_ref("PAY-2026-1");
  budget.mutable_budget_appropriated()->set_fiscal_year(2026);
  budget.mutable_budget_appropriated()->set_line(v1::BUDGET_LINE_CASE_SUBSIDY);
  budget.mutable_budget_appropriated()->set_amount_fen(50'000'000);
  s.Put("budget/2026", "2026-01-02", {budget});
  s.Put("case/DEC-1", "2025-11-03", {received});
  s.Put("case/DEC-1", "2025-11-05", {approved});
  s.Put("case/DEC-1", "2025-12-20", {closed, subsidy});
  s.Put("case/DEC-1", "2026-01-10", {paid});

  const auto y2025 = testing::GridOf(Notice(0, 2025));
  EXPECT_EQ(y2025.at({kBudget, "办案补贴", "本年度已核定未支付（元，截至期末）"}), "3000.00");
  EXPECT_EQ(y2025.at({kBudget, "办案补贴", "本年度支出（元）"}), "37003.00");
  const auto q3 = testing::GridOf(Notice(3, 2025));  // before the approval
  EXPECT_EQ(q3.at({"经费预算及本季度支出", "办案补贴", "本年度已核定未支付（元，截至期末）"}),
            "0.00");

  const v1::PublicNotice n2026 = Notice(0, 2026);
  const auto y2026 = testing::GridOf(n2026);
  EXPECT_EQ(y2026.at({kBudget, "办案补贴", "本年度已核定未支付（元，截至期末）"}), "0.00");
  // 2026's one payment, at the one published rate, would give its count
  // away: its spending is withheld; the part owed by 2025 is still shown.
  EXPECT_EQ(y2026.at({kBudget, "办案补贴", "本年度支出（元）"}), "*");
  EXPECT_EQ(y2026.at({kBudget, "合计", "本年度支出（元）"}), "*");
  EXPECT_EQ(y2026.at({kBudget, "办案补贴", "其中：支付以前年度核定（元）"}), "3000.00");
  for (const auto& [cell, value] : y2026)
    EXPECT_NE(value.substr(0, 1), "-") << std::get<0>(cell) << " / " << std::get<1>(cell) << " / "
                                       << std::get<2>(cell) << " is negative: " << value;
  EXPECT_TRUE(Verify(n2026).failures.empty());
}

// Art. 64: what a recipient who obtained aid falsely pays back is income of
// the year (and quarter) it was received in, beside the case subsidy line;
// it does not reduce the spending.
TEST_F(NoticeTest, MoneyPaidBackUnderArt64IsIncomeOfTheYearReceived) {
  Scenario s(*log_, "r64-");
  v1::EventPayload received, approved, found, ordered, repaid;
  received.mutable_application_received()->set_category(v1::CASE_CATEGORY_CIVIL);
  received.mutable_application_received()->set_channel(v1::CHANNEL_WINDOW);
  approved.mutable_application_approved();
  found.mutable_commitment_found_false()->set_findings("隐瞒房产");
  ordered.mutable_aid_cost_recovery_ordered()->set_fine_fen(100'000);
  ordered.mutable_aid_cost_recovery_ordered()->set_decision_ref("江蓬司罚〔2025〕1号");
  auto* r = repaid.mutable_aid_cost_repaid();
  r->set_amount_fen(60'000);
  r->set_payment_ref("缴-2025-1");
  r->set_fiscal_year(2025);
  s.Put("case/R64-1", "2025-07-01", {received});
  s.Put("case/R64-1", "2025-07-02", {approved});
  s.Put("case/R64-1", "2025-08-01", {found});
  s.Put("case/R64-1", "2025-08-20", {ordered});
  s.Put("case/R64-1", "2025-09-10", {repaid});
  const v1::PublicNotice year = Notice(0, 2025);
  const auto y = testing::GridOf(year);
  EXPECT_EQ(y.at({kBudget, "办案补贴", "本年度追回法律援助费用（元）"}), "600.00");
  EXPECT_EQ(y.at({kBudget, "办案补贴", "本年度支出（元）"}), "37003.00")
      << "income is not spending";
  EXPECT_EQ(y.at({kBudget, "值班律师补贴", "本年度追回法律援助费用（元）"}), "0.00");
  const auto q3 = testing::GridOf(Notice(3, 2025));
  EXPECT_EQ(q3.at({"经费预算及本季度支出", "办案补贴", "本季度追回法律援助费用（元）"}), "600.00");
  const auto q2 = testing::GridOf(Notice(2, 2025));
  EXPECT_EQ(q2.at({"经费预算及本季度支出", "办案补贴", "本季度追回法律援助费用（元）"}), "0.00");
  EXPECT_TRUE(Verify(year).failures.empty());
}

// Duty days and consultations are paid by their standards: on a generated
// year, the notice's duty and consultation lines show spending that is not
// zero and equals the sum of their payments in the log, "approved, unpaid"
// is this year's approvals less what was paid of them this year, persons
// aided, legal help and documents drafted are counted as the log gives
// them, and the notice still verifies.
TEST_F(NoticeTest, DutyConsultationAndPeopleAreCountedFromTheLog) {
  ingest::DistrictGenerator gen({.seed = 13,
                                 .year = 2027,
                                 .cases = 60,
                                 .consultations = 90,
                                 .duty_services = 90,
                                 .prefix = "SVC"});
  const auto stats = testing::WriteDistrictYear(*log_, gen);
  ASSERT_GT(stats.accepted, 0u);
  std::map<v1::BudgetLine, int64_t> paid, approved, paid_of_own_year;
  std::map<v1::BudgetLine, int> payments;
  store::CommitValidator v;
  ASSERT_TRUE(
      store::ScanLog(*log_, v, [&](const store::ScannedCommit& c) {
        if (c.verdict != store::Verdict::kValid) return;
        for (const auto& e : c.commit.events()) {
          const auto& x = e.payload();
          if (x.has_service_pay_approved() && x.service_pay_approved().fiscal_year() == 2027)
            approved[x.service_pay_approved().line()] += x.service_pay_approved().amount_fen();
          if (!x.has_service_pay_paid() || x.service_pay_paid().fiscal_year() != 2027) continue;
          const auto line = x.service_pay_paid().line();
          paid[line] += x.service_pay_paid().amount_fen();
          ++payments[line];
          if (x.service_pay_paid().approved_fiscal_year() == 2027)
            paid_of_own_year[line] += x.service_pay_paid().amount_fen();
        }
      }).ok());
  ASSERT_GT(payments[v1::BUDGET_LINE_DUTY_SUBSIDY], 10);
  // People, not only cases: persons aided count each application's
  // co-applicants; legal help and documents drafted are their own lines.
  int64_t cases = 0, persons = 0, consultations = 0, duty_help = 0, drafted = 0;
  store::CommitValidator again;  // a judge remembers what it saw: a fresh one
  ASSERT_TRUE(store::ScanLog(*log_, again, [&](const store::ScannedCommit& c) {
                if (c.verdict != store::Verdict::kValid) return;
                for (const auto& e : c.commit.events()) {
                  if (CivilDate::Of(Instant::FromProto(e.occurred_at())).year() != 2027) continue;
                  const auto& x = e.payload();
                  if (x.has_application_received() || x.has_criminal_notification_received()) {
                    ++cases;
                    persons += 1 + x.application_received().co_applicants_size();
                  }
                  if (x.has_consultation_recorded()) {
                    ++consultations;
                    drafted += x.consultation_recorded().documents_drafted();
                  }
                  if (x.has_duty_service_recorded()) ++duty_help;
                }
              }).ok());
  ASSERT_GT(payments[v1::BUDGET_LINE_CONSULTATION_SUBSIDY], 10);
  const auto yuan = [](int64_t fen) { return Fen(fen).ToYuan(); };
  const v1::PublicNotice n = Notice(0, 2027);
  const auto g = testing::GridOf(n);
  for (const auto& [line, label] : std::vector<std::pair<v1::BudgetLine, std::string>>{
           {v1::BUDGET_LINE_DUTY_SUBSIDY, "值班律师补贴"},
           {v1::BUDGET_LINE_CONSULTATION_SUBSIDY, "咨询补贴"}}) {
    SCOPED_TRACE(label);
    EXPECT_EQ(g.at({kBudget, label, "本年度支出（元）"}), yuan(paid[line]));
    EXPECT_EQ(g.at({kBudget, label, "本年度已核定未支付（元，截至期末）"}),
              yuan(approved[line] - paid_of_own_year[line]));
  }
  // November's duty days are approved in December and paid in January.
  EXPECT_GT(approved[v1::BUDGET_LINE_DUTY_SUBSIDY] - paid_of_own_year[v1::BUDGET_LINE_DUTY_SUBSIDY],
            0);
  const std::string kTotals = "服务总量";
  EXPECT_EQ(g.at({kTotals, "办理法律援助案件（件）", "数量"}), std::to_string(cases));
  EXPECT_EQ(g.at({kTotals, "受援人次", "数量"}), std::to_string(persons));
  EXPECT_GT(persons, cases) << "some applications have co-applicants";
  EXPECT_EQ(g.at({kTotals, "法律咨询（人次）", "数量"}), std::to_string(consultations));
  EXPECT_EQ(g.at({kTotals, "值班律师法律帮助（人次）", "数量"}), std::to_string(duty_help));
  EXPECT_EQ(g.at({kTotals, "代写法律文书（件）", "数量"}), std::to_string(drafted));
  EXPECT_GT(drafted, 0);
  // The standards are published with their unit.
  EXPECT_EQ(g.at({"执行的办案补贴标准（期末有效）", "值班律师补贴·元/日（看守所工作站）",
                  "补贴标准（元/件）"}),
            "400.00");
  // Paid by firm: the firms' rows add up to the lines' payments.
  const std::string kByFirm = "值班律师、法律咨询补贴支付（按律师事务所）";
  EXPECT_EQ(g.at({kByFirm, "合计", "值班补贴（元）"}), yuan(paid[v1::BUDGET_LINE_DUTY_SUBSIDY]));
  EXPECT_EQ(g.at({kByFirm, "合计", "咨询补贴（元）"}),
            yuan(paid[v1::BUDGET_LINE_CONSULTATION_SUBSIDY]));
  EXPECT_EQ(g.at({kByFirm, "合计", "值班（日次）"}),
            std::to_string(payments[v1::BUDGET_LINE_DUTY_SUBSIDY]));
  EXPECT_TRUE(Verify(n).failures.empty());
  // The next year pays December's days toward 2027's approvals.
  const auto g2028 = testing::GridOf(Notice(0, 2028));
  EXPECT_NE(g2028.at({kBudget, "值班律师补贴", "其中：支付以前年度核定（元）"}), "0.00");
}

TEST_F(NoticeTest, AQuarterCountsOnlyItsOwnEvents) {
  const v1::PublicNotice q1 = Notice(1);
  EXPECT_EQ(q1.title_zh(), "江门市蓬江区法律援助经费使用情况公示（2025年第1季度）");
  const auto g = testing::GridOf(q1);
  EXPECT_EQ(g.at({kCases, "民事", "受理（含通知）"}), "12");
  EXPECT_EQ(g.at({kCases, "合计", "受理（含通知）"}), "12");
  EXPECT_EQ(g.at({"经费预算及本季度支出", "办案补贴", "本季度支出（元）"}), "24000.00");
  EXPECT_EQ(g.at({kFirms, "蓬江明理律师事务所", "支付金额（元）"}), "24000.00");
}

TEST_F(NoticeTest, NoFormatCarriesAnApplicantsIdentifiers) {
  // A generated year on top: many streams, every kind of event.
  ingest::DistrictGenerator gen({.seed = 9,
                                 .year = 2025,
                                 .cases = 120,
                                 .consultations = 40,
                                 .duty_services = 40,
                                 .prefix = "ZZQ"});
  testing::WriteDistrictYear(*log_, gen);
  const v1::PublicNotice n = Notice();
  const std::string xlsx = (dir_.path() / "p.xlsx").string();
  ASSERT_TRUE(notice::WriteXlsx(n, xlsx).ok());
  const std::map<std::string, std::string> outputs = {
      {"json", *notice::RenderJson(n)},
      {"csv", notice::RenderCsv(n)},
      {"html", notice::RenderHtml(n)},
      {"xlsx", testing::XlsxAsText(xlsx) + ReadAll(xlsx)}};
  for (const auto& [format, text] : outputs) {
    ASSERT_GT(text.size(), 1000u) << format;
    for (const auto& secret : kSecrets)
      EXPECT_EQ(text.find(secret), std::string::npos) << format << " leaks " << secret;
    EXPECT_EQ(text.find("case/"), std::string::npos) << format << " names a case stream";
    EXPECT_NE(text.find("蓬江明理律师事务所"), std::string::npos)
        << format << ": law firms are public";
  }
  // Every protected table: no published cell of 1..4.
  for (const auto& t : n.tables()) {
    if (!t.protected_counts()) continue;
    for (const auto& r : t.rows())
      for (int c = 0; c < t.columns_size(); ++c)
        if (t.columns(c).kind() == v1::NOTICE_COLUMN_KIND_COUNT && !r.cells(c).suppressed()) {
          EXPECT_FALSE(r.cells(c).value() > 0 && r.cells(c).value() < 5)
              << t.key() << "/" << r.key();
        }
  }
}

TEST_F(NoticeTest, WithheldCellsCannotBeRecoveredByAnySubtraction) {
  const v1::PublicNotice n = Notice();
  for (const auto& t : n.tables()) {
    if (!t.protected_counts()) continue;
    for (int c = 0; c < t.columns_size(); ++c) {
      if (t.columns(c).kind() != v1::NOTICE_COLUMN_KIND_COUNT) continue;
      int withheld = 0;
      const v1::NoticeRow* other = nullptr;
      const v1::NoticeRow* total = nullptr;
      int64_t shown = 0;
      for (const auto& r : t.rows()) {
        if (r.kind() == v1::NOTICE_ROW_KIND_OTHER)
          other = &r;
        else if (r.kind() == v1::NOTICE_ROW_KIND_TOTAL)
          total = &r;
        else if (r.cells(c).suppressed())
          ++withheld;
        else
          shown += r.cells(c).value();
      }
      if (withheld == 0) continue;
      SCOPED_TRACE(t.key() + "/" + t.columns(c).key());
      // Total minus every cell shown gives only the sum of the withheld
      // cells, which the "other" row publishes anyway: at least two cells,
      // together at least 5 — or the total itself is withheld.
      ASSERT_NE(other, nullptr);
      if (!total->cells(c).suppressed()) {
        EXPECT_GE(withheld, 2);
        EXPECT_EQ(total->cells(c).value() - shown, other->cells(c).value());
        EXPECT_GE(other->cells(c).value(), 5);
      } else {
        EXPECT_TRUE(other->cells(c).suppressed());
      }
    }
  }
}

// Everything the notice publishes — totals, "other" rows, the other tables'
// totals of the same quantity, and the subsidy standards and method as
// rates — still leaves every withheld count two values or more
// (projections/notice_audit.h works them out).
// Returns how many cells were withheld.
int ExpectNothingPinned(const v1::PublicNotice& n) {
  const std::vector<v1::NoticeTable> tables(n.tables().begin(), n.tables().end());
  int withheld = 0;
  for (const auto& t : tables)
    for (const auto& cell : projections::WithheldValues(t, projections::KnowledgeFor(tables, t))) {
      ++withheld;
      EXPECT_GE(cell.values.size(), 2u) << t.key() << "/" << cell.row << "/" << cell.column
                                        << " can only be " << *cell.values.begin();
      EXPECT_TRUE(cell.amounts_used) << t.key() << "/" << cell.row << ": amounts not checked";
    }
  return withheld;
}

TEST_F(NoticeTest, NoWithheldCellIsPinnedByAnythingTheNoticePublishes) {
  int withheld = 0;
  for (int quarter = 0; quarter <= 4; ++quarter) {
    SCOPED_TRACE("quarter " + std::to_string(quarter));
    withheld += ExpectNothingPinned(Notice(quarter));
  }
  EXPECT_GT(withheld, 0) << "the hand-made year has small cells to withhold";
}

// The leak the rates opened: 2 administrative cases paid 2,000.00 and 3
// non-litigation ones paid 1,000.00, merged into "other" as 5 cases and
// 7,000.00, with both rates published — only 2 and 3 fit.
TEST_F(NoticeTest, MergedCategoriesWithDifferentRatesKeepTheirCounts) {
  OpenLog(dir_.path() / "rates");
  Scenario s(*log_, "R");
  const std::vector<std::tuple<const char*, v1::CaseCategory, int64_t>> rates = {
      {"civil", v1::CASE_CATEGORY_CIVIL, 200'000},
      {"administrative", v1::CASE_CATEGORY_ADMINISTRATIVE, 200'000},
      {"non-litigation", v1::CASE_CATEGORY_NON_LITIGATION, 100'000}};
  for (const auto& [key, category, fen] : rates) s.PutStandard(key, category, fen);
  const auto add = [&](v1::CaseCategory category, int n, int64_t fen) {
    for (int i = 0; i < n; ++i)
      s.AddCase({.category = category,
                 .channel = v1::CHANNEL_WINDOW,
                 .date = "2025-03-10",
                 .subsidy_fen = fen,
                 .firm = "F1"});
  };
  add(v1::CASE_CATEGORY_CIVIL, 30, 200'000);
  add(v1::CASE_CATEGORY_ADMINISTRATIVE, 2, 200'000);
  add(v1::CASE_CATEGORY_NON_LITIGATION, 3, 100'000);
  const v1::PublicNotice n = Notice();
  const std::vector<v1::NoticeTable> tables(n.tables().begin(), n.tables().end());
  const v1::NoticeTable* subsidies = nullptr;
  for (const auto& t : tables)
    if (t.key() == "subsidies_by_category") subsidies = &t;
  ASSERT_NE(subsidies, nullptr);
  const auto reader = projections::KnowledgeFor(tables, *subsidies);
  EXPECT_EQ(reader.per_case_fen.at("CASE_CATEGORY_NON_LITIGATION"), (std::vector<int64_t>{100'000}))
      << "the reader knows the published rates";
  int withheld = 0;
  for (const auto& cell : projections::WithheldValues(*subsidies, reader)) {
    if (cell.column != "paid_count") continue;
    ++withheld;
    EXPECT_GE(cell.values.size(), 2u) << cell.row << " can only be " << *cell.values.begin();
  }
  EXPECT_GE(withheld, 2);
  ExpectNothingPinned(n);
}

// Spending is what the notice is for, but one payment in a quarter at the
// one published rate gives its count away: that quarter withholds the case
// subsidy line's spending and the budget's total spent, and nothing else of
// the budget; the year, with enough payments, publishes both.
TEST_F(NoticeTest, AQuarterOfOnePaymentWithholdsItsSpending) {
  OpenLog(dir_.path() / "one-payment");
  Scenario s(*log_, "P");
  s.PutStandard("civil", v1::CASE_CATEGORY_CIVIL, 200'000);
  const auto add = [&](const char* date) {
    s.AddCase({.category = v1::CASE_CATEGORY_CIVIL,
               .channel = v1::CHANNEL_WINDOW,
               .date = date,
               .subsidy_fen = 200'000,
               .firm = "F1"});
  };
  add("2025-02-10");
  for (int i = 0; i < 6; ++i) add("2025-05-10");
  const auto spent = [](const v1::PublicNotice& n,
                        const std::string& row) -> const v1::NoticeCell* {
    for (const auto& t : n.tables())
      if (t.key() == "budget")
        for (int c = 0; c < t.columns_size(); ++c)
          if (t.columns(c).key() == "spent")
            for (const auto& r : t.rows())
              if (r.key() == row) return &r.cells(c);
    return nullptr;
  };
  const v1::PublicNotice q1 = Notice(1);
  ExpectNothingPinned(q1);
  ASSERT_NE(spent(q1, "BUDGET_LINE_CASE_SUBSIDY"), nullptr);
  EXPECT_TRUE(spent(q1, "BUDGET_LINE_CASE_SUBSIDY")->suppressed());
  EXPECT_TRUE(spent(q1, "TOTAL")->suppressed()) << "the total less the other lines gives it back";
  EXPECT_FALSE(spent(q1, "BUDGET_LINE_DUTY_SUBSIDY")->suppressed());
  {
    const auto report = Verify(q1);
    EXPECT_TRUE(report.ok()) << report.Format();
  }
  const v1::PublicNotice year = Notice(0);
  ExpectNothingPinned(year);
  EXPECT_FALSE(spent(year, "BUDGET_LINE_CASE_SUBSIDY")->suppressed());
  EXPECT_EQ(spent(year, "BUDGET_LINE_CASE_SUBSIDY")->value(), 7 * 200'000);
  EXPECT_EQ(spent(year, "TOTAL")->value(), 7 * 200'000);
}

TEST_F(NoticeTest, NoWithheldCellIsPinnedInGeneratedYears) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE(testing::SeedNote(seed));
  int withheld = 0;
  for (int district = 0; district < 3; ++district) {
    OpenLog(dir_.path() / ("generated-" + std::to_string(district)));
    ingest::DistrictGenerator gen({.seed = seed + uint32_t(district),
                                   .year = 2025,
                                   .cases = 40 + 30 * district,
                                   .consultations = 20,
                                   .duty_services = 20,
                                   .prefix = "GEN"});
    testing::WriteDistrictYear(*log_, gen);
    for (int quarter = 0; quarter <= 4; ++quarter) {
      SCOPED_TRACE("district " + std::to_string(district) + " quarter " + std::to_string(quarter));
      withheld += ExpectNothingPinned(Notice(quarter));
      if (::testing::Test::HasFailure()) return;
    }
  }
  EXPECT_GT(withheld, 10) << "small districts' quarters have small cells";
}

TEST_F(NoticeTest, ACorrectNoticeVerifies) {
  const v1::PublicNotice n = Notice();
  auto json = notice::RenderJson(n);
  auto back = notice::ParseNoticeJson(*json);
  ASSERT_TRUE(back.ok());
  const auto r = Verify(*back);
  EXPECT_TRUE(r.ok()) << r.Format();
}

TEST_F(NoticeTest, AChangedFigureIsRejectedByName) {
  v1::PublicNotice n = Notice();
  for (auto& t : *n.mutable_tables())
    if (t.key() == "cases_by_category")
      for (auto& r : *t.mutable_rows())
        if (r.key() == "CASE_CATEGORY_CIVIL") r.mutable_cells(0)->set_value(13);
  const auto r = Verify(n);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Has(r, "figures_digest", "数据摘要不符")) << r.Format();
  EXPECT_TRUE(
      Has(r, "figure",
          "案件受理及办理情况（按案件类别） / 民事 / 受理（含通知），公示为 13，按日志重算为 12"))
      << r.Format();
  EXPECT_FALSE(Has(r, "merkle_root", "")) << "the log itself is intact";
}

TEST_F(NoticeTest, AChangedLogByteIsRejectedByItsPartition) {
  const v1::PublicNotice n = Notice();
  const auto copy = dir_.path() / "log-copy";
  log_.reset();  // RocksDB's lock
  std::filesystem::copy(dir_.path() / "log", copy, std::filesystem::copy_options::recursive);
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}}, {"log", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(
        rocksdb::DB::Open(rocksdb::DBOptions(), copy.string(), families, &handles, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[1]));
    it->SeekToFirst();
    for (int i = 0; i < 5 && it->Valid(); ++i) it->Next();
    ASSERT_TRUE(it->Valid());
    const std::string key = it->key().ToString();
    std::string value = it->value().ToString();
    value[value.size() - 3] ^= 0x01;  // one byte of one record
    it.reset();
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[1], key, value).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  }
  OpenLog(copy);
  const auto r = Verify(n);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Has(r, "merkle_root", "默克尔根不符：分区")) << r.Format();
  EXPECT_FALSE(Has(r, "signature", "")) << r.Format();
}

TEST_F(NoticeTest, AWrongSignatureIsRejected) {
  v1::PublicNotice n = Notice();
  std::string sig = n.signature_hex();
  sig[10] = sig[10] == '0' ? '1' : '0';
  n.set_signature_hex(sig);
  auto r = Verify(n);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Has(r, "signature", "签名无效")) << r.Format();
  EXPECT_EQ(r.failures.size(), 1u) << "the figures and the log are fine: " << r.Format();

  // Signed by someone else's key: valid in itself, but not the operator's.
  testing::TempDir other;
  auto stranger = notice::LoadOrCreateOperatorKey(other.str());
  ASSERT_TRUE(stranger.ok());
  v1::PublicNotice forged = Notice();
  notice::Sign(forged, *stranger);
  r = Verify(forged);
  EXPECT_TRUE(Has(r, "signature", "不是运营方公钥")) << r.Format();
}

TEST_F(NoticeTest, TheOperatorKeyIsPrivateAndStable) {
  auto a = notice::LoadOrCreateOperatorKey(dir_.str());
  auto b = notice::LoadOrCreateOperatorKey(dir_.str());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->public_key, b->public_key);
  const auto perms = std::filesystem::status(dir_.path() / "operator.key").permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  EXPECT_EQ(*notice::ReadPublicKey((dir_.path() / "operator.pub").string()), a->public_key);
}

TEST_F(NoticeTest, ARepublishedNoticeShowsWhatChangedAndTheOldOneStillVerifies) {
  const v1::PublicNotice first = Notice();
  Scenario later(*log_, "L");
  later.AddCase({.category = v1::CASE_CATEGORY_CIVIL,
                 .channel = v1::CHANNEL_WINDOW,
                 .date = "2025-03-01",
                 .subsidy_fen = 200'000,
                 .firm = "F1"});
  v1::EventPayload fix;
  fix.mutable_event_corrected()->mutable_corrected()->set_stream_id("budget/2025");
  fix.mutable_event_corrected()->set_field("document_ref");
  fix.mutable_event_corrected()->set_reason("文号录入错误");
  later.Put("budget/2025-corrections", "2025-12-30", {fix});
  v1::PublicNotice second = Notice();
  ASSERT_TRUE(notice::AddChanges(second, first, *log_).ok());
  const auto& c = second.changes();
  EXPECT_EQ(c.previous_figures_digest_hex(), first.figures_digest_hex());
  EXPECT_EQ(c.new_records(), 5u);  // 4 commits of the case, 1 correction
  EXPECT_EQ(c.corrections(), 1u);
  bool civil = false;
  for (const auto& ch : c.changes())
    if (ch.table_key() == "cases_by_category" && ch.row_key() == "CASE_CATEGORY_CIVIL" &&
        ch.column_key() == "received") {
      civil = true;
      EXPECT_EQ(ch.before(), "12");
      EXPECT_EQ(ch.after(), "13");
    }
  EXPECT_TRUE(civil);
  EXPECT_NE(notice::RenderHtml(second).find("与上次公示相比的变化"), std::string::npos);
  const auto old_report = Verify(first);
  EXPECT_TRUE(old_report.ok()) << "the old notice verifies against its own checkpoint: "
                               << old_report.Format();
  EXPECT_TRUE(Verify(second).ok());
}

}  // namespace
}  // namespace aidtrail
