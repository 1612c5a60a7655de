// A real single-node Kafka broker for tests, run by ops/kafka/broker.sh in a
// fresh temporary directory. A test that needs Kafka and cannot get it
// fails; it is never skipped.
//
// The broker is a separate JVM. So that a crashed or killed test binary
// does not leave it running, each broker has a watchdog process that stops
// it (and removes its directory) as soon as the test process is gone.
#pragma once

#include <memory>
#include <string>

#include "events/core/result.h"

namespace aidtrail::testing {

class KafkaBroker {
 public:
  // Starts a broker; fails if it is not serving within about 90 s.
  static Result<std::unique_ptr<KafkaBroker>> Start();
  ~KafkaBroker();  // stops it and removes its directory

  KafkaBroker(const KafkaBroker&) = delete;
  KafkaBroker& operator=(const KafkaBroker&) = delete;

  [[nodiscard]] const std::string& bootstrap() const { return bootstrap_; }
  [[nodiscard]] const std::string& dir() const { return dir_; }

  Status Stop();     // clean shutdown (SIGTERM, then SIGKILL after 30 s)
  Status Restart();  // same port, same data

  // SIGSTOP / SIGCONT the broker's JVM: connections stay open but nothing
  // is answered, like a broker stuck in a long GC pause.
  Status Pause();
  Status Resume();

 private:
  KafkaBroker() = default;

  std::string dir_;
  std::string bootstrap_;
  int watchdog_fd_ = -1;  // closing it, or our exit, sets the watchdog off
  int watchdog_pid_ = -1;
  bool paused_ = false;
};

// One broker per test binary, started on first use and stopped at exit. If
// it cannot start, the calling test fails (with the reason) — never skips.
KafkaBroker& SharedBroker();

}  // namespace aidtrail::testing
