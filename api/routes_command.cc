#include "api/routes_command.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <random>

#include "api/app.h"
#include "events/store/embedded_log.h"
#include "projections/all_views.h"

namespace aidtrail::api {

namespace {

namespace fs = std::filesystem;
namespace pb = google::protobuf;

int Fail(const Error& e) {
  std::cerr << "错误 / error: " << e.message_zh << "\n  " << e.message << " [" << e.code << "]\n";
  return 1;
}

// A fresh directory under the system's temporary directory, removed when
// the listing is done.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("aidtrail-routes-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

pb::Value Text(const std::string& s) {
  pb::Value v;
  v.set_string_value(s);
  return v;
}

pb::Value RouteJson(const Route& route) {
  pb::Value v;
  auto& fields = *v.mutable_struct_value()->mutable_fields();
  fields["method"] = Text(std::string(boost::beast::http::to_string(route.method)));
  fields["path"] = Text(route.path);
  fields["summary"] = Text(route.summary);
  auto* roles = fields["roles"].mutable_list_value();
  for (auto r : route.roles) *roles->add_values() = Text(v1::Role_Name(r));
  return v;
}

}  // namespace

RoutesCommand::RoutesCommand(CLI::App& app) {
  routes_ = app.add_subcommand("routes", "print the HTTP route table as JSON (for ops/openapi)");
  routes_->group("");  // hidden: a tool for the build, not for operators
}

int RoutesCommand::Run() {
  // The routes are registered over a running App, exactly as `serve` does;
  // an empty embedded log in a scratch directory is enough to build one.
  // Scope: everything over the log is closed before the directory goes.
  ScratchDir scratch;
  pb::ListValue table;
  {
    auto log =
        store::EmbeddedLog::Open({.dir = (scratch.path() / "log").string(), .partitions = 1});
    if (!log.ok()) return Fail(log.error());
    auto pipeline = ingest::Pipeline::Open(**log, {.writer_id = "routes"});
    if (!pipeline.ok()) return Fail(pipeline.error());
    auto views = projections::ViewSet::Open((scratch.path() / "views").string(), **log,
                                            projections::AllViews);
    if (!views.ok()) return Fail(views.error());
    Metrics metrics;
    std::atomic<bool> ready{false};
    VisibilityWaiter visible(**views);
    auto vault =
        ingest::PersonalVault::Open({.dir = (scratch.path() / "keys").string(), .sync = false});
    if (!vault.ok()) return Fail(vault.error());
    App app{pipeline->get(), **views, **log, metrics,       ready,
            visible,         **vault, {},    std::string(), {}};
    Router router(TokenTable{}, ingest::SystemClock);
    AddAllRoutes(router, app);
    for (const auto& route : router.routes()) *table.add_values() = RouteJson(route);
  }
  pb::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string out;
  if (auto s = pb::util::MessageToJsonString(table, &out, options); !s.ok()) {
    std::cerr << "routes: " << s.message() << "\n";
    return 1;
  }
  std::cout << out;
  return 0;
}

}  // namespace aidtrail::api
