#include "api/visibility.h"

#include <algorithm>

namespace aidtrail::api {

VisibilityWaiter::VisibilityWaiter(projections::ViewSet& views, std::chrono::milliseconds limit)
    : views_(views), limit_(limit), thread_([this] { Loop(); }) {
  views_.SetFoldListener([this] {
    {
      std::lock_guard lock(mu_);
      changed_ = true;
    }
    wake_.notify_all();
  });
}

void VisibilityWaiter::Shutdown() {
  views_.SetFoldListener({});
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void VisibilityWaiter::Wait(store::Position position, std::function<void()> done) {
  if (views_.Snapshot()->Position(position.partition) > position.offset) return done();
  {
    std::lock_guard lock(mu_);
    waiting_.push_back({position, std::chrono::steady_clock::now() + limit_, std::move(done)});
    changed_ = true;
  }
  views_.Wake();  // the tailer may be sleeping; this record is ours to show
  wake_.notify_all();
}

void VisibilityWaiter::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    // Until a fold, a new waiter, the nearest deadline, or the stop.
    const auto woken = [this] { return stop_ || changed_; };
    if (waiting_.empty()) {
      wake_.wait(lock, woken);
    } else {
      auto until = waiting_.front().deadline;
      for (const auto& w : waiting_) until = std::min(until, w.deadline);
      wake_.wait_until(lock, until, woken);
    }
    changed_ = false;
    std::vector<std::function<void()>> ready;
    const auto engine = views_.Snapshot();
    const auto now = std::chrono::steady_clock::now();
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (stop_ || now >= it->deadline ||
          engine->Position(it->position.partition) > it->position.offset) {
        ready.push_back(std::move(it->done));
        it = waiting_.erase(it);
      } else {
        ++it;
      }
    }
    const bool stopping = stop_;
    lock.unlock();
    for (auto& f : ready) f();
    if (stopping) return;
    lock.lock();
    if (stop_ && waiting_.empty()) return;
  }
}

}  // namespace aidtrail::api
