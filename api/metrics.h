// The server's Prometheus metrics (prometheus-cpp), rendered on /metrics.
// Names are part of the operations contract: ops/monitoring/ alerts and
// the dashboard use them, and a test checks both against this list.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <string>

namespace aidtrail::api {

class Metrics {
 public:
  Metrics();

  void Command(const std::string& kind,
               const std::string& result);  // accepted|rejected|replayed|failed
  // Creates a command kind's series at zero, so the first failure is a rise.
  void DeclareCommand(const std::string& kind);
  void AppendSeconds(double seconds);
  void EventsAppended(size_t n);
  void Http(const std::string& route, const std::string& method, int status, double seconds);
  void ProjectionLag(const std::string& view, int64_t records);
  void Overdue(const std::string& kind, int64_t cases);
  void MissingStep(const std::string& step, int64_t cases);
  void LateEntries(const std::string& step, int64_t events);
  // Open deadlines counted without a holiday calendar, by year (a full
  // count each call). Called from one thread only (the monitor).
  void UncalendaredDeadlines(const std::map<std::string, int64_t>& by_year);
  // The green channel's waits this year: measure "to_decision" or
  // "to_assignment", group "priority" or "others".
  void GreenChannelWait(const std::string& measure, const std::string& group, int median_days,
                        int p90_days);
  void SimulatedClockEvents(int64_t events);
  void LogUp(bool up);
  void Ready(bool ready);
  void RocksDbBackgroundErrors(const std::string& db, uint64_t errors);
  void KafkaBrokerUp(bool up);
  // The writer's standing among several writers on one log: whether it
  // owns the log, and its pipeline's cumulative counts of commits found
  // void in the log and of claims (the counters advance by the difference).
  void Writer(bool owns_log, uint64_t voided, uint64_t claims);

  // The text exposition format.
  [[nodiscard]] std::string Render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& commands_;
  prometheus::Family<prometheus::Histogram>& append_;
  prometheus::Family<prometheus::Counter>& events_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_seconds_;
  prometheus::Family<prometheus::Gauge>& lag_;
  prometheus::Family<prometheus::Gauge>& overdue_;
  prometheus::Family<prometheus::Gauge>& missing_;
  prometheus::Family<prometheus::Gauge>& uncalendared_;
  prometheus::Family<prometheus::Gauge>& green_channel_;
  std::map<std::string, int64_t> uncalendared_seen_;
  prometheus::Family<prometheus::Gauge>& late_;
  prometheus::Family<prometheus::Gauge>& simulated_;
  prometheus::Family<prometheus::Gauge>& log_up_;
  prometheus::Family<prometheus::Gauge>& ready_;
  prometheus::Family<prometheus::Gauge>& rocksdb_errors_;
  prometheus::Family<prometheus::Gauge>& kafka_up_;
  prometheus::Family<prometheus::Gauge>& owns_log_;
  prometheus::Family<prometheus::Counter>& voided_;
  prometheus::Family<prometheus::Counter>& claims_;
  uint64_t voided_seen_ = 0, claims_seen_ = 0;  // what Writer() has counted so far
};

}  // namespace aidtrail::api
