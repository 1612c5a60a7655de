// The event log: an append-only sequence of commit records per partition.
// Two backends implement it — RocksDB on local disk (embedded_log.h) and an
// Apache Kafka topic (kafka_log.h) — and both are held to the same
// conformance tests (tests/log_conformance_test.cc).
//
// A stream lives in exactly one partition (PartitionOf), so its commits are
// totally ordered. The log itself does not validate commits: readers apply
// CommitValidator (commit_validator.h) in log order, so that a commit that
// lost a race is void for every reader alike.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aidtrail/v1/envelope.pb.h"
#include "events/core/result.h"

namespace aidtrail::store {

// Where a record sits in the log.
struct Position {
  int32_t partition = 0;
  int64_t offset = 0;
  auto operator<=>(const Position&) const = default;
};

// A record as stored: the key is the stream id, the value an encoded
// CommitRecord — or, in a topic others can write to, anything at all.
struct LogRecord {
  Position position;
  std::string key;
  std::string value;
};

// Kafka's default partitioner (murmur2 of the key, positive, modulo the
// partition count), so that any Kafka client agrees where a stream lives.
int32_t PartitionOf(std::string_view stream_id, int32_t partitions);

// Encodes a commit for the log; fails if it exceeds the commit size limit.
inline constexpr size_t kMaxCommitBytes = 1 << 20;  // 1 MiB: far above any real command
Result<std::string> EncodeCommit(const v1::CommitRecord& commit);
// Decodes a record's value; a record that is not ours yields an error
// (readers report and skip it).
Result<v1::CommitRecord> DecodeCommit(const LogRecord& record);

using AppendCallback = std::function<void(Result<Position>)>;

// Every partition of a log read forward from given positions, records of
// all partitions as they arrive (each partition's in order). For a reader
// that must see everything soon, not one partition at a time.
// Thread safety: one thread at a time.
class LogTail {
 public:
  virtual ~LogTail() = default;
  // Up to `max` records after those returned before; waits up to `wait`
  // when none has arrived. An empty answer says nothing about the end.
  virtual Result<std::vector<LogRecord>> Next(size_t max, std::chrono::milliseconds wait) = 0;
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  [[nodiscard]] virtual int32_t partitions() const = 0;

  // Appends one commit to the partition of its stream. `done` runs once the
  // commit is durable (or has certainly failed), on a thread of the log's
  // choosing; it must not block. Many appends in flight share one sync.
  virtual void AppendAsync(v1::CommitRecord commit, AppendCallback done) = 0;

  // Blocking convenience over AppendAsync.
  Result<Position> Append(v1::CommitRecord commit);

  // Up to `max` records of `partition` from offset `from` on, in order.
  // When none is there yet, waits up to `wait` for one (tailing).
  virtual Result<std::vector<LogRecord>> Read(int32_t partition, int64_t from, size_t max,
                                              std::chrono::milliseconds wait) = 0;

  // The offset the next record of `partition` will get.
  virtual Result<int64_t> EndOffset(int32_t partition) = 0;

  // A tail from `from[p]` of each partition. The default reads partition
  // after partition through Read; a backend with a cheaper way overrides it.
  virtual Result<std::unique_ptr<LogTail>> Tail(std::vector<int64_t> from);
};

}  // namespace aidtrail::store
