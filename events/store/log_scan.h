// Reads the whole log with log-order validation (commit_validator.h):
// partition by partition, each in offset order. Because every verdict
// depends only on the records before it in its own partition, and every
// fold across streams commutes (sums, maxima by recorded time), any order
// of partitions gives the same verdicts and the same state; this one is
// simply the cheapest. Records that are not ours are reported, skipped and
// never stop the scan. The writer's model, verify and tests use it; the
// projection engine applies the same rule chunk by chunk.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "events/store/commit_validator.h"
#include "events/store/event_log.h"

namespace aidtrail::store {

struct ScannedCommit {
  Position position;
  v1::CommitRecord commit;
  Verdict verdict;
};

struct ScanStats {
  uint64_t records = 0;
  uint64_t valid = 0;
  uint64_t void_commits = 0;
  uint64_t claims = 0;       // writer claims, valid or not (not passed to `fn`)
  uint64_t malformed = 0;    // not commits at all
  std::vector<int64_t> end;  // per partition, the offset the scan stopped at
};

struct ScanOptions {
  size_t chunk = 512;  // records read per partition at a time
  // Called for each record that is not an aidtrail commit.
  std::function<void(const LogRecord&, const Error&)> on_malformed;
  // Where to start, per partition (missing: 0). `validator` must then hold
  // the state of everything before.
  std::vector<int64_t> from;
  // Called after every record is judged (and after `fn`, for commits),
  // with its position and commit id (empty when it is not a commit): how
  // far the scan has reached, for a reader that records its position.
  std::function<void(const Position&, const std::string& commit_id)> on_record;
};

// Scans from `options.from` (or 0) to the end offsets seen at the start of
// the scan. `validator` is applied in scan order; `fn` sees every commit
// (not claims) and its verdict.
Result<ScanStats> ScanLog(EventLog& log, CommitValidator& validator,
                          const std::function<void(const ScannedCommit&)>& fn,
                          const ScanOptions& options = {});

}  // namespace aidtrail::store
