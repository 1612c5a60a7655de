// The pipeline as one of several writers on a log: following every
// partition, claiming the log before deciding, and acknowledging a commit
// only once the log has judged it valid. See pipeline.h.
#include <thread>

#include "events/store/log_scan.h"
#include "ingest/pipeline.h"
#include "ingest/pipeline_internal.h"

namespace aidtrail::ingest {
using namespace detail;  // NOLINT: the pipeline's own helpers

namespace {

constexpr size_t kFollowChunk = 256;

Error WrittenElsewhere(const std::string& other) {
  const std::string who =
      other.empty() ? std::string("another server") : "another server (" + other + ")";
  return MakeError(
      ErrorKind::kUnavailable, "writer.elsewhere",
      who +
          " is writing to this log; nothing was recorded — send the command there, or "
          "retry here in a few seconds with the same commandId",
      "另一台服务器" + (other.empty() ? std::string() : "（" + other + "）") +
          "正在写入该日志，本次未记录；请将指令发往该服务器，或稍后在此用同一指令编号重试");
}

Error WriteConflict(const std::string& stream, uint64_t version) {
  return MakeError(ErrorKind::kConflict, "stream.write_conflict",
                   "another server recorded a change to this log first; nothing was recorded — " +
                       stream + " is now at version " + std::to_string(version) +
                       "; reload and retry (safe with the same commandId)",
                   "其他服务器先写入了该日志，本次未记录；" + stream + " 现为第" +
                       std::to_string(version) + "版，请刷新后重试（可使用同一指令编号）",
                   "expectedVersion");
}

int64_t NowMicros() { return SystemClock().micros; }

}  // namespace

void Pipeline::FollowLoop() {
  std::unique_ptr<store::LogTail> tail;
  uint64_t generation = 0;
  while (!stop_.load()) {
    if (!tail) {
      std::vector<int64_t> from;
      {
        std::lock_guard lock(mu_);
        from = follow_pos_;
        generation = follow_generation_;
      }
      auto opened = log_.Tail(std::move(from));
      if (!opened.ok()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      tail = std::move(opened).value();
    }
    auto records = tail->Next(kFollowChunk, std::chrono::milliseconds(20));
    Settled settled;
    std::vector<Waiting> again, released;
    {
      std::lock_guard lock(mu_);
      if (!records.ok() || generation != follow_generation_) {
        tail.reset();  // a refold moved the positions, or the tail broke: start it again
      } else {
        for (const store::LogRecord& r : *records) {
          int64_t& next = follow_pos_[size_t(r.position.partition)];
          if (r.position.offset < next) continue;
          if (r.position.offset > next) {  // a gap: read that partition again from where we stand
            tail.reset();
            break;
          }
          Followed(r, settled);
          next = r.position.offset + 1;
        }
      }
      // Superseded (or failed) and settled: refold what the log says
      // before deciding again, once the log answers reads.
      if ((stale_ || failed_) && in_flight_.empty() && records.ok()) {
        const Status s = Rebuild();
        failed_ = !s.ok();
        if (!s) last_error_ = s.error();
      }
      if (!failed_) MaybeCheckpoint(false);
      again = SettleClaim(settled);
      released = Release();
      if (in_flight_.empty() && waiting_.empty() && held_.empty()) idle_.notify_all();
    }
    for (auto& [callbacks, r] : settled)
      for (Callback& cb : callbacks) cb(r);
    for (Waiting& w : released) Submit(std::move(w), true);
    for (Waiting& w : again) Submit(std::move(w), false);
  }
}

bool Pipeline::MustHold(int32_t partition) const {
  for (size_t p = 0; p < shared_in_flight_.size(); ++p)
    if (int32_t(p) != partition && shared_in_flight_[p] > 0) return true;
  return false;
}

std::vector<Pipeline::Waiting> Pipeline::Release() {
  // The longest run at the front on one partition: once its first is
  // decided, the rest of the run may follow it without waiting again.
  std::vector<Waiting> out;
  if (held_.empty()) return out;
  const auto partition_of = [&](const Waiting& w) {
    return store::PartitionOf(w.commands.front().stream_id(), log_.partitions());
  };
  const int32_t first = partition_of(held_.front());
  if (MustHold(first)) return out;
  while (!held_.empty() && partition_of(held_.front()) == first) {
    out.push_back(std::move(held_.front()));
    held_.pop_front();
  }
  return out;
}

void Pipeline::Followed(const store::LogRecord& record, Settled& settled) {
  auto c = store::DecodeCommit(record);
  if (!c.ok()) {  // not ours: every reader skips it
    if (store_) Passed(record.position, {});
    return;
  }
  const int32_t p = record.position.partition;
  const store::Verdict verdict = judge_.Apply(p, *c);
  // The store records the log as judged, whatever the model does with it
  // (folded now, already folded when decided, or left for a refold).
  struct Recorded {
    Pipeline& pipeline;
    const v1::CommitRecord& commit;
    store::Position at;
    bool valid;
    ~Recorded() {
      if (!pipeline.store_) return;
      if (valid) pipeline.Record(commit, at);
      pipeline.Passed(at, commit.commit_id());
    }
  } recorded{*this, *c, record.position, verdict == store::Verdict::kValid && !store::IsClaim(*c)};
  const auto now = std::chrono::steady_clock::now();
  if (store::IsClaim(*c)) {
    if (verdict != store::Verdict::kValid || c->claim().writer_id() == identity_) return;
    other_writer_ = c->claim().writer_id();
    other_seen_ = now;
    if (owner_) {
      // Superseded: commits of ours after this claim are void; answer each
      // as the log judges it, then refold (FollowLoop).
      owner_ = false;
      stale_ = true;
    }
    return;
  }
  auto it = c->writer_id() == identity_ ? in_flight_.find(c->commit_id()) : in_flight_.end();
  if (it != in_flight_.end()) {
    if (verdict == store::Verdict::kValid) {
      CommandResult r = ResultOf(it->second.commit, record.position);
      done_[c->commit_id()] = Remembered(r);
      settled.emplace_back(std::move(it->second.waiters), std::move(r));
    } else {
      // Folded into the model when decided, void in the log: the model is
      // ahead of the truth until refolded.
      ++stats_.conflicts;
      stale_ = true;
      settled.emplace_back(std::move(it->second.waiters),
                           WriteConflict(c->stream_id(), judge_.Head(c->stream_id()).version));
    }
    Forget(it);
    return;
  }
  if (verdict != store::Verdict::kValid) return;
  if (c->writer_id() == identity_ && Lookup(c->commit_id())) return;  // read by a refold
  // Otherwise another writer's commit — or one of ours whose append was
  // reported failed and that landed after all: the log says it counts.
  if (c->writer_id() != identity_) {
    other_writer_ = c->writer_id();
    other_seen_ = now;
  }
  if (owner_ || stale_) {
    // A valid commit of another writer while we own the log can only come
    // from an unclaimed partition's past; refold rather than guess.
    stale_ = true;
    return;
  }
  Fold(*c, record.position);
}

void Pipeline::AwaitClaim(Waiting w, std::unique_lock<std::mutex>& lock) {
  if (claiming_) {
    waiting_.push_back(std::move(w));
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (!other_writer_.empty() && now - other_seen_ < options_.takeover_after) {
    ++stats_.rejected;
    const std::string other = other_writer_;
    lock.unlock();
    w.done(WrittenElsewhere(other));
    return;
  }
  const int32_t n = log_.partitions();
  claiming_ = true;
  claim_failed_ = false;
  claim_epoch_ = std::max(judge_.MaxEpoch(), epoch_) + 1;
  claim_pos_.assign(size_t(n), -1);
  waiting_.push_back(std::move(w));
  const uint64_t epoch = claim_epoch_;
  lock.unlock();
  for (int32_t p = 0; p < n; ++p) {
    log_.AppendAsync(store::MakeClaim(identity_, epoch, p, n, NowMicros()),
                     [this, p, epoch](Result<store::Position> r) {
                       std::lock_guard guard(mu_);
                       if (claim_epoch_ != epoch || !claiming_) return;
                       if (r.ok()) {
                         claim_pos_[size_t(p)] = r->offset;
                       } else {
                         claim_failed_ = true;
                         last_error_ = r.error();
                       }
                     });
  }
}

std::vector<Pipeline::Waiting> Pipeline::SettleClaim(Settled& settled) {
  if (!claiming_) return {};
  auto answer_all = [&](const Error& e) {
    for (Waiting& w : waiting_) {
      ++stats_.rejected;
      settled.emplace_back(std::vector<Callback>{std::move(w.done)}, e);
    }
    waiting_.clear();
    claiming_ = false;
  };
  if (claim_failed_) {
    answer_all(Unavailable("the claim on the log could not be written: " + last_error_.message));
    return {};
  }
  for (size_t p = 0; p < claim_pos_.size(); ++p)
    if (claim_pos_[p] < 0 || follow_pos_[p] <= claim_pos_[p]) return {};  // not read back yet
  if (stale_ || !in_flight_.empty()) return {};  // our earlier commits first
  bool all = true;
  for (int32_t p = 0; p < int32_t(claim_pos_.size()); ++p) {
    const store::PartitionOwner o = judge_.Owner(p);
    all &= o.epoch == claim_epoch_ && o.writer_id == identity_;
  }
  if (!all) {
    answer_all(WrittenElsewhere(other_writer_));
    return {};
  }
  // Everything before our claims is folded and nothing after them by
  // anyone else counts: decide from here on.
  owner_ = true;
  epoch_ = claim_epoch_;
  validator_ = judge_;
  claiming_ = false;
  ++stats_.claims;
  std::vector<Waiting> again(std::make_move_iterator(waiting_.begin()),
                             std::make_move_iterator(waiting_.end()));
  waiting_.clear();
  return again;
}

}  // namespace aidtrail::ingest
