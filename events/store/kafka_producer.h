// The producing half of the Kafka log: an idempotent librdkafka producer
// (acks=all), a thread that polls it and runs delivery reports, and
// recovery from fatal producer errors.
//
// Every commit handed to Send ends in exactly one of three ways:
//   - its delivery report says it was written: `done` gets its position;
//   - it certainly was not written (never sent, or refused by the broker):
//     `done` gets an error, and a retry cannot duplicate it;
//   - the outcome is unknown (timed out in flight, purged in flight, lost
//     with a fatal error): it goes to the `uncertain` sink, which finds out
//     by reading the partition (kafka_reconciler.h).
//
// A fatal error (rd_kafka_fatal_error) makes a librdkafka producer
// unusable for good. The poll thread then lets the old producer report what
// it still can (bounded), purges the rest as uncertain, destroys it and
// starts a new one; commits sent meanwhile wait and go out on the new one.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "events/store/event_log.h"
#include "events/store/kafka_client.h"

namespace aidtrail::store::kafka {

// One commit on its way to the topic.
struct Outgoing {
  std::string commit_id;
  std::string key;    // the stream id
  std::string value;  // the encoded commit; released once librdkafka has its copy
  int32_t partition = 0;
  // Every record of the partition below this offset was written before this
  // commit was sent, so the commit can only be at or after it.
  int64_t scan_from = 0;
  AppendCallback done;
};

// Runs a callback the caller gave us. Callbacks must not throw; one that
// does is reported, never let through librdkafka's C frames.
void Deliver(const AppendCallback& done, Result<Position> result);

class CommitProducer {
 public:
  struct Options {
    std::string bootstrap;
    std::string topic;
    std::string client_id;
    std::chrono::milliseconds message_timeout{300000};
    std::vector<int64_t> ends;  // per partition: the end offset when the log was opened
  };
  using UncertainSink = std::function<void(std::unique_ptr<Outgoing>, Error cause)>;

  static Result<std::unique_ptr<CommitProducer>> Start(Options options, UncertainSink uncertain);
  // Waits (bounded) for outstanding deliveries; what is still in flight then
  // is purged and goes to the uncertain sink, what was never sent fails.
  ~CommitProducer();

  void Send(std::unique_ptr<Outgoing> commit);

  [[nodiscard]] uint64_t restarts() const { return restarts_.load(); }
  // Raises a fabricated fatal error (rd_kafka_test_fatal_error) so that
  // tests can drive the recovery path.
  void InjectFatalError();

 private:
  explicit CommitProducer(Options options, UncertainSink uncertain);
  Result<Handle> NewProducer();
  // REQUIRES: mu_ held and not recovering. Returns the callback and error
  // to report (after unlocking) if the commit could not be queued.
  std::optional<std::pair<AppendCallback, Error>> ProduceLocked(std::unique_ptr<Outgoing> commit);
  void PollLoop();
  void Recover(const std::string& reason);
  void Drain(rd_kafka_t* producer, std::chrono::milliseconds flush_for);
  // Passes every commit librdkafka still held to the uncertain sink, which
  // reads the log to settle it.
  void HandOverOrphans(const Error& why);
  void Delivered(const rd_kafka_message_t* msg);
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);

  const Options options_;
  const UncertainSink uncertain_;
  std::unique_ptr<std::atomic<int64_t>[]> acked_end_;  // per partition: highest acknowledged offset + 1

  std::mutex mu_;
  Handle producer_;  // swapped only by the poll thread, under mu_
  bool recovering_ = false;
  bool closing_ = false;
  std::deque<std::unique_ptr<Outgoing>> parked_;  // sent while recovering

  // Commits librdkafka holds, so that none can be forgotten even if a
  // producer is destroyed with reports still due.
  std::mutex in_flight_mu_;
  std::unordered_set<Outgoing*> in_flight_;

  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> restarts_{0};
  std::thread poller_;
};

}  // namespace aidtrail::store::kafka
