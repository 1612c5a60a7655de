#include "events/store/embedded_log.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "events/core/hash_chain.h"

namespace aidtrail::store {
namespace {

struct Dir {
  Dir() {
    std::random_device rd;
    path = (std::filesystem::temp_directory_path() / ("aidtrail-elog-" + std::to_string(rd()))).string();
  }
  ~Dir() { std::filesystem::remove_all(path); }
  std::string path;
};

v1::CommitRecord Commit(const std::string& id, const std::string& stream) {
  v1::CommitRecord c;
  c.set_commit_id(id);
  c.set_stream_id(stream);
  v1::Event* e = c.add_events();
  e->set_stream_id(stream);
  e->set_stream_version(1);
  e->mutable_payload()->mutable_consultation_recorded()->set_topic("x");
  SealEvent(*e, "");
  return c;
}

TEST(PartitionOf, AgreesWithLibrdkafkasMurmur2Partitioner) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string key = "case/JM-" + std::to_string(rng());
    key.resize(1 + rng() % key.size());
    for (int32_t n : {1, 3, 8, 12, 64}) {
      const int32_t theirs = rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), n, nullptr, nullptr);
      ASSERT_EQ(PartitionOf(key, n), theirs) << "key '" << key << "' partitions " << n << " (seed 7)";
    }
  }
}

TEST(EmbeddedLog, ASecondOpenOfTheSameDirectoryIsRefusedClearly) {
  Dir dir;
  auto first = EmbeddedLog::Open({.dir = dir.path});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  auto second = EmbeddedLog::Open({.dir = dir.path});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "log.locked");
  EXPECT_NE(second.error().message_zh.find("正被另一个"), std::string::npos);
}

TEST(EmbeddedLog, ReopeningKeepsRecordsOffsetsAndPartitionCount) {
  Dir dir;
  {
    auto log = EmbeddedLog::Open({.dir = dir.path, .partitions = 3});
    ASSERT_TRUE(log.ok());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE((*log)->Append(Commit("c" + std::to_string(i), "service/s" + std::to_string(i))).ok());
  }
  auto log = EmbeddedLog::Open({.dir = dir.path, .partitions = 16});  // the stored count wins
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->partitions(), 3);
  int64_t total = 0;
  for (int p = 0; p < 3; ++p) total += (*log)->EndOffset(p).value();
  EXPECT_EQ(total, 10);
  auto pos = (*log)->Append(Commit("after", "service/s0"));
  ASSERT_TRUE(pos.ok());
  auto recs = (*log)->Read(pos->partition, 0, 100, std::chrono::milliseconds(0));
  ASSERT_TRUE(recs.ok());
  EXPECT_EQ(recs->back().position.offset, pos->offset);
  EXPECT_EQ(DecodeCommit(recs->back())->commit_id(), "after");
  EXPECT_EQ(recs->back().key, "service/s0");
}

TEST(EmbeddedLog, ConcurrentAppendsShareSyncs) {
  Dir dir;
  auto log = EmbeddedLog::Open({.dir = dir.path});
  ASSERT_TRUE(log.ok());
  std::atomic<int> acked{0};
  constexpr int kCommits = 400;
  for (int i = 0; i < kCommits; ++i)
    (*log)->AppendAsync(Commit("g" + std::to_string(i), "service/g" + std::to_string(i)),
                        [&](Result<Position> r) { acked += r.ok(); });
  while (acked.load() < kCommits) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_LT((*log)->syncs(), uint64_t(kCommits)) << "group commit should batch concurrent appends";
  EXPECT_GE((*log)->syncs(), 1u);
}

TEST(EmbeddedLog, OversizedCommitsAreRefusedWithAReason) {
  Dir dir;
  auto log = EmbeddedLog::Open({.dir = dir.path});
  ASSERT_TRUE(log.ok());
  v1::CommitRecord big = Commit("big", "service/big");
  big.mutable_events(0)->mutable_payload()->mutable_consultation_recorded()->set_topic(std::string(kMaxCommitBytes, 'x'));
  auto r = (*log)->Append(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "log.commit_too_large");
  EXPECT_EQ((*log)->EndOffset(PartitionOf("service/big", (*log)->partitions())).value(), 0);
}

TEST(DecodeCommit, RejectsWhatIsNotACommit) {
  LogRecord garbage{{0, 5}, "case/x", "\xff\xfe not protobuf"};
  EXPECT_EQ(DecodeCommit(garbage).error().code, "log.not_a_commit");
  v1::Event not_commit;
  not_commit.set_event_id("e");
  LogRecord other{{0, 6}, "case/x", not_commit.SerializeAsString()};
  EXPECT_EQ(DecodeCommit(other).error().code, "log.not_a_commit");
  LogRecord mismatched{{0, 7}, "case/other", Commit("c", "case/x").SerializeAsString()};
  EXPECT_EQ(DecodeCommit(mismatched).error().code, "log.not_a_commit");
  LogRecord good{{0, 8}, "case/x", Commit("c", "case/x").SerializeAsString()};
  EXPECT_TRUE(DecodeCommit(good).ok());
}

}  // namespace
}  // namespace aidtrail::store
