// KafkaLog against a real broker (ops/kafka/broker.sh): placement, read
// back, the topic permanence check, malformed records and recovery from a
// fatal producer error. Each test uses its own topic, so tests can run in
// parallel; the broker is shared within one test binary.
#include "events/store/kafka_log.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "events/store/commit_validator.h"
#include "events/store/kafka_client.h"
#include "events/store/kafka_topic.h"
#include "tests/support/append_tracker.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/kafka_tools.h"
#include "tests/support/test_commits.h"

namespace aidtrail {
namespace {

using namespace std::chrono_literals;
using store::KafkaLog;
using store::KafkaLogOptions;
using store::LogRecord;
using store::Position;
using testing::AppendTracker;
using testing::CommitMaker;
using testing::SharedBroker;
using testing::UniqueTopic;

KafkaLogOptions Options(const std::string& topic, int32_t partitions = 8) {
  KafkaLogOptions o;
  o.bootstrap = SharedBroker().bootstrap();
  o.topic = topic;
  o.partitions = partitions;
  o.client_id = "kafka-log-test";
  return o;
}

std::unique_ptr<KafkaLog> OpenOrDie(const KafkaLogOptions& options) {
  auto log = KafkaLog::Open(options);
  if (!log.ok()) ADD_FAILURE() << log.error().ToString();
  return log.ok() ? std::move(log).value() : nullptr;
}

// Reads a partition through the log from `from` until `want` records came.
std::vector<LogRecord> ReadN(KafkaLog& log, int32_t partition, int64_t from, size_t want) {
  std::vector<LogRecord> out;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (out.size() < want && std::chrono::steady_clock::now() < deadline) {
    auto batch = log.Read(partition, from, want - out.size(), 1s);
    if (!batch.ok()) {
      ADD_FAILURE() << batch.error().ToString();
      break;
    }
    for (auto& r : *batch) {
      from = r.position.offset + 1;
      out.push_back(std::move(r));
    }
  }
  return out;
}

TEST(KafkaLog, AppendsLandInTheStreamsPartitionAndReadBackInOrder) {
  auto log = OpenOrDie(Options(UniqueTopic("append")));
  ASSERT_NE(log, nullptr);
  ASSERT_EQ(log->partitions(), 8);
  for (int32_t p = 0; p < 8; ++p) ASSERT_EQ(log->EndOffset(p).value(), 0);

  // 12 streams x 3 commits, all in flight at once.
  CommitMaker maker("append-" + store::kafka::RandomSuffix(6));
  std::vector<v1::CommitRecord> commits;
  for (int round = 0; round < 3; ++round)
    for (int s = 0; s < 12; ++s)
      commits.push_back(maker.Next("case/JM-2024-" + std::to_string(1000 + s)));
  AppendTracker tracker;
  for (const auto& c : commits) log->AppendAsync(c, tracker.Track(c));
  ASSERT_TRUE(tracker.WaitAll(60s)) << tracker.Summary();
  ASSERT_EQ(tracker.succeeded(), commits.size()) << tracker.Summary();

  std::map<int32_t, std::vector<size_t>> by_partition;  // commit indices in log order
  const auto outcomes = tracker.outcomes();
  for (size_t i = 0; i < commits.size(); ++i) {
    const Position at = outcomes[i].result->value();
    EXPECT_EQ(at.partition, store::PartitionOf(commits[i].stream_id(), 8))
        << commits[i].stream_id();
    by_partition[at.partition].push_back(i);
  }
  for (auto& [p, indices] : by_partition)
    std::sort(indices.begin(), indices.end(), [&](size_t a, size_t b) {
      return outcomes[a].result->value() < outcomes[b].result->value();
    });

  store::CommitValidator validator;
  for (int32_t p = 0; p < 8; ++p) {
    const auto& indices = by_partition[p];
    EXPECT_EQ(log->EndOffset(p).value(), int64_t(indices.size())) << "partition " << p;
    const auto records = ReadN(*log, p, 0, indices.size());
    ASSERT_EQ(records.size(), indices.size()) << "partition " << p;
    for (size_t k = 0; k < records.size(); ++k) {
      const v1::CommitRecord& sent = commits[indices[k]];
      EXPECT_EQ(records[k].position, outcomes[indices[k]].result->value());
      EXPECT_EQ(records[k].key, sent.stream_id());
      EXPECT_EQ(records[k].value, store::EncodeCommit(sent).value());
      auto decoded = store::DecodeCommit(records[k]);
      ASSERT_TRUE(decoded.ok()) << decoded.error().ToString();
      EXPECT_EQ(validator.Apply(records[k].position.partition, *decoded), store::Verdict::kValid)
          << sent.commit_id();
    }
  }
  EXPECT_EQ(validator.streams(), 12u);

  // Reading from the middle, and a page of one.
  const int32_t busy = by_partition.rbegin()->first;
  for (const auto& [p, indices] : by_partition)
    if (indices.size() > 1) {
      auto tail = log->Read(p, 1, 100, 5s);
      ASSERT_TRUE(tail.ok()) << tail.error().ToString();
      ASSERT_EQ(tail->size(), indices.size() - 1);
      EXPECT_EQ(tail->front().position.offset, 1);
      auto one = log->Read(p, 0, 1, 5s);
      ASSERT_TRUE(one.ok());
      ASSERT_EQ(one->size(), 1u);
      EXPECT_EQ(one->front().position.offset, 0);
      break;
    }
  // At the end: nothing, after waiting; and nothing for an offset past the end.
  const int64_t end = log->EndOffset(busy).value();
  auto none = log->Read(busy, end, 10, 200ms);
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_TRUE(none->empty());
  auto beyond = log->Read(busy, end + 5, 10, 0ms);
  ASSERT_TRUE(beyond.ok()) << beyond.error().ToString();
  EXPECT_TRUE(beyond->empty());

  // Tailing: a read waiting at the end returns a record appended meanwhile.
  std::string stream;
  for (int s = 0; stream.empty(); ++s)
    if (store::PartitionOf("case/tail-" + std::to_string(s), 8) == busy)
      stream = "case/tail-" + std::to_string(s);
  auto waiting = std::async(std::launch::async, [&] { return log->Read(busy, end, 10, 20s); });
  std::this_thread::sleep_for(300ms);
  auto appended = log->Append(maker.Next(stream));
  ASSERT_TRUE(appended.ok()) << appended.error().ToString();
  EXPECT_EQ(*appended, (Position{busy, end}));
  auto tailed = waiting.get();
  ASSERT_TRUE(tailed.ok()) << tailed.error().ToString();
  ASSERT_EQ(tailed->size(), 1u);
  EXPECT_EQ(tailed->front().key, stream);
  EXPECT_EQ(log->EndOffset(busy).value(), end + 1);

  // Read-your-writes without waiting: an acknowledged record is returned
  // even by a read that does not wait.
  auto again = log->Append(maker.Next(stream));
  ASSERT_TRUE(again.ok());
  auto immediate = log->Read(busy, again->offset, 10, 0ms);
  ASSERT_TRUE(immediate.ok()) << immediate.error().ToString();
  ASSERT_EQ(immediate->size(), 1u);
  EXPECT_EQ(immediate->front().position, *again);
}

// Every read at a new place repositions the reader. Many of them in quick
// succession, back and forth between partitions and offsets, must each
// return exactly the record asked for (librdkafka 2.0's assignment machinery
// aborted on a quick re-assign of a partition whose stop was still pending).
TEST(KafkaLog, ManyQuickRepositioningsEachReadTheRecordAskedFor) {
  auto log = OpenOrDie(Options(UniqueTopic("reposition"), 4));
  ASSERT_NE(log, nullptr);
  CommitMaker maker("reposition-" + store::kafka::RandomSuffix(6));
  std::vector<v1::CommitRecord> commits;
  for (int s = 0; s < 40; ++s) commits.push_back(maker.Next("case/JM-2024-" + std::to_string(s)));
  AppendTracker tracker;
  for (const auto& c : commits) log->AppendAsync(c, tracker.Track(c));
  ASSERT_TRUE(tracker.WaitAll(60s)) << tracker.Summary();
  ASSERT_EQ(tracker.succeeded(), commits.size()) << tracker.Summary();
  std::map<Position, std::string> at;  // where each commit landed -> its stream
  const auto outcomes = tracker.outcomes();
  for (size_t i = 0; i < commits.size(); ++i)
    at[outcomes[i].result->value()] = commits[i].stream_id();
  std::vector<Position> places;
  for (const auto& [pos, stream] : at) places.push_back(pos);

  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  // Reads at the end return at once, so these reposition within a
  // millisecond or two of each other.
  for (int i = 0; i < 100; ++i) {
    const int32_t p = int32_t(rng() % 4);
    const int64_t end = log->EndOffset(p).value();
    auto got = log->Read(p, end, 10, 0ms);
    ASSERT_TRUE(got.ok()) << "read at the end " << i << ": " << got.error().ToString();
    EXPECT_TRUE(got->empty()) << "read at the end " << i;
  }
  for (int i = 0; i < 60; ++i) {
    const Position want = places[rng() % places.size()];
    auto got = log->Read(want.partition, want.offset, 1, 5s);
    ASSERT_TRUE(got.ok()) << "read " << i << ": " << got.error().ToString();
    ASSERT_EQ(got->size(), 1u) << "read " << i;
    EXPECT_EQ(got->front().position, want) << "read " << i;
    EXPECT_EQ(got->front().key, at[want]) << "read " << i;
  }
}

TEST(KafkaLog, CreatesItsTopicToKeepEverything) {
  const std::string topic = UniqueTopic("create");
  auto log = OpenOrDie(Options(topic, 3));
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->partitions(), 3);
  auto config = testing::DescribeTopicConfig(SharedBroker().bootstrap(), topic);
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->at("retention.ms"), "-1");
  EXPECT_EQ(config->at("retention.bytes"), "-1");
  EXPECT_EQ(config->at("cleanup.policy"), "delete");
  EXPECT_GE(std::stoll(config->at("max.message.bytes")), int64_t(store::kMaxCommitBytes));

  // Opening again finds the topic and keeps its partition count.
  auto options = Options(topic, 8);
  auto again = OpenOrDie(options);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->partitions(), 3);
}

TEST(KafkaLog, RefusesATopicThatDeletesOldRecords) {
  const std::string topic = UniqueTopic("retention");
  ASSERT_TRUE(testing::CreateTopic(SharedBroker().bootstrap(), topic, 2,
                                   {{"retention.ms", "604800000"}, {"cleanup.policy", "delete"}})
                  .ok());
  auto log = KafkaLog::Open(Options(topic));
  ASSERT_FALSE(log.ok());
  const Error& e = log.error();
  EXPECT_EQ(e.code, "kafka.topic_config");
  EXPECT_EQ(e.kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(e.field, "retention.ms");
  EXPECT_NE(e.message.find("retention.ms=604800000"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find(topic), std::string::npos) << e.message;
  EXPECT_NE(e.message_zh.find("retention.ms"), std::string::npos) << e.message_zh;
  EXPECT_NE(e.message_zh.find("7 天"), std::string::npos) << e.message_zh;
}

TEST(KafkaLog, RefusesACompactedTopic) {
  const std::string topic = UniqueTopic("compact");
  ASSERT_TRUE(
      testing::CreateTopic(
          SharedBroker().bootstrap(), topic, 2,
          {{"retention.ms", "-1"}, {"retention.bytes", "-1"}, {"cleanup.policy", "compact"}})
          .ok());
  auto log = KafkaLog::Open(Options(topic));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, "kafka.topic_config");
  EXPECT_EQ(log.error().field, "cleanup.policy");
  EXPECT_NE(log.error().message.find("cleanup.policy=compact"), std::string::npos)
      << log.error().message;
  EXPECT_NE(log.error().message_zh.find("cleanup.policy"), std::string::npos);
}

TEST(KafkaLog, AMissingTopicIsNotCreatedWhenThatIsOff) {
  auto options = Options(UniqueTopic("absent"));
  options.create_topic = false;
  auto log = KafkaLog::Open(options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, "kafka.no_topic");
}

TEST(KafkaLog, AnUnreachableBrokerIsUnavailable) {
  // A port nothing listens on: bound, then released.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  KafkaLogOptions options;
  options.bootstrap = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  options.topic = "aidtrail.log";
  options.request_timeout = 2s;
  const auto start = std::chrono::steady_clock::now();
  auto log = KafkaLog::Open(options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(log.error().code, "kafka.unavailable");
  EXPECT_NE(log.error().message.find(options.bootstrap), std::string::npos) << log.error().message;
  EXPECT_FALSE(log.error().message_zh.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
}

TEST(KafkaLog, ForeignRecordsAreReadAndRejectedByDecodeWhileCommitsAroundThemDecode) {
  const std::string topic = UniqueTopic("malformed");
  auto log = OpenOrDie(Options(topic, 1));
  ASSERT_NE(log, nullptr);
  const std::string bootstrap = SharedBroker().bootstrap();
  CommitMaker maker("malformed-" + store::kafka::RandomSuffix(6));
  const v1::CommitRecord first = maker.Next("case/JM-2024-0001");
  const v1::CommitRecord second = maker.Next("case/JM-2024-0001");

  ASSERT_TRUE(log->Append(first).ok());
  // Raw garbage.
  ASSERT_TRUE(testing::ProduceRaw(bootstrap, topic, 0, "case/JM-2024-0001",
                                  std::string("\xff\xfe\x00garbage", 10))
                  .ok());
  // Valid protobuf, but an Actor, not a commit.
  v1::Actor actor;
  actor.set_id("clerk-1");
  actor.set_role(v1::ROLE_INTAKE);
  actor.set_agency("pengjiang-lac");
  ASSERT_TRUE(
      testing::ProduceRaw(bootstrap, topic, 0, "case/JM-2024-0001", actor.SerializeAsString())
          .ok());
  // A real commit under another stream's key.
  ASSERT_TRUE(testing::ProduceRaw(bootstrap, topic, 0, "case/other",
                                  store::EncodeCommit(maker.Next("case/x")).value())
                  .ok());
  // An empty record.
  ASSERT_TRUE(testing::ProduceRaw(bootstrap, topic, 0, "", "").ok());
  ASSERT_TRUE(log->Append(second).ok());

  const auto records = ReadN(*log, 0, 0, 6);
  ASSERT_EQ(records.size(), 6u);
  store::CommitValidator validator;
  std::vector<std::string> valid;
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].position.offset, int64_t(i));
    auto decoded = store::DecodeCommit(records[i]);
    if (i == 0 || i == 5) {
      ASSERT_TRUE(decoded.ok()) << i << ": " << decoded.error().ToString();
      EXPECT_EQ(validator.Apply(records[i].position.partition, *decoded), store::Verdict::kValid);
      valid.push_back(decoded->commit_id());
    } else {
      ASSERT_FALSE(decoded.ok()) << "record " << i << " decoded as a commit";
      EXPECT_EQ(decoded.error().code, "log.not_a_commit");
      EXPECT_EQ(decoded.error().kind, ErrorKind::kCorruption);
      EXPECT_NE(decoded.error().message.find("offset " + std::to_string(i)), std::string::npos);
    }
  }
  EXPECT_EQ(valid, (std::vector<std::string>{first.commit_id(), second.commit_id()}));
  EXPECT_EQ(records[1].value, std::string("\xff\xfe\x00garbage", 10));
}

TEST(KafkaLog, CommitsUpToTheSizeLimitGoThroughAndLargerOnesAreRefused) {
  const std::string topic = UniqueTopic("size");
  auto log = OpenOrDie(Options(topic, 1));
  ASSERT_NE(log, nullptr);
  CommitMaker maker("size-" + store::kafka::RandomSuffix(6));
  // Just under the limit.
  v1::CommitRecord big = maker.Next("case/big", 1, store::kMaxCommitBytes - 2048);
  const size_t size = store::EncodeCommit(big).value().size();
  ASSERT_GT(size, store::kMaxCommitBytes - 4096);
  ASSERT_LE(size, store::kMaxCommitBytes);
  auto at = log->Append(big);
  ASSERT_TRUE(at.ok()) << at.error().ToString();
  const auto records = ReadN(*log, 0, 0, 1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(store::DecodeCommit(records[0]).value().commit_id(), big.commit_id());

  auto too_big = log->Append(maker.Next("case/big", 1, store::kMaxCommitBytes));
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, "log.commit_too_large");
}

TEST(KafkaLog, RecoversFromAFatalProducerError) {
  const std::string topic = UniqueTopic("fatal");
  auto log = OpenOrDie(Options(topic, 4));
  ASSERT_NE(log, nullptr);
  AppendTracker tracker;
  // Two writers, each with its own streams; the fatal error strikes while
  // both are appending.
  std::atomic<int> sent{0};
  auto writer = [&](int w) {
    CommitMaker maker("fatal-" + std::to_string(w) + "-" + store::kafka::RandomSuffix(6));
    for (int i = 0; i < 100; ++i) {
      const v1::CommitRecord c =
          maker.Next("case/W" + std::to_string(w) + "-" + std::to_string(i % 10));
      log->AppendAsync(c, tracker.Track(c));
      sent.fetch_add(1);
      std::this_thread::sleep_for(2ms);
    }
  };
  std::thread a(writer, 0), b(writer, 1);
  while (sent.load() < 60) std::this_thread::sleep_for(1ms);
  log->InjectFatalProducerErrorForTest();
  a.join();
  b.join();
  ASSERT_TRUE(tracker.WaitAll(120s)) << tracker.Summary();
  std::printf("after the fatal error: %s\n", tracker.Summary().c_str());

  const auto stats = log->stats();
  EXPECT_EQ(stats.producer_restarts, 1u);
  // The log takes appends again without being reopened.
  CommitMaker after("fatal-after-" + store::kafka::RandomSuffix(6));
  for (int i = 0; i < 5; ++i) {
    auto r = log->Append(after.Next("case/after-" + std::to_string(i)));
    EXPECT_TRUE(r.ok()) << r.error().ToString();
  }
  const auto problems =
      testing::CheckAgainstTopic(SharedBroker().bootstrap(), topic, 4, tracker.outcomes());
  for (const auto& p : problems) ADD_FAILURE() << p;
  // Commits acknowledged after the restart exist: the writer resumed.
  EXPECT_GT(tracker.succeeded(), 0u);
}

TEST(KafkaLog, ClosingWithAppendsInFlightReportsEveryOne) {
  const std::string topic = UniqueTopic("close");
  auto log = OpenOrDie(Options(topic, 2));
  ASSERT_NE(log, nullptr);
  AppendTracker tracker;
  CommitMaker maker("close-" + store::kafka::RandomSuffix(6));
  for (int i = 0; i < 200; ++i) {
    const v1::CommitRecord c = maker.Next("case/close-" + std::to_string(i % 7));
    log->AppendAsync(c, tracker.Track(c));
  }
  log.reset();  // flushes, then reports whatever is left
  ASSERT_TRUE(tracker.WaitAll(1s)) << tracker.Summary();
  EXPECT_EQ(tracker.succeeded(), 200u) << tracker.Summary();
  const auto problems =
      testing::CheckAgainstTopic(SharedBroker().bootstrap(), topic, 2, tracker.outcomes());
  for (const auto& p : problems) ADD_FAILURE() << p;
}

}  // namespace
}  // namespace aidtrail
