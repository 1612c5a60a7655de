// Tailing and rebuild-and-swap of the live view set.
#include "projections/view_set.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <thread>

#include "events/store/embedded_log.h"
#include "ingest/pipeline.h"
#include "projections/case_queries.h"
#include "projections/ledger_queries.h"
#include "projections/ledger_views.h"
#include "projections/service_views.h"
#include "tests/support/district_log.h"
#include "tests/support/temp_dir.h"
#include "tests/support/views.h"

namespace aidtrail {
namespace {

Instant Now() { return Instant{1735000000LL * 1000000}; }

std::map<std::string, std::string> Digests(const projections::ViewStore& store) {
  std::map<std::string, std::string> out;
  for (const auto& f : store.families()) out[f] = store.Digest(f);
  return out;
}

// Every family of a clean fold of the whole log, in a directory of its own.
std::map<std::string, std::string> CleanDigests(const std::filesystem::path& dir,
                                                store::EventLog& log) {
  auto clean = projections::Engine::Open(dir.string(), testing::AllViews());
  EXPECT_TRUE(clean.ok());
  EXPECT_TRUE((*clean)->CatchUp(log).ok());
  return Digests((*clean)->store());
}

// Cases received in 2024, counted through the case list index.
size_t CaseCount(const projections::ViewStore& store) {
  projections::CaseQueries q(store);
  size_t n = 0;
  std::string page;
  do {
    auto p = q.List({.received_from = "2024-01-01", .received_to = "2024-12-31"}, page, 500, Now());
    if (!p.ok()) return 0;
    n += p->cases.size();
    page = p->next_page;
  } while (!page.empty());
  return n;
}

TEST(ViewSet, TailingFoldsNewCommandsWithoutBeingAsked) {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 4});
  ASSERT_TRUE(log.ok());
  auto set = projections::ViewSet::Open((dir.path() / "views").string(), **log, testing::AllViews);
  ASSERT_TRUE(set.ok());
  (*set)->StartTailing(std::chrono::milliseconds(5));
  ingest::DistrictGenerator gen({.seed = 8, .cases = 30, .consultations = 5, .duty_services = 5});
  testing::WriteDistrictYear(**log, gen);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((*set)->Lag() != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ((*set)->Lag(), 0);
  projections::CaseQueries q((*set)->Snapshot()->store());
  EXPECT_TRUE(q.Summary("case/JM-2024-1", Now()).ok());
  (*set)->StopTailing();
}

TEST(ViewSet, RebuildSwapsInWhileReadersAndWritersContinue) {
  testing::TempDir dir;
  const std::string views = (dir.path() / "views").string();
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 4});
  ASSERT_TRUE(log.ok());
  ingest::DistrictGenerator gen(
      {.seed = 12, .cases = 80, .consultations = 10, .duty_services = 10});
  testing::WriteDistrictYear(**log, gen, 500);
  {
    auto set = projections::ViewSet::Open(views, **log, testing::AllViews);
    ASSERT_TRUE(set.ok());
    ASSERT_TRUE((*set)->CatchUp().ok());
    (*set)->StartTailing(std::chrono::milliseconds(5));
    std::shared_ptr<projections::Engine> old = (*set)->Snapshot();
    // Writers keep appending during the rebuild.
    std::thread writer([&] { testing::WriteDistrictYear(**log, gen); });
    uint64_t reports = 0;
    ASSERT_TRUE((*set)
                    ->Rebuild([&](const projections::RebuildProgress& p) {
                      ++reports;
                      EXPECT_LE(p.folded, p.total + 100000);
                    })
                    .ok());
    writer.join();
    EXPECT_GT(reports, 0u);
    EXPECT_EQ((*set)->generation(), 2);
    // The old snapshot is still readable by whoever holds it.
    projections::CaseQueries old_q(old->store());
    EXPECT_TRUE(old_q.Summary("case/JM-2024-1", Now()).ok());
    old.reset();
    ASSERT_TRUE((*set)->CatchUp().ok());
    (*set)->StopTailing();
    // The rebuilt generation equals a fresh fold of the whole log.
    auto fresh = projections::Engine::Open((dir.path() / "fresh").string(), testing::AllViews());
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE((*fresh)->CatchUp(**log).ok());
    auto current = (*set)->Snapshot();
    for (const auto& f : current->store().families())
      EXPECT_EQ(current->store().Digest(f), (*fresh)->store().Digest(f)) << f;
  }
  auto reopened = projections::ViewSet::Open(views, **log, testing::AllViews);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->generation(), 2);
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(views) / "gen-1"));
}

TEST(ViewSet, RebuildingOneViewRestoresItAndLeavesTheOthersAlone) {
  testing::TempDir dir;
  const std::string views = (dir.path() / "views").string();
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 4});
  ASSERT_TRUE(log.ok());
  ingest::DistrictGenerator gen(
      {.seed = 21, .cases = 60, .consultations = 10, .duty_services = 10});
  testing::WriteDistrictYear(**log, gen);
  const auto clean = CleanDigests(dir.path() / "clean", **log);
  std::map<std::string, std::string> before;
  {
    auto set = projections::ViewSet::Open(views, **log, testing::AllViews);
    ASSERT_TRUE(set.ok());
    ASSERT_TRUE((*set)->CatchUp().ok());
    // Damage the ledger (the view to rebuild) and the fairness view (which
    // must stay as it is, damage included).
    projections::Batch damage((*set)->Snapshot()->store());
    damage.Put(projections::kLedger, "junk", "x");
    damage.Put(projections::kPayments, "junk", "x");
    damage.Put(projections::kFairness, "junk", "x");
    ASSERT_TRUE(damage.Commit(false).ok());
    before = Digests((*set)->Snapshot()->store());
    ASSERT_NE(before.at(projections::kLedger), clean.at(projections::kLedger));

    uint64_t reports = 0;
    ASSERT_TRUE(
        (*set)->Rebuild("ledger", [&](const projections::RebuildProgress&) { ++reports; }).ok());
    EXPECT_GT(reports, 0u);
    EXPECT_EQ((*set)->generation(), 1);  // same generation, new families
    const auto after = Digests((*set)->Snapshot()->store());
    for (const auto& [family, digest] : after) {
      if (family == projections::kLedger || family == projections::kPayments)
        EXPECT_EQ(digest, clean.at(family)) << family;
      else
        EXPECT_EQ(digest, before.at(family)) << family;
    }
  }
  // The choice of families survives a restart.
  auto reopened = projections::ViewSet::Open(views, **log, testing::AllViews);
  ASSERT_TRUE(reopened.ok());
  const auto again = Digests((*reopened)->Snapshot()->store());
  EXPECT_EQ(again.at(projections::kLedger), clean.at(projections::kLedger));
  EXPECT_EQ(again.at(projections::kFairness), before.at(projections::kFairness));
  // And so does a second rebuild of the same view, now of the fairness view.
  ASSERT_TRUE((*reopened)->Rebuild("fairness").ok());
  EXPECT_EQ(Digests((*reopened)->Snapshot()->store()), clean);
}

TEST(ViewSet, RebuildingOneViewWhileReadersAndWritersContinue) {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 4});
  ASSERT_TRUE(log.ok());
  ingest::DistrictGenerator gen(
      {.seed = 12, .cases = 80, .consultations = 10, .duty_services = 10});
  testing::WriteDistrictYear(**log, gen, 500);
  auto set = projections::ViewSet::Open((dir.path() / "views").string(), **log, testing::AllViews);
  ASSERT_TRUE(set.ok());
  ASSERT_TRUE((*set)->CatchUp().ok());
  (*set)->StartTailing(std::chrono::milliseconds(5));
  std::shared_ptr<projections::Engine> old = (*set)->Snapshot();
  const size_t initial = CaseCount(old->store());
  ASSERT_GT(initial, 0u);

  // A reader queries throughout: the case list and the ledger it derives
  // from only grow; an empty or half-folded view would show fewer.
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    size_t cases = initial;
    int64_t approved = 0;
    while (!done) {
      auto snap = (*set)->Snapshot();
      const size_t c = CaseCount(snap->store());
      const int64_t a = projections::LedgerQueries(snap->store()).Ledger(2024).TotalApproved();
      EXPECT_GE(c, cases);
      EXPECT_GE(a, approved);
      cases = std::max(cases, c);
      approved = std::max(approved, a);
      ++reads;
    }
  });
  std::thread writer([&] { testing::WriteDistrictYear(**log, gen); });
  ASSERT_TRUE((*set)->Rebuild("cases").ok());
  writer.join();
  // Tailing goes on after the swap and folds what the writer appended.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((*set)->Lag() != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ((*set)->Lag(), 0);
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(CaseCount((*set)->Snapshot()->store()), 80u);
  // The snapshot taken before the swap is still readable.
  EXPECT_TRUE(projections::CaseQueries(old->store()).Summary("case/JM-2024-1", Now()).ok());
  old.reset();
  (*set)->StopTailing();
  EXPECT_EQ(Digests((*set)->Snapshot()->store()), CleanDigests(dir.path() / "clean", **log));
}

TEST(ViewSet, RebuildingAnUnknownViewNamesTheValidOnes) {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 2});
  ASSERT_TRUE(log.ok());
  auto set = projections::ViewSet::Open((dir.path() / "views").string(), **log, testing::AllViews);
  ASSERT_TRUE(set.ok());
  const Status s = (*set)->Rebuild("ledgr");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "views.unknown");
  for (const char* name :
       {"timeline", "cases", "ledger", "fairness", "notice", "services", "audit", "entries"}) {
    EXPECT_NE(s.error().message.find(name), std::string::npos) << name;
    EXPECT_NE(s.error().message_zh.find(name), std::string::npos) << name;
  }
  EXPECT_EQ((*set)->view_names().size(), 8u);
}

// Column families of a closed store, as RocksDB lists them.
std::vector<std::string> PhysicalFamilies(const std::string& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  std::sort(names.begin(), names.end());
  return names;
}

// What a crash during a rebuild can leave: scratch families never adopted,
// or a replaced family not yet dropped after the choice was recorded.
TEST(ViewStore, FamiliesLeftByAnInterruptedRebuildAreDroppedOnOpen) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "store").string();
  {
    auto store = projections::ViewStore::Open(path, {"ledger"});
    ASSERT_TRUE(store.ok());
    projections::Batch b(**store);
    b.Put("ledger", "k", "old");
    ASSERT_TRUE(b.Commit(true).ok());
  }
  auto raw_write =
      [&](const std::function<void(rocksdb::DB&, std::vector<rocksdb::ColumnFamilyHandle*>&)>& fn) {
        std::vector<rocksdb::ColumnFamilyDescriptor> descs;
        for (const auto& n : PhysicalFamilies(path))
          descs.push_back({n, rocksdb::ColumnFamilyOptions()});
        std::vector<rocksdb::ColumnFamilyHandle*> handles;
        rocksdb::DB* db = nullptr;
        ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, descs, &handles, &db).ok());
        fn(*db, handles);
        for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
        delete db;
      };
  // A scratch family, never adopted.
  raw_write([](rocksdb::DB& db, std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
    rocksdb::ColumnFamilyHandle* h = nullptr;
    ASSERT_TRUE(db.CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "ledger@7", &h).ok());
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), h, "k", "new").ok());
    handles.push_back(h);
  });
  {
    auto store = projections::ViewStore::Open(path, {"ledger"});
    ASSERT_TRUE(store.ok());
    EXPECT_EQ((*store)->Get("ledger", "k"), "old");
  }
  EXPECT_EQ(PhysicalFamilies(path), (std::vector<std::string>{"default", "ledger"}));
  // An adopted family whose predecessor was not dropped yet.
  raw_write([](rocksdb::DB& db, std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
    rocksdb::ColumnFamilyHandle* h = nullptr;
    ASSERT_TRUE(db.CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "ledger@8", &h).ok());
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), h, "k", "new").ok());
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), "family/ledger", "ledger@8").ok());
    handles.push_back(h);
  });
  {
    auto store = projections::ViewStore::Open(path, {"ledger"});
    ASSERT_TRUE(store.ok());
    EXPECT_EQ((*store)->Get("ledger", "k"), "new");
  }
  EXPECT_EQ(PhysicalFamilies(path), (std::vector<std::string>{"default", "ledger@8"}));
}

TEST(ServiceViews, OpenHomeVisitsAndDutyCountsForTheSupervisor) {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 2});
  ASSERT_TRUE(log.ok());
  ingest::DistrictGenerator gen({.seed = 1, .cases = 5, .consultations = 0, .duty_services = 25});
  testing::WriteDistrictYear(**log, gen);
  auto pipeline = ingest::Pipeline::Open(**log, {});
  ASSERT_TRUE(pipeline.ok());
  auto visit = [&](const std::string& id, const std::string& date) {
    v1::Command c;
    c.set_command_id("hv-" + id);
    c.set_stream_id("service/" + id);
    c.mutable_occurred_at()->set_seconds(1709514000);
    c.mutable_late_entry()->set_reason(
        "测试：登记过去日期的事项");  // a past day, declared as a clerk would
    c.mutable_actor()->set_id("clerk-1");
    c.mutable_actor()->set_role(v1::ROLE_INTAKE);
    auto* r = c.mutable_request_home_visit();
    r->set_reason(v1::HOME_VISIT_REASON_AGE_70_PLUS);
    r->mutable_person()->set_subject_id("S-" + id);
    r->mutable_person()->set_age(78);
    r->set_requested_date(date);
    return (*pipeline)->Execute(c);
  };
  ASSERT_TRUE(visit("HV1", "2024-03-06").ok());
  ASSERT_TRUE(visit("HV2", "2024-03-08").ok());
  ASSERT_TRUE(visit("HV3", "2024-04-20").ok());
  v1::Command done;
  done.set_command_id("hv-done");
  done.set_stream_id("service/HV1");
  done.mutable_occurred_at()->set_seconds(1709700000);
  done.mutable_late_entry()->set_reason(
      "测试：登记过去日期的事项");  // a past day, declared as a clerk would
  done.mutable_actor()->set_id("clerk-1");
  done.mutable_actor()->set_role(v1::ROLE_INTAKE);
  done.mutable_complete_home_visit()->set_note("已上门受理");
  ASSERT_TRUE((*pipeline)->Execute(done).ok());

  auto set = projections::ViewSet::Open((dir.path() / "views").string(), **log, testing::AllViews);
  ASSERT_TRUE(set.ok());
  ASSERT_TRUE((*set)->CatchUp().ok());
  projections::ServiceQueries q((*set)->Snapshot()->store());
  const auto open = q.OpenHomeVisits("2024-03-31");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].service_id, "service/HV2");
  EXPECT_EQ(open[0].reason, "HOME_VISIT_REASON_AGE_70_PLUS");
  EXPECT_EQ(q.OpenHomeVisits("2024-12-31").size(), 2u);
  int64_t services = 0, days = 0;
  for (const auto& [k, n] : q.DutyByLawyer(2024)) (k.ends_with("/day") ? days : services) += n;
  EXPECT_EQ(services, 25);
  EXPECT_EQ(days, 9);  // the generator's duty days: one per three services
}

}  // namespace
}  // namespace aidtrail
