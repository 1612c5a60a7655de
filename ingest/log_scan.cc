#include "ingest/log_scan.h"

#include <deque>
#include <queue>

namespace aidtrail::ingest {
namespace {

int64_t RecordedAt(const v1::CommitRecord& c) {
  if (c.events().empty()) return 0;
  const auto& t = c.events(0).recorded_at();
  return t.seconds() * 1'000'000 + t.nanos() / 1000;
}

struct Cursor {
  int32_t partition = 0;
  int64_t next = 0;
  int64_t end = 0;
  std::deque<ScannedCommit> buffered;
};

}  // namespace

Result<ScanStats> ScanLog(store::EventLog& log, store::CommitValidator& validator,
                          const std::function<void(const ScannedCommit&)>& fn, const ScanOptions& options) {
  ScanStats stats;
  std::vector<Cursor> cursors(size_t(log.partitions()));
  for (int32_t p = 0; p < log.partitions(); ++p) {
    auto end = log.EndOffset(p);
    if (!end.ok()) return end.error();
    cursors[size_t(p)] = Cursor{p, 0, *end, {}};
  }
  // Refills a cursor's buffer with decoded commits; false when exhausted.
  auto refill = [&](Cursor& c) -> Result<bool> {
    while (c.buffered.empty() && c.next < c.end) {
      auto recs = log.Read(c.partition, c.next, options.chunk, std::chrono::milliseconds(0));
      if (!recs.ok()) return recs.error();
      if (recs->empty()) {
        return MakeError(ErrorKind::kUnavailable, "log.read_short",
                         "partition " + std::to_string(c.partition) + " returned nothing below its end offset",
                         "日志分区读取不完整，请稍后重试");
      }
      for (store::LogRecord& r : *recs) {
        if (r.position.offset >= c.end) break;
        c.next = r.position.offset + 1;
        ++stats.records;
        auto commit = store::DecodeCommit(r);
        if (!commit.ok()) {
          ++stats.malformed;
          if (options.on_malformed) options.on_malformed(r, commit.error());
          continue;
        }
        c.buffered.push_back(ScannedCommit{r.position, std::move(commit).value(), store::Verdict::kValid});
      }
    }
    return !c.buffered.empty();
  };
  using Key = std::tuple<int64_t, int32_t, int64_t>;
  std::priority_queue<std::pair<Key, size_t>, std::vector<std::pair<Key, size_t>>, std::greater<>> heap;
  auto push = [&](size_t i) -> Status {
    auto more = refill(cursors[i]);
    if (!more.ok()) return more.error();
    if (*more) {
      const ScannedCommit& s = cursors[i].buffered.front();
      heap.push({Key{RecordedAt(s.commit), s.position.partition, s.position.offset}, i});
    }
    return {};
  };
  for (size_t i = 0; i < cursors.size(); ++i)
    if (Status s = push(i); !s) return s.error();
  while (!heap.empty()) {
    const size_t i = heap.top().second;
    heap.pop();
    ScannedCommit s = std::move(cursors[i].buffered.front());
    cursors[i].buffered.pop_front();
    s.verdict = validator.Apply(s.commit);
    (s.verdict == store::Verdict::kValid ? stats.valid : stats.void_commits)++;
    fn(s);
    if (Status st = push(i); !st) return st.error();
  }
  return stats;
}

}  // namespace aidtrail::ingest
