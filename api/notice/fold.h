// Folding the views from an exact prefix of the log: the first `sizes[p]`
// records of each partition, nothing after — what a notice's checkpoint
// names. Used to verify a notice against the log as it was when the notice
// was computed, however much the log has grown since.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "events/store/event_log.h"
#include "projections/engine.h"

namespace aidtrail::api::notice {

// A read-only view of `log` cut at `sizes` records per partition.
// Thread safety: as the underlying log's reads.
class PrefixLog final : public store::EventLog {
 public:
  PrefixLog(store::EventLog& log, std::vector<uint64_t> sizes)
      : log_(log), sizes_(std::move(sizes)) {}
  [[nodiscard]] int32_t partitions() const override { return log_.partitions(); }
  void AppendAsync(v1::CommitRecord commit, store::AppendCallback done) override;
  Result<std::vector<store::LogRecord>> Read(int32_t partition, int64_t from, size_t max,
                                             std::chrono::milliseconds wait) override;
  Result<int64_t> EndOffset(int32_t partition) override;

 private:
  [[nodiscard]] int64_t Limit(int32_t partition) const;
  store::EventLog& log_;
  const std::vector<uint64_t> sizes_;
};

// Folds every view (projections::AllViews) from that prefix into a fresh
// store in `dir`. Fails if the log holds fewer records than `sizes` asks for.
Result<std::unique_ptr<projections::Engine>> FoldPrefix(store::EventLog& log,
                                                        const std::vector<uint64_t>& sizes,
                                                        const std::string& dir);

}  // namespace aidtrail::api::notice
