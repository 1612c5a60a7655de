// Child process for projection_crash_test: folds the log into the view
// store in small chunks until caught up, printing progress; the parent
// kills it with SIGKILL at random moments.
#include <cstdio>

#include "events/store/embedded_log.h"
#include "projections/engine.h"
#include "tests/support/views.h"

int main(int argc, char** argv) {
  using namespace aidtrail;
  if (argc != 3) {
    std::fprintf(stderr, "usage: projection_child LOG_DIR VIEW_DIR\n");
    return 2;
  }
  auto log = store::EmbeddedLog::Open({.dir = argv[1]});
  if (!log.ok()) return std::fprintf(stderr, "%s\n", log.error().ToString().c_str()), 1;
  auto engine = projections::Engine::Open(argv[2], testing::AllViews());
  if (!engine.ok()) return std::fprintf(stderr, "%s\n", engine.error().ToString().c_str()), 1;
  std::puts("READY");
  std::fflush(stdout);
  for (;;) {
    auto n = (*engine)->Step(**log, 7);
    if (!n.ok()) return std::fprintf(stderr, "%s\n", n.error().ToString().c_str()), 1;
    if (*n == 0) return 0;
    std::printf("STEP %lu\n", static_cast<unsigned long>(*n));
    std::fflush(stdout);
  }
}
