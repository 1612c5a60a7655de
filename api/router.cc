#include "api/router.h"

#include <algorithm>

#include "api/json.h"
#include "events/domain/commands.h"

namespace aidtrail::api {

namespace bhttp = boost::beast::http;

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const size_t j = std::min(path.find('/', i), path.size());
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string RoleNames(const std::vector<v1::Role>& roles) {
  std::string s;
  for (auto r : roles) {
    if (!s.empty()) s += "、";
    s += domain::RoleLabelZh(r);
  }
  return s;
}

}  // namespace

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i <= query.size();) {
    const size_t j = std::min(query.find('&', i), query.size());
    const auto pair = query.substr(i, j - i);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      if (eq == std::string_view::npos)
        out[Decode(pair)] = "";
      else
        out[Decode(pair.substr(0, eq))] = Decode(pair.substr(eq + 1));
    }
    i = j + 1;
  }
  return out;
}

std::string Context::Query(const std::string& name, const std::string& fallback) const {
  const auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

const Route* Router::Match(const std::string& path, bhttp::verb method,
                           std::map<std::string, std::string>& params, std::string& allow) const {
  const auto segs = Segments(path);
  for (const auto& r : routes_) {
    const auto tmpl = Segments(r.path);
    if (tmpl.size() != segs.size()) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (size_t i = 0; i < tmpl.size() && ok; ++i) {
      if (tmpl[i].size() > 2 && tmpl[i].front() == '{' && tmpl[i].back() == '}')
        found[std::string(tmpl[i].substr(1, tmpl[i].size() - 2))] = Decode(segs[i]);
      else
        ok = tmpl[i] == segs[i];
    }
    if (!ok) continue;
    if (r.method != method) {
      allow += (allow.empty() ? "" : ", ") + std::string(bhttp::to_string(r.method));
      continue;
    }
    params = std::move(found);
    return &r;
  }
  return nullptr;
}

void Router::Handle(http::Request request, http::Reply reply) const {
  const auto start = std::chrono::steady_clock::now();
  auto obs = std::make_shared<Observation>();
  obs->method = std::string(request.method_string());
  obs->route = "unmatched";
  // Every answer passes through here, so metrics and the access log see all.
  http::Reply observed = [this, reply = std::move(reply), obs, start](http::Response res) {
    obs->status = static_cast<int>(res.result_int());
    obs->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (observer_) observer_(*obs);
    reply(std::move(res));
  };
  auto refuse = [&](const Error& e) {
    obs->error_code = e.code;
    observed(ErrorResponse(e));
  };

  const std::string target(request.target());
  const size_t q = target.find('?');
  const std::string path = target.substr(0, q);
  Context ctx;
  ctx.now = clock_();
  if (q != std::string::npos) ctx.query = ParseQuery(std::string_view(target).substr(q + 1));

  std::string allow;
  const Route* route = Match(path, request.method(), ctx.params, allow);
  if (route == nullptr) {
    if (!allow.empty()) {
      obs->error_code = "request.method";
      auto res = ErrorResponse(
          bhttp::status::method_not_allowed,
          MakeError(
              ErrorKind::kInvalidArgument, "request.method",
              "method " + obs->method + " is not allowed on " + path + " (allowed: " + allow + ")",
              "此地址不支持 " + obs->method + " 请求方法（可用：" + allow + "）"));
      res.set(bhttp::field::allow, allow);  // RFC 9110 §15.5.6: a 405 names the methods
      return observed(std::move(res));
    }
    return refuse(MakeError(ErrorKind::kNotFound, "request.no_route", "no such route: " + path,
                            "没有这个接口：" + path + "（接口列表见 /openapi.json）"));
  }
  obs->route = route->path;
  if (!route->roles.empty()) {
    const auto authorization = request[bhttp::field::authorization];
    auto principal =
        tokens_.Authenticate(std::string_view(authorization.data(), authorization.size()), ctx.now);
    if (!principal.ok()) return refuse(principal.error());
    obs->actor_id = principal->actor_id;
    if (std::find(route->roles.begin(), route->roles.end(), principal->role) == route->roles.end())
      return refuse(MakeError(
          ErrorKind::kForbidden, "auth.role",
          std::string("role ") + v1::Role_Name(principal->role) + " may not use " + route->path,
          std::string("“") + domain::RoleLabelZh(principal->role) +
              "”角色无权使用此接口；可使用的角色：" + RoleNames(route->roles)));
    ctx.principal = std::move(principal).value();
  }
  ctx.request = std::move(request);
  route->handler(std::move(ctx), [observed, obs](http::Response res) mutable {
    if (res.result_int() >= 400 && obs->error_code.empty()) obs->error_code = "error";
    observed(std::move(res));
  });
}

}  // namespace aidtrail::api
