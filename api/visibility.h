// Read-your-writes: a command's answer is sent once the views have folded
// its commit, so a clerk who records something and then opens the case sees
// it. One thread watches the projection positions for the commands waiting,
// woken by each fold of the views (ViewSet::SetFoldListener), a new waiter
// or the nearest deadline — never by a polling timer;
// a command whose commit is not visible within the time limit is answered
// anyway (it is durable; only the views are behind, which /readyz and the
// lag metric report).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "events/store/event_log.h"
#include "projections/view_set.h"

namespace aidtrail::api {

class VisibilityWaiter {
 public:
  explicit VisibilityWaiter(projections::ViewSet& views,
                            std::chrono::milliseconds limit = std::chrono::milliseconds(2000));
  ~VisibilityWaiter() { Shutdown(); }
  // Answers everything still waiting and stops the thread; idempotent. Call
  // it while whoever receives the answers (the HTTP server) still exists.
  void Shutdown();

  // Runs `done` (on the waiter's thread, or at once) when the record at
  // `position` has been folded, or when the time limit passes.
  void Wait(store::Position position, std::function<void()> done);

 private:
  struct Waiting {
    store::Position position;
    std::chrono::steady_clock::time_point deadline;
    std::function<void()> done;
  };
  void Loop();

  projections::ViewSet& views_;
  const std::chrono::milliseconds limit_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Waiting> waiting_;
  bool stop_ = false;
  bool changed_ = false;  // a fold or a new waiter since the last look
  std::thread thread_;
};

}  // namespace aidtrail::api
