// The RocksDB instance holding every view, one column family per purpose,
// and Batch: a set of changes that reads its own writes and commits as one
// atomic WriteBatch — views and log positions together, so a crash can
// neither apply a record twice nor skip one.
//
// A store names its families logically ("ledger"); which physical column
// family serves a name is fixed per ViewStore object. Rebuilding a view
// folds into scratch families ("ledger@3", see Scratch) and then Adopt
// returns a new ViewStore serving the name from them: readers holding the
// old object keep reading the old families, which are dropped from the
// database only when the last such reader lets go. The choice is recorded
// in the database (default family, "family/<name>"), so it survives restarts.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/core/result.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace aidtrail::projections {

class ViewStore {
 public:
  // Opens (creating if needed) the store with these column families.
  static Result<std::unique_ptr<ViewStore>> Open(const std::string& dir,
                                                 const std::vector<std::string>& families);
  ~ViewStore();

  [[nodiscard]] std::optional<std::string> Get(const std::string& family,
                                               const std::string& key) const;
  // Calls fn(key, value) for keys starting with `prefix`, in order, until it returns false.
  void Scan(const std::string& family, const std::string& prefix,
            const std::function<bool(const std::string&, const std::string&)>& fn,
            const std::string& start_after = {}) const;
  // SHA-256 over every key and value of the family, in key order. A
  // counter at zero is left out: it reads as absent, and whether it is
  // stored depends on where batches ended (a batch drops deltas that sum to
  // zero; a later batch's delta can bring a stored counter back to zero, as
  // a correction moving a count does), so equal contents digest alike.
  [[nodiscard]] std::string Digest(const std::string& family) const;
  [[nodiscard]] const std::vector<std::string>& families() const { return names_; }
  // Unique in this process to the database (shared by its scratch and
  // adopted stores, which fold the same log): what a stream holds up to a
  // version is the same in all of them, so caches of folded state key by it.
  [[nodiscard]] uint64_t id() const;

  // Which streams the views changed, in commit order, for query-side
  // caches that must learn what to refresh. In memory, shared by every
  // store of the database: the newest kJournal entries are kept, and a
  // reader that fell further behind is told to start over.
  static constexpr size_t kJournal = 1 << 18;
  // Called after a batch that changed `streams` was committed.
  void NoteChanged(const std::vector<std::string>& streams) const;
  // Appends the streams noted after `*seq` to `out` and moves `*seq` to
  // the newest; false (and `*seq` moved all the same) when some of them
  // were forgotten.
  bool ChangedSince(uint64_t* seq, std::vector<std::string>* out) const;
  // RocksDB's count of background errors (flush, compaction), for metrics.
  [[nodiscard]] uint64_t background_errors() const;

  // Fresh, empty column families in the same database standing in for
  // `families`; the returned store serves only those. Unless adopted, they
  // are dropped when the returned store (and every copy) is gone, and at
  // the next Open after a crash.
  [[nodiscard]] Result<std::unique_ptr<ViewStore>> Scratch(
      const std::vector<std::string>& families) const;
  // This store with `families` served by `scratch`'s column families
  // instead: the choice is written and every family flushed atomically
  // before this returns, so a crash leaves either the old or the new
  // choice, each with matching data. The replaced column families are
  // dropped once no store uses them. This store itself is unchanged.
  [[nodiscard]] Result<std::unique_ptr<ViewStore>> Adopt(
      const ViewStore& scratch, const std::vector<std::string>& families) const;

  struct Database;  // the RocksDB instance, shared by a store and its scratch and adopted stores
  struct Family;    // one physical column family; dropped on release if retired

 private:
  friend class Batch;
  ViewStore() = default;
  rocksdb::ColumnFamilyHandle* Handle(const std::string& family) const;
  size_t IndexOf(const std::string& family) const;

  std::shared_ptr<Database> db_;
  std::shared_ptr<Family> default_;
  std::vector<std::string> names_;
  std::vector<std::shared_ptr<Family>> families_;  // parallel to names_
  std::vector<std::shared_ptr<Family>> others_;    // present but not asked for; kept as they are
};

class Batch {
 public:
  explicit Batch(ViewStore& store) : store_(store) {}
  [[nodiscard]] std::optional<std::string> Get(const std::string& family,
                                               const std::string& key) const;
  void Put(const std::string& family, const std::string& key, std::string value);
  void Delete(const std::string& family, const std::string& key);
  // Adds `delta` to a little-endian int64 counter (absent = 0) with a
  // RocksDB merge: counters are write-only within a batch (Get does not see
  // the pending delta), which spares a read per update.
  void Add(const std::string& family, const std::string& key, int64_t delta);
  // Writes everything atomically, fsynced when `sync`.
  Status Commit(bool sync);
  [[nodiscard]] size_t size() const { return overlay_.size() + deltas_.size(); }
  [[nodiscard]] const ViewStore& store() const { return store_; }

 private:
  struct Entry {
    std::string family, key;
    std::optional<std::string> value;  // nullopt: delete
  };
  struct Delta {
    std::string family, key;
    int64_t sum = 0;
  };
  ViewStore& store_;
  std::unordered_map<std::string, Entry> overlay_;  // by family \x01 key
  std::unordered_map<std::string, Delta> deltas_;
};

int64_t DecodeCounter(const std::string& value);
std::string EncodeCounter(int64_t v);

}  // namespace aidtrail::projections
