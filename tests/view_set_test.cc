// Tailing and rebuild-and-swap of the live view set.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "events/store/embedded_log.h"
#include "projections/case_queries.h"
#include "projections/service_views.h"
#include "ingest/pipeline.h"
#include "projections/view_set.h"
#include "tests/support/district_log.h"
#include "tests/support/temp_dir.h"
#include "tests/support/views.h"

namespace aidtrail {
namespace {

Instant Now() { return Instant{1735000000LL * 1000000}; }

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
  ingest::DistrictGenerator gen({.seed = 12, .cases = 80, .consultations = 10, .duty_services = 10});
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
    ASSERT_TRUE((*set)->Rebuild([&](const projections::RebuildProgress& p) {
      ++reports;
      EXPECT_LE(p.folded, p.total + 100000);
    }).ok());
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
  int64_t services = 0;
  for (const auto& [k, n] : q.DutyByLawyer(2024)) services += n;
  EXPECT_EQ(services, 25);
}

}  // namespace
}  // namespace aidtrail
