#include "tests/support/server_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "aidtrail/api/server.pb.h"
#include "api/json.h"
#include "tests/support/http_client.h"

namespace aidtrail::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(30);
constexpr auto kPoll = std::chrono::milliseconds(20);

// Starts `argv` with stdout and stderr appended to `log`. The child dies
// with us (PR_SET_PDEATHSIG), so a crashed test leaves no server behind.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + log);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);  // the test died before prctl took effect
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fd);
  if (pid < 0) throw std::runtime_error("fork failed");
  return pid;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ServerProcess::ServerProcess(ServeOptions options) : options_(std::move(options)) {
  data_ = dir_.str() + "/data";
  config_ = dir_.str() + "/config.json";
  port_file_ = dir_.str() + "/port";
  log_file_ = dir_.str() + "/server.log";
  const std::string centre = "jm-pengjiang-lac";
  IssueToken("intake", "intake", "clerk-1", centre, "");
  IssueToken("reviewer", "reviewer", "rev-1", centre, "");
  IssueToken("assigner", "assigner", "asg-1", centre, "");
  IssueToken("lawyer", "lawyer", "L1", centre, "");
  IssueToken("lawyer2", "lawyer", "L2", centre, "");
  IssueToken("supervisor", "supervisor", "sup-1", centre, "");
  IssueToken("auditor", "auditor", "aud-1", "jm-audit-bureau", "");
  IssueToken("partner", "partner", "pj-court", "pj-court", "");
  IssueToken("admin", "admin", "fin-1", centre, "");
  IssueToken("bureau", "judicial_bureau", "sfj-1", "jm-pengjiang-sfj", "");
  IssueToken("expired", "supervisor", "sup-old", centre, "2020-01-01");
  Start();
}

ServerProcess::~ServerProcess() {
  if (::testing::Test::HasFailure())
    std::fprintf(stderr, "---- aidtrail serve log (last lines) ----\n%s----\n", LogTail().c_str());
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void ServerProcess::IssueToken(const std::string& name, const std::string& role,
                               const std::string& actor, const std::string& agency,
                               const std::string& expires) {
  const std::string out = dir_.str() + "/token." + name;
  std::vector<std::string> args = {AIDTRAIL_BINARY, "token", "--config", config_, "--role", role,
                                   "--actor",       actor,   "--agency", agency,  "--out",  out};
  if (!expires.empty()) args.insert(args.end(), {"--expires", expires});
  int status = 0;
  ::waitpid(Spawn(args, dir_.str() + "/token.log"), &status, 0);
  std::string token = ReadFile(out);
  while (!token.empty() && token.back() == '\n') token.pop_back();
  if (ExitCode(status) != 0 || token.empty())
    throw std::runtime_error("aidtrail token --role " + role + " failed (exit " +
                             std::to_string(ExitCode(status)) +
                             "): " + ReadFile(dir_.str() + "/token.log"));
  tokens_[name] = token;
}

const std::string& ServerProcess::Token(const std::string& name) const {
  const auto it = tokens_.find(name);
  if (it == tokens_.end()) throw std::invalid_argument("no token named " + name);
  return it->second;
}

void ServerProcess::Start() {
  if (pid_ > 0) throw std::logic_error("the server is already running");
  ::unlink(port_file_.c_str());
  std::vector<std::string> args = {
      AIDTRAIL_BINARY, "serve",    "--config",     config_,
      "--data",        data_,      "--listen",     "127.0.0.1:0",
      "--port-file",   port_file_, "--partitions", std::to_string(options_.partitions)};
  if (!options_.kafka.empty())
    args.insert(args.end(), {"--kafka", options_.kafka, "--topic", options_.topic});
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  pid_ = Spawn(args, log_file_);

  const auto deadline = Clock::now() + kStartTimeout;
  auto fail = [&](const std::string& why) {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    throw std::runtime_error("aidtrail serve " + why + "; its log:\n" + LogTail());
  };
  // The port file is written once the server listens; a full line means it
  // is complete.
  port_ = 0;
  while (port_ == 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      fail("exited during start (exit " + std::to_string(ExitCode(status)) + ")");
    }
    const std::string text = ReadFile(port_file_);
    if (!text.empty() && text.back() == '\n') {
      port_ = uint16_t(std::stoi(text));
      break;
    }
    if (Clock::now() > deadline) fail("wrote no port file within a minute");
    std::this_thread::sleep_for(kPoll);
  }
  HttpClient client("127.0.0.1", port_);
  for (;;) {
    const auto res = client.Get("/readyz");
    if (res.status == 200) break;
    if (Clock::now() > deadline)
      fail("was not ready within a minute (last /readyz: " + std::to_string(res.status) + " " +
           res.body + ")");
    std::this_thread::sleep_for(kPoll);
  }
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kStopTimeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ADD_FAILURE() << "aidtrail serve did not stop within 30 s of SIGTERM; killed";
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(kPoll);
  }
  pid_ = -1;
  return ExitCode(status);
}

void ServerProcess::WaitCaughtUp() const {
  HttpClient client("127.0.0.1", port_);
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  std::string last;
  for (;;) {
    const auto res = client.Get("/readyz");
    api::Health h;
    if (res.status == 200 && api::ParseJson(res.body, h).ok() && h.lag() == 0) return;
    last = std::to_string(res.status) + " " + res.body;
    if (Clock::now() > deadline)
      throw std::runtime_error("the views did not catch up within 30 s; last /readyz: " + last);
    std::this_thread::sleep_for(kPoll);
  }
}

std::string ServerProcess::LogTail(size_t lines) const {
  std::ifstream in(log_file_);
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(std::move(line));
    if (tail.size() > lines) tail.pop_front();
  }
  std::string out;
  for (const auto& l : tail) out += l + "\n";
  return out;
}

}  // namespace aidtrail::testing
