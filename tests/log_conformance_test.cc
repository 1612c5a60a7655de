// One suite, every backend: ordering per stream, atomic multi-event commits,
// optimistic concurrency, idempotent retries, log-order validation with two
// writers on one stream, reads from any offset, tailing.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <random>
#include <thread>

#include "events/core/hash_chain.h"
#include "events/store/log_scan.h"
#include "ingest/pipeline.h"
#include "tests/support/backends.h"
#include "tests/support/commands.h"

namespace aidtrail {
namespace {

using testing::AllBackends;
using testing::Backend;

class LogConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::random_device rd;
    name_ = std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(rd());
    for (char& c : name_)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';
    log_ = GetParam().open(name_);
  }
  void TearDown() override {
    log_.reset();
    std::error_code ec;
    std::filesystem::remove_all(
        std::filesystem::temp_directory_path() / ("aidtrail-conformance-" + name_), ec);
  }
  // All valid commits, in scan order.
  std::vector<store::ScannedCommit> Scan(store::ScanStats* stats = nullptr) {
    std::vector<store::ScannedCommit> out;
    store::CommitValidator v;
    auto s = store::ScanLog(*log_, v, [&](const store::ScannedCommit& c) { out.push_back(c); });
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().ToString());
    if (stats && s.ok()) *stats = *s;
    return out;
  }

  std::string name_;
  std::unique_ptr<store::EventLog> log_;
};

TEST_P(LogConformance, AppendsLandInTheStreamsPartitionInOrder) {
  std::map<std::string, std::string> heads;
  for (int v = 0; v < 5; ++v)
    for (int s = 0; s < 6; ++s) {
      const std::string stream = "service/S" + std::to_string(s);
      auto c = testing::SealedCommit(stream + "-" + std::to_string(v), stream, uint64_t(v),
                                     heads[stream]);
      heads[stream] = c.events(0).hash();
      auto pos = log_->Append(c);
      ASSERT_TRUE(pos.ok()) << pos.error().ToString();
      EXPECT_EQ(pos->partition, store::PartitionOf(stream, log_->partitions()));
    }
  int64_t total = 0;
  for (int32_t p = 0; p < log_->partitions(); ++p) total += log_->EndOffset(p).value();
  EXPECT_EQ(total, 30);
  store::ScanStats stats;
  auto commits = Scan(&stats);
  EXPECT_EQ(stats.valid, 30u);
  std::map<std::string, uint64_t> last;
  for (const auto& c : commits) {
    EXPECT_EQ(c.verdict, store::Verdict::kValid);
    EXPECT_EQ(c.commit.expected_version(), last[c.commit.stream_id()]);
    last[c.commit.stream_id()] = c.commit.expected_version() + 1;
  }
}

TEST_P(LogConformance, AMultiEventCommitIsOneAtomicRecord) {
  auto c = testing::SealedCommit("multi", "service/M", 0, "", 3);
  auto pos = log_->Append(c);
  ASSERT_TRUE(pos.ok()) << pos.error().ToString();
  auto recs = log_->Read(pos->partition, pos->offset, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  auto back = store::DecodeCommit(recs->front());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->events_size(), 3);
  const std::vector<v1::Event> events(back->events().begin(), back->events().end());
  EXPECT_FALSE(VerifyStream(events).has_value());
}

TEST_P(LogConformance, ReadsFromAnyOffset) {
  const std::string stream = "service/R";
  std::string prev;
  for (int v = 0; v < 20; ++v) {
    auto c = testing::SealedCommit("r" + std::to_string(v), stream, uint64_t(v), prev);
    prev = c.events(0).hash();
    ASSERT_TRUE(log_->Append(c).ok());
  }
  const int32_t p = store::PartitionOf(stream, log_->partitions());
  for (int64_t from : {0, 7, 19}) {
    auto recs = log_->Read(p, from, 5, std::chrono::milliseconds(0));
    ASSERT_TRUE(recs.ok());
    ASSERT_FALSE(recs->empty());
    EXPECT_EQ(recs->front().position.offset, from);
    EXPECT_EQ(store::DecodeCommit(recs->front())->commit_id(), "r" + std::to_string(from));
    EXPECT_LE(recs->size(), 5u);
  }
  auto none = log_->Read(p, 20, 5, std::chrono::milliseconds(0));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(LogConformance, TailingReaderWakesForANewRecord) {
  const std::string stream = "service/T";
  const int32_t p = store::PartitionOf(stream, log_->partitions());
  const int64_t end = log_->EndOffset(p).value();
  auto reader = std::async(
      std::launch::async, [&] { return log_->Read(p, end, 10, std::chrono::milliseconds(20000)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(log_->Append(testing::SealedCommit("t0", stream, 0, "")).ok());
  auto recs = reader.get();
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ(store::DecodeCommit(recs->front())->commit_id(), "t0");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

// Two writers that both believe they own stream X append conflicting
// commits. Every reader finds exactly one valid, the same one.
TEST_P(LogConformance, TwoWritersOnOneStreamNeverForkItsHistory) {
  const std::string stream = "case/X";
  auto base = testing::SealedCommit("base", stream, 0, "");
  ASSERT_TRUE(log_->Append(base).ok());
  auto a = testing::SealedCommit("writer-a", stream, 1, base.events(0).hash());
  auto b = testing::SealedCommit("writer-b", stream, 1, base.events(0).hash());
  auto fa = std::async(std::launch::async, [&] { return log_->Append(a); });
  auto fb = std::async(std::launch::async, [&] { return log_->Append(b); });
  ASSERT_TRUE(fa.get().ok());
  ASSERT_TRUE(fb.get().ok());
  std::string winner;
  for (int reader = 0; reader < 3; ++reader) {
    std::vector<std::string> valid;
    int void_count = 0;
    for (const auto& c : Scan()) {
      if (c.commit.stream_id() != stream) continue;
      if (c.verdict == store::Verdict::kValid)
        valid.push_back(c.commit.commit_id());
      else
        ++void_count;
    }
    ASSERT_EQ(valid.size(), 2u);
    EXPECT_EQ(valid[0], "base");
    EXPECT_EQ(void_count, 1);
    if (reader == 0) winner = valid[1];
    EXPECT_EQ(valid[1], winner) << "reader " << reader << " disagrees";
  }
}

TEST_P(LogConformance, ADuplicatedCommitIsVoidTheSecondTime) {
  auto c = testing::SealedCommit("dup", "service/D", 0, "");
  ASSERT_TRUE(log_->Append(c).ok());
  ASSERT_TRUE(log_->Append(c).ok());  // e.g. a producer retry outside idempotence
  store::ScanStats stats;
  auto commits = Scan(&stats);
  EXPECT_EQ(stats.valid, 1u);
  EXPECT_EQ(stats.void_commits, 1u);
  EXPECT_EQ(commits[1].verdict, store::Verdict::kDuplicate);
}

TEST_P(LogConformance, PipelineRejectsAStaleExpectedVersion) {
  auto pipeline = ingest::Pipeline::Open(*log_, {});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().ToString();
  auto& p = **pipeline;
  ASSERT_TRUE(p.Execute(testing::SubmitApplication("C1", "cmd-1")).ok());
  v1::Command a = testing::FileComplaint("C1", "cmd-2");
  a.set_expected_version(2);
  v1::Command b = testing::FileComplaint("C1", "cmd-3");
  b.set_expected_version(2);  // written against the same version as `a`
  ASSERT_TRUE(p.Execute(a).ok());
  auto second = p.Execute(b);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "stream.version_conflict");
  EXPECT_EQ(second.error().kind, ErrorKind::kConflict);
}

TEST_P(LogConformance, PipelineRetriesReturnTheFirstResult) {
  auto pipeline = ingest::Pipeline::Open(*log_, {});
  ASSERT_TRUE(pipeline.ok());
  auto& p = **pipeline;
  auto first = p.Execute(testing::SubmitApplication("C2", "same-id"));
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  auto again = p.Execute(testing::SubmitApplication("C2", "same-id"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->position, first->position);
  EXPECT_EQ(again->events.size(), first->events.size());
  // And across a restart of the writer.
  pipeline->reset();
  auto reopened = ingest::Pipeline::Open(*log_, {});
  ASSERT_TRUE(reopened.ok());
  auto third = (*reopened)->Execute(testing::SubmitApplication("C2", "same-id"));
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->replayed);
  EXPECT_EQ(third->position, first->position);
  store::ScanStats stats;
  Scan(&stats);
  EXPECT_EQ(stats.records, 1u);
}

TEST_P(LogConformance, ConcurrentCommandsOnManyStreamsAllLandValid) {
  auto pipeline = ingest::Pipeline::Open(*log_, {});
  ASSERT_TRUE(pipeline.ok());
  auto& p = **pipeline;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string id = "T" + std::to_string(t) + "-" + std::to_string(i);
        if (p.Execute(testing::RecordConsultation(id, "cmd-" + id)).ok()) ++ok;
        if (p.Execute(testing::FileComplaint("shared", "cmp-" + id)).ok())
          ++ok;  // fails until it exists
      }
    });
  ASSERT_TRUE(p.Execute(testing::SubmitApplication("shared", "create-shared")).ok());
  for (auto& t : threads) t.join();
  store::ScanStats stats;
  auto commits = Scan(&stats);
  EXPECT_EQ(stats.void_commits, 0u);
  EXPECT_EQ(stats.valid, uint64_t(ok.load()) + 1);
  // The shared case's history has no gaps and its chain holds.
  std::vector<v1::Event> shared;
  for (const auto& c : commits)
    if (c.commit.stream_id() == "case/shared")
      shared.insert(shared.end(), c.commit.events().begin(), c.commit.events().end());
  EXPECT_FALSE(VerifyStream(shared).has_value());
  EXPECT_EQ(shared.size(), p.Version("case/shared"));
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& param) { return param.param.name; }

INSTANTIATE_TEST_SUITE_P(Backends, LogConformance, ::testing::ValuesIn(AllBackends()), BackendName);

}  // namespace
}  // namespace aidtrail
