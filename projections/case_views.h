// Case views: the timeline of every stream (every event in order, with
// actor, times and hashes) and the case summary with its list indexes
// (by stage, lawyer, receiving agency, date received).
#pragma once

#include <mutex>
#include <unordered_map>

#include "aidtrail/v1/views.pb.h"
#include "events/domain/case_state.h"
#include "projections/engine.h"

namespace aidtrail::projections {

inline constexpr char kTimeline[] = "timeline";  // stream \0 version(BE) -> Event
inline constexpr char kCases[] = "cases";        // case stream -> CaseSummary
inline constexpr char kCaseIndex[] = "case_idx"; // see IndexKeys()

std::string TimelineKey(const std::string& stream, uint64_t version);

class TimelineView final : public View {
 public:
  [[nodiscard]] std::vector<std::string> families() const override { return {kTimeline}; }
  void Apply(const ingest::ScannedCommit& commit, Batch& batch) override;
};

class CaseSummaryView final : public View {
 public:
  [[nodiscard]] std::vector<std::string> families() const override { return {kCases, kCaseIndex}; }
  void Apply(const ingest::ScannedCommit& commit, Batch& batch) override;
  void Reset() override {
    std::lock_guard lock(mu_);
    states_.clear();
  }

 private:
  using States = std::unordered_map<std::string, domain::CaseState>;
  // A stream lives in one partition, and partitions may be folded by
  // different threads: each partition has its own cache.
  States& ForPartition(int32_t partition);
  domain::CaseState& Load(States& states, const std::string& stream, const Batch& batch, uint64_t stored_version);

  std::mutex mu_;  // guards the outer map only
  std::unordered_map<int32_t, States> states_;
};

// The stored part of a summary (no deadlines or loop: those depend on the clock).
v1::CaseSummary Summarize(const std::string& stream, const domain::CaseState& state, const std::string& agency);
// Index entries of a summary: "stage\0<stage>\0<received>\0<case>", and likewise
// "lawyer", "agency", "received".
std::vector<std::string> IndexKeys(const v1::CaseSummary& s);

// Folds a stream's events from the timeline (for queries and cache misses).
void FoldTimeline(const ViewStore& store, const std::string& stream, const std::function<void(const v1::Event&)>& fn);

}  // namespace aidtrail::projections
