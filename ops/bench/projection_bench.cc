// Projection throughput beside raw baselines in the same run:
//   - rebuild: every view folded from offset 0 (events/s, peak memory),
//   - baseline 1: reading and decoding the whole log alone,
//   - baseline 2: RocksDB batched writes of the same events,
//   - lag: the tailing projector under a steady append load.
// The log is a generated city year (DistrictGenerator) written through the
// real pipeline into the embedded log.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "events/store/embedded_log.h"
#include "ingest/generator.h"
#include "ingest/pipeline.h"
#include "ops/bench/bench_util.h"
#include "projections/all_views.h"
#include "projections/view_set.h"

namespace {

using namespace aidtrail;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long PeakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

}  // namespace

int main(int argc, char** argv) {
  using namespace aidtrail::bench;
  CLI::App app{"projection benchmark"};
  uint64_t target_events = 5'000'000;
  int lag_seconds = 10, lag_rate = 2000;
  std::string dir = (std::filesystem::temp_directory_path() / "aidtrail-projection-bench").string();
  bool keep = false;
  app.add_option("--events", target_events, "events to generate")->capture_default_str();
  app.add_option("--dir", dir, "scratch directory")->capture_default_str();
  app.add_option("--lag-seconds", lag_seconds, "duration of the steady-load phase")
      ->capture_default_str();
  app.add_option("--lag-rate", lag_rate, "commands per second during the steady-load phase")
      ->capture_default_str();
  app.add_flag("--keep", keep, "keep the generated log for another run");
  bool generate_only = false;
  app.add_flag("--generate-only", generate_only,
               "write the log (<dir>/log, as a server's data directory holds it) and stop; "
               "implies --keep");
  CLI11_PARSE(app, argc, argv);

  const std::string log_dir = dir + "/log";
  if (generate_only) keep = true;
  const bool reuse = keep && std::filesystem::exists(log_dir);
  if (!reuse) std::filesystem::remove_all(dir);
  auto log = store::EmbeddedLog::Open({.dir = log_dir, .partitions = 8});
  if (!log.ok()) Die(log.error().ToString());

  uint64_t events = 0, records = 0;
  for (int32_t p = 0; p < (*log)->partitions(); ++p)
    records += uint64_t((*log)->EndOffset(p).value());
  int year = 2024;
  if (records == 0) {
    const auto t0 = Clock::now();
    // The generated years are written on their own simulated clock.
    const ingest::DistrictGenerator* current = nullptr;
    auto pipeline = ingest::Pipeline::Open(
        **log, {.clock = [&current] { return current->RecordedAt(); }, .simulated_clock = true});
    if (!pipeline.ok()) Die(pipeline.error().ToString());
    // About 11 events per case; a large city's year has a few hundred thousand cases.
    // Many commands in flight, as under a real load, so that appends share syncs.
    std::mutex mu;
    std::condition_variable cv;
    int in_flight = 0;
    while (events < target_events) {
      ingest::DistrictGenerator gen({.seed = uint32_t(year),
                                     .year = year,
                                     .cases = 200000,
                                     .lawyers = 1500,
                                     .firms = 200,
                                     .consultations = 100000,
                                     .duty_services = 60000});
      current = &gen;
      for (;;) {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return in_flight < 256; });
        if (events >= target_events) break;
        auto c = gen.Next();
        if (!c) break;
        ++in_flight;
        lock.unlock();
        (*pipeline)->ExecuteAsync(std::move(*c), [&](Result<ingest::CommandResult> r) {
          std::lock_guard l(mu);
          if (r.ok()) {
            events += r->events.size();
            gen.Observe(r->events);
          }
          --in_flight;
          cv.notify_all();
        });
      }
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight == 0; });
      ++year;
    }
    std::printf("generated %lu events through the pipeline in %.1f s (%.0f events/s)\n",
                static_cast<unsigned long>(events), Seconds(t0), double(events) / Seconds(t0));
  }
  if (generate_only) return 0;

  // Baseline 1: read and decode the whole log.
  records = 0;
  events = 0;
  uint64_t bytes = 0;
  std::vector<std::string> sample;  // event bytes for baseline 2
  auto t0 = Clock::now();
  for (int32_t p = 0; p < (*log)->partitions(); ++p) {
    for (int64_t from = 0;;) {
      auto recs = (*log)->Read(p, from, 4096, std::chrono::milliseconds(0));
      if (!recs.ok()) Die(recs.error().ToString());
      if (recs->empty()) break;
      for (const auto& r : *recs) {
        auto c = store::DecodeCommit(r);
        if (!c.ok()) continue;
        ++records;
        events += uint64_t(c->events_size());
        bytes += r.value.size();
        from = r.position.offset + 1;
      }
    }
  }
  const double read_s = Seconds(t0);

  // Baseline 2: RocksDB batched writes of the same volume (events of the same size).
  const std::string payload(bytes / std::max<uint64_t>(events, 1), 'x');
  t0 = Clock::now();
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(o, dir + "/raw", &raw).ok()) Die("raw open");
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::WriteBatch b;
    for (uint64_t i = 0; i < events; ++i) {
      const uint64_t k = __builtin_bswap64(i);
      b.Put(rocksdb::Slice(reinterpret_cast<const char*>(&k), 8), payload);
      if (b.Count() == 4096 || i + 1 == events) {
        if (!db->Write(rocksdb::WriteOptions(), &b).ok()) Die("raw write");
        b.Clear();
      }
    }
  }
  const double raw_s = Seconds(t0);

  // Ours: rebuild every view from offset 0.
  std::filesystem::remove_all(dir + "/views");
  ResetPeakRss();
  t0 = Clock::now();
  auto set = projections::ViewSet::Open(dir + "/views", **log, projections::AllViews);
  if (!set.ok()) Die(set.error().ToString());
  if (auto n = (*set)->CatchUp(); !n.ok()) Die(n.error().ToString());
  const double rebuild_s = Seconds(t0);
  const long peak_kb = PeakRssKb();

  std::printf("\nlog: %lu commits, %lu events, %.1f MiB\n", static_cast<unsigned long>(records),
              static_cast<unsigned long>(events), double(bytes) / 1048576.0);
  std::printf("%-44s %12s %8s\n", "what", "events/s", "ratio");
  const double ours = double(events) / rebuild_s;
  std::printf("%-44s %12.0f %8.2f\n", "baseline: read + decode the log", double(events) / read_s,
              1.0);
  std::printf("%-44s %12.0f %8.2f\n", "baseline: RocksDB batched writes, same volume",
              double(events) / raw_s, (double(events) / raw_s) / (double(events) / read_s));
  std::printf("%-44s %12.0f %8.2f   (vs read %.2f, vs raw writes %.2f)\n",
              "rebuild: all views from offset 0", ours, ours / (double(events) / read_s),
              ours / (double(events) / read_s), ours / (double(events) / raw_s));
  std::printf("rebuild peak memory (VmHWM): %.0f MiB\n", double(peak_kb) / 1024.0);
  bench::SummaryRow("rebuild all views, " + std::to_string(events / 1000) + " k events (peak RSS " +
                        std::to_string(peak_kb / 1024) + " MiB)",
                    ours, "events/s", "read + decode the log", double(events) / read_s);

  // Lag under a steady append load: the tailing projector keeps up?
  (*set)->StartTailing(std::chrono::milliseconds(5));
  ingest::DistrictGenerator gen({.seed = 99,
                                 .year = year,
                                 .cases = 50000,
                                 .consultations = 0,
                                 .duty_services = 0,
                                 .prefix = "LAG"});
  auto pipeline = ingest::Pipeline::Open(**log, ingest::SimulatedPipelineOptions(gen));
  if (!pipeline.ok()) Die(pipeline.error().ToString());
  std::vector<int64_t> lags;
  const auto start = Clock::now();
  uint64_t sent = 0;
  while (Seconds(start) < lag_seconds) {
    const uint64_t due = uint64_t(Seconds(start) * lag_rate);
    while (sent < due) {
      auto c = gen.Next();
      if (!c) break;
      auto r = (*pipeline)->Execute(*c);
      if (r.ok()) gen.Observe(r->events);
      ++sent;
    }
    lags.push_back((*set)->Lag());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::sort(lags.begin(), lags.end());
  std::printf(
      "steady load %d commands/s for %d s: projection lag p50 %ld, p99 %ld, max %ld records\n",
      lag_rate, lag_seconds, long(lags[lags.size() / 2]), long(lags[lags.size() * 99 / 100]),
      long(lags.back()));
  (*set)->StopTailing();
  set->reset();
  pipeline->reset();
  log->reset();
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
