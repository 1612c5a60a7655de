// Every route of the API against every role, on the running server: a role
// a route does not list gets 403, a request without a token 401, and a role
// it lists gets past authorisation (whatever the handler then says about a
// bare request). The route table comes from the same AddAllRoutes that
// `aidtrail serve` runs, built here over a throwaway log, so a route added
// later is covered without editing this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>

#include "api/app.h"
#include "events/domain/commands.h"
#include "events/store/embedded_log.h"
#include "projections/all_views.h"
#include "tests/support/api_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace aidtrail {
namespace {

struct RouteInfo {
  std::string method;
  std::string path;
  std::vector<v1::Role> roles;  // empty: public
};

std::vector<RouteInfo> RouteTable() {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = dir.str() + "/log", .partitions = 1});
  if (!log.ok()) throw std::runtime_error(log.error().ToString());
  auto pipeline = ingest::Pipeline::Open(**log, {});
  if (!pipeline.ok()) throw std::runtime_error(pipeline.error().ToString());
  auto views = projections::ViewSet::Open(dir.str() + "/views", **log, projections::AllViews);
  if (!views.ok()) throw std::runtime_error(views.error().ToString());
  api::Metrics metrics;
  std::atomic<bool> ready{false};
  api::VisibilityWaiter visible(**views);
  auto vault = ingest::PersonalVault::Open({.dir = dir.str() + "/keys", .sync = false});
  if (!vault.ok()) throw std::runtime_error(vault.error().ToString());
  api::App app{pipeline->get(), **views, **log, metrics, ready, visible, **vault, {}, "{}", {}};
  api::Router router(api::TokenTable{}, ingest::SystemClock);
  api::AddAllRoutes(router, app);
  std::vector<RouteInfo> out;
  for (const auto& r : router.routes())
    out.push_back({std::string(boost::beast::http::to_string(r.method)), r.path, r.roles});
  return out;
}

// A concrete target for a path template.
std::string Target(const std::string& path) {
  static const std::map<std::string, std::string> values = {{"{case_id}", "2024-0001"},
                                                            {"{subsidy_id}", "SUB-1"},
                                                            {"{year}", "2024"},
                                                            {"{kind}", "lawyer"},
                                                            {"{id}", "L1"},
                                                            {"{version}", "1"}};
  std::string out = path;
  for (const auto& [param, value] : values)
    for (size_t at; (at = out.find(param)) != std::string::npos;)
      out.replace(at, param.size(), value);
  EXPECT_EQ(out.find('{'), std::string::npos)
      << "a path parameter this test does not know: " << path;
  return out;
}

const std::map<std::string, v1::Role>& TokenRoles() {
  static const std::map<std::string, v1::Role> roles = {
      {"intake", v1::ROLE_INTAKE},         {"reviewer", v1::ROLE_REVIEWER},
      {"assigner", v1::ROLE_ASSIGNER},     {"lawyer", v1::ROLE_LAWYER},
      {"supervisor", v1::ROLE_SUPERVISOR}, {"auditor", v1::ROLE_AUDITOR},
      {"partner", v1::ROLE_PARTNER},       {"admin", v1::ROLE_ADMIN},
      {"bureau", v1::ROLE_JUDICIAL_BUREAU}};
  return roles;
}

class ServerRoles : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    routes_ = new std::vector<RouteInfo>(RouteTable());
    server_ = new testing::ServerProcess();
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(), 0) << "exit code after SIGTERM";
    delete server_;
    delete routes_;
  }

  static std::vector<RouteInfo>* routes_;
  static testing::ServerProcess* server_;
};

std::vector<RouteInfo>* ServerRoles::routes_ = nullptr;
testing::ServerProcess* ServerRoles::server_ = nullptr;

TEST(ServerRouteTable, CoversCommandsViewsAndOperations) {
  const auto routes = RouteTable();
  auto has = [&](const std::string& method, const std::string& path) {
    return std::any_of(routes.begin(), routes.end(),
                       [&](const RouteInfo& r) { return r.method == method && r.path == path; });
  };
  // A sample of each family, so that an empty or truncated table cannot
  // make the role tests pass vacuously.
  EXPECT_TRUE(has("POST", "/v1/commands/submit_application"));
  EXPECT_TRUE(has("POST", "/v1/commands/pay_subsidy"));
  EXPECT_TRUE(has("POST", "/v1/commands/set_jurisdiction"));
  EXPECT_TRUE(has("GET", "/v1/cases/{case_id}/timeline"));
  EXPECT_TRUE(has("GET", "/v1/audit/checkpoint"));
  EXPECT_TRUE(has("GET", "/readyz"));
  EXPECT_GT(routes.size(), 60u);
}

// The HTTP layer lets through exactly the roles the command catalogue
// (events/domain/commands.cc) names, less the system's own.
TEST(ServerRouteTable, CommandRoutesAdmitTheRolesOfTheCatalogue) {
  const auto routes = RouteTable();
  int commands = 0;
  for (const auto& spec : domain::AllCommands()) {
    std::vector<v1::Role> expected;
    for (auto r : spec.roles)
      if (r != v1::ROLE_SYSTEM) expected.push_back(r);
    const std::string path =
        "/v1/commands/" +
        v1::Command::descriptor()->FindFieldByNumber(static_cast<int>(spec.kind))->name();
    const auto it = std::find_if(routes.begin(), routes.end(),
                                 [&](const RouteInfo& r) { return r.path == path; });
    if (expected.empty()) {
      EXPECT_EQ(it, routes.end()) << path << " is the system's own and must not be served";
      continue;
    }
    ASSERT_NE(it, routes.end()) << path;
    EXPECT_EQ(it->method, "POST") << path;
    auto roles = it->roles;
    std::sort(roles.begin(), roles.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(roles, expected) << path;
    ++commands;
  }
  EXPECT_GT(commands, 40);
}

// The bureau decides objections in its own agency's name, so a grant for
// it that names no agency is refused when the configuration is read.
TEST(TokenGrants, AJudicialBureauGrantMustNameItsAgency) {
  google::protobuf::RepeatedPtrField<api::TokenGrant> grants;
  auto* g = grants.Add();
  g->set_sha256(api::TokenHash("t"));
  g->set_role(v1::ROLE_JUDICIAL_BUREAU);
  g->set_actor_id("sfj-1");
  auto refused = api::TokenTable::Build(grants);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "config.token_agency");
  g->set_agency("jm-pengjiang-sfj");
  EXPECT_TRUE(api::TokenTable::Build(grants).ok());
}

// One role (or no token at all) against every route.
TEST_P(ServerRoles, EveryRouteAnswersThisRoleAsItsTableSays) {
  const std::string name = GetParam();
  testing::HttpClient http("127.0.0.1", server_->port());
  int allowed = 0, refused = 0;
  for (const auto& route : *routes_) {
    const std::string target = Target(route.path);
    SCOPED_TRACE(route.method + " " + target + " as " + name);
    testing::HttpRequest req;
    req.method = route.method;
    req.target = target;
    if (name != "none") req.headers["Authorization"] = "Bearer " + server_->Token(name);
    const auto res = http.Send(req);
    ASSERT_NE(res.status, 0) << res.body;

    if (route.roles.empty()) {  // public: answers anyone, token or not
      // A public route without its required query parameters may refuse
      // the request itself (400), never the caller (401/403).
      EXPECT_TRUE(res.status == 200 || res.status == 400) << res.status << " " << res.body;
      ++allowed;
      continue;
    }
    api::ErrorBody e;
    if (res.status >= 400) e = testing::ErrorOf(res);
    if (name == "none") {
      EXPECT_EQ(res.status, 401) << res.body;
      EXPECT_EQ(e.code(), "auth.missing_token");
      ++refused;
      continue;
    }
    const v1::Role role = TokenRoles().at(name);
    const bool listed =
        std::find(route.roles.begin(), route.roles.end(), role) != route.roles.end();
    if (listed) {
      EXPECT_NE(res.status, 401) << res.body;
      EXPECT_NE(res.status, 403) << res.body;
      EXPECT_NE(e.code(), "request.no_route") << "the running server lacks this route";
      EXPECT_NE(e.code(), "request.method");
      // A bare command is refused for what it lacks, not for who sent it.
      if (route.method == "POST") {
        EXPECT_EQ(res.status, 400) << res.body;
        EXPECT_EQ(e.code(), "request.empty_body");
      }
      ++allowed;
    } else {
      EXPECT_EQ(res.status, 403) << res.body;
      EXPECT_EQ(e.code(), "auth.role");
      EXPECT_FALSE(e.message_zh().empty());
      ++refused;
    }
  }
  std::printf("%s: %d routes allowed, %d refused\n", name.c_str(), allowed, refused);
  EXPECT_GT(allowed, 0) << "no route lets this caller in";
}

INSTANTIATE_TEST_SUITE_P(Roles, ServerRoles,
                         ::testing::Values("none", "intake", "reviewer", "assigner", "lawyer",
                                           "supervisor", "auditor", "partner", "admin", "bureau"),
                         [](const auto& test) { return test.param; });

}  // namespace
}  // namespace aidtrail
