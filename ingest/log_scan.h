// Reads the whole log in a deterministic order and applies log-order
// validation: commits come out merged across partitions by the writer's
// recorded_at (ties by partition, then offset), each with its verdict.
// Records that are not commits are reported, skipped, and never stop the
// scan. Every reader that folds state across streams (the writer's model,
// projections, verify) uses this order, so they all agree.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "events/store/commit_validator.h"
#include "events/store/event_log.h"

namespace aidtrail::ingest {

struct ScannedCommit {
  store::Position position;
  v1::CommitRecord commit;
  store::Verdict verdict;
};

struct ScanStats {
  uint64_t records = 0;
  uint64_t valid = 0;
  uint64_t void_commits = 0;
  uint64_t malformed = 0;  // not commits at all
};

struct ScanOptions {
  size_t chunk = 512;  // records read per partition at a time
  // Called for each record that is not an aidtrail commit.
  std::function<void(const store::LogRecord&, const Error&)> on_malformed;
};

// Scans from offset 0 to the end offsets seen at the start of the scan.
// `validator` is applied in scan order; `fn` sees every commit and its verdict.
Result<ScanStats> ScanLog(store::EventLog& log, store::CommitValidator& validator,
                          const std::function<void(const ScannedCommit&)>& fn, const ScanOptions& options = {});

}  // namespace aidtrail::ingest
