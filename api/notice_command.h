// The `notice` and `verify-notice` subcommands of the aidtrail binary:
// compute, sign and write the public expenditure notice of a year or
// quarter in one of its formats, and verify a published notice (its JSON
// form) against the log.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace aidtrail::api {

class NoticeCommand {
 public:
  explicit NoticeCommand(CLI::App& app);
  [[nodiscard]] bool parsed() const { return notice_->parsed() || verify_->parsed(); }
  int Run();

 private:
  int RunNotice();
  int RunVerify();

  CLI::App* notice_;
  CLI::App* verify_;
  std::string data_ = "./aidtrail-data", kafka_, topic_ = "aidtrail.log";
  int partitions_ = 8;
  int year_ = 0, quarter_ = 0;
  std::string format_ = "html", out_, previous_, office_, date_;
  std::string notice_file_, key_file_;
};

}  // namespace aidtrail::api
