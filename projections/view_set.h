// The live set of views a server reads: a projection engine over a view
// store in a generation directory (<root>/gen-<n>, named by <root>/CURRENT),
// a tailing thread that keeps it caught up with the log, and rebuild:
// a fresh generation is folded from offset 0 while the current one keeps
// serving and tailing, then swapped in atomically — readers holding the old
// snapshot finish undisturbed — and the old generation is deleted.
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
  static Result<std::unique_ptr<ViewSet>> Open(const std::string& root, store::EventLog& log, ViewFactory views);
  ~ViewSet();  // stops tailing

  // The engine to read from; stays valid while held, across swaps.
  [[nodiscard]] std::shared_ptr<Engine> Snapshot() const;

  // Starts / stops the thread that folds new records as they arrive.
  void StartTailing(std::chrono::milliseconds idle_poll = std::chrono::milliseconds(20));
  void StopTailing();
  // Folds everything in the log now (for tools and tests).
  Result<uint64_t> CatchUp();
  // Records in the log not yet folded; -1 if the log cannot be read.
  [[nodiscard]] int64_t Lag() const;

  // Rebuilds every view into a new generation and swaps it in.
  Status Rebuild(const std::function<void(const RebuildProgress&)>& progress = {});

  [[nodiscard]] int generation() const;

 private:
  ViewSet(std::string root, store::EventLog& log, ViewFactory views)
      : root_(std::move(root)), log_(log), views_(std::move(views)) {}
  std::string GenerationDir(int n) const;

  const std::string root_;
  store::EventLog& log_;
  const ViewFactory views_;

  mutable std::mutex mu_;  // guards current_ and generation_
  std::shared_ptr<Engine> current_;
  int generation_ = 0;
  std::mutex fold_mu_;     // one folder at a time per generation swap

  std::atomic<bool> tailing_{false};
  std::thread tail_;
};

}  // namespace aidtrail::projections
