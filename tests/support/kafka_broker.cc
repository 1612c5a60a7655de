#include "tests/support/kafka_broker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace aidtrail::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(90);
constexpr auto kStopTimeout = std::chrono::seconds(60);

std::string Script() { return std::string(AIDTRAIL_SOURCE_DIR) + "/ops/kafka/broker.sh"; }

Error BrokerError(const std::string& what) {
  return MakeError(ErrorKind::kUnavailable, "test.kafka_broker", what, "测试用 Kafka 服务异常：" + what);
}

// Runs `broker.sh args...` and returns its stdout (stderr goes to ours). The
// script runs in its own process group, so that on timeout everything it
// started in the foreground is killed with it.
Result<std::string> RunScript(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  const std::string script = Script();
  std::string command = script;
  for (const auto& a : args) command += " " + a;
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return BrokerError("pipe: " + std::string(strerror(errno)));
  std::vector<std::string> argv_strings = {"/bin/bash", script};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return BrokerError("fork: " + std::string(strerror(errno)));
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out[1], STDOUT_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string output;
  const auto deadline = Clock::now() + timeout;
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    const int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 1000)));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    char buf[4096];
    const ssize_t got = read(out[0], buf, sizeof buf);
    if (got <= 0) break;  // EOF: the script is done
    output.append(buf, size_t(got));
  }
  close(out[0]);
  if (timed_out) {
    kill(-pid, SIGTERM);  // the script's traps kill a broker it was starting
    for (int i = 0; i < 50 && waitpid(pid, nullptr, WNOHANG) == 0; ++i) usleep(100000);
    kill(-pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out)
    return BrokerError(command + " did not finish within " + std::to_string(timeout.count()) + " s");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return BrokerError(command + " failed (exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                       "); its messages are above");
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

// A process that waits for the test process to go away — normally or not —
// then stops the broker and removes its directory.
Result<std::pair<int, int>> StartWatchdog(const std::string& dir) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return BrokerError("pipe: " + std::string(strerror(errno)));
  const std::string script = Script();
  const pid_t pid = fork();
  if (pid < 0) return BrokerError("fork: " + std::string(strerror(errno)));
  if (pid == 0) {
    setsid();  // outlives a kill of our process group
    dup2(fds[0], STDIN_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);  // never hold the test runner's output pipes open
    dup2(null, STDERR_FILENO);
    // A paused broker (SIGSTOP) would sit on SIGTERM until stop's SIGKILL.
    execl("/bin/bash", "bash", "-c",
          "cat >/dev/null; kill -CONT \"$(cat \"$1/broker.pid\" 2>/dev/null)\" 2>/dev/null; "
          "\"$0\" stop \"$1\"; rm -rf \"$1\"",
          script.c_str(), dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  return std::make_pair(fds[1], static_cast<int>(pid));
}

}  // namespace

Result<std::unique_ptr<KafkaBroker>> KafkaBroker::Start() {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/aidtrail-kafka-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) return BrokerError("mkdtemp: " + std::string(strerror(errno)));
  std::unique_ptr<KafkaBroker> broker(new KafkaBroker());
  broker->dir_ = templ;
  auto watchdog = StartWatchdog(broker->dir_);
  if (!watchdog.ok()) {
    std::filesystem::remove_all(broker->dir_);
    return watchdog.error();
  }
  broker->watchdog_fd_ = watchdog->first;
  broker->watchdog_pid_ = watchdog->second;
  const auto started = Clock::now();
  auto bootstrap = RunScript({"start", broker->dir_}, kStartTimeout);
  if (!bootstrap.ok()) return bootstrap.error();  // the destructor cleans up
  broker->bootstrap_ = *bootstrap;
  std::fprintf(stderr, "[kafka] broker %s in %s started in %.1f s\n", broker->bootstrap_.c_str(),
               broker->dir_.c_str(), std::chrono::duration<double>(Clock::now() - started).count());
  return broker;
}

KafkaBroker::~KafkaBroker() {
  if (paused_) (void)Resume();
  if (!dir_.empty()) {
    Status s = Stop();
    if (!s.ok()) std::fprintf(stderr, "[kafka] %s\n", s.error().ToString().c_str());
  }
  if (watchdog_fd_ >= 0) {
    close(watchdog_fd_);  // the watchdog removes the directory and exits
    waitpid(watchdog_pid_, nullptr, 0);
  } else if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status KafkaBroker::Stop() {
  if (paused_) (void)Resume();
  auto r = RunScript({"stop", dir_}, kStopTimeout);
  if (!r.ok()) return r.error();
  return Status::Ok();
}

Status KafkaBroker::Restart() {
  if (paused_) (void)Resume();
  const auto started = Clock::now();
  auto r = RunScript({"restart", dir_}, kStopTimeout + kStartTimeout);
  if (!r.ok()) return r.error();
  if (*r != bootstrap_) return BrokerError("restarted on " + *r + " instead of " + bootstrap_);
  std::fprintf(stderr, "[kafka] broker %s restarted in %.1f s\n", bootstrap_.c_str(),
               std::chrono::duration<double>(Clock::now() - started).count());
  return Status::Ok();
}

Status KafkaBroker::Pause() {
  std::ifstream in(dir_ + "/broker.pid");
  int pid = 0;
  if (!(in >> pid) || pid <= 0) return BrokerError("no broker.pid in " + dir_);
  if (kill(pid, SIGSTOP) != 0) return BrokerError("SIGSTOP " + std::to_string(pid) + ": " + strerror(errno));
  paused_ = true;
  return Status::Ok();
}

Status KafkaBroker::Resume() {
  std::ifstream in(dir_ + "/broker.pid");
  int pid = 0;
  if (!(in >> pid) || pid <= 0) return BrokerError("no broker.pid in " + dir_);
  if (kill(pid, SIGCONT) != 0) return BrokerError("SIGCONT " + std::to_string(pid) + ": " + strerror(errno));
  paused_ = false;
  return Status::Ok();
}

KafkaBroker& SharedBroker() {
  // If the start fails, the exception fails the calling test with the reason
  // (GoogleTest reports exceptions from a test body as failures), and the
  // next caller tries again.
  static std::unique_ptr<KafkaBroker> broker = [] {
    auto started = KafkaBroker::Start();
    if (!started.ok())
      throw std::runtime_error("cannot start the shared Kafka broker: " + started.error().ToString());
    return std::move(started).value();
  }();
  return *broker;
}

}  // namespace aidtrail::testing
