// The Kafka event log: one topic; record key = stream id, value = encoded
// commit, partition = PartitionOf(stream id) chosen by us (the embedded
// log's function, which is also Kafka's default partitioner), so every
// Kafka client and both backends agree where a stream lives.
//
// Durability: an append is acknowledged when the idempotent producer's
// delivery report (acks=all) says the commit is written. What that survives
// is the topic's and brokers' business — replication factor 3 with
// min.insync.replicas=2 survives losing a broker; on one test broker only
// log.flush.interval.messages=1 survives an OS crash (events/README.md).
//
// Permanence: Open creates the topic with retention.ms=-1,
// retention.bytes=-1, cleanup.policy=delete, and refuses an existing topic
// that would expire or compact records ("kafka.topic_config").
//
// Unknown outcomes: a commit that was sent but not acknowledged is never
// reported lost on a guess; the partition is read to find it
// (kafka_reconciler.h). A fatal producer error restarts the producer
// (kafka_producer.h); appends resume on their own.
//
// Reads use one consumer, positioned by us (no group, no offset commits),
// guarded by a mutex: readers of different partitions take turns.
//
// Thread safety: every method may be called from any thread. Append
// callbacks run on the log's threads and must neither block nor throw.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "events/store/event_log.h"

namespace aidtrail::store {

namespace kafka {
struct AdminClient;
class CommitProducer;
class PartitionReader;
class Reconciler;
}  // namespace kafka

struct KafkaLogOptions {
  std::string bootstrap;  // "127.0.0.1:9092"
  std::string topic = "aidtrail.log";
  int32_t partitions = 8;          // used when creating the topic
  int16_t replication_factor = 1;  // production: 3 (with min.insync.replicas=2)
  bool create_topic = true;        // create if absent
  std::chrono::milliseconds message_timeout{300000};
  std::string client_id = "aidtrail";
  // Metadata, admin and watermark requests at Open and in EndOffset.
  std::chrono::milliseconds request_timeout{15000};
};

class KafkaLog final : public EventLog {
 public:
  static Result<std::unique_ptr<KafkaLog>> Open(const KafkaLogOptions& options);
  // Waits (bounded) for outstanding appends; each one still undelivered is
  // reconciled or reported as an error — no callback is ever dropped.
  ~KafkaLog() override;

  [[nodiscard]] int32_t partitions() const override { return partitions_; }
  void AppendAsync(v1::CommitRecord commit, AppendCallback done) override;
  Result<std::vector<LogRecord>> Read(int32_t partition, int64_t from, size_t max,
                                      std::chrono::milliseconds wait) override;
  Result<int64_t> EndOffset(int32_t partition) override;
  // One consumer over every partition (kafka_tail.h).
  Result<std::unique_ptr<LogTail>> Tail(std::vector<int64_t> from) override;

  struct Stats {
    uint64_t producer_restarts = 0;   // after fatal producer errors
    uint64_t reconciled_found = 0;    // unknown outcomes found written
    uint64_t reconciled_absent = 0;   // unknown outcomes found not written
    uint64_t reconciled_unknown = 0;  // broker unreachable for too long to tell
  };
  [[nodiscard]] Stats stats() const;

  // Raises a fabricated fatal error in the producer, for tests of recovery.
  void InjectFatalProducerErrorForTest();

 private:
  KafkaLog();

  KafkaLogOptions options_;
  int32_t partitions_ = 0;
  std::unique_ptr<kafka::AdminClient> admin_;  // metadata and watermarks
  std::mutex read_mu_;
  std::unique_ptr<kafka::PartitionReader> reader_;
  // Destroyed in reverse: the producer first (it hands its unsettled
  // commits to the reconciler), then the reconciler (it settles them).
  std::unique_ptr<kafka::Reconciler> reconciler_;
  std::unique_ptr<kafka::CommitProducer> producer_;
};

}  // namespace aidtrail::store
