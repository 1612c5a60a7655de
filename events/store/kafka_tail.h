// A tail over every partition of a topic with one consumer: all partitions
// assigned at once, records handed out as they arrive, so a reader that
// follows the whole log waits one fetch, not one per partition.
// Thread safety: one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "events/store/event_log.h"
#include "events/store/kafka_client.h"

namespace aidtrail::store::kafka {

class TopicTail final : public LogTail {
 public:
  static Result<std::unique_ptr<TopicTail>> Create(const std::string& bootstrap,
                                                   const std::string& topic,
                                                   const std::string& client_id,
                                                   std::vector<int64_t> from);
  Result<std::vector<LogRecord>> Next(size_t max, std::chrono::milliseconds wait) override;

 private:
  TopicTail() = default;
  ConsumerHandle consumer_;
  std::string topic_;
  std::vector<int64_t> next_;  // per partition
};

}  // namespace aidtrail::store::kafka
