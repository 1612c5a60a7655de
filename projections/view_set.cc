#include "projections/view_set.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace aidtrail::projections {
namespace fs = std::filesystem;

namespace {

// The view named `name` and the views it reads, transitively, in
// registration order; an error naming the valid names if there is none.
Result<std::vector<std::unique_ptr<View>>> WithDependencies(std::vector<std::unique_ptr<View>> all,
                                                            const std::string& name) {
  std::set<std::string> wanted = {name};
  bool known = false;
  // Dependencies are registered before the views that read them, so one
  // pass from the back closes the set.
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (!wanted.contains((*it)->name())) continue;
    known = known || (*it)->name() == name;
    for (const auto& d : (*it)->dependencies()) wanted.insert(d);
  }
  if (!known) {
    std::string names;
    for (const auto& v : all) names += (names.empty() ? "" : ", ") + v->name();
    return MakeError(ErrorKind::kNotFound, "views.unknown",
                     "no view named \"" + name + "\"; valid names: " + names,
                     "没有名为“" + name + "”的视图，可选：" + names);
  }
  std::vector<std::unique_ptr<View>> chosen;
  for (auto& v : all)
    if (wanted.contains(v->name())) chosen.push_back(std::move(v));
  return chosen;
}

}  // namespace

std::string ViewSet::GenerationDir(int n) const {
  return (fs::path(root_) / ("gen-" + std::to_string(n))).string();
}

Result<std::unique_ptr<ViewSet>> ViewSet::Open(const std::string& root, store::EventLog& log,
                                               ViewFactory views) {
  std::unique_ptr<ViewSet> set(new ViewSet(root, log, std::move(views)));
  std::error_code ec;
  fs::create_directories(root, ec);
  int gen = 1;
  if (std::ifstream in(fs::path(root) / "CURRENT"); in) in >> gen;
  auto engine = Engine::Open(set->GenerationDir(gen), set->views_());
  if (!engine.ok()) return engine.error();
  set->current_ = std::move(engine).value();
  set->generation_ = gen;
  // Generations left behind by an interrupted rebuild are incomplete.
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (entry.is_directory() && entry.path().filename() != ("gen-" + std::to_string(gen)))
      fs::remove_all(entry.path(), ec);
  return set;
}

ViewSet::~ViewSet() { StopTailing(); }

std::shared_ptr<Engine> ViewSet::Snapshot() const {
  std::lock_guard lock(mu_);
  return current_;
}

int ViewSet::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

Result<uint64_t> ViewSet::CatchUp() {
  std::lock_guard fold(fold_mu_);
  return Snapshot()->CatchUp(log_);
}

int64_t ViewSet::Lag() const {
  auto lag = Snapshot()->Lag(log_);
  return lag.ok() ? *lag : -1;
}

void ViewSet::StartTailing(std::chrono::milliseconds idle_poll) {
  if (tailing_.exchange(true)) return;
  tail_ = std::thread([this, idle_poll] {
    while (tailing_) {
      uint64_t folded = 0;
      {
        std::lock_guard fold(fold_mu_);
        auto n = Snapshot()->Step(log_, 512);
        folded = n.ok() ? *n : 0;
      }
      if (folded > 0) {
        Folded();
        continue;
      }
      std::unique_lock lock(wake_mu_);
      wake_cv_.wait_for(lock, idle_poll, [&] { return woken_ || !tailing_; });
      woken_ = false;
    }
  });
}

void ViewSet::SetFoldListener(std::function<void()> listener) {
  std::lock_guard lock(listener_mu_);
  listener_ = std::move(listener);
}

void ViewSet::Folded() {
  std::lock_guard lock(listener_mu_);
  if (listener_) listener_();
}

void ViewSet::Wake() {
  {
    std::lock_guard lock(wake_mu_);
    woken_ = true;
  }
  wake_cv_.notify_one();
}

void ViewSet::StopTailing() {
  if (!tailing_.exchange(false)) return;
  Wake();
  if (tail_.joinable()) tail_.join();
}

Result<RebuildProgress> ViewSet::StartProgress() const {
  RebuildProgress p;
  for (int32_t i = 0; i < log_.partitions(); ++i) {
    auto end = log_.EndOffset(i);
    if (!end.ok()) return end.error();
    p.total += uint64_t(*end);
  }
  return p;
}

Status ViewSet::Rebuild(const std::function<void(const RebuildProgress&)>& progress) {
  std::lock_guard rebuilding(rebuild_mu_);
  const int next = generation() + 1;
  const std::string dir = GenerationDir(next);
  std::error_code ec;
  fs::remove_all(dir, ec);
  auto fresh = Engine::Open(dir, views_());
  if (!fresh.ok()) return fresh.error();
  std::shared_ptr<Engine> engine = std::move(fresh).value();
  auto started = StartProgress();
  if (!started.ok()) return started.error();
  RebuildProgress p = *started;
  // Fold the bulk while the current generation keeps serving and tailing.
  for (;;) {
    auto n = engine->Step(log_, 4096);
    if (!n.ok()) return n.error();
    if (*n == 0) break;
    p.folded += *n;
    if (progress) progress(p);
  }
  // Catch up the last records with tailing paused, then swap.
  {
    std::lock_guard fold(fold_mu_);
    auto n = engine->CatchUp(log_);
    if (!n.ok()) return n.error();
    p.folded += *n;
    const fs::path tmp = fs::path(root_) / "CURRENT.tmp";
    {
      std::ofstream out(tmp);
      out << next << "\n";
      out.flush();
      if (!out)
        return MakeError(ErrorKind::kUnavailable, "views.current", "cannot write " + tmp.string(),
                         "无法写入视图版本文件");
    }
    fs::rename(tmp, fs::path(root_) / "CURRENT", ec);  // atomic on POSIX
    if (ec)
      return MakeError(ErrorKind::kUnavailable, "views.current", ec.message(),
                       "无法切换视图版本：" + ec.message());
    std::shared_ptr<Engine> old;
    {
      std::lock_guard lock(mu_);
      old = std::move(current_);
      current_ = engine;
      generation_ = next;
    }
    Folded();
    std::weak_ptr<Engine> watch = old;
    old.reset();  // readers still holding it keep it alive until they finish
    // Delete the old generation now if nobody reads it; otherwise the next
    // Open deletes it.
    if (watch.expired()) fs::remove_all(GenerationDir(next - 1), ec);
  }
  if (progress) progress(p);
  return {};
}

}  // namespace aidtrail::projections

namespace aidtrail::projections {

std::vector<std::string> ViewSet::view_names() const {
  std::vector<std::string> names;
  for (const auto& v : views_()) names.push_back(v->name());
  return names;
}

Status ViewSet::Rebuild(const std::string& view,
                        const std::function<void(const RebuildProgress&)>& progress) {
  std::lock_guard rebuilding(rebuild_mu_);
  auto chosen = WithDependencies(views_(), view);
  if (!chosen.ok()) return chosen.error();
  // Only rebuilds replace the engine, and they take turns: `live` stays current.
  const std::shared_ptr<Engine> live = Snapshot();
  auto scratch = live->Scratch(std::move(chosen).value());
  if (!scratch.ok()) return scratch.error();
  Engine& fresh = **scratch;
  auto started = StartProgress();
  if (!started.ok()) return started.error();
  RebuildProgress p = *started;
  // Fold the bulk while the live engine keeps serving and tailing.
  for (;;) {
    auto n = fresh.Step(log_, 4096);
    if (!n.ok()) return n.error();
    if (*n == 0) break;
    p.folded += *n;
    if (progress) progress(p);
  }
  {
    // With tailing paused, bring both to the same positions: the live one
    // to the end of the log (so the scratch one, which read an earlier end,
    // is not ahead), then the scratch one to exactly there.
    std::lock_guard fold(fold_mu_);
    if (auto n = live->CatchUp(log_); !n.ok()) return n.error();
    std::vector<int64_t> positions;
    for (int32_t i = 0; i < log_.partitions(); ++i) positions.push_back(live->Position(i));
    auto n = fresh.CatchUpTo(log_, positions);
    if (!n.ok()) return n.error();
    p.folded += *n;
    auto next = live->Adopt(fresh, {view}, log_.partitions());
    if (!next.ok()) return next.error();
    std::lock_guard lock(mu_);
    current_ = std::move(next).value();
  }
  if (progress) progress(p);
  return {};
}

}  // namespace aidtrail::projections
