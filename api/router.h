// Routes: a method, a path template ("/v1/cases/{case_id}"), the roles
// allowed (none: public, no token) and a handler. The router authenticates,
// checks the role, extracts path and query parameters, and reports every
// answer (route template, status, duration) to an observer for metrics and
// the access log. The route table is also what the OpenAPI test checks.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aidtrail/v1/common.pb.h"
#include "api/auth.h"
#include "api/http/server.h"

namespace aidtrail::api {

struct Context {
  http::Request request;
  std::optional<Principal> principal;         // set on routes that need a token
  std::map<std::string, std::string> params;  // from the path template
  std::map<std::string, std::string> query;   // percent-decoded
  Instant now;

  // The query parameter, or `fallback` if absent.
  [[nodiscard]] std::string Query(const std::string& name, const std::string& fallback = {}) const;
};

using RouteHandler = std::function<void(Context, http::Reply)>;

struct Route {
  boost::beast::http::verb method;
  std::string path;             // template, e.g. "/v1/cases/{case_id}"
  std::vector<v1::Role> roles;  // empty: public
  std::string summary;          // one line, for the OpenAPI document
  RouteHandler handler;
};

struct Observation {
  std::string route;  // the template, or "unmatched"
  std::string method;
  int status = 0;
  double seconds = 0;
  std::string actor_id;  // empty for public routes
  std::string error_code;
};

class Router {
 public:
  using Clock = std::function<Instant()>;
  Router(TokenTable tokens, Clock clock) : tokens_(std::move(tokens)), clock_(std::move(clock)) {}

  void Add(Route route);
  void set_observer(std::function<void(const Observation&)> observer) {
    observer_ = std::move(observer);
  }

  void Handle(http::Request request, http::Reply reply) const;
  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

 private:
  // The route for `path` and `method`; if only the method is wrong, null
  // with `allow` listing the methods the path has (for 405's Allow header).
  const Route* Match(const std::string& path, boost::beast::http::verb method,
                     std::map<std::string, std::string>& params, std::string& allow) const;

  TokenTable tokens_;
  Clock clock_;
  std::vector<Route> routes_;
  std::function<void(const Observation&)> observer_;
};

// Splits "a=1&b=x%20y" into decoded pairs.
std::map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace aidtrail::api
