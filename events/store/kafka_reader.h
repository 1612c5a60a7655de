// Reads one partition of the log topic at a time with a consumer that we
// position ourselves (assign at an offset): no consumer group membership,
// no offset commits — the readers of the log store their own positions.
// The reader stays where the previous Read stopped, so a caller that reads
// on from there (tailing) gets prefetched records without a new fetch;
// any other position re-assigns.
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

// The consumer settings of every reader of ours: never in a group, never
// committing, an out-of-range position an error rather than a jump.
// `purpose` names the group id's kind; fetch_wait_ms bounds tailing latency.
Settings ReaderSettings(const std::string& bootstrap, const std::string& client_id,
                        const std::string& purpose, int fetch_wait_ms);

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

 private:
  PartitionReader() = default;
  Status Assign(int32_t partition, int64_t offset);

  ConsumerHandle consumer_;
  std::string topic_;
  std::chrono::milliseconds request_timeout_{10000};
  int32_t partition_ = -1;  // assigned partition, -1 for none
  int64_t next_ = 0;        // offset of the next record the consumer will hand out
  bool at_end_ = false;     // the consumer reported that next_ is the partition's end
};

}  // namespace aidtrail::store::kafka
