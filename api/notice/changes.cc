#include "api/notice/changes.h"

#include "projections/notice.h"

namespace aidtrail::api::notice {

Status AddChanges(v1::PublicNotice& n, const v1::PublicNotice& prev, store::EventLog& log) {
  if (prev.period().year() != n.period().year() || prev.period().quarter() != n.period().quarter())
    return MakeError(ErrorKind::kInvalidArgument, "notice.previous.period",
                     "the previous notice is for another period", "上次公示的期间与本次不同",
                     "previous");
  if (prev.checkpoint().partitions_size() != n.checkpoint().partitions_size())
    return MakeError(ErrorKind::kInvalidArgument, "notice.previous.partitions",
                     "the previous notice names another number of partitions",
                     "上次公示的日志分区数与本次不同", "previous");
  v1::NoticeChanges c;
  c.set_previous_figures_digest_hex(prev.figures_digest_hex());
  *c.mutable_previous_checkpoint() = prev.checkpoint();
  for (int i = 0; i < n.checkpoint().partitions_size(); ++i) {
    const int32_t p = n.checkpoint().partitions(i).partition();
    int64_t from = int64_t(prev.checkpoint().partitions(i).size());
    const int64_t to = int64_t(n.checkpoint().partitions(i).size());
    if (from > to)
      return MakeError(ErrorKind::kInvalidArgument, "notice.previous.later",
                       "the previous notice covers more of partition " + std::to_string(p),
                       "上次公示覆盖的日志比本次更长（分区 " + std::to_string(p) + "）",
                       "previous");
    c.set_new_records(c.new_records() + uint64_t(to - from));
    while (from < to) {
      auto records = log.Read(p, from, size_t(std::min<int64_t>(512, to - from)),
                              std::chrono::milliseconds(0));
      if (!records.ok()) return records.error();
      if (records->empty()) break;
      for (const auto& r : *records) {
        from = r.position.offset + 1;
        if (r.position.offset >= to) break;
        auto commit = store::DecodeCommit(r);
        if (!commit.ok()) continue;
        for (const auto& e : commit->events()) {
          c.set_new_events(c.new_events() + 1);
          if (e.payload().has_event_corrected()) c.set_corrections(c.corrections() + 1);
        }
      }
    }
  }
  for (auto& ch : projections::CompareFigures(prev, n)) *c.add_changes() = std::move(ch);
  *n.mutable_changes() = std::move(c);
  return Status::Ok();
}

}  // namespace aidtrail::api::notice
