#include "projections/engine.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

namespace aidtrail::projections {
namespace {

constexpr char kEngine[] = "engine";    // positions and counters
constexpr char kHeads[] = "heads";      // stream -> version (8 bytes) + hash
constexpr char kCommits[] = "commits";  // "<partition tag>/<commit id>" of valid commits
// The layout of the engine's own families; a store folded under another
// layout is refused (views are derived: delete them and they refold).
constexpr char kFormatKey[] = "format";
constexpr char kFormat[] = "3";  // 2: commit ids scoped by partition, partition owners;
                                 // 3: payments by the approval's fiscal year

std::string PositionKey(int32_t p) { return "pos/" + PartitionTag(p); }

// The partition's owner: epoch (8 bytes, big-endian) + writer id.
std::string OwnerKey(int32_t p) { return "owner/" + PartitionTag(p); }

// A stored 8-byte big-endian number and the bytes after it.
std::pair<uint64_t, std::string> SplitNumbered(const std::optional<std::string>& v) {
  if (!v || v->size() < 8) return {0, {}};
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n = n << 8 | uint8_t((*v)[size_t(i)]);
  return {n, v->substr(8)};
}

store::PartitionOwner DecodeOwner(const std::optional<std::string>& v) {
  auto [epoch, writer] = SplitNumbered(v);
  return store::PartitionOwner{epoch, std::move(writer)};
}

store::StreamHead DecodeHead(const std::optional<std::string>& v) {
  auto [version, hash] = SplitNumbered(v);
  return store::StreamHead{version, std::move(hash)};
}

}  // namespace

std::string BigEndian64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[size_t(i)] = char(v >> (56 - 8 * i));
  return s;
}

uint64_t StreamVersion(const ViewStore& store, const std::string& stream) {
  return DecodeHead(store.Get(kHeads, stream)).version;
}

std::string PartitionTag(int32_t partition) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "p%04d", partition);
  return buf;
}

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& dir,
                                             std::vector<std::unique_ptr<View>> views) {
  std::vector<std::string> families = {kEngine, kHeads, kCommits};
  for (const auto& v : views)
    for (const auto& f : v->families()) families.push_back(f);
  auto store = ViewStore::Open(dir, families);
  if (!store.ok()) return store.error();
  std::unique_ptr<Engine> e(new Engine());
  e->store_ = std::move(store).value();
  if (Status s = e->CheckFormat(dir); !s) return s.error();
  for (auto& v : views) e->views_.push_back(std::move(v));
  return e;
}

Status Engine::CheckFormat(const std::string& dir) {
  const auto format = store_->Get(kEngine, kFormatKey);
  if (format == kFormat) return {};
  if (format || store_->Get(kEngine, PositionKey(0)))
    return MakeError(
        ErrorKind::kCorruption, "views.format",
        "the views in " + dir + " were folded by an older version (layout " + format.value_or("1") +
            ", now " + kFormat + "); remove that directory and they are folded again from the log",
        "视图目录 " + dir + " 由旧版本生成，格式不兼容；删除该目录后系统会从事件日志重新生成视图");
  Batch batch(*store_);
  batch.Put(kEngine, kFormatKey, kFormat);
  return batch.Commit(true);
}

Result<std::unique_ptr<Engine>> Engine::Scratch(std::vector<std::unique_ptr<View>> views) const {
  std::vector<std::string> families = {kEngine, kHeads, kCommits};
  for (const auto& v : views)
    for (const auto& f : v->families()) families.push_back(f);
  auto store = store_->Scratch(families);
  if (!store.ok()) return store.error();
  std::unique_ptr<Engine> e(new Engine());
  e->store_ = std::move(store).value();
  for (auto& v : views) e->views_.push_back(std::move(v));
  return e;
}

Result<std::unique_ptr<Engine>> Engine::Adopt(Engine& scratch,
                                              const std::vector<std::string>& names,
                                              int32_t partitions) {
  for (int32_t p = 0; p < partitions; ++p)
    if (Position(p) != scratch.Position(p))
      return MakeError(ErrorKind::kConflict, "views.rebuild",
                       "rebuilt views stand at " + std::to_string(scratch.Position(p)) +
                           " in partition " + std::to_string(p) + ", the live ones at " +
                           std::to_string(Position(p)),
                       "重建的视图与在用视图的读取位置不一致");
  std::unique_ptr<Engine> next(new Engine());
  std::vector<std::string> families;
  for (const auto& live : views_) {
    if (std::find(names.begin(), names.end(), live->name()) == names.end()) {
      next->views_.push_back(live);
      continue;
    }
    auto it = std::find_if(scratch.views_.begin(), scratch.views_.end(),
                           [&](const auto& v) { return v->name() == live->name(); });
    if (it == scratch.views_.end())
      return MakeError(ErrorKind::kNotFound, "views.rebuild",
                       "view " + live->name() + " was not rebuilt",
                       "视图 " + live->name() + " 未被重建");
    next->views_.push_back(*it);
    for (const auto& f : (*it)->families()) families.push_back(f);
  }
  auto store = store_->Adopt(scratch.store(), families);
  if (!store.ok()) return store.error();
  next->store_ = std::move(store).value();
  retired_ = true;
  return next;
}

int64_t Engine::Position(int32_t partition) const {
  const auto v = store_->Get(kEngine, PositionKey(partition));
  return v ? DecodeCounter(*v) : 0;
}

EngineStats Engine::stats() const {
  auto get = [&](const char* k) {
    const auto v = store_->Get(kEngine, k);
    return v ? uint64_t(DecodeCounter(*v)) : 0;
  };
  return EngineStats{get("stat/records"), get("stat/valid"), get("stat/void"), get("stat/foreign")};
}

Engine::Heads& Engine::HeadsOf(int32_t partition) {
  // Enough for the streams a partition folds in a while; a miss reads one key.
  constexpr size_t kHeadsPerPartition = 16384;
  std::lock_guard lock(heads_mu_);
  // References stay valid: unordered_map never moves its nodes.
  return heads_.try_emplace(partition, kHeadsPerPartition).first->second;
}

Result<uint64_t> Engine::StepPartition(store::EventLog& log, int32_t p, size_t max_records,
                                       int64_t until) {
  const int64_t from = Position(p);
  if (until >= 0) max_records = size_t(std::clamp<int64_t>(until - from, 0, int64_t(max_records)));
  if (max_records == 0) return uint64_t{0};
  auto records = log.Read(p, from, max_records, std::chrono::milliseconds(0));
  if (!records.ok()) return records.error();
  if (records->empty()) return uint64_t{0};
  Batch batch(*store_);
  Heads& heads = HeadsOf(p);
  int64_t next = from;
  int64_t valid = 0, void_commits = 0, foreign = 0, claims = 0;
  std::vector<std::string> changed;  // streams of the valid commits
  store::PartitionOwner owner = DecodeOwner(batch.Get(kEngine, OwnerKey(p)));
  for (store::LogRecord& r : *records) {
    next = r.position.offset + 1;
    for (auto& v : views_) v->ApplyRecord(r, batch);
    auto commit = store::DecodeCommit(r);
    if (!commit.ok()) {
      ++foreign;
      continue;
    }
    if (store::IsClaim(*commit)) {
      // The same rule as store::CommitValidator, over the stored owner.
      if (commit->events().empty() &&
          store::JudgeClaim(commit->claim(), p, owner) == store::Verdict::kValid) {
        owner = store::PartitionOwner{commit->claim().epoch(), commit->claim().writer_id()};
        batch.Put(kEngine, OwnerKey(p), BigEndian64(owner.epoch) + owner.writer_id);
      }
      ++claims;
      continue;
    }
    const std::string& head_key = commit->stream_id();
    store::StreamHead* cached = heads.Find(head_key);
    if (cached == nullptr) {
      cached = &heads.Insert(head_key);
      *cached = DecodeHead(batch.Get(kHeads, head_key));
    }
    const store::StreamHead& head = *cached;
    // Commit ids are judged within their partition (commit_validator.h).
    const std::string seen_key = PartitionTag(p) + "/" + commit->commit_id();
    const bool seen = batch.Get(kCommits, seen_key).has_value();
    const store::Verdict verdict = store::Judge(*commit, head, seen, owner);
    if (verdict != store::Verdict::kValid) {
      ++void_commits;
      continue;
    }
    ++valid;
    const v1::Event& last = commit->events(commit->events_size() - 1);
    batch.Put(kHeads, head_key, BigEndian64(last.stream_version()) + last.hash());
    *cached = store::StreamHead{last.stream_version(), last.hash()};
    batch.Put(kCommits, seen_key, "");
    changed.push_back(head_key);
    const store::ScannedCommit scanned{r.position, std::move(commit).value(), verdict};
    for (auto& v : views_) v->Apply(scanned, batch);
  }
  batch.Put(kEngine, PositionKey(p), EncodeCounter(next));
  batch.Add(kEngine, "stat/records", next - from);
  batch.Add(kEngine, "stat/valid", valid);
  batch.Add(kEngine, "stat/void", void_commits);
  batch.Add(kEngine, "stat/foreign", foreign);
  batch.Add(kEngine, "stat/claims", claims);
  if (Status s = batch.Commit(false); !s) return s.error();
  store_->NoteChanged(changed);
  return uint64_t(next - from);
}

Result<uint64_t> Engine::Step(store::EventLog& log, size_t max_records) {
  return StepUpTo(log, max_records, nullptr);
}

Result<uint64_t> Engine::StepUpTo(store::EventLog& log, size_t max_records,
                                  const std::vector<int64_t>* until) {
  // Its views now belong to the engine that adopted them.
  if (retired_)
    return MakeError(ErrorKind::kConflict, "views.retired", "this engine was replaced by a rebuild",
                     "该视图引擎已被重建替换");
  // Partitions are independent (a stream lives in one; cross-stream
  // counters are keyed by partition), so they are folded in parallel.
  const int32_t n = log.partitions();
  // Read once: the library asks the kernel (a file read) on every call.
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  // A tailer that found nothing last time most likely finds nothing again:
  // it looks with no worker threads, and folds in parallel again once
  // there is work.
  const int workers = idle_.load() ? 1 : int(std::min(cores, unsigned(std::max(n, 1))));
  std::vector<Result<uint64_t>> results(size_t(n), uint64_t{0});
  std::atomic<int32_t> next{0};
  auto work = [&] {
    for (int32_t p; (p = next.fetch_add(1)) < n;)
      results[size_t(p)] = StepPartition(
          log, p, max_records, until && size_t(p) < until->size() ? (*until)[size_t(p)] : -1);
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  uint64_t total = 0;
  for (const auto& r : results) {
    if (!r.ok()) {
      for (auto& v : views_) v->Reset();  // caches may hold state that was not written
      std::lock_guard lock(heads_mu_);
      heads_.clear();
      return r.error();
    }
    total += *r;
  }
  idle_.store(total == 0);
  return total;
}

Result<uint64_t> Engine::CatchUp(store::EventLog& log, size_t chunk) {
  uint64_t total = 0;
  for (;;) {
    auto n = Step(log, chunk);
    if (!n.ok()) return n.error();
    if (*n == 0) return total;
    total += *n;
  }
}

Result<uint64_t> Engine::CatchUpTo(store::EventLog& log, const std::vector<int64_t>& positions,
                                   size_t chunk) {
  uint64_t total = 0;
  for (;;) {
    auto n = StepUpTo(log, chunk, &positions);
    if (!n.ok()) return n.error();
    if (*n == 0) return total;
    total += *n;
  }
}

Result<int64_t> Engine::Lag(store::EventLog& log) const {
  int64_t lag = 0;
  for (int32_t p = 0; p < log.partitions(); ++p) {
    auto end = log.EndOffset(p);
    if (!end.ok()) return end.error();
    lag += *end - Position(p);
  }
  return lag;
}

}  // namespace aidtrail::projections
