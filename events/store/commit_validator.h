// Validation in log order, the one rule every writer and reader applies to
// each record of a partition, in that partition's order:
//
//   - a claim (CommitRecord.claim) is valid iff it names the partition it is
//     in and its (epoch, writer_id) is greater than the partition's current
//     owner's; it makes its writer the owner;
//   - a commit is valid iff the partition has no owner yet or the commit's
//     (writer_id, writer_epoch) is the owner's; its commit_id has not been
//     seen in a valid commit of this partition before; its expected_version
//     equals its stream's version at that point; and its events continue the
//     stream's version sequence and hash chain.
//
// Anything else is void — for every reader alike, because the verdict on a
// record depends only on the records before it in its own partition (a
// stream lives in one partition). Folding partitions in any interleaving,
// or in different processes, therefore gives the same verdicts. Commit ids
// are unique across partitions because only the owner's commits are valid
// and the owner refuses an id it has seen anywhere (ingest/pipeline.h).
//
// Thread safety: none; one validator per reader.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "aidtrail/v1/envelope.pb.h"

namespace aidtrail::store {

enum class Verdict {
  kValid,
  kDuplicate,        // this commit_id was already applied in the partition
  kVersionConflict,  // expected_version is not the stream's version here
  kMalformed,        // events do not continue the versions or the hash chain
  kFenced,           // not written by the partition's owner (or a claim that does not supersede it)
};
const char* VerdictName(Verdict v);

struct StreamHead {
  uint64_t version = 0;
  std::string hash;  // of the stream's last event; empty before the first
};

// Who writes a partition: the last valid claim in it. Epoch 0 (never
// claimed): any writer, as in a log only ever written by one process.
struct PartitionOwner {
  uint64_t epoch = 0;
  std::string writer_id;
  [[nodiscard]] bool claimed() const { return epoch > 0; }
};

[[nodiscard]] inline bool IsClaim(const v1::CommitRecord& r) { return r.has_claim(); }

// The rule for a claim found in `partition`.
Verdict JudgeClaim(const v1::WriterClaim& claim, int32_t partition, const PartitionOwner& owner);

// The rule for a commit whose stream is at `head`, whose id has (`seen`) or
// has not been applied before in its partition, in a partition owned by
// `owner`. CommitValidator keeps this state in memory; the projection
// engine keeps it in RocksDB.
Verdict Judge(const v1::CommitRecord& commit, const StreamHead& head, bool seen,
              const PartitionOwner& owner);

// The stream ids of claims: for each partition, the first "writer/<n>"
// that the partitioner (PartitionOf) places there, so that a claim reaches
// the partition it names through any log's ordinary AppendAsync.
std::string ClaimStreamId(int32_t partition, int32_t partitions);

// A claim record for `partition`, ready to append.
v1::CommitRecord MakeClaim(const std::string& writer_id, uint64_t epoch, int32_t partition,
                           int32_t partitions, int64_t claimed_at_micros);

// Where a validator finds the heads and commit ids it no longer holds in
// memory: a writer's store (ingest/writer_store.h). Reads only.
class ValidatorBacking {
 public:
  virtual ~ValidatorBacking() = default;
  [[nodiscard]] virtual StreamHead Head(const std::string& stream_id) const = 0;
  [[nodiscard]] virtual bool Seen(int32_t partition, const std::string& commit_id) const = 0;
};

class CommitValidator {
 public:
  CommitValidator() = default;
  // Heads and commit ids not in memory are looked up in `backing` (which
  // must outlive the validator); Forget drops them from memory once the
  // backing holds them.
  explicit CommitValidator(const ValidatorBacking* backing) : backing_(backing) {}

  // Judges the record found in `partition` at this point of the log; a
  // valid commit advances its stream's head, a valid claim the owner.
  Verdict Apply(int32_t partition, const v1::CommitRecord& record);

  // Judges without applying.
  [[nodiscard]] Verdict Check(int32_t partition, const v1::CommitRecord& record) const;

  [[nodiscard]] StreamHead Head(const std::string& stream_id) const;
  [[nodiscard]] bool Seen(int32_t partition, const std::string& commit_id) const;
  [[nodiscard]] PartitionOwner Owner(int32_t partition) const;
  // The highest epoch claimed validly in any partition so far.
  [[nodiscard]] uint64_t MaxEpoch() const;
  [[nodiscard]] size_t streams() const { return heads_.size(); }

  // Drops from memory every head and commit id except those `keep` and
  // `keep_commit` name. REQUIRES: the backing holds what is dropped.
  void Forget(const std::function<bool(const std::string& stream_id)>& keep,
              const std::function<bool(const std::string& commit_id)>& keep_commit);
  // Sets a partition's owner as a store recorded it.
  void SetOwner(int32_t partition, PartitionOwner owner) { owners_[partition] = std::move(owner); }

 private:
  const ValidatorBacking* backing_ = nullptr;
  std::unordered_map<std::string, StreamHead> heads_;
  std::unordered_map<int32_t, std::unordered_set<std::string>> commits_;
  std::unordered_map<int32_t, PartitionOwner> owners_;
};

}  // namespace aidtrail::store
