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
//
// Rebuilding some views (ViewSet::Rebuild) uses Scratch and Adopt: a
// scratch engine folds those views from offset 0 into fresh families of the
// same database, and once it stands at the same positions, Adopt returns a
// new engine serving them from there. The old engine stays readable for
// whoever holds it, but no longer folds.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/store/log_scan.h"
#include "projections/lru_cache.h"
#include "projections/view_store.h"

namespace aidtrail::projections {

class View {
 public:
  virtual ~View() = default;
  // The name an operator rebuilds it by ("ledger").
  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual std::vector<std::string> families() const = 0;
  // Views whose families Apply reads (they must be registered earlier).
  // Rebuilding this view folds them too, into scratch that is then discarded.
  [[nodiscard]] virtual std::vector<std::string> dependencies() const { return {}; }
  // Folds one valid commit (in its partition's order) into `batch`.
  virtual void Apply(const store::ScannedCommit& commit, Batch& batch) = 0;
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
  static Result<std::unique_ptr<Engine>> Open(const std::string& dir,
                                              std::vector<std::unique_ptr<View>> views);

  // Folds up to `max_records` further records of each partition.
  // Returns how many records were folded (0: caught up).
  Result<uint64_t> Step(store::EventLog& log, size_t max_records);
  // Steps until caught up with the end offsets seen at the call.
  Result<uint64_t> CatchUp(store::EventLog& log, size_t chunk = 512);
  // Steps until every partition p stands at positions[p] (never beyond).
  Result<uint64_t> CatchUpTo(store::EventLog& log, const std::vector<int64_t>& positions,
                             size_t chunk = 512);
  // Records in the log not yet folded.
  Result<int64_t> Lag(store::EventLog& log) const;

  [[nodiscard]] int64_t Position(int32_t partition) const;
  [[nodiscard]] EngineStats stats() const;
  [[nodiscard]] ViewStore& store() { return *store_; }
  [[nodiscard]] const ViewStore& store() const { return *store_; }

  // An engine folding `views` from offset 0 into scratch families of this
  // engine's database (with its own positions and validator state).
  [[nodiscard]] Result<std::unique_ptr<Engine>> Scratch(
      std::vector<std::unique_ptr<View>> views) const;
  // A new engine serving the views named `names` from `scratch`, which
  // must stand at this engine's positions in all `partitions`; every other
  // view is shared with this engine. Afterwards this engine refuses to
  // fold (its readers are unaffected).
  [[nodiscard]] Result<std::unique_ptr<Engine>> Adopt(Engine& scratch,
                                                      const std::vector<std::string>& names,
                                                      int32_t partitions);

 private:
  Engine() = default;
  Status CheckFormat(const std::string& dir);  // refuses a store of another layout
  Result<uint64_t> StepUpTo(store::EventLog& log, size_t max_records,
                            const std::vector<int64_t>* until);
  Result<uint64_t> StepPartition(store::EventLog& log, int32_t partition, size_t max_records,
                                 int64_t until);

  // The validated heads of recently folded streams per partition, as the
  // store holds them with this engine's pending batch applied: a commit
  // to a known stream is judged without reading its head. Forgotten with
  // the views' caches when a batch fails.
  using Heads = LruCache<store::StreamHead>;
  Heads& HeadsOf(int32_t partition);
  std::mutex heads_mu_;  // guards the outer map only
  std::unordered_map<int32_t, Heads> heads_;

  std::unique_ptr<ViewStore> store_;
  // Shared with the engine that adopts this one's views.
  std::vector<std::shared_ptr<View>> views_;
  std::atomic<bool> retired_{false};
  std::atomic<bool> idle_{false};  // the last step folded nothing
};

// The version `stream` stands at in the store's validated heads (0: none).
uint64_t StreamVersion(const ViewStore& store, const std::string& stream);

// Key helpers shared by the views.
std::string BigEndian64(uint64_t v);
std::string PartitionTag(int32_t partition);  // "p0007"

}  // namespace aidtrail::projections
