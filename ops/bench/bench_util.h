// Small helpers shared by the benchmarks: timed writer threads with
// per-operation latency, and a table with ratios to a baseline.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace aidtrail::bench {

struct Measurement {
  uint64_t ops = 0;
  uint64_t events = 0;
  double seconds = 0;
  double p50_ms = 0, p99_ms = 0;
  [[nodiscard]] double EventsPerSecond() const {
    return seconds > 0 ? double(events) / seconds : 0;
  }
};

[[noreturn]] inline void Die(const std::string& why) {
  std::fprintf(stderr, "benchmark failed: %s\n", why.c_str());
  std::exit(1);
}

// Runs `op(thread, n)` in `threads` threads for `seconds`, each op counting
// `events_per_op` events.
inline Measurement RunWriters(int threads, double seconds, int events_per_op,
                              const std::function<void(int, uint64_t)>& op) {
  using clock = std::chrono::steady_clock;
  std::vector<std::vector<double>> lat(static_cast<size_t>(threads));
  std::atomic<bool> stop{false};
  const auto start = clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (uint64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        const auto t0 = clock::now();
        op(t, n);
        lat[size_t(t)].push_back(
            std::chrono::duration<double, std::milli>(clock::now() - t0).count());
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : ts) t.join();
  Measurement m;
  m.seconds = std::chrono::duration<double>(clock::now() - start).count();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  m.ops = all.size();
  m.events = m.ops * uint64_t(events_per_op);
  if (!all.empty()) {
    m.p50_ms = all[all.size() / 2];
    m.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return m;
}

inline void PrintHeader() {
  std::printf("%-34s %12s %12s %10s %10s %8s\n", "what", "commits/s", "events/s", "p50 ms",
              "p99 ms", "ratio");
}

inline void PrintRow(const std::string& what, const Measurement& m, const Measurement& baseline) {
  std::printf("%-34s %12.0f %12.0f %10.2f %10.2f %8.2f\n", what.c_str(), double(m.ops) / m.seconds,
              m.EventsPerSecond(), m.p50_ms, m.p99_ms,
              m.EventsPerSecond() / baseline.EventsPerSecond());
}

// One row of ops/bench/run.sh's summary table, which collects these lines
// from every benchmark's output: a figure beside its baseline of the same run.
inline void SummaryRow(const std::string& what, double value, const std::string& unit,
                       const std::string& baseline_what, double baseline) {
  std::printf("@row\t%s\t%.0f %s\t%s\t%.0f %s\t%.2f\n", what.c_str(), value, unit.c_str(),
              baseline_what.c_str(), baseline, unit.c_str(), baseline > 0 ? value / baseline : 0.0);
}

}  // namespace aidtrail::bench
