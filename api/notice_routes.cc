// The public expenditure notice over HTTP, for anyone and without a token:
// GET /notice/{year} is the page (prints on A4), GET /v1/public/notices/{year}
// gives the same notice as JSON, CSV or XLSX, GET /v1/public/operator-key the
// key it is signed with. (The checkpoint and consistency proofs under
// /v1/audit/ are public too, so anyone can check that two published notices
// extend one log.) A notice is computed once per period, log checkpoint and
// day, then served from memory.
#include <map>
#include <mutex>

#include "api/app.h"
#include "api/json.h"
#include "api/notice/render.h"
#include "api/notice/signing.h"
#include "events/core/civil_date.h"
#include "events/core/hash_chain.h"
#include "projections/audit_view.h"
#include "projections/notice.h"

namespace aidtrail::api {

namespace bhttp = boost::beast::http;

namespace {

Error BadPeriod(const std::string& field, const std::string& en, const std::string& zh) {
  return MakeError(ErrorKind::kInvalidArgument, "notice.period", field + ": " + en,
                   "参数 " + field + "：" + zh, field);
}

struct Period {
  int year = 0, quarter = 0;
};

Result<Period> PeriodOf(const Context& ctx) {
  Period p;
  const std::string y = ctx.params.at("year"), q = ctx.Query("quarter", "0");
  try {
    size_t used = 0;
    p.year = std::stoi(y, &used);
    if (used != y.size() || p.year < 2000 || p.year > 2100) throw std::invalid_argument(y);
  } catch (const std::exception&) {
    return BadPeriod("year", "must be a year such as 2025", "应为年份，例如 2025");
  }
  if (q.size() != 1 || q[0] < '0' || q[0] > '4')
    return BadPeriod("quarter", "must be 1 to 4 (or absent for the whole year)",
                     "应为 1 至 4（不填为全年）");
  p.quarter = q[0] - '0';
  return p;
}

// Signed notices by period, checkpoint root and day.
class NoticeCache {
 public:
  Result<v1::PublicNotice> Get(App& app, const notice::OperatorKey& key, Period period,
                               Instant now) {
    const auto engine = app.views.Snapshot();
    const std::string root =
        projections::AuditQueries(engine->store()).Current(app.log.partitions()).root;
    const std::string day = CivilDate::Of(now).ToString();
    const std::string cache_key =
        std::to_string(period.year) + "/" + std::to_string(period.quarter) + "/" + day + "/" + root;
    {
      std::lock_guard lock(mu_);
      if (auto it = cache_.find(cache_key); it != cache_.end()) return it->second;
    }
    projections::NoticeRequest request;
    request.year = period.year;
    request.quarter = period.quarter;
    request.issued_date = day;
    auto built = projections::BuildNotice(engine->store(), app.log.partitions(), request);
    if (!built.ok()) return built.error();
    notice::Sign(*built, key);
    std::lock_guard lock(mu_);
    if (cache_.size() > 64) cache_.clear();  // periods x checkpoints: keep it small
    cache_[cache_key] = *built;
    return built;
  }

 private:
  std::mutex mu_;
  std::map<std::string, v1::PublicNotice> cache_;
};

http::Response Body(std::string body, const char* type, const std::string& filename = {}) {
  http::Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "public, max-age=60");
  if (!filename.empty())
    res.set(bhttp::field::content_disposition, "attachment; filename=\"" + filename + "\"");
  res.body() = std::move(body);
  return res;
}

http::Response Render(const v1::PublicNotice& n, const std::string& format, const Period& p) {
  const std::string base = "aidtrail-notice-" + std::to_string(p.year) +
                           (p.quarter ? "-Q" + std::to_string(p.quarter) : "");
  if (format == "html") return Body(notice::RenderHtml(n), "text/html; charset=utf-8");
  if (format == "csv") return Body(notice::RenderCsv(n), "text/csv; charset=utf-8", base + ".csv");
  if (format == "xlsx") {
    auto x = notice::RenderXlsx(n);
    if (!x.ok()) return ErrorResponse(x.error());
    return Body(std::move(x).value(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                base + ".xlsx");
  }
  auto j = notice::RenderJson(n);
  if (!j.ok()) return ErrorResponse(j.error());
  return Body(std::move(j).value(), "application/json; charset=utf-8");
}

}  // namespace

void AddNoticeRoutes(Router& router, App& app) {
  auto cache = std::make_shared<NoticeCache>();
  auto serve = [&app, cache](const Context& ctx, const std::string& format) {
    auto period = PeriodOf(ctx);
    if (!period.ok()) return ErrorResponse(period.error());
    auto n = cache->Get(app, app.operator_key, *period, ctx.now);
    if (!n.ok()) return ErrorResponse(n.error());
    return Render(*n, format, *period);
  };
  router.Add(
      {bhttp::verb::get,
       "/notice/{year}",
       {},
       "法律援助经费使用公示（网页，可打印 A4；?quarter=1..4 为季度） The public notice page",
       [serve](Context ctx, http::Reply reply) { reply(serve(ctx, "html")); }});
  router.Add({bhttp::verb::get,
              "/v1/public/notices/{year}",
              {},
              "经费使用公示（format=json|csv|xlsx|html；quarter=1..4） The public notice as data",
              [serve](Context ctx, http::Reply reply) {
                const std::string format = ctx.Query("format", "json");
                if (format != "json" && format != "csv" && format != "xlsx" && format != "html")
                  return reply(ErrorResponse(BadPeriod("format", "must be json, csv, xlsx or html",
                                                       "应为 json、csv、xlsx 或 html")));
                reply(serve(ctx, format));
              }});
  router.Add({bhttp::verb::get,
              "/v1/public/operator-key",
              {},
              "公示签名公钥 The key notices are signed with",
              [&app](Context, http::Reply reply) {
                OperatorKeyInfo k;
                k.set_public_key_hex(ToHex(app.operator_key.public_key));
                k.set_key_id(notice::KeyId(app.operator_key.public_key));
                reply(JsonResponse(bhttp::status::ok, k));
              }});
}

}  // namespace aidtrail::api
