// Reads one partition of the log topic at a time with librdkafka's simple
// consumer, positioned by us (start at an offset): no consumer group, no
// offset commits — the readers of the log store their own positions.
// The reader stays where the previous Read stopped, so a caller that reads
// on from there (tailing) gets prefetched records without a new fetch;
// any other position stops the fetcher and starts it again there.
//
// Why not assign(): a reader repositions often, and librdkafka 2.0's
// assignment state machine can abort the process (rd_kafka_assignment.c,
// "rktp->rktp_started") when a partition is re-assigned while the stop of
// its previous assignment is still pending. consume_stop waits for the
// stop, so two fetchers of one reader never overlap.
//
// Thread safety: none; the owner serialises calls.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "events/core/result.h"
#include "events/store/event_log.h"
#include "events/store/kafka_client.h"

namespace aidtrail::store::kafka {

// The consumer settings of every reader of ours: never committing, an
// out-of-range position an error rather than a jump. fetch_wait_ms bounds
// tailing latency. No group id: a client that needs one adds it.
Settings ReaderSettings(const std::string& bootstrap, const std::string& client_id,
                        int fetch_wait_ms);

class PartitionReader {
 public:
  // `request_timeout` bounds each question to the broker about where a
  // partition ends.
  static Result<std::unique_ptr<PartitionReader>> Create(const std::string& bootstrap,
                                                         const std::string& topic,
                                                         const std::string& client_id,
                                                         std::chrono::milliseconds request_timeout);

  // Up to `max` records of `partition` from `from` on, in order. Waits up
  // to `wait` for the first one when the partition has nothing at `from`
  // yet. If records exist but cannot be fetched (broker down) the result is
  // kUnavailable, never a silently short answer.
  Result<std::vector<LogRecord>> Read(int32_t partition, int64_t from, size_t max,
                                      std::chrono::milliseconds wait);

  // The partition's high watermark, asked of its leader.
  Result<int64_t> EndOffset(int32_t partition, std::chrono::milliseconds timeout);

  ~PartitionReader();
  PartitionReader(const PartitionReader&) = delete;
  PartitionReader& operator=(const PartitionReader&) = delete;

 private:
  PartitionReader() = default;
  Status Assign(int32_t partition, int64_t offset);
  void Stop();  // stops the fetcher of partition_, if any, and waits for it

  // Declared in this order so the topic handle goes before the client.
  ConsumerHandle consumer_;
  std::unique_ptr<rd_kafka_topic_t, Deleter<rd_kafka_topic_destroy>> topic_;
  std::string topic_name_;
  std::chrono::milliseconds request_timeout_{10000};
  int32_t partition_ = -1;  // assigned partition, -1 for none
  int64_t next_ = 0;        // offset of the next record the consumer will hand out
};

}  // namespace aidtrail::store::kafka
