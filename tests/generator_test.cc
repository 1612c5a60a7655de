// The demo-year generator drives the real pipeline: the rules accept its
// commands except where it deliberately leaves a supervision step missing.
#include <gtest/gtest.h>

#include <map>

#include "events/store/embedded_log.h"
#include "ingest/generator.h"
#include "ingest/pipeline.h"
#include "tests/support/temp_dir.h"

namespace aidtrail {
namespace {

TEST(DistrictGenerator, ItsYearPassesTheRules) {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = dir.str(), .partitions = 4});
  ASSERT_TRUE(log.ok());
  auto pipeline = ingest::Pipeline::Open(**log, {});
  ASSERT_TRUE(pipeline.ok());
  ingest::DistrictGenerator gen({.seed = 7, .cases = 300, .consultations = 50, .duty_services = 40});
  std::map<std::string, int> rejected;
  int accepted = 0;
  while (auto c = gen.Next()) {
    auto r = (*pipeline)->Execute(*c);
    if (r.ok()) {
      ++accepted;
      gen.Observe(r->events);
    } else {
      ++rejected[r.error().code];
    }
  }
  for (const auto& [code, n] : rejected) std::printf("rejected %-40s %d\n", code.c_str(), n);
  std::printf("accepted %d\n", accepted);
  // The only rejections are the deliberate ones: subsidies asked for while a
  // follow-up visit or a sampled hearing's attendance is missing, and the
  // payment that then finds no approved subsidy.
  for (const auto& [code, n] : rejected)
    EXPECT_TRUE(code == "subsidy.loop_not_closed" || code == "subsidy.not_found") << code << ": " << n << " times";
  EXPECT_GT(rejected["subsidy.loop_not_closed"], 0);
  EXPECT_GT(accepted, 300 * 8);
}

}  // namespace
}  // namespace aidtrail
