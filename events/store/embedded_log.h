// The embedded event log: RocksDB on local disk, the default for one
// district. Records live in column family "log" under the key
// (partition, offset), both big-endian, so a partition is one contiguous,
// ordered key range; the value is the stream id (length-prefixed) followed
// by the encoded commit.
//
// Durability: an append is acknowledged only after the WAL holding it has
// been fsynced. A single writer thread gathers every append that arrived
// while the previous sync ran into one WriteBatch (group commit), so many
// concurrent commands share one fsync.
//
// One process per data directory: RocksDB's lock file makes a second
// process fail to open with a clear error.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/store/event_log.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace aidtrail::store {

struct EmbeddedLogOptions {
  std::string dir;          // created if absent
  int32_t partitions = 8;   // used when the log is created; an existing log keeps its own count
  bool sync = true;         // fsync before acknowledging; false only for benchmarks of the difference
  size_t max_batch_bytes = 8 << 20;  // one group commit writes at most this much
};

class EmbeddedLog final : public EventLog {
 public:
  static Result<std::unique_ptr<EmbeddedLog>> Open(const EmbeddedLogOptions& options);
  ~EmbeddedLog() override;  // completes appends already queued, then closes

  [[nodiscard]] int32_t partitions() const override { return partitions_; }
  void AppendAsync(v1::CommitRecord commit, AppendCallback done) override;
  Result<std::vector<LogRecord>> Read(int32_t partition, int64_t from, size_t max,
                                      std::chrono::milliseconds wait) override;
  Result<int64_t> EndOffset(int32_t partition) override;

  // Group commits performed so far (for tests and metrics).
  [[nodiscard]] uint64_t syncs() const;
  // RocksDB's count of background errors (flush, compaction), for metrics.
  [[nodiscard]] uint64_t background_errors() const;

 private:
  struct Pending {
    int32_t partition;
    std::string key;
    std::string value;
    AppendCallback done;
  };
  EmbeddedLog() = default;
  void WriterLoop();

  EmbeddedLogOptions options_;
  int32_t partitions_ = 0;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // [default, log]

  mutable std::mutex mu_;
  std::condition_variable queued_;    // the writer waits for work
  std::condition_variable appended_;  // readers wait for new records
  std::deque<Pending> queue_;
  std::vector<int64_t> end_;          // next offset per partition (durable records only)
  bool stopping_ = false;
  uint64_t syncs_ = 0;
  std::thread writer_;
};

}  // namespace aidtrail::store
