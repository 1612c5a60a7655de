// KafkaLog under broker faults, each test with a broker of its own: a
// restart in the middle of appending, a hung broker (SIGSTOP) that leaves
// deliveries unknown, and a stopped broker. Every test has a hard time
// limit; the workloads are fixed (no randomness besides topic names).
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "events/store/commit_validator.h"
#include "events/store/kafka_client.h"
#include "events/store/kafka_log.h"
#include "tests/support/append_tracker.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/kafka_tools.h"
#include "tests/support/test_commits.h"

namespace aidtrail {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using store::KafkaLog;
using store::KafkaLogOptions;
using testing::AppendTracker;
using testing::CommitMaker;
using testing::KafkaBroker;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Aborts the test binary (a failure, with a message) if the test is still
// running after `limit`: a hang must never stall the suite.
class HardTimeout {
 public:
  HardTimeout(std::chrono::seconds limit, std::string what) : what_(std::move(what)) {
    thread_ = std::thread([this, limit] {
      std::unique_lock lock(mu_);
      if (!done_cv_.wait_for(lock, limit, [&] { return done_; })) {
        std::fprintf(stderr, "HARD TIMEOUT: %s still running after %lld s\n", what_.c_str(),
                     static_cast<long long>(limit.count()));
        std::fflush(stderr);
        std::abort();
      }
    });
  }
  ~HardTimeout() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }

 private:
  std::string what_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

std::unique_ptr<KafkaBroker> StartBroker() {
  auto broker = KafkaBroker::Start();
  if (!broker.ok()) ADD_FAILURE() << broker.error().ToString();
  return broker.ok() ? std::move(broker).value() : nullptr;
}

// Options every fault test starts from; each test then shortens the timeouts it exercises.
KafkaLogOptions FaultOptions(const KafkaBroker& broker, const std::string& topic,
                             int32_t partitions) {
  KafkaLogOptions options;
  options.bootstrap = broker.bootstrap();
  options.topic = topic;
  options.partitions = partitions;
  options.client_id = "kafka-fault-test";
  return options;
}

// One writer as ingest runs it: several streams, at most one commit in
// flight per stream (the next command on a stream needs the previous one's
// outcome), and a commit that certainly was not written is sent again as it
// was (same commit_id: a retry cannot duplicate it).
class Writer {
 public:
  Writer(KafkaLog& log, AppendTracker& tracker, std::string name, int streams)
      : log_(log),
        tracker_(tracker),
        name_(std::move(name)),
        maker_(name_),
        busy_(size_t(streams), false) {}

  void Run(int commits, std::chrono::milliseconds pace) {
    for (int i = 0; i < commits; ++i) {
      const size_t s = size_t(i) % busy_.size();
      {
        std::unique_lock lock(mu_);
        for (;;) {
          // Retries first: their streams are waiting on them.
          while (!retry_.empty()) {
            v1::CommitRecord again = std::move(retry_.front());
            retry_.pop_front();
            lock.unlock();
            const size_t stream = StreamIndex(again.stream_id());
            Send(std::move(again), stream);
            lock.lock();
          }
          if (!busy_[s]) break;
          changed_.wait(lock);
        }
      }
      v1::CommitRecord c = maker_.Next(name_ + "-stream-" + std::to_string(s));
      ids_.push_back(c.commit_id());
      Send(std::move(c), s);
      std::this_thread::sleep_for(pace);
    }
    // Drain: wait for every stream, retrying what failed.
    std::unique_lock lock(mu_);
    for (;;) {
      while (!retry_.empty()) {
        v1::CommitRecord again = std::move(retry_.front());
        retry_.pop_front();
        lock.unlock();
        const size_t stream = StreamIndex(again.stream_id());
        Send(std::move(again), stream);
        lock.lock();
      }
      if (std::none_of(busy_.begin(), busy_.end(), [](bool b) { return b; })) return;
      changed_.wait(lock);
    }
  }

  [[nodiscard]] const std::vector<std::string>& ids() const { return ids_; }

 private:
  size_t StreamIndex(const std::string& stream) const {
    return size_t(std::stoi(stream.substr(stream.rfind('-') + 1)));
  }

  void Send(v1::CommitRecord c, size_t s) {
    {
      std::lock_guard lock(mu_);
      busy_[s] = true;
    }
    auto track = tracker_.Track(c);
    log_.AppendAsync(c, [this, s, c, track](Result<store::Position> r) {
      const bool again = !r.ok() && testing::CertainlyNotWritten(r.error());
      track(std::move(r));
      {
        std::lock_guard lock(mu_);
        if (again)
          retry_.push_back(c);
        else
          busy_[s] = false;
      }
      changed_.notify_all();
    });
  }

  KafkaLog& log_;
  AppendTracker& tracker_;
  std::string name_;
  CommitMaker maker_;
  std::vector<std::string> ids_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<bool> busy_;
  std::deque<v1::CommitRecord> retry_;
};

TEST(KafkaFault, BrokerRestartedWhileAppendingLosesAndDuplicatesNothingAcknowledged) {
  HardTimeout limit(300s, "the broker restart test");
  const auto test_start = Clock::now();
  auto broker = StartBroker();
  ASSERT_NE(broker, nullptr);
  const std::string topic = testing::UniqueTopic("bounce");
  std::printf("topic %s on %s\n", topic.c_str(), broker->bootstrap().c_str());
  auto opened = KafkaLog::Open(FaultOptions(*broker, topic, 4));
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  auto log = std::move(opened).value();

  constexpr int kWriters = 2;
  constexpr int kPerWriter = 150;
  AppendTracker tracker;
  std::vector<std::unique_ptr<Writer>> writers;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    writers.push_back(std::make_unique<Writer>(*log, tracker, "bounce-w" + std::to_string(w), 15));
  const auto appending_since = Clock::now();
  for (auto& w : writers) threads.emplace_back([&w] { w->Run(kPerWriter, 20ms); });

  // Restart once a third of the commits are acknowledged, with appends in flight.
  ASSERT_TRUE(tracker.WaitCompleted(100, 60s)) << tracker.Summary();
  const size_t in_flight = tracker.outcomes().size() - tracker.completed();
  const auto restart_began = Clock::now();
  Status restarted = broker->Restart();
  const auto restart_done = Clock::now();
  ASSERT_TRUE(restarted.ok()) << restarted.error().ToString();
  for (auto& t : threads) t.join();
  ASSERT_TRUE(tracker.WaitAll(120s)) << tracker.Summary();
  const auto appending_done = Clock::now();

  const auto outcomes = tracker.outcomes();
  const auto stats = log->stats();
  size_t acked_after_restart = 0;
  size_t spanning_restart = 0;  // sent before the broker went down, acknowledged after it was back
  std::map<std::string, store::Position> acked;
  std::map<std::string, int> unknown;
  for (const auto& o : outcomes) {
    if (o.result->ok()) {
      EXPECT_EQ(acked.count(o.commit_id), 0u) << o.commit_id << " acknowledged twice";
      acked[o.commit_id] = o.result->value();
      if (o.completed_at > restart_done) ++acked_after_restart;
      if (o.sent_at < restart_done && o.completed_at > restart_done) ++spanning_restart;
    } else if (!testing::CertainlyNotWritten(o.result->error())) {
      ++unknown[o.commit_id];
      ADD_FAILURE() << o.commit_id << ": " << o.result->error().ToString();
    }
  }
  std::printf(
      "appends: %zu attempts for %d commits (%s); %zu in flight when the restart began, %zu sent "
      "before it ended "
      "and acknowledged after; restart took %.1f s; %zu acknowledged after it; appending took %.1f "
      "s; producer restarts %llu, reconciled found/absent/unknown "
      "%llu/%llu/%llu\n",
      outcomes.size(), kWriters * kPerWriter, tracker.Summary().c_str(), in_flight,
      spanning_restart, Seconds(restart_done - restart_began), acked_after_restart,
      Seconds(appending_done - appending_since),
      static_cast<unsigned long long>(stats.producer_restarts),
      static_cast<unsigned long long>(stats.reconciled_found),
      static_cast<unsigned long long>(stats.reconciled_absent),
      static_cast<unsigned long long>(stats.reconciled_unknown));
  EXPECT_GT(spanning_restart, 0u) << "no append was waiting on the broker while it restarted";
  EXPECT_GT(acked_after_restart, 0u) << "the writers did not resume";

  // Every commit made was acknowledged (after retries of certain failures),
  // and is in the topic exactly once, where it was acknowledged.
  std::set<std::string> made;
  for (const auto& w : writers) made.insert(w->ids().begin(), w->ids().end());
  ASSERT_EQ(made.size(), size_t(kWriters * kPerWriter));
  EXPECT_EQ(acked.size(), made.size());

  store::CommitValidator validator;
  std::map<std::string, int> copies;
  size_t records = 0;
  for (int32_t p = 0; p < log->partitions(); ++p) {
    auto read = testing::ReadPartition(broker->bootstrap(), topic, p);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    for (const store::LogRecord& r : *read) {
      ++records;
      auto c = store::DecodeCommit(r);
      ASSERT_TRUE(c.ok()) << c.error().ToString();
      ++copies[c->commit_id()];
      const auto at = acked.find(c->commit_id());
      if (at != acked.end() && copies[c->commit_id()] == 1) {
        EXPECT_EQ(at->second, r.position) << c->commit_id();
      }
      // Log order is the order of each stream: nothing void, nothing forked.
      EXPECT_EQ(validator.Apply(r.position.partition, *c), store::Verdict::kValid)
          << c->commit_id() << " at " << p << "/" << r.position.offset;
    }
  }
  for (const auto& id : made) EXPECT_EQ(copies[id], 1) << id;
  EXPECT_EQ(records, made.size());
  std::printf("test took %.1f s\n", Seconds(Clock::now() - test_start));
}

TEST(KafkaFault, AppendsToAHungBrokerAreReconciledNotGuessed) {
  HardTimeout limit(300s, "the hung broker test");
  auto broker = StartBroker();
  ASSERT_NE(broker, nullptr);
  const std::string topic = testing::UniqueTopic("hang");
  std::printf("topic %s on %s\n", topic.c_str(), broker->bootstrap().c_str());
  KafkaLogOptions options = FaultOptions(*broker, topic, 2);
  // Short, so that commits time out in flight while the broker hangs.
  options.message_timeout = 3s;
  auto opened = KafkaLog::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  auto log = std::move(opened).value();
  CommitMaker maker("hang-" + store::kafka::RandomSuffix(6));
  ASSERT_TRUE(log->Append(maker.Next("case/warm-up")).ok());

  ASSERT_TRUE(broker->Pause().ok());
  AppendTracker tracker;
  for (int i = 0; i < 20; ++i) {
    const v1::CommitRecord c = maker.Next("case/hang-" + std::to_string(i));
    log->AppendAsync(c, tracker.Track(c));
  }
  std::this_thread::sleep_for(8s);
  EXPECT_LT(tracker.completed(), 20u)
      << "unknown outcomes must wait for the broker: " << tracker.Summary();
  const auto resumed = Clock::now();
  ASSERT_TRUE(broker->Resume().ok());
  ASSERT_TRUE(tracker.WaitAll(150s)) << tracker.Summary();
  const auto stats = log->stats();
  std::printf(
      "after the hang: %s; settled %.1f s after resume; reconciled found/absent/unknown "
      "%llu/%llu/%llu; "
      "producer restarts %llu\n",
      tracker.Summary().c_str(), Seconds(Clock::now() - resumed),
      static_cast<unsigned long long>(stats.reconciled_found),
      static_cast<unsigned long long>(stats.reconciled_absent),
      static_cast<unsigned long long>(stats.reconciled_unknown),
      static_cast<unsigned long long>(stats.producer_restarts));
  EXPECT_GT(stats.reconciled_found + stats.reconciled_absent + stats.reconciled_unknown, 0u)
      << "no delivery was unknown; the test did not exercise reconciliation";
  EXPECT_EQ(stats.reconciled_unknown, 0u);

  // The log goes on by itself.
  Result<store::Position> after = MakeError(ErrorKind::kUnavailable, "none", "", "");
  for (const auto deadline = Clock::now() + 60s; Clock::now() < deadline;) {
    after = log->Append(maker.Next("case/after"));
    if (after.ok()) break;
  }
  EXPECT_TRUE(after.ok()) << after.error().ToString();
  for (const auto& p :
       testing::CheckAgainstTopic(broker->bootstrap(), topic, 2, tracker.outcomes()))
    ADD_FAILURE() << p;
}

TEST(KafkaFault, AStoppedBrokerFailsAppendsCleanlyAndTheLogResumesAfterItsRestart) {
  HardTimeout limit(240s, "the stopped broker test");
  auto broker = StartBroker();
  ASSERT_NE(broker, nullptr);
  const std::string topic = testing::UniqueTopic("down");
  KafkaLogOptions options = FaultOptions(*broker, topic, 1);
  options.message_timeout = 4s;
  options.request_timeout = 3s;
  auto opened = KafkaLog::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  auto log = std::move(opened).value();
  CommitMaker maker("down-" + store::kafka::RandomSuffix(6));
  ASSERT_TRUE(log->Append(maker.Next("case/1")).ok());

  ASSERT_TRUE(broker->Stop().ok());
  AppendTracker tracker;
  const v1::CommitRecord lost = maker.Next("case/1");
  const auto sent = Clock::now();
  log->AppendAsync(lost, tracker.Track(lost));
  ASSERT_TRUE(tracker.WaitAll(60s));
  const auto failed = tracker.outcomes()[0].result.value();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "kafka.unavailable") << failed.error().ToString();
  EXPECT_EQ(failed.error().kind, ErrorKind::kUnavailable);
  EXPECT_FALSE(failed.error().message_zh.empty());
  EXPECT_LT(Clock::now() - sent, 20s);
  auto end = log->EndOffset(0);
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().code, "kafka.unavailable");
  auto read = log->Read(0, 0, 10, 0ms);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "kafka.unavailable");

  ASSERT_TRUE(broker->Restart().ok());
  // The same commit again: it was certainly not written, so this is no duplicate.
  Result<store::Position> again = MakeError(ErrorKind::kUnavailable, "none", "", "");
  for (const auto deadline = Clock::now() + 60s; Clock::now() < deadline;) {
    again = log->Append(lost);
    if (again.ok()) break;
  }
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_GE(again->offset, 1);
  // The failed commit is not there before the retry. A retry attempt that
  // timed out while the restarted broker was still loading may have landed
  // as well; every record after the first is then that same commit, whose
  // second copy every reader voids by its commit id (store::Judge).
  // One read returns what has been fetched so far, which after a restart
  // may be a single batch: read on up to the end offset.
  auto end_now = log->EndOffset(0);
  ASSERT_TRUE(end_now.ok()) << end_now.error().ToString();
  std::vector<store::LogRecord> records;
  for (const auto deadline = Clock::now() + 30s;
       int64_t(records.size()) < *end_now && Clock::now() < deadline;) {
    auto got = log->Read(0, int64_t(records.size()), 10, 2s);
    ASSERT_TRUE(got.ok()) << got.error().ToString();
    records.insert(records.end(), got->begin(), got->end());
  }
  ASSERT_EQ(int64_t(records.size()), *end_now);
  ASSERT_GE(records.size(), 2u);
  EXPECT_LE(records.size(), 3u);
  for (size_t i = 1; i < records.size(); ++i)
    EXPECT_EQ(store::DecodeCommit(records[i]).value().commit_id(), lost.commit_id())
        << "record " << i;
}

}  // namespace
}  // namespace aidtrail
