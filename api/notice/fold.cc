#include "api/notice/fold.h"

#include <algorithm>

#include "projections/all_views.h"

namespace aidtrail::api::notice {

int64_t PrefixLog::Limit(int32_t p) const {
  return p >= 0 && size_t(p) < sizes_.size() ? int64_t(sizes_[size_t(p)]) : 0;
}

void PrefixLog::AppendAsync(v1::CommitRecord, store::AppendCallback done) {
  done(MakeError(ErrorKind::kForbidden, "notice.prefix.read_only", "a log prefix is read-only",
                 "日志前缀只读"));
}

Result<std::vector<store::LogRecord>> PrefixLog::Read(int32_t p, int64_t from, size_t max,
                                                      std::chrono::milliseconds) {
  const int64_t limit = Limit(p);
  if (from >= limit) return std::vector<store::LogRecord>{};
  auto records =
      log_.Read(p, from, std::min(max, size_t(limit - from)), std::chrono::milliseconds(0));
  if (!records.ok()) return records.error();
  while (!records->empty() && records->back().position.offset >= limit) records->pop_back();
  return records;
}

Result<int64_t> PrefixLog::EndOffset(int32_t p) {
  auto end = log_.EndOffset(p);
  if (!end.ok()) return end.error();
  return std::min(*end, Limit(p));
}

Result<std::unique_ptr<projections::Engine>> FoldPrefix(store::EventLog& log,
                                                        const std::vector<uint64_t>& sizes,
                                                        const std::string& dir) {
  for (int32_t p = 0; p < log.partitions() && size_t(p) < sizes.size(); ++p) {
    auto end = log.EndOffset(p);
    if (!end.ok()) return end.error();
    if (uint64_t(*end) < sizes[size_t(p)])
      return MakeError(ErrorKind::kNotFound, "notice.log_short",
                       "partition " + std::to_string(p) + " holds " + std::to_string(*end) +
                           " records, the checkpoint names " + std::to_string(sizes[size_t(p)]),
                       "日志不完整：分区 " + std::to_string(p) + " 只有 " + std::to_string(*end) +
                           " 条记录，检查点为 " + std::to_string(sizes[size_t(p)]) + " 条");
  }
  auto engine = projections::Engine::Open(dir, projections::AllViews());
  if (!engine.ok()) return engine.error();
  PrefixLog prefix(log, sizes);
  if (auto n = (*engine)->CatchUp(prefix); !n.ok()) return n.error();
  return std::move(engine).value();
}

}  // namespace aidtrail::api::notice
