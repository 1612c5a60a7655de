#include "ingest/pipeline.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>
#include <random>

#include "events/core/hash_chain.h"
#include "events/domain/identifiers.h"
#include "events/domain/streams.h"
#include "events/store/log_scan.h"
#include "ingest/pipeline_internal.h"

namespace aidtrail::ingest {
using namespace detail;  // NOLINT: this file's own helpers
namespace {

// Names the step of a batch that an error is about.
void Step(Error& e, size_t i) {
  e.message = "step " + std::to_string(i + 1) + ": " + e.message;
  e.message_zh = "第" + std::to_string(i + 1) + "步：" + e.message_zh;
}

}  // namespace

Instant SystemClock() {
  using namespace std::chrono;
  return Instant{duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()};
}

namespace {

// A random incarnation, so that two processes given the same writer name
// (or one restarted) are never taken for one writer.
std::string Incarnation() {
  std::random_device rd;
  const uint64_t v = uint64_t(rd()) << 32 | rd();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

Pipeline::Pipeline(store::EventLog& log, PipelineOptions options)
    : log_(log),
      options_(std::move(options)),
      identity_(options_.writer_id + "/" + Incarnation()),
      shared_in_flight_(size_t(log.partitions()), 0) {}

Result<std::unique_ptr<Pipeline>> Pipeline::Open(store::EventLog& log, PipelineOptions options) {
  std::unique_ptr<Pipeline> p(new Pipeline(log, std::move(options)));
  if (!p->options_.state_dir.empty()) {
    auto opened = WriterStore::Open(p->options_.state_dir);
    if (!opened.ok()) return opened.error();
    p->store_ = std::move(opened).value();
  }
  {
    std::lock_guard lock(p->mu_);
    if (Status s = p->Rebuild(); !s) return s.error();
  }
  if (p->options_.follow) p->follower_ = std::thread([raw = p.get()] { raw->FollowLoop(); });
  return p;
}

Pipeline::~Pipeline() {
  {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return in_flight_.empty() && waiting_.empty() && held_.empty(); });
  }
  stop_ = true;
  if (follower_.joinable()) follower_.join();
  // A clean stop leaves nothing for the next start to read again.
  std::lock_guard lock(mu_);
  if (!failed_) MaybeCheckpoint(true);
}

Status Pipeline::Rebuild() {
  failed_ = false;  // every caller sets it from the result
  model_ = domain::Model();
  judge_ = store::CommitValidator(store_.get());
  done_.clear();
  store::ScanOptions scan;
  if (store_) {
    if (Status s = Restore(scan.from); !s) return s;
    // A long first scan checkpoints as it goes, so memory stays bounded.
    scan.on_record = [&](store::Position at, const std::string& id) {
      Passed(at, id);
      MaybeCheckpoint(false);
    };
  }
  Status folded;
  auto stats = store::ScanLog(
      log_, judge_,
      [&](const store::ScannedCommit& s) {
        if (s.verdict != store::Verdict::kValid) return;
        Fold(s.commit, s.position);
        if (store_) Record(s.commit, s.position);
      },
      scan);
  if (!stats.ok()) return stats.error();
  if (failed_) return last_error_;  // the store failed under the scan
  stats_.records_read_at_start = stats->records;
  validator_ = judge_;
  follow_pos_ = stats->end;
  ++follow_generation_;
  stale_ = false;
  record_gap_ = false;
  if (store_) {
    MaybeCheckpoint(true);
    if (failed_) return last_error_;
  }
  owner_ = !options_.follow;
  if (options_.follow && epoch_ > 0) {
    owner_ = true;  // still, if no one claimed the log since
    for (int32_t p = 0; p < log_.partitions(); ++p) {
      const store::PartitionOwner o = judge_.Owner(p);
      owner_ &= o.epoch == epoch_ && o.writer_id == identity_;
    }
  }
  return {};
}

void Pipeline::Fold(const v1::CommitRecord& commit, store::Position position) {
  if (Status s = Ensure(commit.stream_id()); !s) {
    // The stream's earlier state cannot be read: folding on would corrupt
    // the model. Stop deciding until a refold succeeds.
    failed_ = true;
    last_error_ = s.error();
    return;
  }
  for (const v1::Event& e : commit.events()) model_.Apply(e);
  // Never stamp a commit earlier than one already in the log.
  const auto& t = commit.events(commit.events_size() - 1).recorded_at();
  last_recorded_ = std::max(last_recorded_, Instant{t.seconds() * 1'000'000 + t.nanos() / 1000});
  done_[commit.commit_id()] = Remembered(ResultOf(commit, position));
}

Instant Pipeline::NextRecordedAt() {
  Instant now = options_.clock();
  if (now <= last_recorded_) now = Instant{last_recorded_.micros + 1};
  last_recorded_ = now;
  return now;
}

Result<CommandResult> Pipeline::Execute(v1::Command command) {
  std::promise<Result<CommandResult>> p;
  auto f = p.get_future();
  ExecuteAsync(std::move(command), [&p](Result<CommandResult> r) { p.set_value(std::move(r)); });
  return f.get();
}

void Pipeline::ExecuteAsync(v1::Command command, Callback done) {
  std::string id = command.command_id();
  std::vector<v1::Command> one;
  one.push_back(std::move(command));
  ExecuteBatchAsync(std::move(id), std::move(one), std::move(done));
}

Result<CommandResult> Pipeline::ExecuteBatch(std::string batch_id,
                                             std::vector<v1::Command> commands) {
  std::promise<Result<CommandResult>> p;
  auto f = p.get_future();
  ExecuteBatchAsync(std::move(batch_id), std::move(commands),
                    [&p](Result<CommandResult> r) { p.set_value(std::move(r)); });
  return f.get();
}

void Pipeline::ExecuteBatchAsync(std::string id, std::vector<v1::Command> commands, Callback done) {
  Submit(Waiting{std::move(id), std::move(commands), std::move(done)}, false);
}

void Pipeline::Submit(Waiting submitted, bool released) {
  std::string id = std::move(submitted.id);
  std::vector<v1::Command> commands = std::move(submitted.commands);
  Callback done = std::move(submitted.done);
  auto reject = [&](Error e) {
    ++stats_.rejected;
    return e;
  };
  // Sealing may create a subject key (a synced write), so it runs before
  // the decision lock is taken.
  for (size_t i = 0; i < commands.size(); ++i) {
    // Identifiers first: a subject id that breaks the grammar must be
    // refused before a key is made for it.
    Status s = domain::CheckIdentifiers(commands[i]);
    if (s) s = SealPersonal(commands[i], options_.seal_personal);
    if (!s) {
      Error e = s.error();
      if (commands.size() > 1) Step(e, i);
      std::unique_lock lock(mu_);
      e = reject(std::move(e));
      lock.unlock();
      done(std::move(e));
      return;
    }
  }
  std::unique_lock lock(mu_);
  if (failed_ && !options_.follow && in_flight_.empty()) {
    // A failure with nothing in flight (the writer's store could not be
    // written or read): refold before deciding again.
    const Status s = Rebuild();
    failed_ = !s.ok();
    if (!s) last_error_ = s.error();
  }
  if (failed_) {
    lock.unlock();
    done(Unavailable("earlier append failed"));
    return;
  }
  if (id.empty() || commands.empty()) {
    Error e = reject(MakeError(ErrorKind::kInvalidArgument, "command.no_id",
                               "a command needs a command_id", "缺少指令编号（command_id）",
                               "command_id"));
    lock.unlock();
    done(std::move(e));
    return;
  }
  if (Status s = domain::CheckCommandId(id, commands.size() > 1 ? "batch_id" : "command_id"); !s) {
    Error e = reject(s.error());
    lock.unlock();
    done(std::move(e));
    return;
  }
  if (auto found = Lookup(id)) {
    CommandResult r = std::move(*found);
    r.replayed = true;
    ++stats_.replayed;
    lock.unlock();
    // Only positions are kept in memory; a retry reads its events back.
    auto recs = log_.Read(r.position.partition, r.position.offset, 1, std::chrono::milliseconds(0));
    if (recs.ok() && !recs->empty())
      if (auto c = store::DecodeCommit(recs->front()); c.ok())
        r.events.assign(c->events().begin(), c->events().end());
    done(std::move(r));
    return;
  }
  if (auto it = in_flight_.find(id); it != in_flight_.end()) {
    it->second.waiters.push_back(std::move(done));  // a retry while the first is in flight
    return;
  }
  if (options_.follow && (!owner_ || stale_)) {
    AwaitClaim(Waiting{std::move(id), std::move(commands), std::move(done)}, lock);
    return;
  }
  const std::string stream = commands.front().stream_id();
  const int32_t partition = store::PartitionOf(stream, log_.partitions());
  if (options_.follow && (MustHold(partition) || (!released && !held_.empty()))) {
    Waiting w{std::move(id), std::move(commands), std::move(done)};
    if (released)
      held_.push_front(std::move(w));
    else
      held_.push_back(std::move(w));
    return;
  }
  // The stream's state (and, for a read of personal data, its case's)
  // must be in memory before the decision reads it.
  Status loaded = Ensure(stream);
  if (loaded && domain::KindOfStream(stream) == domain::StreamKind::kAccess)
    loaded = Ensure("case/" + std::string(domain::StreamKey(stream)));
  if (!loaded) {
    Error e = reject(loaded.error());
    lock.unlock();
    done(std::move(e));
    return;
  }
  const uint64_t start_version = model_.Version(stream);
  const uint64_t shared_before = model_.shared_changes();
  auto savepoint = commands.size() > 1 ? std::optional(model_.Save(stream)) : std::nullopt;
  // The writer's clock reaches the rules as an argument (business time is
  // judged against it) and stamps the events: one value for both.
  const Instant recorded_at = NextRecordedAt();
  std::vector<v1::Event> events;
  std::string policy_version;
  // Stamped before folding: what the model keeps (the rotation's "last
  // assigned") must be what the log will say.
  const auto recorded = ToProto(recorded_at);
  for (size_t i = 0; i < commands.size(); ++i) {
    const v1::Command& c = commands[i];
    Result<domain::Decision> decision =
        c.stream_id() != stream
            ? Result<domain::Decision>(MakeError(ErrorKind::kInvalidArgument, "batch.streams",
                                                 "all commands of a batch must be on one stream",
                                                 "同一批指令必须针对同一案件或记录", "stream_id"))
            : model_.Decide(c, recorded_at);
    if (!decision.ok()) {
      if (savepoint) model_.Restore(std::move(*savepoint));
      Error e = decision.error();
      if (commands.size() > 1) Step(e, i);
      e = reject(std::move(e));
      lock.unlock();
      done(std::move(e));
      return;
    }
    // Fold now so the next command (of this batch, or the next caller)
    // sees this one; Recover() rebuilds from the log if the append fails.
    for (v1::Event& e : domain::ToEvents(c, *decision, model_.Version(stream))) {
      *e.mutable_recorded_at() = recorded;
      if (options_.simulated_clock) e.set_simulated_clock(true);
      model_.Apply(e);
      events.push_back(std::move(e));
    }
  }
  std::string prev = validator_.Head(stream).hash;
  v1::CommitRecord commit;
  commit.set_commit_id(id);
  commit.set_stream_id(stream);
  commit.set_expected_version(start_version);
  commit.set_writer_id(identity_);
  commit.set_writer_epoch(epoch_);
  for (v1::Event& e : events) {
    e.set_causation_id(e.command_id());
    SealEvent(e, prev);
    prev = e.hash();
    *commit.add_events() = std::move(e);
  }
  if (validator_.Apply(partition, commit) != store::Verdict::kValid) {
    // Cannot happen: the model and the validator agree on versions.
    lock.unlock();
    done(MakeError(ErrorKind::kCorruption, "pipeline.internal", "writer state inconsistent",
                   "写入状态不一致"));
    return;
  }
  ++stats_.accepted;
  InFlight& f = in_flight_[id];
  f.commit = commit;
  f.waiters.push_back(std::move(done));
  f.partition = partition;
  f.shared = model_.shared_changes() != shared_before;
  shared_in_flight_[size_t(partition)] += f.shared;
  // Commits must reach the log in the order they were decided, or a later
  // commit on the same stream would land first and void both. One caller
  // at a time drains the queue, outside the lock, because a log may run the
  // completion (which takes the lock) inside AppendAsync.
  append_queue_.push_back(std::move(commit));
  if (appending_) return;
  appending_ = true;
  while (!append_queue_.empty()) {
    v1::CommitRecord next = std::move(append_queue_.front());
    append_queue_.pop_front();
    std::string next_id = next.commit_id();
    lock.unlock();
    log_.AppendAsync(std::move(next), [this, next_id](Result<store::Position> r) {
      Completed(next_id, std::move(r));
    });
    lock.lock();
  }
  appending_ = false;
}

void Pipeline::Completed(const std::string& commit_id, Result<store::Position> result) {
  Settled settled;
  {
    std::lock_guard lock(mu_);
    auto it = in_flight_.find(commit_id);
    if (it == in_flight_.end()) return;
    if (result.ok() && !failed_ && options_.follow) {
      // Durable, but acknowledged only once read back valid (FollowLoop).
      it->second.finished = true;
    } else if (result.ok() && !failed_) {
      CommandResult r = ResultOf(it->second.commit, *result);
      done_[commit_id] = Remembered(r);
      if (store_) {
        // One writer: its completions arrive in offset order, each valid.
        if (result->offset != recorded_pos_[size_t(result->partition)]) record_gap_ = true;
        Record(it->second.commit, *result);
        Passed(*result, commit_id);
      }
      settled.emplace_back(std::move(it->second.waiters), std::move(r));
      Forget(it);
    } else {
      // Hold every answer until the log has been re-read: a commit decided
      // after a failed one may be void even though its own append succeeded.
      if (!result.ok()) {
        failed_ = true;
        ++stats_.append_failures;
        last_error_ = result.error();
      }
      it->second.finished = true;
      bool all_finished = true;
      for (const auto& [id, f] : in_flight_) all_finished &= f.finished;
      if (all_finished) settled = Recover();
    }
    if (!options_.follow && !failed_) MaybeCheckpoint(false);
    if (in_flight_.empty()) idle_.notify_all();
  }
  for (auto& [callbacks, r] : settled)
    for (Callback& cb : callbacks) cb(r);
}

Pipeline::Settled Pipeline::Recover() {
  Settled settled;
  const Status rebuilt = Rebuild();
  for (auto& [id, f] : in_flight_) {
    const auto found = rebuilt.ok() ? Lookup(id) : std::nullopt;
    if (found) {
      settled.emplace_back(std::move(f.waiters), ResultOf(f.commit, found->position));
    } else {
      settled.emplace_back(std::move(f.waiters),
                           rebuilt.ok()
                               ? MakeError(ErrorKind::kUnavailable, "pipeline.not_recorded",
                                           "the command was not recorded (" + last_error_.message +
                                               "); retry with the same command_id",
                                           "该指令未能记录（" + last_error_.message_zh +
                                               "），请使用同一指令编号重试")
                               : rebuilt.error());
    }
  }
  in_flight_.clear();
  std::fill(shared_in_flight_.begin(), shared_in_flight_.end(), 0);
  // Stay failed if the log cannot be read back: nothing can be decided safely.
  failed_ = !rebuilt.ok();
  return settled;
}

void Pipeline::Forget(std::map<std::string, InFlight>::iterator it) {
  shared_in_flight_[size_t(it->second.partition)] -= it->second.shared;
  in_flight_.erase(it);
}

uint64_t Pipeline::Version(const std::string& stream_id) const {
  std::lock_guard lock(mu_);
  if (model_.Resident(stream_id) || !store_) return model_.Version(stream_id);
  return store_->Head(stream_id).version;
}

bool Pipeline::owner() const {
  std::lock_guard lock(mu_);
  return owner_ && !stale_;
}

PipelineStats Pipeline::stats() const {
  std::lock_guard lock(mu_);
  PipelineStats s = stats_;
  s.resident_streams = model_.resident();
  return s;
}

}  // namespace aidtrail::ingest
