// The command pipeline: authorise -> decide against the writer's model ->
// seal into the stream's hash chain -> append one commit -> acknowledge once
// durable. Retries with the same command_id return the first result.
//
// The writer's state (domain::Model, stream heads, command ids) is rebuilt
// from the log at start with the same log-order validation every reader
// uses. Decisions are serialised (they take microseconds); appends are
// asynchronous so that many commits share one fsync or one produce batch.
// Each decided commit is folded into the model at once, so the next command
// sees it; if an append fails, the pipeline stops accepting commands,
// waits for everything in flight, rebuilds from the log and settles each
// in-flight command by what the log actually holds.
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
#include <string>
#include <unordered_map>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "events/core/civil_date.h"
#include "events/domain/model.h"
#include "events/store/commit_validator.h"
#include "events/store/event_log.h"
#include "ingest/personal_seal.h"

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
  std::string writer_id = "writer-1";
  Clock clock = SystemClock;  // recorded_at; made strictly increasing by the pipeline
  // `clock` is not the real time (demo data, tests): every event says so
  // (Event.simulated_clock), and so does every view that shows it.
  bool simulated_clock = false;
  // Seals the clear personal data a command carries (Command.personal) into
  // its PersonRefs before it is decided; see SealPersonal. Empty (the
  // default): a command carrying personal data is refused with
  // command.personal_unsealed. Usually PersonalVault::Sealer().
  PersonalSealer seal_personal = nullptr;
};

struct PipelineStats {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t replayed = 0;
  uint64_t append_failures = 0;
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

 private:
  struct InFlight {
    v1::CommitRecord commit;
    std::vector<Callback> waiters;  // the command and any retries of it
    bool finished = false;          // its append completed while recovering
  };
  using Settled = std::vector<std::pair<std::vector<Callback>, Result<CommandResult>>>;

  Pipeline(store::EventLog& log, PipelineOptions options) : log_(log), options_(std::move(options)) {}
  Status Rebuild();  // REQUIRES: mu_ held, nothing in flight
  void Fold(const v1::CommitRecord& commit, store::Position position);  // REQUIRES: mu_ held
  void Completed(const std::string& commit_id, Result<store::Position> result);
  // REQUIRES: mu_ held, every in-flight append finished after a failure.
  // Re-reads the log and settles each in-flight command by what it holds.
  Settled Recover();
  Instant NextRecordedAt();

  store::EventLog& log_;
  const PipelineOptions options_;

  mutable std::mutex mu_;
  std::condition_variable idle_;
  domain::Model model_;
  store::CommitValidator validator_;
  std::unordered_map<std::string, CommandResult> done_;  // by command_id (= commit_id)
  std::map<std::string, InFlight> in_flight_;            // by commit_id
  std::deque<v1::CommitRecord> append_queue_;  // decided, not yet handed to the log
  bool appending_ = false;                     // a caller is draining append_queue_
  bool failed_ = false;  // an append failed; recovering until in_flight_ drains
  Error last_error_;
  Instant last_recorded_;
  PipelineStats stats_;
};

}  // namespace aidtrail::ingest
