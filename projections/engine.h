// The projection engine: reads every partition of the log from its stored
// position, applies log-order validation (its stream heads and commit ids
// live in the view store too), and folds each valid commit into every view.
// View changes, validator state and the new positions are written in one
// WriteBatch per chunk, so a crash at any point leaves the store exactly at
// a chunk boundary: nothing applied twice, nothing skipped.
//
// Views that add up across streams key their counters by partition and
// merge at query time, so folding partitions in any interleaving — or
// spreading partitions over several processes — gives identical bytes.
//
// Thread safety: Step/CatchUp from one thread; queries through store() may
// run concurrently (RocksDB reads are thread-safe).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ingest/log_scan.h"
#include "projections/view_store.h"

namespace aidtrail::projections {

class View {
 public:
  virtual ~View() = default;
  [[nodiscard]] virtual std::vector<std::string> families() const = 0;
  // Folds one valid commit (in its partition's order) into `batch`.
  virtual void Apply(const ingest::ScannedCommit& commit, Batch& batch) = 0;
  // Sees every record of the log, valid or not, ours or not (for the audit tree).
  virtual void ApplyRecord(const store::LogRecord& record, Batch& batch) {
    (void)record;
    (void)batch;
  }
  // Forgets in-memory caches (after a restart or a failed batch).
  virtual void Reset() {}
};

struct EngineStats {
  uint64_t records = 0;
  uint64_t valid = 0;
  uint64_t void_commits = 0;
  uint64_t foreign = 0;
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> Open(const std::string& dir, std::vector<std::unique_ptr<View>> views);

  // Folds up to `max_records` further records of each partition.
  // Returns how many records were folded (0: caught up).
  Result<uint64_t> Step(store::EventLog& log, size_t max_records);
  // Steps until caught up with the end offsets seen at the call.
  Result<uint64_t> CatchUp(store::EventLog& log, size_t chunk = 512);
  // Records in the log not yet folded.
  Result<int64_t> Lag(store::EventLog& log) const;

  [[nodiscard]] int64_t Position(int32_t partition) const;
  [[nodiscard]] EngineStats stats() const;
  [[nodiscard]] ViewStore& store() { return *store_; }
  [[nodiscard]] const ViewStore& store() const { return *store_; }

 private:
  Engine() = default;
  Result<uint64_t> StepPartition(store::EventLog& log, int32_t partition, size_t max_records);

  std::unique_ptr<ViewStore> store_;
  std::vector<std::unique_ptr<View>> views_;
};

// Key helpers shared by the views.
std::string BigEndian64(uint64_t v);
std::string PartitionTag(int32_t partition);  // "p0007"

}  // namespace aidtrail::projections
