// Crash safety of the projections: the projector is killed with SIGKILL
// mid-fold many times; after it finally completes, every view's digest
// equals that of a clean rebuild.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "events/store/embedded_log.h"
#include "projections/engine.h"
#include "tests/support/district_log.h"
#include "tests/support/temp_dir.h"
#include "tests/support/views.h"

namespace aidtrail {
namespace {

TEST(ProjectionCrash, KilledMidFoldEqualsACleanRebuild) {
  const char* env = std::getenv("AIDTRAIL_SEED");
  const unsigned seed = env ? unsigned(std::stoul(env)) : std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed) + " (AIDTRAIL_SEED reproduces the kill points)");
  testing::TempDir dir;
  const std::string log_dir = (dir.path() / "log").string(), view_dir = (dir.path() / "views").string();
  {
    auto log = store::EmbeddedLog::Open({.dir = log_dir, .partitions = 4});
    ASSERT_TRUE(log.ok());
    ingest::DistrictGenerator gen({.seed = 11, .cases = 150, .consultations = 30, .duty_services = 20});
    testing::WriteDistrictYear(**log, gen);
  }
  int kills = 0;
  bool completed = false;
  for (int run = 0; run < 60 && !completed; ++run) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(AIDTRAIL_PROJECTION_CHILD, AIDTRAIL_PROJECTION_CHILD, log_dir.c_str(), view_dir.c_str(), nullptr);
      _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[128];
    ASSERT_NE(std::fgets(line, sizeof line, out), nullptr);
    const int steps = int(rng() % 6);
    bool eof = false;
    for (int i = 0; i < steps && !eof; ++i) eof = std::fgets(line, sizeof line, out) == nullptr;
    if (!eof && run < 40) {
      kill(pid, SIGKILL);
      ++kills;
    }
    while (std::fgets(line, sizeof line, out)) {
    }
    std::fclose(out);
    int status = 0;
    waitpid(pid, &status, 0);
    completed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    ASSERT_TRUE(completed || WIFSIGNALED(status)) << "projector failed, status " << status;
  }
  ASSERT_TRUE(completed);
  EXPECT_GT(kills, 10);

  auto log = store::EmbeddedLog::Open({.dir = log_dir});
  ASSERT_TRUE(log.ok());
  auto crashed = projections::Engine::Open(view_dir, testing::AllViews());
  auto clean = projections::Engine::Open((dir.path() / "clean").string(), testing::AllViews());
  ASSERT_TRUE(crashed.ok() && clean.ok());
  ASSERT_TRUE((*clean)->CatchUp(**log).ok());
  EXPECT_EQ((*crashed)->Lag(**log).value(), 0);
  for (const auto& f : (*clean)->store().families())
    EXPECT_EQ((*crashed)->store().Digest(f), (*clean)->store().Digest(f)) << "family " << f;
  std::printf("projection crash test: %d kills, seed %u\n", kills, seed);
}

}  // namespace
}  // namespace aidtrail
