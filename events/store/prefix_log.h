// An exact prefix of a log: the first `sizes[p]` records of each partition,
// nothing after — what a checkpoint names. Reading through it folds state
// (views, a verification) as the log was when the checkpoint was taken,
// however much the log has grown since.
//
// Thread safety: as the underlying log's reads. Appends are refused.
#pragma once

#include <cstdint>
#include <vector>

#include "events/store/event_log.h"

namespace aidtrail::store {

class PrefixLog final : public EventLog {
 public:
  // `log` must outlive the prefix.
  PrefixLog(EventLog& log, std::vector<uint64_t> sizes) : log_(log), sizes_(std::move(sizes)) {}
  [[nodiscard]] int32_t partitions() const override { return log_.partitions(); }
  void AppendAsync(v1::CommitRecord commit, AppendCallback done) override;
  Result<std::vector<LogRecord>> Read(int32_t partition, int64_t from, size_t max,
                                      std::chrono::milliseconds wait) override;
  Result<int64_t> EndOffset(int32_t partition) override;

 private:
  [[nodiscard]] int64_t Limit(int32_t partition) const;
  EventLog& log_;
  const std::vector<uint64_t> sizes_;
};

}  // namespace aidtrail::store
