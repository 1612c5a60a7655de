#include "api/notice/fold.h"

#include <algorithm>

#include "projections/all_views.h"

namespace aidtrail::api::notice {

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
  store::PrefixLog prefix(log, sizes);
  if (auto n = (*engine)->CatchUp(prefix); !n.ok()) return n.error();
  return std::move(engine).value();
}

}  // namespace aidtrail::api::notice
