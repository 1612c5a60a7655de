// The command pipeline: authorise -> decide against the writer's model ->
// seal into the stream's hash chain -> append one commit -> acknowledge.
// Retries with the same command_id return the first result.
//
// The writer's state (domain::Model, stream heads, command ids) is folded
// from the log with the same log-order validation every reader uses. With
// a state directory (PipelineOptions::state_dir) it is kept on disk
// (writer_store.h) with the log position it reflects: a start reads only
// the log after that position, streams' state is a bounded cache loaded
// from the store on a miss, and command ids are looked up on disk. Decisions are serialised (they
// take microseconds); appends are asynchronous so that many commits share one fsync or one produce
// batch. Each decided commit is folded into the model at once, so the next command sees it; if an
// append fails, the pipeline stops accepting commands, waits for everything in flight, rebuilds
// from the log and settles each in-flight command by what the log actually holds.
//
// Several writers on one log (PipelineOptions::follow, for Kafka): the
// pipeline follows every partition with a thread of its own and folds what
// other writers committed. It decides only while it owns every partition —
// after appending a claim (store::MakeClaim) to each and reading all of
// them back valid — and acknowledges a command only once it has read its
// commit back and judged it valid at its position in the log. A commit
// voided there (another writer claimed the partition first) is answered
// as a conflict, never as success. A decision never reads a change to
// shared state (roster, budgets, policy) that is in flight on another
// partition: such a command waits for it to be read back, since a claim
// may void it there and leave this one valid. A writer that finds itself superseded
// stops deciding, waits for its commits in flight, refolds the log, and
// claims again on the next command unless another writer was active
// within `takeover_after` (then it refuses, naming that writer).
//
// Clear personal data (Command.personal) is sealed with the subject's key
// before deciding and never recorded (PipelineOptions::seal_personal). A
// retry is sealed again before it is recognised as one; it still returns the
// first result (unless the subject was erased in between: personal.erased).
//
// Thread safety: Execute/ExecuteAsync may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "events/core/civil_date.h"
#include "events/domain/model.h"
#include "events/store/commit_validator.h"
#include "events/store/event_log.h"
#include "ingest/personal_seal.h"
#include "ingest/writer_store.h"

namespace aidtrail::ingest {

struct CommandResult {
  std::string stream_id;
  uint64_t first_version = 0;  // of the events this command appended
  uint64_t last_version = 0;
  store::Position position;
  std::vector<v1::Event> events;
  bool replayed = false;  // a retry: this is the first execution's result
};

using Clock = std::function<Instant()>;
Instant SystemClock();

struct PipelineOptions {
  // The writer's name; its identity in the log is the name and a random
  // incarnation ("server/3f9c…"), so two processes never share one.
  std::string writer_id = "writer-1";
  // Follow the log and claim partitions before deciding (several writers
  // may share it). Off for a log only this process can open (embedded).
  bool follow = false;
  // With `follow`: how long after another writer was last seen writing
  // this one refuses commands (naming it) instead of taking over.
  std::chrono::milliseconds takeover_after{2000};
  Clock clock = SystemClock;  // recorded_at; made strictly increasing by the pipeline
  // `clock` is not the real time (demo data, tests): every event says so
  // (Event.simulated_clock), and so does every view that shows it.
  bool simulated_clock = false;
  // Seals the clear personal data a command carries (Command.personal) into
  // its PersonRefs before it is decided; see SealPersonal. Empty (the
  // default): a command carrying personal data is refused with
  // command.personal_unsealed. Usually PersonalVault::Sealer().
  PersonalSealer seal_personal = nullptr;
  // Where the writer keeps its state (writer_store.h); empty: in memory
  // only, folded from offset 0 at every start (tools and tests).
  std::string state_dir = {};
  // Names the log the state belongs to ("kafka:<topic>", "embedded"); a
  // store holding another log's state is emptied and refolded.
  std::string log_identity = {};
  // With a state directory: how many streams' state stay in memory, and
  // how often the state is checkpointed (whichever comes first).
  size_t resident_streams = 50'000;
  size_t checkpoint_commits = 4096;
  std::chrono::milliseconds checkpoint_interval{1000};
};

struct PipelineStats {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t replayed = 0;
  uint64_t append_failures = 0;
  uint64_t conflicts = 0;  // own commits found void in the log (answered 409)
  uint64_t claims = 0;     // times this writer took over the log
  // At the last start (or refold): records read from the log, and whether
  // it started from a stored checkpoint rather than offset 0.
  uint64_t records_read_at_start = 0;
  bool started_from_checkpoint = false;
  uint64_t checkpoints = 0;
  size_t resident_streams = 0;
};

class Pipeline {
 public:
  using Callback = std::function<void(Result<CommandResult>)>;

  // Rebuilds the writer's state from `log` (which must outlive the pipeline).
  static Result<std::unique_ptr<Pipeline>> Open(store::EventLog& log, PipelineOptions options);
  ~Pipeline();  // waits for commands in flight

  // `done` runs when the command is durable, rejected or failed; it may run
  // on the caller's thread (rejections) or the log's (completions).
  void ExecuteAsync(v1::Command command, Callback done);
  Result<CommandResult> Execute(v1::Command command);

  // Several commands on one stream as one atomic commit with id `batch_id`:
  // all are recorded, or none (the first rejection is returned, its message
  // naming the step). Used by importers, where one row is one batch.
  void ExecuteBatchAsync(std::string batch_id, std::vector<v1::Command> commands, Callback done);
  Result<CommandResult> ExecuteBatch(std::string batch_id, std::vector<v1::Command> commands);

  // Folded state as this writer sees it, including commands in flight.
  // REQUIRES: the caller holds no other pipeline call open; for tests and tools.
  [[nodiscard]] uint64_t Version(const std::string& stream_id) const;
  [[nodiscard]] PipelineStats stats() const;
  // This writer's identity in the log (CommitRecord.writer_id).
  [[nodiscard]] const std::string& identity() const { return identity_; }
  // Whether it currently owns the log (always, without `follow`).
  [[nodiscard]] bool owner() const;

 private:
  struct InFlight {
    v1::CommitRecord commit;
    std::vector<Callback> waiters;  // the command and any retries of it
    bool finished = false;          // its append completed while recovering
    int32_t partition = 0;
    bool shared = false;  // changed the roster, budgets or policy (Model::shared_changes)
  };
  using Settled = std::vector<std::pair<std::vector<Callback>, Result<CommandResult>>>;
  // A command waiting for this writer's claim on the log.
  struct Waiting {
    std::string id;
    std::vector<v1::Command> commands;
    Callback done;
  };

  Pipeline(store::EventLog& log, PipelineOptions options);
  // ExecuteBatchAsync's body; `released`: taken from held_ (goes back to its
  // front, not its back, if it must wait again).
  void Submit(Waiting w, bool released);
  // With `follow`: whether a decision on `partition` would read a change
  // of shared state still in flight on another partition, which may yet
  // be void while this one is valid. REQUIRES: mu_ held.
  [[nodiscard]] bool MustHold(int32_t partition) const;
  void Forget(std::map<std::string, InFlight>::iterator it);  // REQUIRES: mu_ held
  // The held commands that may now be decided, in arrival order.
  std::vector<Waiting> Release();  // REQUIRES: mu_ held
  Status Rebuild();                // REQUIRES: mu_ held, nothing in flight
  void Fold(const v1::CommitRecord& commit, store::Position position);  // REQUIRES: mu_ held

  // The writer's store (writer_store.cc's callers). REQUIRES for all: mu_ held.
  // Restores the last checkpoint if it matches the log; `from` gets its positions.
  Status Restore(std::vector<int64_t>& from);
  [[nodiscard]] Result<bool> Matches(const v1::WriterCheckpoint& checkpoint);
  // Makes a stream's state resident before it is decided or folded.
  Status Ensure(const std::string& stream_id);
  // A commit the log holds as valid at `position` (after it was folded).
  void Record(const v1::CommitRecord& commit, store::Position position);
  // Any record read in log order, after Record if it was a valid commit.
  void Passed(store::Position position, const std::string& commit_id);
  // Checkpoints when enough was recorded (or `force`), then trims memory.
  void MaybeCheckpoint(bool force);
  [[nodiscard]] std::optional<CommandResult> Lookup(const std::string& command_id) const;
  void Completed(const std::string& commit_id, Result<store::Position> result);
  // REQUIRES: mu_ held, every in-flight append finished after a failure.
  // Re-reads the log and settles each in-flight command by what it holds.
  Settled Recover();
  Instant NextRecordedAt();

  // Following (pipeline_follow.cc). REQUIRES for all: mu_ held.
  void FollowLoop();  // the follower thread
  // Judges and folds one record read by the follower.
  void Followed(const store::LogRecord& record, Settled& settled);
  // Queues `w` behind this writer's claim on the log, claiming if needed;
  // answers it at once when another writer is active.
  void AwaitClaim(Waiting w, std::unique_lock<std::mutex>& lock);
  // Once every claim is read back: owner, or lost the race. Returns the
  // commands to run again (owner) — answered already otherwise.
  std::vector<Waiting> SettleClaim(Settled& settled);

  store::EventLog& log_;
  const PipelineOptions options_;
  const std::string identity_;

  mutable std::mutex mu_;
  std::condition_variable idle_;
  domain::Model model_;
  store::CommitValidator validator_;  // heads as decided (ahead of the log by what is in flight)
  // With `follow`: what the log itself says, up to follow_pos_.
  store::CommitValidator judge_;
  std::vector<int64_t> follow_pos_;
  uint64_t follow_generation_ = 0;  // moves when a refold resets follow_pos_
  bool owner_ = false;              // owns every partition (always true without `follow`)
  uint64_t epoch_ = 0;
  bool stale_ = false;  // the model holds commits that turned out void: refold before deciding
  bool claiming_ = false;
  uint64_t claim_epoch_ = 0;
  std::vector<int64_t> claim_pos_;  // where this writer's claims landed (-1: not yet)
  bool claim_failed_ = false;
  std::deque<Waiting> waiting_;
  // Commands waiting for shared changes in flight on other partitions to
  // be read back (MustHold), in arrival order.
  std::deque<Waiting> held_;
  std::vector<int> shared_in_flight_;  // by partition: in-flight commits with `shared`
  std::string other_writer_;           // the last other writer seen writing
  std::chrono::steady_clock::time_point other_seen_{};
  std::atomic<bool> stop_{false};
  std::thread follower_;
  std::unordered_map<std::string, CommandResult> done_;  // by command_id (= commit_id)
  std::map<std::string, InFlight> in_flight_;            // by commit_id
  std::deque<v1::CommitRecord> append_queue_;            // decided, not yet handed to the log
  bool appending_ = false;                               // a caller is draining append_queue_
  bool failed_ = false;  // an append failed; recovering until in_flight_ drains
  Error last_error_;
  Instant last_recorded_;
  PipelineStats stats_;

  // With a state directory: the store, and what it records — the shared
  // state of the commits recorded (a model folding only roster, budgets
  // and policy), and how far each partition is recorded.
  std::unique_ptr<WriterStore> store_;
  domain::Model recorded_shared_;
  std::vector<v1::Event> recorded_policy_;
  std::vector<int64_t> recorded_pos_;
  std::vector<std::string> recorded_last_;
  int64_t recorded_micros_ = 0;
  bool record_gap_ = false;  // a completion out of offset order: no checkpoint until refolded
  std::chrono::steady_clock::time_point checkpointed_at_{};
};

}  // namespace aidtrail::ingest
