#include "events/store/log_scan.h"

namespace aidtrail::store {

Result<ScanStats> ScanLog(EventLog& log, CommitValidator& validator,
                          const std::function<void(const ScannedCommit&)>& fn,
                          const ScanOptions& options) {
  ScanStats stats;
  const int32_t n = log.partitions();
  std::vector<int64_t> ends(static_cast<size_t>(n));
  for (int32_t p = 0; p < n; ++p) {
    auto end = log.EndOffset(p);
    if (!end.ok()) return end.error();
    ends[size_t(p)] = *end;
  }
  for (int32_t p = 0; p < n; ++p) {
    int64_t next = size_t(p) < options.from.size() ? options.from[size_t(p)] : 0;
    const int64_t end = ends[size_t(p)];
    while (next < end) {
      auto recs = log.Read(p, next, options.chunk, std::chrono::milliseconds(0));
      if (!recs.ok()) return recs.error();
      if (recs->empty()) {
        return MakeError(
            ErrorKind::kUnavailable, "log.read_short",
            "partition " + std::to_string(p) + " returned nothing below its end offset",
            "日志分区读取不完整，请稍后重试");
      }
      for (LogRecord& r : *recs) {
        if (r.position.offset >= end) break;
        next = r.position.offset + 1;
        ++stats.records;
        auto commit = DecodeCommit(r);
        if (!commit.ok()) {
          ++stats.malformed;
          if (options.on_malformed) options.on_malformed(r, commit.error());
          if (options.on_record) options.on_record(r.position, {});
          continue;
        }
        const Verdict verdict = validator.Apply(p, *commit);
        if (IsClaim(*commit)) {
          ++stats.claims;
          if (options.on_record) options.on_record(r.position, commit->commit_id());
          continue;
        }
        (verdict == Verdict::kValid ? stats.valid : stats.void_commits)++;
        const std::string id = options.on_record ? commit->commit_id() : std::string();
        fn(ScannedCommit{r.position, std::move(commit).value(), verdict});
        if (options.on_record) options.on_record(r.position, id);
      }
    }
    ends[size_t(p)] = std::max(next, end);
  }
  stats.end = std::move(ends);
  return stats;
}

}  // namespace aidtrail::store
