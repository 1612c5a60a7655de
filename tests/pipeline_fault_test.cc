// The pipeline under injected append failures: whatever fails, a command is
// acknowledged as done if and only if it is valid in the log, exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "events/store/embedded_log.h"
#include "events/store/log_scan.h"
#include "ingest/pipeline.h"
#include "tests/support/commands.h"
#include "tests/support/faulty_log.h"
#include "tests/support/temp_dir.h"

namespace aidtrail {
namespace {

TEST(PipelineFaults, AcknowledgedIffValidInTheLog) {
  for (unsigned seed : {11u, 12u, 13u, 14u, 15u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    testing::TempDir dir;
    auto inner = store::EmbeddedLog::Open({.dir = dir.str(), .partitions = 4});
    ASSERT_TRUE(inner.ok());
    testing::FaultyLog log(**inner, seed, 0.05, 0.05);
    auto pipeline = ingest::Pipeline::Open(log, {});
    ASSERT_TRUE(pipeline.ok());

    std::mutex mu;
    std::map<std::string, bool> outcome;  // command id -> acknowledged
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 60; ++i) {
          const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
          v1::Command c = (i % 3 == 0)   ? testing::SubmitApplication("C" + std::to_string(t), id)
                          : (i % 3 == 1) ? testing::FileComplaint("C" + std::to_string(t), id)
                                         : testing::RecordConsultation(id, id);
          // A client retries an unavailable answer a few times with the same id.
          Result<ingest::CommandResult> r = (*pipeline)->Execute(c);
          for (int retry = 0; retry < 5 && !r.ok() && r.error().kind == ErrorKind::kUnavailable;
               ++retry) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            r = (*pipeline)->Execute(c);
          }
          std::lock_guard lock(mu);
          outcome[id] = r.ok();
        }
      });
    for (auto& th : threads) th.join();
    pipeline->reset();

    std::map<std::string, int> valid;
    store::CommitValidator v;
    auto stats = store::ScanLog(**inner, v, [&](const store::ScannedCommit& s) {
      if (s.verdict == store::Verdict::kValid) ++valid[s.commit.commit_id()];
    });
    ASSERT_TRUE(stats.ok());
    int acknowledged = 0;
    for (const auto& [id, ok] : outcome) {
      acknowledged += ok;
      const int n = valid.count(id) ? valid[id] : 0;
      EXPECT_EQ(n, ok ? 1 : 0) << "command " << id
                               << (ok ? " acknowledged but not valid once" : " failed but valid");
    }
    EXPECT_GT(acknowledged, 100);  // faults are the exception, not the rule
  }
}

}  // namespace
}  // namespace aidtrail
