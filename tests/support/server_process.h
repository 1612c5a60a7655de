// `aidtrail serve` as a child process, for tests over real HTTP: a fresh
// data directory, a configuration with a token for every role (issued with
// `aidtrail token`, as an operator would), the port read from --port-file
// and readiness from /readyz. The server's stderr (its JSON log) is kept in
// a file and printed when the test has failed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace aidtrail::testing {

struct ServeOptions {
  std::string kafka;  // bootstrap servers; empty: the embedded log in the data directory
  std::string topic;  // with kafka
  int partitions = 4;
  std::vector<std::string> extra_args;  // more flags for `aidtrail serve`
};

// Token names: the role names "intake", "reviewer", "assigner", "lawyer",
// "supervisor", "auditor", "partner", "admin"; "lawyer2" (a second lawyer),
// and "expired" (a supervisor's token that expired in 2020).
// Actor ids: lawyer = "L1", lawyer2 = "L2", partner = "pj-court" of agency
// "pj-court"; the staff tokens have agency "jm-pengjiang-lac".
class ServerProcess {
 public:
  // Issues the tokens and starts the server; throws std::runtime_error (with
  // the server's log) if it does not become ready within a minute.
  explicit ServerProcess(ServeOptions options = {});
  ~ServerProcess();  // kills a server still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server on the same data directory and configuration.
  void Start();
  // SIGTERM, then waits (up to 30 s, then SIGKILL). Returns the exit code,
  // or 128 + signal when it was killed.
  int Stop();
  // SIGKILL: no chance to finish anything.
  void Kill();
  [[nodiscard]] bool running() const { return pid_ > 0; }

  // Waits until the views have folded everything in the log (/readyz lag 0),
  // so that a read sees every command acknowledged before the call.
  void WaitCaughtUp() const;

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] const std::string& Token(const std::string& name) const;
  [[nodiscard]] const std::string& data_dir() const { return data_; }
  [[nodiscard]] const ServeOptions& options() const { return options_; }
  // The last `lines` lines of the server's stderr.
  [[nodiscard]] std::string LogTail(size_t lines = 60) const;

 private:
  void IssueToken(const std::string& name, const std::string& role, const std::string& actor,
                  const std::string& agency, const std::string& expires);

  ServeOptions options_;
  TempDir dir_;
  std::string data_, config_, port_file_, log_file_;
  std::map<std::string, std::string> tokens_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace aidtrail::testing
