// Helpers shared by the pipeline's two files (pipeline.cc: deciding and
// appending; pipeline_follow.cc: following the log and claiming it).
// Not part of the ingest interface.
#pragma once

#include <string>

#include "ingest/pipeline.h"

namespace aidtrail::ingest::detail {

inline google::protobuf::Timestamp ToProto(Instant t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(t.micros / 1'000'000 - (t.micros % 1'000'000 < 0));
  ts.set_nanos(int32_t(((t.micros % 1'000'000) + 1'000'000) % 1'000'000 * 1000));
  return ts;
}

inline Error Unavailable(const std::string& why) {
  return MakeError(
      ErrorKind::kUnavailable, "pipeline.recovering",
      "the event log had a failure and the writer is recovering (" + why + "); retry shortly",
      "事件日志发生故障，系统正在恢复，请稍后用同一指令编号重试");
}

inline CommandResult ResultOf(const v1::CommitRecord& commit, store::Position position) {
  CommandResult r;
  r.stream_id = commit.stream_id();
  r.first_version = commit.events(0).stream_version();
  r.last_version = commit.events(commit.events_size() - 1).stream_version();
  r.position = position;
  r.events.assign(commit.events().begin(), commit.events().end());
  return r;
}

// What is remembered of a recorded command: everything but its events.
inline CommandResult Remembered(CommandResult r) {
  r.events.clear();
  r.events.shrink_to_fit();
  return r;
}

}  // namespace aidtrail::ingest::detail
