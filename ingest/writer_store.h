// The writer's state on disk, so that a start reads only the log after the
// position the store reflects and memory does not grow with the history.
//
// It holds, for every commit found valid in the log up to its checkpoint:
// each stream's events (to load a stream the model no longer holds) and
// head, each partition's commit ids and where each command's commit is
// (retries), and with the checkpoint itself the positions, partition
// owners and the shared state (roster, budgets, policy) as of them.
//
// It is a cache of the log, never a source of truth: the pipeline records
// only what it has judged valid in the log, a checkpoint is one atomic
// write (a crash keeps the previous one), and a start checks it against
// the log (ingest/pipeline.cc) and refolds from offset 0 when they differ.
//
// Writes since the last checkpoint are pending in memory and visible to
// every read here; Checkpoint makes them durable together with the
// position, Discard drops them (the pipeline then re-reads the log from
// the checkpoint).
//
// Thread safety: none; the pipeline calls it under its lock.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aidtrail/v1/envelope.pb.h"
#include "aidtrail/v1/writer_state.pb.h"
#include "events/core/result.h"
#include "events/store/commit_validator.h"

namespace aidtrail::ingest {

class WriterStore final : public store::ValidatorBacking {
 public:
  // Opens (creating) the store in `dir`.
  static Result<std::unique_ptr<WriterStore>> Open(const std::string& dir);
  ~WriterStore() override;

  // The last checkpoint; nullopt for a new (or reset) store.
  [[nodiscard]] const std::optional<v1::WriterCheckpoint>& checkpoint() const {
    return checkpoint_;
  }
  // Empties the store: it belonged to another log, or to an older format.
  Status Reset();

  // Reads, through what is pending.
  [[nodiscard]] store::StreamHead Head(const std::string& stream_id) const override;
  [[nodiscard]] bool Seen(int32_t partition, const std::string& commit_id) const override;
  [[nodiscard]] std::optional<v1::StoredCommand> Command(const std::string& command_id) const;
  // Every event of a stream, in version order.
  [[nodiscard]] Result<std::vector<v1::Event>> Events(const std::string& stream_id) const;

  // A commit the log holds as valid, at `offset` of `partition`.
  void Record(int32_t partition, int64_t offset, const v1::CommitRecord& commit);
  // Writes what is pending and `checkpoint` in one atomic write.
  Status Checkpoint(v1::WriterCheckpoint checkpoint);
  // Drops what is pending (back to the last checkpoint).
  void Discard();
  // Commits recorded since the last checkpoint.
  [[nodiscard]] size_t pending() const { return pending_; }

 private:
  struct Db;
  explicit WriterStore(std::unique_ptr<Db> db);
  Status LoadCheckpoint();

  std::unique_ptr<Db> db_;
  std::optional<v1::WriterCheckpoint> checkpoint_;
  size_t pending_ = 0;
};

}  // namespace aidtrail::ingest
