// The in-process command pipeline rate, the baseline the HTTP benchmark is
// compared with: `threads` callers each submit new applications through
// Pipeline::Execute (decide, seal, durable append, acknowledge) on an
// embedded log in `--data`, as the server's handlers do, but without HTTP.
// Prints one line: commands/s and p50/p99 latency.
#include <CLI/CLI.hpp>
#include <google/protobuf/util/time_util.h>

#include <cstdio>
#include <filesystem>

#include "events/store/embedded_log.h"
#include "ingest/pipeline.h"
#include "ops/bench/bench_util.h"

namespace aidtrail::bench {
namespace {

// The same command the HTTP benchmark posts (ops/bench/wrk/submit.lua).
v1::Command Application(int thread, uint64_t n) {
  const std::string id = "INP-" + std::to_string(thread) + "-" + std::to_string(n);
  v1::Command c;
  c.set_command_id("inproc-" + id);
  c.set_stream_id("case/" + id);
  *c.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  c.mutable_actor()->set_id("C1");
  c.mutable_actor()->set_role(v1::ROLE_INTAKE);
  c.mutable_actor()->set_agency("jm-pengjiang-lac");
  auto* a = c.mutable_submit_application();
  a->set_channel(v1::CHANNEL_WINDOW);
  a->set_category(v1::CASE_CATEGORY_CIVIL);
  a->set_matter("wage-arrears");
  a->mutable_applicant()->set_subject_id("SUBJ-" + id);
  a->mutable_applicant()->set_age(45);
  a->set_infringement_region("440703");
  return c;
}

}  // namespace
}  // namespace aidtrail::bench

int main(int argc, char** argv) {
  using namespace aidtrail;
  CLI::App app{"in-process command pipeline rate"};
  std::string data;
  int threads = 16;
  double seconds = 10;
  app.add_option("--data", data, "data directory with a log (log/)")->required();
  app.add_option("--threads", threads)->capture_default_str();
  app.add_option("--seconds", seconds)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  auto log = store::EmbeddedLog::Open({.dir = (std::filesystem::path(data) / "log").string(), .partitions = 8});
  if (!log.ok()) bench::Die(log.error().ToString());
  auto pipeline = ingest::Pipeline::Open(**log, {.writer_id = "bench"});
  if (!pipeline.ok()) bench::Die(pipeline.error().ToString());
  const auto m = bench::RunWriters(threads, seconds, 1, [&](int t, uint64_t n) {
    auto r = (*pipeline)->Execute(bench::Application(t, n));
    if (!r.ok()) bench::Die(r.error().ToString());
  });
  std::printf("in-process pipeline: %d callers, %.0f commands/s, p50 %.2f ms, p99 %.2f ms\n", threads,
              double(m.ops) / m.seconds, m.p50_ms, m.p99_ms);
  return 0;
}
