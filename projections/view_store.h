// The RocksDB instance holding every view, one column family per purpose,
// and Batch: a set of changes that reads its own writes and commits as one
// atomic WriteBatch — views and log positions together, so a crash can
// neither apply a record twice nor skip one.
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
  static Result<std::unique_ptr<ViewStore>> Open(const std::string& dir, const std::vector<std::string>& families);
  ~ViewStore();

  [[nodiscard]] std::optional<std::string> Get(const std::string& family, const std::string& key) const;
  // Calls fn(key, value) for keys starting with `prefix`, in order, until it returns false.
  void Scan(const std::string& family, const std::string& prefix,
            const std::function<bool(const std::string&, const std::string&)>& fn,
            const std::string& start_after = {}) const;
  // SHA-256 over every key and value of the family, in key order.
  [[nodiscard]] std::string Digest(const std::string& family) const;
  [[nodiscard]] const std::vector<std::string>& families() const { return names_; }

 private:
  friend class Batch;
  ViewStore() = default;
  rocksdb::ColumnFamilyHandle* Handle(const std::string& family) const;

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<std::string> names_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

class Batch {
 public:
  explicit Batch(ViewStore& store) : store_(store) {}
  [[nodiscard]] std::optional<std::string> Get(const std::string& family, const std::string& key) const;
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
