// `aidtrail check-proofs`: an auditor's check of what a server says against
// signed notices — a later notice's log extends an earlier one's, and chosen
// payments are in the log a notice was computed from. Nothing the server
// sends is trusted; only the notices' signatures are.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace aidtrail::api {

class ProofCommand {
 public:
  explicit ProofCommand(CLI::App& app);
  [[nodiscard]] bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  std::string server_, token_file_, notice_, previous_, key_file_;
  std::vector<std::string> payments_;  // CASE_ID/SUBSIDY_ID
};

}  // namespace aidtrail::api
