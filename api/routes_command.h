// The hidden `routes` subcommand: prints the route table that `aidtrail
// serve` runs as JSON ([{method, path, roles, summary}]), so the OpenAPI
// document is generated from, and checked against, the code rather than a
// copy of it (ops/openapi/).
#pragma once

#include <CLI/CLI.hpp>

namespace aidtrail::api {

class RoutesCommand {
 public:
  explicit RoutesCommand(CLI::App& app);
  [[nodiscard]] bool parsed() const { return routes_->parsed(); }
  int Run();

 private:
  CLI::App* routes_;
};

}  // namespace aidtrail::api
