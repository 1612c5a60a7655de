// The `serve` and `token` subcommands of the aidtrail binary.
#pragma once

#include <CLI/CLI.hpp>

#include "api/config.h"

namespace aidtrail::api {

class ServeCommand {
 public:
  explicit ServeCommand(CLI::App& app);
  [[nodiscard]] bool parsed() const { return serve_->parsed() || token_->parsed(); }
  int Run();

 private:
  int RunServe();
  int RunToken();

  CLI::App* serve_;
  CLI::App* token_;
  std::string config_file_, port_file_;
  ConfigFlags flags_;
  std::string listen_, data_, kafka_, topic_, writer_url_, writer_name_;
  int partitions_ = 0, threads_ = 0;
  uint32_t takeover_after_ms_ = 0;
  bool read_only_ = false;
  // token
  std::string role_, actor_, agency_, expires_, note_, token_out_;
};

}  // namespace aidtrail::api
