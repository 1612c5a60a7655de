// The live set of views a server reads: a projection engine over a view
// store in a generation directory (<root>/gen-<n>, named by <root>/CURRENT),
// a tailing thread that keeps it caught up with the log, and rebuild:
// a fresh generation is folded from offset 0 while the current one keeps
// serving and tailing, then swapped in atomically — readers holding the old
// snapshot finish undisturbed — and the old generation is deleted.
//
// One view can be rebuilt alone, inside the current generation: it is
// folded from offset 0 into scratch column families, together with the
// views it reads (View::dependencies, whose scratch copies are then
// discarded, so every fact it reads is as of the same point of the log).
// With tailing paused, the live engine catches up with the log and the
// scratch one with the live positions; then a new engine serving the view
// from the scratch families replaces the snapshot, under the same lock as
// Snapshot(), so a reader sees the old families or the new ones, never a
// mix. The other views' families are shared, untouched. The old families
// are dropped when the last snapshot holding them is released.
//
// Thread safety: all methods may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "projections/engine.h"

namespace aidtrail::projections {

using ViewFactory = std::function<std::vector<std::unique_ptr<View>>()>;

struct RebuildProgress {
  uint64_t folded = 0;  // records folded into the new generation
  uint64_t total = 0;   // records in the log when the rebuild started
};

class ViewSet {
 public:
  static Result<std::unique_ptr<ViewSet>> Open(const std::string& root, store::EventLog& log,
                                               ViewFactory views);
  ~ViewSet();  // stops tailing

  // The engine to read from; stays valid while held, across swaps.
  [[nodiscard]] std::shared_ptr<Engine> Snapshot() const;

  // Starts / stops the thread that folds new records as they arrive. When
  // it finds nothing new it sleeps up to `idle_poll` (the delay before
  // another writer's records are seen), or until Wake().
  void StartTailing(std::chrono::milliseconds idle_poll = std::chrono::milliseconds(20));
  void StopTailing();
  // A record was just appended here: fold now, not after the idle sleep.
  // Thread-safe, never blocks.
  void Wake();
  // Calls `listener` after every step of the tailing thread that folded
  // records (on that thread: it must not block), so a waiter is woken by
  // the fold rather than polling the positions. One listener; an empty
  // function removes it, and returns only once no call is running.
  void SetFoldListener(std::function<void()> listener);
  // Folds everything in the log now (for tools and tests).
  Result<uint64_t> CatchUp();
  // Records in the log not yet folded; -1 if the log cannot be read.
  [[nodiscard]] int64_t Lag() const;

  // Rebuilds every view into a new generation and swaps it in (the fold
  // listener is called after the swap).
  Status Rebuild(const std::function<void(const RebuildProgress&)>& progress = {});
  // Rebuilds the view named `view` (see view_names()) into fresh column
  // families and swaps them in; error "views.unknown" for other names.
  Status Rebuild(const std::string& view,
                 const std::function<void(const RebuildProgress&)>& progress = {});
  // The views' names, in registration order.
  [[nodiscard]] std::vector<std::string> view_names() const;

  [[nodiscard]] int generation() const;

 private:
  ViewSet(std::string root, store::EventLog& log, ViewFactory views)
      : root_(std::move(root)), log_(log), views_(std::move(views)) {}
  std::string GenerationDir(int n) const;
  Result<RebuildProgress> StartProgress() const;

  const std::string root_;
  store::EventLog& log_;
  const ViewFactory views_;

  mutable std::mutex mu_;  // guards current_ and generation_
  std::shared_ptr<Engine> current_;
  int generation_ = 0;
  std::mutex fold_mu_;     // one folder at a time per generation swap
  std::mutex rebuild_mu_;  // one rebuild at a time

  std::atomic<bool> tailing_{false};
  std::thread tail_;
  std::mutex listener_mu_;  // guards listener_; held while it runs
  std::function<void()> listener_;
  void Folded();
  std::mutex wake_mu_;  // guards woken_
  std::condition_variable wake_cv_;
  bool woken_ = false;
};

}  // namespace aidtrail::projections
