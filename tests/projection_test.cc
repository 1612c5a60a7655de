// Projections over a generated district year: the views agree with the
// writer's own fold, folding is deterministic however it is chunked or
// interrupted, and time-based facts turn true with the clock alone.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <random>

#include "events/core/merkle.h"
#include "events/domain/matters.h"
#include "events/domain/model.h"
#include "events/store/embedded_log.h"
#include "events/store/log_scan.h"
#include "projections/audit_view.h"
#include "projections/case_queries.h"
#include "projections/case_views.h"
#include "projections/green_channel.h"
#include "projections/ledger_queries.h"
#include "projections/ledger_views.h"
#include "projections/notice.h"
#include "projections/supervision_index.h"
#include "tests/support/district_log.h"
#include "tests/support/temp_dir.h"
#include "tests/support/views.h"

namespace aidtrail {
namespace {

using testing::AllViews;

std::map<std::string, std::string> Digests(const projections::ViewStore& store) {
  std::map<std::string, std::string> out;
  for (const auto& f : store.families()) out[f] = store.Digest(f);
  return out;
}

Instant At(const char* rfc3339) {
  google::protobuf::Timestamp ts;
  EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(rfc3339, &ts));
  return Instant::FromProto(ts);
}

class ProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = store::EmbeddedLog::Open({.dir = (dir_.path() / "log").string(), .partitions = 4});
    ASSERT_TRUE(log.ok());
    log_ = std::move(log).value();
  }
  std::unique_ptr<projections::Engine> OpenEngine(const std::string& name) {
    auto e = projections::Engine::Open((dir_.path() / name).string(), AllViews());
    EXPECT_TRUE(e.ok());
    return e.ok() ? std::move(e).value() : nullptr;
  }
  testing::TempDir dir_;
  std::unique_ptr<store::EmbeddedLog> log_;
};

TEST_F(ProjectionTest, SummariesAgreeWithTheWritersFold) {
  ingest::DistrictGenerator gen(
      {.seed = 3, .cases = 150, .consultations = 20, .duty_services = 20});
  testing::WriteDistrictYear(*log_, gen);
  auto engine = OpenEngine("views");
  ASSERT_TRUE(engine->CatchUp(*log_).ok());
  EXPECT_EQ(engine->Lag(*log_).value(), 0);

  domain::Model model;
  store::CommitValidator v;
  auto scan = store::ScanLog(*log_, v, [&](const store::ScannedCommit& s) {
    if (s.verdict == store::Verdict::kValid)
      for (const auto& e : s.commit.events()) model.Apply(e);
  });
  ASSERT_TRUE(scan.ok());
  projections::CaseQueries q(engine->store());
  int cases = 0;
  for (int n = 1; n <= 150; ++n) {
    const std::string stream = "case/JM-2024-" + std::to_string(n);
    const domain::CaseState* c = model.Case(stream);
    ASSERT_NE(c, nullptr) << stream;
    auto s = q.Summary(stream, At("2025-06-30T12:00:00+08:00"));
    ASSERT_TRUE(s.ok()) << stream;
    EXPECT_EQ(s->stage(), domain::StageName(c->stage)) << stream;
    EXPECT_EQ(s->version(), c->version) << stream;
    EXPECT_EQ(s->lawyer_id(), c->lawyer_id) << stream;
    EXPECT_EQ(q.Timeline(stream).size(), c->version) << stream;
    ++cases;
  }
  EXPECT_EQ(cases, 150);
  EXPECT_EQ(engine->stats().valid, scan->valid);
  EXPECT_EQ(engine->stats().records, scan->records);
}

// Reads answer from what the views stored and from states folded once per
// version (projections/state_cache.h): for two thousand generated cases, at
// two clocks and while the log grows, every summary with its deadlines and
// loop steps equals one folded from nothing — the writer's own fold of the
// whole log — and a second store that stopped earlier answers at its own
// versions.
TEST_F(ProjectionTest, SummariesFromStoredStateEqualAFullRefold) {
  ingest::DistrictGenerator gen(
      {.seed = 17, .cases = 2000, .consultations = 0, .duty_services = 0});
  auto engine = OpenEngine("views");
  auto shorter = OpenEngine("shorter");
  projections::CaseQueries q(engine->store()), early(shorter->store());
  const Instant clocks[] = {At("2024-07-01T09:00:00+08:00"), At("2025-06-30T18:00:00+08:00")};
  int compared = 0;
  for (uint64_t phase : {uint64_t{9000}, uint64_t{0}}) {  // part of the year, then the rest
    testing::WriteDistrictYear(*log_, gen, phase);
    ASSERT_TRUE(engine->CatchUp(*log_).ok());
    if (phase != 0) {
      ASSERT_TRUE(shorter->CatchUp(*log_).ok());
    }
    domain::Model model;
    store::CommitValidator v;
    ASSERT_TRUE(store::ScanLog(*log_, v, [&](const store::ScannedCommit& s) {
                  if (s.verdict == store::Verdict::kValid)
                    for (const auto& e : s.commit.events()) model.Apply(e);
                }).ok());
    for (int n = 1; n <= 2000; ++n) {
      const std::string stream = "case/JM-2024-" + std::to_string(n);
      const domain::CaseState* c = model.Case(stream);
      for (const Instant now : clocks) {
        auto s = q.Summary(stream, now);
        ASSERT_EQ(s.ok(), c != nullptr) << stream;
        if (c == nullptr) continue;
        v1::CaseSummary expect =
            projections::Summarize(stream, *c, q.Timeline(stream).front().actor().agency());
        projections::Evaluate(expect, *c, model.policy(), now);
        ASSERT_EQ(s->SerializeAsString(), expect.SerializeAsString()) << stream;
        // Asked again, the answer comes from the cache: still the same.
        ASSERT_EQ(q.Summary(stream, now)->SerializeAsString(), expect.SerializeAsString());
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 3000);
  // The shorter store stands where the first phase ended: its cases are
  // folded to its own versions, not to the ones the other store cached.
  int behind = 0;
  for (int n = 1; n <= 2000; ++n) {
    const std::string stream = "case/JM-2024-" + std::to_string(n);
    auto a = early.Summary(stream, clocks[1]);
    auto b = q.Summary(stream, clocks[1]);
    if (!a.ok()) continue;
    ASSERT_TRUE(b.ok());
    domain::CaseState refold;
    for (const auto& e : early.Timeline(stream)) domain::EvolveCase(refold, e);
    v1::CaseSummary expect = projections::Summarize(stream, refold, a->agency());
    projections::Evaluate(expect, refold, *early.Policy(), clocks[1]);
    ASSERT_EQ(a->SerializeAsString(), expect.SerializeAsString()) << stream;
    behind += a->version() < b->version();
  }
  EXPECT_GT(behind, 100);
}

// The supervision filters are answered from the index in memory
// (projections/supervision_index.h); a scan of every summary must give the
// same pages: for two thousand generated cases, each filter, later and
// later days and then an earlier one, pages of 7, before and after the log
// grew (so the index refreshes from the change journal).
TEST_F(ProjectionTest, SupervisionListsFromTheIndexEqualAScanOfEverySummary) {
  ingest::DistrictGenerator gen(
      {.seed = 23, .cases = 2000, .consultations = 0, .duty_services = 0});
  auto engine = OpenEngine("views");
  projections::CaseQueries indexed(engine->store()), scanned(engine->store(), false);
  std::vector<projections::CaseFilter> filters(6);
  filters[0].overdue = "any";
  filters[1].overdue = "review";
  filters[2].missing_step = "any";
  filters[3].missing_step = "follow_up";
  filters[4].uncalendared = true;
  filters[5].missing_step = "any";
  filters[5].received_from = "2024-03-01";
  filters[5].received_to = "2024-06-30";
  size_t listed = 0;
  for (uint64_t phase : {uint64_t{9000}, uint64_t{0}}) {
    testing::WriteDistrictYear(*log_, gen, phase);
    ASSERT_TRUE(engine->CatchUp(*log_).ok());
    for (const char* day : {"2024-05-01T12:00:00+08:00", "2024-09-30T12:00:00+08:00",
                            "2025-03-31T12:00:00+08:00", "2024-07-15T12:00:00+08:00"}) {
      std::vector<size_t> per_filter(filters.size(), 0);
      for (size_t i = 0; i < filters.size(); ++i) {
        std::string a_page, b_page;
        do {
          auto a = indexed.List(filters[i], a_page, 7, At(day));
          auto b = scanned.List(filters[i], b_page, 7, At(day));
          ASSERT_TRUE(a.ok() && b.ok());
          ASSERT_EQ(a->cases.size(), b->cases.size()) << day << " filter " << i;
          for (size_t k = 0; k < a->cases.size(); ++k)
            ASSERT_EQ(a->cases[k].SerializeAsString(), b->cases[k].SerializeAsString())
                << day << " filter " << i << " " << b->cases[k].case_id();
          ASSERT_EQ(a->next_page, b->next_page);
          listed += a->cases.size();
          per_filter[i] += a->cases.size();
          a_page = a->next_page;
          b_page = b->next_page;
        } while (!a_page.empty());
      }
      // The gauges' tally over the same index counts the same cases.
      size_t overdue = 0, missing = 0, uncalendared = 0;
      if (projections::SupervisionIndex::Shared().Tally(
              engine->store(), At(day), [&](const projections::Attention& a) {
                overdue += !a.overdue.empty();
                missing += !a.missing.empty();
                uncalendared += !a.uncalendared_years.empty();
              })) {
        EXPECT_EQ(overdue, per_filter[0]) << day;
        EXPECT_EQ(missing, per_filter[2]) << day;
        EXPECT_EQ(uncalendared, per_filter[4]) << day;
      }
    }
  }
  EXPECT_GT(listed, 2000u);
}

TEST_F(ProjectionTest, ChunkedInterruptedAndGrowingFoldsEqualARebuild) {
  const unsigned seed = 20241129;
  std::mt19937 rng(seed);
  ingest::DistrictGenerator gen(
      {.seed = 5, .cases = 120, .consultations = 20, .duty_services = 20});
  std::unique_ptr<projections::Engine> engine = OpenEngine("incremental");
  // The log grows in phases while the projector folds in random chunk
  // sizes and is restarted (reopened) now and then.
  for (int phase = 0; phase < 8; ++phase) {
    testing::WriteDistrictYear(*log_, gen, 150);
    for (int k = 0; k < 20; ++k) {
      auto n = engine->Step(*log_, 1 + rng() % 40);
      ASSERT_TRUE(n.ok()) << "seed " << seed;
      if (rng() % 5 == 0) {
        engine.reset();
        engine = OpenEngine("incremental");
      }
    }
  }
  testing::WriteDistrictYear(*log_, gen);
  ASSERT_TRUE(engine->CatchUp(*log_, 17).ok());
  auto rebuilt = OpenEngine("rebuilt");
  ASSERT_TRUE(rebuilt->CatchUp(*log_, 4096).ok());
  EXPECT_EQ(Digests(engine->store()), Digests(rebuilt->store())) << "seed " << seed;
  EXPECT_GT(rebuilt->stats().valid, 1000u);
}

// The production views with the case-state cache capped at `cap` per partition.
std::vector<std::unique_ptr<projections::View>> ViewsWithCaseCache(size_t cap) {
  auto views = AllViews();
  for (auto& v : views)
    if (v->name() == "cases") v = std::make_unique<projections::CaseSummaryView>(cap);
  return views;
}

TEST_F(ProjectionTest, ATinyCaseCacheGivesTheSameBytesAsALargeOne) {
  ingest::DistrictGenerator gen({.seed = 5, .cases = 60, .consultations = 5, .duty_services = 5});
  testing::WriteDistrictYear(*log_, gen);
  auto large =
      projections::Engine::Open((dir_.path() / "large").string(), ViewsWithCaseCache(1 << 20));
  ASSERT_TRUE(large.ok());
  ASSERT_TRUE((*large)->CatchUp(*log_).ok());
  // Capacity 1 evicts on nearly every commit, also between commits of one
  // case within a batch; small chunks add misses across batches.
  for (size_t chunk : {size_t(7), size_t(512)}) {
    auto tiny = projections::Engine::Open((dir_.path() / ("tiny" + std::to_string(chunk))).string(),
                                          ViewsWithCaseCache(1));
    ASSERT_TRUE(tiny.ok());
    ASSERT_TRUE((*tiny)->CatchUp(*log_, chunk).ok());
    EXPECT_EQ(Digests((*tiny)->store()), Digests((*large)->store())) << chunk;
  }
}

TEST_F(ProjectionTest, AReviewTurnsOverdueWithTheClockAlone) {
  auto pipeline = ingest::Pipeline::Open(*log_, {});
  ASSERT_TRUE(pipeline.ok());
  v1::Command c;
  c.set_command_id("a1");
  c.set_stream_id("case/LATE");
  *c.mutable_occurred_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      At("2024-03-04T09:00:00+08:00").micros / 1000000);
  c.mutable_late_entry()->set_reason(
      "测试：登记过去日期的事项");  // a past day, declared as a clerk would
  c.mutable_actor()->set_id("clerk-1");
  c.mutable_actor()->set_role(v1::ROLE_INTAKE);
  c.mutable_actor()->set_agency("jm-pengjiang-lac");
  auto* a = c.mutable_submit_application();
  a->set_channel(v1::CHANNEL_WINDOW);
  a->set_category(v1::CASE_CATEGORY_CIVIL);
  a->set_matter("contract");
  a->mutable_applicant()->set_subject_id("S");
  ASSERT_TRUE((*pipeline)->Execute(c).ok());
  auto engine = OpenEngine("views");
  ASSERT_TRUE(engine->CatchUp(*log_).ok());
  projections::CaseQueries q(engine->store());
  projections::CaseFilter overdue{.overdue = "review"};
  auto before = q.List(overdue, "", 50, At("2024-03-11T18:00:00+08:00"));
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->cases.empty());
  auto after = q.List(overdue, "", 50, At("2024-03-12T08:00:00+08:00"));
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->cases.size(), 1u);
  EXPECT_EQ(after->cases[0].case_id(), "case/LATE");
  const auto by_agency =
      q.List({.agency = "jm-pengjiang-lac"}, "", 50, At("2024-03-12T08:00:00+08:00"));
  ASSERT_TRUE(by_agency.ok());
  EXPECT_EQ(by_agency->cases.size(), 1u);
}

TEST_F(ProjectionTest, ListsPageThroughEveryMatchOnce) {
  ingest::DistrictGenerator gen({.seed = 9, .cases = 90, .consultations = 0, .duty_services = 0});
  testing::WriteDistrictYear(*log_, gen);
  auto engine = OpenEngine("views");
  ASSERT_TRUE(engine->CatchUp(*log_).ok());
  projections::CaseQueries q(engine->store());
  std::set<std::string> seen;
  std::string page;
  int pages = 0, priority = 0;
  bool past_priority = false;
  do {
    auto p = q.List({.stage = "closed"}, page, 7, At("2025-06-30T12:00:00+08:00"));
    ASSERT_TRUE(p.ok());
    for (const auto& c : p->cases) {
      EXPECT_EQ(c.stage(), "closed");
      EXPECT_TRUE(seen.insert(c.case_id()).second) << "listed twice: " << c.case_id();
      // The green channel first: once an ordinary case is listed, no
      // priority case follows, on this page or a later one.
      if (!c.priority()) past_priority = true;
      EXPECT_FALSE(past_priority && c.priority()) << c.case_id() << " listed after ordinary cases";
      priority += c.priority();
    }
    page = p->next_page;
    ++pages;
  } while (!page.empty() && pages < 100);
  EXPECT_GT(seen.size(), 20u);
  EXPECT_GT(pages, 2);
  EXPECT_GT(priority, 0);
  EXPECT_LT(size_t(priority), seen.size());
  EXPECT_FALSE(q.List({.stage = "closed"}, "not a token", 7, At("2025-06-30T12:00:00+08:00")).ok());
  // The supervisor's queue: closed cases still missing their follow-up visit.
  auto missing = q.List({.stage = "closed", .missing_step = "follow_up"}, "", 500,
                        At("2025-06-30T12:00:00+08:00"));
  ASSERT_TRUE(missing.ok());
  EXPECT_GT(missing->cases.size(), 0u);
  EXPECT_LT(missing->cases.size(), seen.size());
}

// The green channel's waits and the notice's matter types, against a
// count made straight from the log.
TEST_F(ProjectionTest, GreenChannelAndMatterTypesAddUpToTheLog) {
  ingest::DistrictGenerator gen({.seed = 33, .cases = 300, .consultations = 0, .duty_services = 0});
  testing::WriteDistrictYear(*log_, gen);
  auto engine = OpenEngine("views");
  ASSERT_TRUE(engine->CatchUp(*log_).ok());

  struct Case {
    bool application = false, priority = false;
    std::optional<CivilDate> received, decided, assigned;
    v1::MatterType matter = v1::MATTER_TYPE_UNSPECIFIED;
  };
  std::map<std::string, Case> cases;
  store::CommitValidator v;
  ASSERT_TRUE(store::ScanLog(*log_, v, [&](const store::ScannedCommit& sc) {
                if (sc.verdict != store::Verdict::kValid) return;
                for (const auto& e : sc.commit.events()) {
                  const CivilDate day = CivilDate::Of(Instant::FromProto(e.occurred_at()));
                  Case& c = cases[e.stream_id()];
                  const auto& x = e.payload();
                  if (x.has_application_received()) {
                    c.application = true;
                    c.received = day;
                    c.matter = domain::MatterTypeOf(x.application_received());
                  }
                  if (x.has_criminal_notification_received()) {
                    c.received = day;
                    c.matter = v1::MATTER_TYPE_CRIMINAL_DEFENCE;
                  }
                  if (x.has_priority_flagged()) c.priority = true;
                  if (x.has_application_approved() || x.has_application_refused()) c.decided = day;
                  if (x.has_lawyer_assigned() && !c.assigned) c.assigned = day;
                }
              }).ok());
  std::map<std::string, std::vector<int>> to_decision, to_assignment;  // group -> waits in 2024
  std::map<std::string, int64_t> matters;
  int64_t received = 0;
  for (const auto& [id, c] : cases) {
    if (c.received && c.received->year() == 2024) {
      ++received;
      ++matters[v1::MatterType_Name(c.matter)];
    }
    if (!c.application) continue;
    const std::string group = c.priority ? "priority" : "others";
    if (c.decided && c.decided->year() == 2024)
      to_decision[group].push_back(c.decided->days() - c.received->days());
    if (c.assigned && c.assigned->year() == 2024)
      to_assignment[group].push_back(c.decided ? std::max(0, c.assigned->days() - c.decided->days())
                                               : 0);
  }
  int checked = 0;
  for (const auto& row : projections::GreenChannel(engine->store(), 2024)) {
    if (row.period != "2024" || (row.group != "priority" && row.group != "others")) continue;
    auto d = to_decision[row.group], a = to_assignment[row.group];
    ASSERT_GT(d.size(), 4u) << row.group;
    EXPECT_EQ(row.to_decision.cases, int64_t(d.size())) << row.group;
    EXPECT_EQ(row.to_decision.median_days, projections::Quantile(d, 0.5)) << row.group;
    EXPECT_EQ(row.to_decision.p90_days, projections::Quantile(d, 0.9)) << row.group;
    EXPECT_EQ(row.to_assignment.cases, int64_t(a.size())) << row.group;
    EXPECT_EQ(row.to_assignment.median_days, projections::Quantile(a, 0.5)) << row.group;
    EXPECT_EQ(row.to_assignment.p90_days, projections::Quantile(a, 0.9)) << row.group;
    ++checked;
  }
  EXPECT_EQ(checked, 2) << "both the key groups and everyone else are measured";
  std::vector<int> sample = {9, 1, 5, 3, 7};
  EXPECT_EQ(projections::Quantile(sample, 0.5), 5);
  EXPECT_EQ(projections::Quantile(sample, 0.9), 9);

  // The notice counts every case by its matter type.
  ASSERT_GE(matters.size(), 6u) << "the demo year uses the vocabulary";
  bool found = false;
  for (const auto& t : projections::BuildTables(engine->store(), 2024, 0)) {
    if (t.key() != "cases_by_matter_type") continue;
    found = true;
    for (const auto& r : t.rows()) {
      if (r.kind() == v1::NOTICE_ROW_KIND_TOTAL) {
        EXPECT_EQ(r.cells(0).value(), received);
      } else if (r.kind() == v1::NOTICE_ROW_KIND_ITEM && !r.cells(0).suppressed()) {
        EXPECT_EQ(r.cells(0).value(), matters[r.key()]) << r.key();
      }
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ProjectionTest, LedgerFairnessAndNoticeAddUpToTheLog) {
  ingest::DistrictGenerator gen(
      {.seed = 21, .cases = 200, .consultations = 40, .duty_services = 30});
  testing::WriteDistrictYear(*log_, gen);
  auto engine = OpenEngine("views");
  ASSERT_TRUE(engine->CatchUp(*log_).ok());

  // Reference figures straight from the valid commits.
  int64_t paid_2024 = 0, paid_count = 0, approved = 0, rotation = 0, choice = 0, cases = 0,
          consultations = 0;
  std::map<std::string, int64_t> by_firm;
  std::map<std::string, std::string> firm_of;  // case -> firm
  std::string some_paid_case, some_subsidy;
  std::set<std::string> notified;  // cases notified by an authority (Art. 36)
  struct Adjusted {
    std::vector<uint64_t> versions;  // of the SubsidyAdjusted events
    int64_t amount = 0;
  };
  std::map<std::pair<std::string, std::string>, Adjusted> adjusted;  // (case, subsidy)
  std::map<std::pair<std::string, std::string>, int64_t> paid_of;
  store::CommitValidator v;
  ASSERT_TRUE(
      store::ScanLog(*log_, v, [&](const store::ScannedCommit& s) {
        if (s.verdict != store::Verdict::kValid) return;
        for (const auto& e : s.commit.events()) {
          const auto& x = e.payload();
          if (x.has_subsidy_approved()) {
            approved += x.subsidy_approved().amount_fen();
            firm_of[e.stream_id()] = x.subsidy_approved().firm_id();
          }
          // A correction's adjustment changes what was approved.
          if (x.has_subsidy_adjusted()) {
            approved += x.subsidy_adjusted().difference_fen();
            auto& a = adjusted[{e.stream_id(), x.subsidy_adjusted().subsidy_id()}];
            a.versions.push_back(e.stream_version());
            a.amount = x.subsidy_adjusted().amount_fen();
          }
          if (x.has_subsidy_paid())
            paid_of[{e.stream_id(), x.subsidy_paid().subsidy_id()}] = x.subsidy_paid().amount_fen();
          if (x.has_subsidy_paid() && x.subsidy_paid().fiscal_year() == 2024) {
            paid_2024 += x.subsidy_paid().amount_fen();
            ++paid_count;
            by_firm[firm_of[e.stream_id()]] += x.subsidy_paid().amount_fen();
            some_paid_case = e.stream_id();
            some_subsidy = x.subsidy_paid().subsidy_id();
          }
          // Fairness counts every choice of a lawyer: assignments and
          // replacements alike.
          if ((x.has_lawyer_assigned() || x.has_lawyer_replaced()) &&
              e.occurred_at().seconds() < 1735660800) {
            const auto method = x.has_lawyer_assigned() ? x.lawyer_assigned().method()
                                                        : x.lawyer_replaced().method();
            (method == v1::ASSIGNMENT_METHOD_ROTATION ? rotation : choice) += 1;
          }
          if (x.has_application_received() || x.has_criminal_notification_received()) ++cases;
          if (x.has_criminal_notification_received()) notified.insert(e.stream_id());
          if (x.has_consultation_recorded()) ++consultations;
        }
      }).ok());
  ASSERT_GT(paid_count, 10);

  projections::LedgerQueries q(engine->store());
  const auto ledger = q.Ledger(2024);
  EXPECT_EQ(ledger.TotalPaid(), paid_2024);
  EXPECT_EQ(ledger.paid_by_firm_fen, by_firm);
  EXPECT_EQ(ledger.lines.at("BUDGET_LINE_CASE_SUBSIDY").appropriated_fen, 200000 * 200);
  EXPECT_EQ(ledger.CaseSubsidyRemaining(), 200000 * 200 - paid_2024);
  EXPECT_EQ(q.Ledger(2024).TotalApproved() + q.Ledger(2025).TotalApproved(), approved);
  EXPECT_EQ(q.Payments(2024).size(), size_t(paid_count));

  auto trace = q.Trace(some_paid_case, some_subsidy);
  ASSERT_TRUE(trace.ok());
  // Closing review, follow-up, quality review, the handling authority's
  // opinion where an authority handles the case, the entrustment agreement,
  // and for a notified case the letter naming the lawyer (Art. 36).
  EXPECT_EQ(trace->evidence_size(),
            (trace->category() == v1::CASE_CATEGORY_NON_LITIGATION ? 3 : 4) + 1 +
                int(notified.count(some_paid_case)));
  EXPECT_FALSE(trace->policy_version().empty());
  EXPECT_FALSE(trace->payment_ref().empty());
  EXPECT_EQ(trace->payment().stream_id(), some_paid_case);
  EXPECT_NE(trace->category(), v1::CASE_CATEGORY_UNSPECIFIED);

  // A payment's trace shows every correction that changed its amount, and
  // what is still owed either way once paid.
  ASSERT_FALSE(adjusted.empty()) << "the generated year corrects some paid subsidies";
  for (const auto& [key, a] : adjusted) {
    auto t = q.Trace(key.first, key.second);
    ASSERT_TRUE(t.ok()) << key.first;
    ASSERT_EQ(size_t(t->adjustments_size()), a.versions.size()) << key.first;
    for (size_t i = 0; i < a.versions.size(); ++i)
      EXPECT_EQ(t->adjustments(int(i)).stream_version(), a.versions[i]);
    EXPECT_EQ(t->adjusted_amount_fen(), a.amount);
    const auto paid = paid_of.find(key);
    EXPECT_EQ(t->outstanding_fen(), paid != paid_of.end() ? a.amount - paid->second : 0)
        << key.first;
  }

  const auto fair = q.Fairness(2024);
  EXPECT_EQ(fair.rotation, rotation);
  EXPECT_EQ(fair.applicant_choice, choice);
  EXPECT_GT(fair.lawyers.size(), 5u);

  int64_t received = 0, consulted = 0;
  for (const auto& [k, n] : q.NoticeCounts(2024)) {
    if (k.find("/received/category/") != std::string::npos) received += n;
    if (k.find("/consultation/channel/") != std::string::npos) consulted += n;
  }
  EXPECT_EQ(received, cases);
  EXPECT_EQ(consulted, consultations);
}

TEST_F(ProjectionTest, AuditTreesProveInclusionAndConsistencyAgainstTheRawLog) {
  ingest::DistrictGenerator gen({.seed = 4, .cases = 60, .consultations = 10, .duty_services = 10});
  testing::WriteDistrictYear(*log_, gen, 400);
  auto engine = OpenEngine("views");
  ASSERT_TRUE(engine->CatchUp(*log_).ok());
  projections::AuditQueries audit(engine->store());
  const projections::Checkpoint early = audit.Current(log_->partitions());
  testing::WriteDistrictYear(*log_, gen);
  ASSERT_TRUE(engine->CatchUp(*log_).ok());
  const projections::Checkpoint late = audit.Current(log_->partitions());

  uint64_t records = 0;
  for (int32_t p = 0; p < log_->partitions(); ++p) {
    auto recs = log_->Read(p, 0, 1 << 20, std::chrono::milliseconds(0));
    ASSERT_TRUE(recs.ok());
    records += recs->size();
    // The root recomputed from the raw records, independently of the view.
    std::map<std::pair<int, uint64_t>, std::string> nodes;
    merkle::NodeFn fn = [&](int l, uint64_t i) { return nodes.at({l, i}); };
    for (const auto& r : *recs)
      merkle::Append(uint64_t(r.position.offset), merkle::LeafHash(r.value), fn,
                     [&](int l, uint64_t i, const std::string& h) {
                       nodes[{l, i}] = h;
                     });
    ASSERT_EQ(late.partitions[size_t(p)].size, recs->size());
    EXPECT_EQ(late.partitions[size_t(p)].root, merkle::Root(recs->size(), fn)) << "partition " << p;
    // Every record's inclusion in the late checkpoint verifies.
    for (const auto& r : *recs) {
      auto proof = audit.Inclusion(p, uint64_t(r.position.offset), recs->size());
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(merkle::VerifyInclusion(uint64_t(r.position.offset), recs->size(),
                                          merkle::LeafHash(r.value), *proof,
                                          late.partitions[size_t(p)].root));
    }
    // The late tree extends the early one.
    const auto& e = early.partitions[size_t(p)];
    if (e.size > 0) {
      auto proof = audit.Consistency(p, e.size, recs->size());
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(merkle::VerifyConsistency(e.size, recs->size(), e.root,
                                            late.partitions[size_t(p)].root, *proof));
    }
  }
  EXPECT_EQ(late.size(), records);
  EXPECT_LT(early.size(), late.size());
  EXPECT_EQ(late.root, projections::CombinedRoot(late.partitions));
  EXPECT_NE(early.root, late.root);
}

}  // namespace
}  // namespace aidtrail
