// Crash safety of the embedded log: a child appends through the pipeline
// and is killed with SIGKILL at random moments, many times. After each
// restart every commit it acknowledged is present exactly once and valid,
// and every stream's versions and hash chain have no gaps.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>

#include "events/core/hash_chain.h"
#include "events/store/embedded_log.h"
#include "events/store/kafka_log.h"
#include "events/store/log_scan.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/temp_dir.h"

namespace aidtrail {
namespace {

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;
};

Child Spawn(const std::string& dir, const std::string& prefix, const std::string& bootstrap = {},
            const std::string& topic = {}) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    if (bootstrap.empty())
      execl(AIDTRAIL_CRASH_CHILD, AIDTRAIL_CRASH_CHILD, dir.c_str(), prefix.c_str(), nullptr);
    else
      execl(AIDTRAIL_CRASH_CHILD, AIDTRAIL_CRASH_CHILD, dir.c_str(), prefix.c_str(),
            bootstrap.c_str(), topic.c_str(), nullptr);
    _exit(127);
  }
  close(fds[1]);
  return Child{pid, fdopen(fds[0], "r")};
}

// Kills a writer child `runs` times, then checks the log it left.
void KillWritersAndCheck(
    int runs, const std::string& bootstrap, const std::string& topic,
    const std::function<std::unique_ptr<store::EventLog>(const std::string& dir)>& reopen) {
  const char* env = std::getenv("AIDTRAIL_SEED");
  const unsigned seed = env ? unsigned(std::stoul(env)) : std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed) + " (AIDTRAIL_SEED=" + std::to_string(seed) +
               " reproduces the kill points)");
  testing::TempDir dir;
  std::set<std::string> acked;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  for (int run = 0; run < runs && std::chrono::steady_clock::now() < deadline; ++run) {
    Child child = Spawn(dir.str(), "r" + std::to_string(run), bootstrap, topic);
    ASSERT_GT(child.pid, 0);
    ASSERT_NE(child.out, nullptr);
    char line[256];
    ASSERT_NE(std::fgets(line, sizeof line, child.out), nullptr)
        << "child did not start (run " << run << ")";
    ASSERT_STREQ(line, "READY\n");
    // Kill after a random number of acknowledgements (0 to 400), never waiting forever.
    const int kill_after = int(rng() % 400);
    for (int n = 0; n < kill_after && std::fgets(line, sizeof line, child.out); ++n) {
      std::string s(line);
      if (s.rfind("ACK ", 0) == 0) acked.insert(s.substr(4, s.size() - 5));
    }
    kill(child.pid, SIGKILL);
    // Anything already printed was acknowledged before the kill.
    while (std::fgets(line, sizeof line, child.out)) {
      std::string s(line);
      if (s.rfind("ACK ", 0) == 0 && s.back() == '\n') acked.insert(s.substr(4, s.size() - 5));
    }
    std::fclose(child.out);
    int status = 0;
    waitpid(child.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "run " << run << ": child exited on its own with " << status;
  }

  std::unique_ptr<store::EventLog> log = reopen(dir.str());
  ASSERT_NE(log, nullptr);
  std::map<std::string, int> valid;
  std::map<std::string, std::vector<v1::Event>> streams;
  store::CommitValidator validator;
  auto stats = store::ScanLog(*log, validator, [&](const store::ScannedCommit& s) {
    if (s.verdict != store::Verdict::kValid) return;
    ++valid[s.commit.commit_id()];
    auto& events = streams[s.commit.stream_id()];
    events.insert(events.end(), s.commit.events().begin(), s.commit.events().end());
  });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->void_commits, 0u);
  EXPECT_EQ(stats->malformed, 0u);
  EXPECT_GT(acked.size(), 100u) << "too few acknowledgements to mean anything";
  for (const std::string& id : acked) EXPECT_EQ(valid[id], 1) << "acknowledged commit " << id;
  for (const auto& [stream, events] : streams) {
    auto br = VerifyStream(events);
    EXPECT_FALSE(br.has_value()) << stream << " v" << br->stream_version << ": " << br->reason;
  }
  std::printf("crash test (%s): %zu acknowledged, %lu valid commits in the log, seed %u\n",
              bootstrap.empty() ? "embedded" : "kafka", acked.size(),
              static_cast<unsigned long>(stats->valid), seed);
}

TEST(CrashSafety, AcknowledgedCommitsSurviveSigkill) {
  KillWritersAndCheck(25, "", "", [](const std::string& dir) -> std::unique_ptr<store::EventLog> {
    auto log = store::EmbeddedLog::Open({.dir = dir, .partitions = 4});
    if (!log.ok()) ADD_FAILURE() << log.error().ToString();
    return log.ok() ? std::move(log).value() : nullptr;
  });
}

// With Kafka the writer is killed, not the broker.
TEST(CrashSafety, KafkaWriterKilledLosesNothingAcknowledged) {
  const std::string topic = "aidtrail.crash." + std::to_string(std::random_device{}());
  const std::string bootstrap = testing::SharedBroker().bootstrap();
  KillWritersAndCheck(8, bootstrap, topic,
                      [&](const std::string&) -> std::unique_ptr<store::EventLog> {
                        store::KafkaLogOptions o;
                        o.bootstrap = bootstrap;
                        o.topic = topic;
                        o.partitions = 4;
                        auto log = store::KafkaLog::Open(o);
                        if (!log.ok()) ADD_FAILURE() << log.error().ToString();
                        return log.ok() ? std::move(log).value() : nullptr;
                      });
}

}  // namespace
}  // namespace aidtrail
