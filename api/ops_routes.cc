// Operations: liveness, readiness (projections caught up), metrics and the
// OpenAPI document. All public: they hold no personal or case data.
#include "api/app.h"
#include "api/json.h"
#include "projections/entry_view.h"

namespace aidtrail::api {

namespace bhttp = boost::beast::http;

namespace {

http::Response Text(bhttp::status status, std::string body, const char* type) {
  http::Response res{status, 11};
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

// Whether recorded_at can be taken as real time, said where the data is shown.
void AddEntryCounts(App& app, Health& h) {
  const auto counts = projections::CountEntries(app.views.Snapshot()->store());
  h.set_simulated_clock(counts.simulated_clock > 0);
  h.set_simulated_clock_events(counts.simulated_clock);
  h.set_late_entries(counts.late());
  h.set_migrated_events(counts.migrated);
  if (counts.simulated_clock > 0)
    h.set_notice_zh("本数据目录含 " + std::to_string(counts.simulated_clock) +
                    " 个按模拟时钟记录的事件（演示数据）：其记录时间并非真实时间");
}

}  // namespace

void AddAllRoutes(Router& router, App& app) {
  AddCommandRoutes(router, app);
  AddViewRoutes(router, app);
  AddPersonalRoute(router, app);
  AddDocumentRoutes(router, app);
  AddNoticeRoutes(router, app);
  AddOpsRoutes(router, app);
}

void AddOpsRoutes(Router& router, App& app) {
  router.Add(
      {bhttp::verb::get, "/healthz", {}, "进程存活 Liveness", [&app](Context, http::Reply reply) {
         Health h;
         h.set_status("ok");
         AddEntryCounts(app, h);
         reply(JsonResponse(bhttp::status::ok, h));
       }});
  router.Add(
      {bhttp::verb::get,
       "/readyz",
       {},
       "视图已追上日志 Readiness: projections caught up",
       [&app](Context, http::Reply reply) {
         Health h;
         const int64_t lag = app.views.Lag();
         h.set_lag(lag);
         h.set_generation(app.views.generation());
         h.set_role(app.pipeline ? "writer" : "replica");
         if (app.pipeline) {
           h.set_writer(app.pipeline->identity());
           h.set_owns_log(app.pipeline->owner());
         }
         h.set_writer_url(app.writer_url);
         if (lag < 0) {
           h.set_status("log_unavailable");
           return reply(JsonResponse(bhttp::status::service_unavailable, h));
         }
         const bool ready = app.ready.load();
         h.set_status(ready ? "ok" : "catching_up");
         reply(JsonResponse(ready ? bhttp::status::ok : bhttp::status::service_unavailable, h));
       }});
  router.Add({bhttp::verb::get,
              "/metrics",
              {},
              "Prometheus 指标 Metrics",
              [&app](Context, http::Reply reply) {
                reply(Text(bhttp::status::ok, app.metrics.Render(),
                           "text/plain; version=0.0.4; charset=utf-8"));
              }});
  router.Add({bhttp::verb::get,
              "/openapi.json",
              {},
              "接口说明（OpenAPI 3） The OpenAPI document",
              [&app](Context, http::Reply reply) {
                reply(Text(bhttp::status::ok, app.openapi, "application/json; charset=utf-8"));
              }});
}

}  // namespace aidtrail::api
