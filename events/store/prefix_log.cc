#include "events/store/prefix_log.h"

#include <algorithm>

namespace aidtrail::store {

int64_t PrefixLog::Limit(int32_t p) const {
  return p >= 0 && size_t(p) < sizes_.size() ? int64_t(sizes_[size_t(p)]) : 0;
}

void PrefixLog::AppendAsync(v1::CommitRecord, AppendCallback done) {
  done(MakeError(ErrorKind::kForbidden, "log.prefix_read_only", "a log prefix is read-only",
                 "日志前缀只读"));
}

Result<std::vector<LogRecord>> PrefixLog::Read(int32_t p, int64_t from, size_t max,
                                               std::chrono::milliseconds) {
  const int64_t limit = Limit(p);
  if (from >= limit) return std::vector<LogRecord>{};
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

}  // namespace aidtrail::store
