// The pipeline's state on disk: restoring a checkpoint, loading streams
// the model does not hold, recording what the log holds as valid, and
// checkpointing. See writer_store.h for what is stored and why it is safe.
#include <unordered_set>

#include "events/domain/streams.h"
#include "ingest/pipeline.h"
#include "ingest/pipeline_internal.h"

namespace aidtrail::ingest {
using namespace detail;  // NOLINT: the pipeline's own helpers

namespace {

// Bumped whenever SharedStateSnapshot gains or changes a field: 2 added
// the lawyers' criminal-defence experience and familiarity with minors.
constexpr int32_t kWriterStateFormat = 2;

Error StoreCorrupt(const std::string& stream, uint64_t events, uint64_t version) {
  return MakeError(
      ErrorKind::kCorruption, "writer.store_stream",
      "the writer's store holds " + std::to_string(events) + " events of " + stream +
          " at version " + std::to_string(version) +
          "; stop the server and remove the writer directory to refold it",
      "写入端状态存储中 " + stream + " 的记录不完整，请停止服务、删除 writer 目录后重启");
}

}  // namespace

Result<bool> Pipeline::Matches(const v1::WriterCheckpoint& cp) {
  const int32_t n = log_.partitions();
  if (cp.state_format() != kWriterStateFormat || cp.log_identity() != options_.log_identity ||
      cp.partitions() != n || cp.positions_size() != n || cp.last_records_size() != n)
    return false;
  for (int32_t p = 0; p < n; ++p) {
    const int64_t pos = cp.positions(p);
    if (pos == 0) continue;
    auto end = log_.EndOffset(p);
    if (!end.ok()) return end.error();
    if (*end < pos) return false;  // a shorter log: recreated or another one
    // The last record the store reflects must be the one the log holds
    // there (a topic deleted and written again has other records).
    auto recs = log_.Read(p, pos - 1, 1, std::chrono::milliseconds(0));
    if (!recs.ok()) return recs.error();
    if (recs->empty() || recs->front().position.offset != pos - 1) return false;
    auto c = store::DecodeCommit(recs->front());
    if ((c.ok() ? c->commit_id() : std::string()) != cp.last_records(p)) return false;
  }
  return true;
}

Status Pipeline::Restore(std::vector<int64_t>& from) {
  const auto n = size_t(log_.partitions());
  store_->Discard();
  recorded_shared_ = domain::Model();
  recorded_policy_.clear();
  recorded_pos_.assign(n, 0);
  recorded_last_.assign(n, std::string());
  recorded_micros_ = 0;
  from.assign(n, 0);
  stats_.started_from_checkpoint = false;
  const auto& cp = store_->checkpoint();
  if (!cp) return store_->Reset();  // anything written without a checkpoint is unreferenced
  auto matches = Matches(*cp);
  if (!matches.ok()) return matches.error();
  if (!*matches) return store_->Reset();
  for (size_t p = 0; p < n; ++p) {
    recorded_pos_[p] = from[p] = cp->positions(int(p));
    recorded_last_[p] = cp->last_records(int(p));
  }
  recorded_micros_ = cp->last_recorded_micros();
  last_recorded_ = std::max(last_recorded_, Instant{recorded_micros_});
  for (const v1::Event& e : cp->shared().policy_events()) {
    recorded_policy_.push_back(e);
    recorded_shared_.ApplyShared(e);
    model_.ApplyShared(e);
  }
  recorded_shared_.ImportShared(cp->shared());
  model_.ImportShared(cp->shared());
  for (const auto& o : cp->owners())
    judge_.SetOwner(o.partition(), store::PartitionOwner{o.epoch(), o.writer_id()});
  stats_.started_from_checkpoint = true;
  return {};
}

Status Pipeline::Ensure(const std::string& stream) {
  if (!store_) return {};
  if (model_.Resident(stream)) {
    model_.Touch(stream);
    return {};
  }
  const store::StreamHead head = store_->Head(stream);
  if (head.version == 0) return {};  // a new stream
  std::vector<v1::Event> events;
  const domain::StreamKind kind = domain::KindOfStream(stream);
  // Only cases and services have state of their own; the shared streams'
  // state is in the roster, budgets and policy, an access stream's is
  // its version.
  if (kind == domain::StreamKind::kCase || kind == domain::StreamKind::kService) {
    auto stored = store_->Events(stream);
    if (!stored.ok()) return stored.error();
    if (stored->size() != head.version) return StoreCorrupt(stream, stored->size(), head.version);
    events = std::move(stored).value();
  }
  model_.Load(stream, head.version, events);
  return {};
}

void Pipeline::Record(const v1::CommitRecord& commit, store::Position at) {
  store_->Record(at.partition, at.offset, commit);
  for (const v1::Event& e : commit.events()) {
    recorded_shared_.ApplyShared(e);
    if (domain::KindOfStream(e.stream_id()) == domain::StreamKind::kPolicy)
      recorded_policy_.push_back(e);
    const auto& t = e.recorded_at();
    recorded_micros_ = std::max(recorded_micros_, t.seconds() * 1'000'000 + t.nanos() / 1000);
  }
}

void Pipeline::Passed(store::Position at, const std::string& commit_id) {
  const auto p = size_t(at.partition);
  if (at.offset < recorded_pos_[p]) return;
  recorded_pos_[p] = at.offset + 1;
  recorded_last_[p] = commit_id;
}

void Pipeline::MaybeCheckpoint(bool force) {
  if (!store_ || record_gap_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && store_->pending() < options_.checkpoint_commits &&
      (store_->pending() == 0 || now - checkpointed_at_ < options_.checkpoint_interval))
    return;
  v1::WriterCheckpoint cp;
  cp.set_log_identity(options_.log_identity);
  cp.set_state_format(kWriterStateFormat);
  cp.set_partitions(log_.partitions());
  for (size_t p = 0; p < recorded_pos_.size(); ++p) {
    cp.add_positions(recorded_pos_[p]);
    cp.add_last_records(recorded_last_[p]);
  }
  cp.set_last_recorded_micros(recorded_micros_);
  // The owners as judged up to the recorded positions: with `follow` the
  // judge has read exactly that far; a single writer never claims.
  for (int32_t p = 0; p < log_.partitions(); ++p) {
    const store::PartitionOwner o = judge_.Owner(p);
    if (!o.claimed()) continue;
    auto& x = *cp.add_owners();
    x.set_partition(p);
    x.set_epoch(o.epoch);
    x.set_writer_id(o.writer_id);
  }
  recorded_shared_.ExportShared(*cp.mutable_shared());
  for (const v1::Event& e : recorded_policy_) *cp.mutable_shared()->add_policy_events() = e;
  checkpointed_at_ = now;
  if (Status s = store_->Checkpoint(std::move(cp)); !s) {
    // What was pending is gone: stop deciding until refolded from the
    // last checkpoint that was written.
    failed_ = true;
    last_error_ = s.error();
    return;
  }
  ++stats_.checkpoints;
  // Everything recorded is on disk now: memory keeps only what is in
  // flight (decided, not yet in the log as valid) and a bounded cache.
  std::unordered_set<std::string> streams, commits;
  for (const auto& [id, f] : in_flight_) {
    streams.insert(f.commit.stream_id());
    commits.insert(id);
  }
  judge_.Forget([](const std::string&) { return false; }, [](const std::string&) { return false; });
  validator_.Forget([&](const std::string& s) { return streams.count(s) > 0; },
                    [&](const std::string& id) { return commits.count(id) > 0; });
  done_.clear();
  model_.Evict(options_.resident_streams,
               [&](const std::string& s) { return streams.count(s) > 0; });
}

std::optional<CommandResult> Pipeline::Lookup(const std::string& command_id) const {
  if (auto it = done_.find(command_id); it != done_.end()) return it->second;
  if (!store_) return std::nullopt;
  auto c = store_->Command(command_id);
  if (!c) return std::nullopt;
  CommandResult r;
  r.stream_id = c->stream_id();
  r.first_version = c->first_version();
  r.last_version = c->last_version();
  r.position = store::Position{c->partition(), c->offset()};
  return r;
}

}  // namespace aidtrail::ingest
