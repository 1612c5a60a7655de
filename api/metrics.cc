#include "api/metrics.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <sstream>

namespace aidtrail::api {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries b{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return b;
}

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      commands_(BuildCounter()
                    .Name("aidtrail_commands_total")
                    .Help("Commands by kind and result (accepted, rejected by a rule, replayed "
                          "retry, failed)")
                    .Register(*registry_)),
      append_(BuildHistogram()
                  .Name("aidtrail_append_duration_seconds")
                  .Help("From command receipt to durable acknowledgement")
                  .Register(*registry_)),
      events_(BuildCounter()
                  .Name("aidtrail_events_appended_total")
                  .Help("Events appended to the log")
                  .Register(*registry_)),
      http_requests_(BuildCounter()
                         .Name("aidtrail_http_requests_total")
                         .Help("HTTP requests by route template, method and status code")
                         .Register(*registry_)),
      http_seconds_(BuildHistogram()
                        .Name("aidtrail_http_request_duration_seconds")
                        .Help("HTTP request latency by route template")
                        .Register(*registry_)),
      lag_(BuildGauge()
               .Name("aidtrail_projection_lag_records")
               .Help("Log records not yet folded into a view")
               .Register(*registry_)),
      overdue_(BuildGauge()
                   .Name("aidtrail_overdue_cases")
                   .Help("Cases with a missed statutory deadline, by deadline kind")
                   .Register(*registry_)),
      missing_(BuildGauge()
                   .Name("aidtrail_missing_step_cases")
                   .Help("Cases missing a closed-loop supervision step, by step")
                   .Register(*registry_)),
      uncalendared_(BuildGauge()
                        .Name("aidtrail_deadlines_without_calendar")
                        .Help("Open deadlines counted in a year whose holiday calendar is not "
                              "loaded, by year; above 0 the admin must publish that calendar")
                        .Register(*registry_)),
      green_channel_(BuildGauge()
                         .Name("aidtrail_green_channel_wait_days")
                         .Help("This year's waits in days (application to decision, decision to "
                               "assignment) for key groups (priority) and everyone else, by "
                               "quantile")
                         .Register(*registry_)),
      late_(BuildGauge()
                .Name("aidtrail_late_entries")
                .Help("Events recorded as declared late entries (补录), by step")
                .Register(*registry_)),
      simulated_(BuildGauge()
                     .Name("aidtrail_simulated_clock_events")
                     .Help("Events recorded on a simulated writer clock (demo data); above 0, "
                           "recorded_at is not real")
                     .Register(*registry_)),
      log_up_(BuildGauge()
                  .Name("aidtrail_log_up")
                  .Help("1 when the event log answers")
                  .Register(*registry_)),
      ready_(BuildGauge()
                 .Name("aidtrail_ready")
                 .Help("1 once projections have caught up")
                 .Register(*registry_)),
      rocksdb_errors_(BuildGauge()
                          .Name("aidtrail_rocksdb_background_errors")
                          .Help("RocksDB background errors by database")
                          .Register(*registry_)),
      kafka_up_(BuildGauge()
                    .Name("aidtrail_kafka_broker_up")
                    .Help("1 when a Kafka broker answers (Kafka backend only)")
                    .Register(*registry_)),
      owns_log_(BuildGauge()
                    .Name("aidtrail_writer_owns_log")
                    .Help("1 while this server holds the claim on the log and decides commands")
                    .Register(*registry_)),
      voided_(BuildCounter()
                  .Name("aidtrail_writer_voided_commits_total")
                  .Help("Commits of this writer found void in the log (answered 409: another "
                        "writer took over)")
                  .Register(*registry_)),
      claims_(BuildCounter()
                  .Name("aidtrail_writer_claims_total")
                  .Help("Times this writer took the log over")
                  .Register(*registry_)) {}

void Metrics::Command(const std::string& kind, const std::string& result) {
  commands_.Add({{"command", kind}, {"result", result}}).Increment();
}
void Metrics::DeclareCommand(const std::string& kind) {
  for (const char* r : {"accepted", "rejected", "replayed", "failed"})
    commands_.Add({{"command", kind}, {"result", r}});
}
void Metrics::AppendSeconds(double seconds) { append_.Add({}, LatencyBuckets()).Observe(seconds); }
void Metrics::EventsAppended(size_t n) { events_.Add({}).Increment(double(n)); }
void Metrics::Http(const std::string& route, const std::string& method, int status,
                   double seconds) {
  http_requests_.Add({{"route", route}, {"method", method}, {"code", std::to_string(status)}})
      .Increment();
  http_seconds_.Add({{"route", route}, {"method", method}}, LatencyBuckets()).Observe(seconds);
}
void Metrics::ProjectionLag(const std::string& view, int64_t records) {
  lag_.Add({{"view", view}}).Set(double(records));
}
void Metrics::Overdue(const std::string& kind, int64_t cases) {
  overdue_.Add({{"kind", kind}}).Set(double(cases));
}
void Metrics::MissingStep(const std::string& step, int64_t cases) {
  missing_.Add({{"step", step}}).Set(double(cases));
}
void Metrics::UncalendaredDeadlines(const std::map<std::string, int64_t>& by_year) {
  // A year whose calendar was published since drops to 0, not out of sight.
  for (auto& [year, n] : uncalendared_seen_) n = 0;
  for (const auto& [year, n] : by_year) uncalendared_seen_[year] = n;
  for (const auto& [year, n] : uncalendared_seen_)
    uncalendared_.Add({{"year", year}}).Set(double(n));
}
void Metrics::GreenChannelWait(const std::string& measure, const std::string& group,
                               int median_days, int p90_days) {
  green_channel_.Add({{"measure", measure}, {"group", group}, {"quantile", "0.5"}})
      .Set(median_days);
  green_channel_.Add({{"measure", measure}, {"group", group}, {"quantile", "0.9"}}).Set(p90_days);
}
void Metrics::LateEntries(const std::string& step, int64_t events) {
  late_.Add({{"step", step}}).Set(double(events));
}
void Metrics::SimulatedClockEvents(int64_t events) { simulated_.Add({}).Set(double(events)); }
void Metrics::LogUp(bool up) { log_up_.Add({}).Set(up ? 1 : 0); }
void Metrics::Ready(bool ready) { ready_.Add({}).Set(ready ? 1 : 0); }
void Metrics::RocksDbBackgroundErrors(const std::string& db, uint64_t errors) {
  rocksdb_errors_.Add({{"db", db}}).Set(double(errors));
}
void Metrics::KafkaBrokerUp(bool up) { kafka_up_.Add({}).Set(up ? 1 : 0); }

void Metrics::Writer(bool owns_log, uint64_t voided, uint64_t claims) {
  owns_log_.Add({}).Set(owns_log ? 1 : 0);
  if (voided > voided_seen_) voided_.Add({}).Increment(double(voided - voided_seen_));
  if (claims > claims_seen_) claims_.Add({}).Increment(double(claims - claims_seen_));
  voided_seen_ = std::max(voided_seen_, voided);
  claims_seen_ = std::max(claims_seen_, claims);
}

std::string Metrics::Render() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace aidtrail::api
