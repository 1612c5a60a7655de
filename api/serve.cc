#include "api/serve.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "api/app.h"
#include "api/config.h"
#include "api/json.h"
#include "api/json_log.h"
#include "api/open_log.h"
#include "api/openapi_document.h"
#include "events/domain/closed_loop.h"
#include "events/domain/deadlines.h"
#include "events/store/embedded_log.h"
#include "events/store/kafka_log.h"
#include "projections/all_views.h"
#include "projections/case_queries.h"
#include "projections/green_channel.h"
#include "projections/supervision_index.h"

namespace aidtrail::api {

namespace {

namespace bhttp = boost::beast::http;

// Overdue cases by deadline kind, cases missing a loop step and open
// deadlines counted without a holiday calendar, for the gauges: from the
// supervision index (projections/supervision_index.h), which this keeps
// evaluated for today while nobody asks for the queue. Every kind and step
// is published, at zero when no case has it.
void CountSupervision(App& app, const std::atomic<bool>& stop) {
  const auto engine = app.views.Snapshot();
  std::map<std::string, int64_t> overdue, missing, uncalendared;
  for (int k = 0; k <= static_cast<int>(domain::DeadlineKind::kEntrustment); ++k)
    overdue[domain::DeadlineKindName(static_cast<domain::DeadlineKind>(k))] = 0;
  for (int k = 0; k <= static_cast<int>(domain::LoopStep::kClosingFiles); ++k)
    missing[domain::LoopStepName(static_cast<domain::LoopStep>(k))] = 0;
  const Instant now = ingest::SystemClock();
  const bool counted = projections::SupervisionIndex::Shared().Tally(
      engine->store(), now, [&](const projections::Attention& a) {
        for (const auto& k : a.overdue) ++overdue[k];
        for (const auto& k : a.missing) ++missing[k];
        for (int32_t y : a.uncalendared_years) ++uncalendared[std::to_string(y)];
      });
  if (!counted || stop.load()) return;
  for (const auto& [k, n] : overdue) app.metrics.Overdue(k, n);
  for (const auto& [k, n] : missing) app.metrics.MissingStep(k, n);
  app.metrics.UncalendaredDeadlines(uncalendared);
  const std::string year = std::to_string(CivilDate::Of(now).year());
  for (const auto& row : projections::GreenChannel(engine->store(), CivilDate::Of(now).year())) {
    if (row.period != year || (row.group != "priority" && row.group != "others")) continue;
    app.metrics.GreenChannelWait("to_decision", row.group, row.to_decision.median_days,
                                 row.to_decision.p90_days);
    app.metrics.GreenChannelWait("to_assignment", row.group, row.to_assignment.median_days,
                                 row.to_assignment.p90_days);
  }
}

// Records folded into the views so far, over every partition.
int64_t Folded(const App& app) {
  const auto engine = app.views.Snapshot();
  int64_t n = 0;
  for (int32_t p = 0; p < app.log.partitions(); ++p) n += engine->Position(p);
  return n;
}

// Samples lag, readiness and log health once a second until `stop`. The
// supervision count reads every case, so it runs at most every 30 s, and
// on an idle log only every 10 minutes (a deadline passes with the clock,
// not only with new records).
void Monitor(App& app, bool kafka, const std::atomic<bool>& stop) {
  auto last_count = std::chrono::steady_clock::time_point{};
  int64_t counted_at = -1;  // Folded() at the last count
  while (!stop.load()) {
    const int64_t lag = app.views.Lag();
    for (const auto& v : app.views.view_names()) app.metrics.ProjectionLag(v, lag < 0 ? 0 : lag);
    app.metrics.LogUp(lag >= 0);
    if (kafka) app.metrics.KafkaBrokerUp(lag >= 0);
    if (app.pipeline) {
      const auto stats = app.pipeline->stats();
      app.metrics.Writer(app.pipeline->owner(), stats.conflicts, stats.claims);
    }
    if (auto* embedded = dynamic_cast<store::EmbeddedLog*>(&app.log))
      app.metrics.RocksDbBackgroundErrors("log", embedded->background_errors());
    app.metrics.RocksDbBackgroundErrors("views", app.views.Snapshot()->store().background_errors());
    const auto entries = projections::CountEntries(app.views.Snapshot()->store());
    app.metrics.SimulatedClockEvents(entries.simulated_clock);
    for (const auto& [step, n] : entries.late_by_step) app.metrics.LateEntries(step, n);
    if (lag == 0 && !app.ready.exchange(true)) LogJson("info", "projections caught up; ready");
    app.metrics.Ready(app.ready.load());
    const auto now = std::chrono::steady_clock::now();
    if (app.ready.load() && now - last_count > std::chrono::seconds(30)) {
      const int64_t folded = Folded(app);
      if (folded != counted_at || now - last_count > std::chrono::minutes(10)) {
        CountSupervision(app, stop);
        last_count = now;
        counted_at = folded;
      }
    }
    for (int i = 0; i < 10 && !stop.load(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int Fail(const Error& e) {
  LogJson("error", e.message, {{"code", e.code}, {"message_zh", e.message_zh}, {"field", e.field}});
  std::cerr << "错误 / error: " << e.message_zh << "\n  " << e.message << " [" << e.code << "]\n";
  return 1;
}

}  // namespace

int Serve(const ServeOptions& options) {
  const ServerConfig& c = options.config;
  // Signals are taken by the main thread alone (sigwait below), so every
  // thread started from here on must inherit the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto tokens = TokenTable::Build(c.tokens());
  if (!tokens.ok()) return Fail(tokens.error());
  auto listen = ParseListen(c.listen());
  if (!listen.ok()) return Fail(listen.error());
  std::filesystem::create_directories(c.data());

  auto log = OpenLog(c.data(), c.kafka(), c.topic(), c.partitions());
  if (!log.ok()) return Fail(log.error());
  auto vault =
      ingest::PersonalVault::Open({.dir = (std::filesystem::path(c.data()) / "keys").string()});
  if (!vault.ok()) return Fail(vault.error());
  // A read replica runs no pipeline: it never decides, so it needs no
  // writer state, and its start costs only the views' catch-up.
  std::unique_ptr<ingest::Pipeline> pipeline;
  if (!c.read_only()) {
    LogJson("info", "opening the command pipeline (the writer's state, then the log after it)",
            {{"backend", c.kafka().empty() ? "embedded" : "kafka"}});
    // The writer's state is kept beside the views, with the log position
    // it reflects: a start reads only what was written since.
    auto opened = ingest::Pipeline::Open(
        **log, {.writer_id = c.writer_name(),
                .follow = !c.kafka().empty(),
                .takeover_after = std::chrono::milliseconds(c.takeover_after_ms()),
                .seal_personal = (*vault)->Sealer(),
                .state_dir = (std::filesystem::path(c.data()) / "writer").string(),
                .log_identity = c.kafka().empty() ? "embedded" : "kafka:" + c.topic()});
    if (!opened.ok()) return Fail(opened.error());
    pipeline = std::move(opened).value();
    const auto started = pipeline->stats();
    LogJson("info", "writer ready",
            {{"writer", pipeline->identity()},
             {"from_checkpoint", started.started_from_checkpoint ? "yes" : "no"},
             {"records_read", std::to_string(started.records_read_at_start)}});
  } else {
    LogJson("info", "read replica: commands are refused", {{"writer_url", c.writer_url()}});
  }
  auto views = projections::ViewSet::Open((std::filesystem::path(c.data()) / "views").string(),
                                          **log, projections::AllViews);
  if (!views.ok()) return Fail(views.error());
  // Commands here wake the tailer (VisibilityWaiter); the idle sleep bounds
  // only how late another writer's records are seen, and costs an idle
  // server a log read per partition each time.
  (*views)->StartTailing(std::chrono::milliseconds(50));

  Metrics metrics;
  std::atomic<bool> ready{false};
  VisibilityWaiter visible(**views);
  auto operator_key = notice::LoadOrCreateOperatorKey(c.data());
  if (!operator_key.ok()) return Fail(operator_key.error());
  App app{pipeline.get(), **views,       **log,
          metrics,        ready,         visible,
          **vault,        *operator_key, std::string(kOpenApiDocument),
          c.writer_url()};
  Router router(std::move(tokens).value(), ingest::SystemClock);
  AddAllRoutes(router, app);
  router.set_observer([&metrics](const Observation& o) {
    metrics.Http(o.route, o.method, o.status, o.seconds);
    LogJson(o.status >= 500 ? "error" : "info", "request",
            {{"route", o.route},
             {"method", o.method},
             {"status", std::to_string(o.status)},
             {"ms", std::to_string(int64_t(o.seconds * 1000))},
             {"actor", o.actor_id},
             {"error", o.error_code}});
  });

  http::ServerOptions so;
  so.host = listen->first;
  so.port = listen->second;
  so.threads = c.threads();
  so.max_body_bytes = c.max_body_bytes();
  so.timeout = std::chrono::milliseconds(c.request_timeout_ms());
  so.refuse = [](bhttp::status status, const std::string& why) {
    if (status == bhttp::status::payload_too_large)
      return ErrorResponse(status,
                           MakeError(ErrorKind::kInvalidArgument, "request.too_large",
                                     "the body is too large", "请求体过大，超过服务器上限"));
    return ErrorResponse(status, MakeError(ErrorKind::kInvalidArgument, "request.malformed_http",
                                           why, "请求不是有效的 HTTP 请求"));
  };
  auto server = http::Server::Listen(so, [&router](http::Request req, http::Reply reply) {
    router.Handle(std::move(req), std::move(reply));
  });
  if (!server.ok()) return Fail(server.error());
  (*server)->Start();
  const std::string url = "http://" + listen->first + ":" + std::to_string((*server)->port());
  if (!options.port_file.empty()) std::ofstream(options.port_file) << (*server)->port() << "\n";
  LogJson("info", "listening", {{"url", url}, {"routes", std::to_string(router.routes().size())}});

  std::atomic<bool> stop{false};
  std::thread monitor([&] { Monitor(app, !c.kafka().empty(), stop); });

  int sig = 0;
  sigwait(&signals, &sig);
  LogJson("info", "stopping: finishing requests in flight",
          {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->Stop(std::chrono::seconds(10));
  const int64_t abandoned = (*server)->in_flight();
  stop = true;
  monitor.join();
  (*views)->StopTailing();
  const auto stats = pipeline ? pipeline->stats() : ingest::PipelineStats{};
  pipeline.reset();    // waits for appends in flight: nothing acknowledged is lost
  visible.Shutdown();  // answers commands still waiting for the views, while the server exists
  LogJson("info", "stopped",
          {{"accepted", std::to_string(stats.accepted)},
           {"rejected", std::to_string(stats.rejected)},
           {"unanswered_requests", std::to_string(abandoned)}});
  return abandoned == 0 ? 0 : 4;
}

}  // namespace aidtrail::api
