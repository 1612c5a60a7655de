// Case views: the timeline of every stream (every event in order, with
// actor, times and hashes) and the case summary with its list indexes
// (by stage, lawyer, receiving agency, date received).
#pragma once

#include <mutex>
#include <optional>
#include <unordered_map>

#include "aidtrail/v1/views.pb.h"
#include "events/domain/case_state.h"
#include "projections/engine.h"
#include "projections/lru_cache.h"

namespace aidtrail::projections {

inline constexpr char kTimeline[] = "timeline";   // stream \0 version(BE) -> Event
inline constexpr char kCases[] = "cases";         // case stream -> CaseSummary
inline constexpr char kCaseIndex[] = "case_idx";  // see IndexKeys()

std::string TimelineKey(const std::string& stream, uint64_t version);

class TimelineView final : public View {
 public:
  [[nodiscard]] std::string name() const override { return "timeline"; }
  [[nodiscard]] std::vector<std::string> families() const override { return {kTimeline}; }
  void Apply(const store::ScannedCommit& commit, Batch& batch) override;
};

class CaseSummaryView final : public View {
 public:
  // Case states kept in memory per partition; a case not among them is
  // folded again from its timeline, so the cap bounds memory, not results.
  static constexpr size_t kDefaultCacheCap = 16384;
  explicit CaseSummaryView(size_t cache_cap = kDefaultCacheCap) : cache_cap_(cache_cap) {}

  [[nodiscard]] std::string name() const override { return "cases"; }
  [[nodiscard]] std::vector<std::string> families() const override { return {kCases, kCaseIndex}; }
  // A cache miss folds the case's events from the timeline.
  [[nodiscard]] std::vector<std::string> dependencies() const override { return {"timeline"}; }
  void Apply(const store::ScannedCommit& commit, Batch& batch) override;
  void Reset() override {
    std::lock_guard lock(mu_);
    states_.clear();
  }

 private:
  // A case's state and the summary stored for it (what the next commit's
  // index keys are compared with), so a fold neither reads nor parses it.
  struct Folded {
    domain::CaseState state;
    std::optional<v1::CaseSummary> stored;
  };
  using States = LruCache<Folded>;
  // A stream lives in one partition, and partitions may be folded by
  // different threads: each partition has its own cache.
  States& ForPartition(int32_t partition);
  Folded& Load(States& states, const std::string& stream, const Batch& batch);

  const size_t cache_cap_;
  std::mutex mu_;  // guards the outer map only
  std::unordered_map<int32_t, States> states_;
};

// The stored part of a summary (no deadlines or loop: those depend on the clock).
v1::CaseSummary Summarize(const std::string& stream, const domain::CaseState& state,
                          const std::string& agency);
// Index entries of a summary: "stage\0<stage>\0<received>\0<case>", and likewise
// "lawyer", "agency", "received"; "late\0<received>\0<case>" for a case with a
// late entry (补录); "corrected\0<received>\0<case>" for a corrected one.
std::vector<std::string> IndexKeys(const v1::CaseSummary& s);
// Its entry in the index of every case: "received\0<received>\0<case>".
std::string ReceivedKey(const v1::CaseSummary& s);

// Folds a stream's events from the timeline (for queries and cache misses).
void FoldTimeline(const ViewStore& store, const std::string& stream,
                  const std::function<void(const v1::Event&)>& fn);

}  // namespace aidtrail::projections
