// How the log's events were recorded, for /healthz, /metrics and anyone
// wondering whether to trust recorded_at: events on a simulated writer
// clock (demo data), late entries (补录) by step, and migrated history.
// Counters per partition, summed at query time.
#pragma once

#include <map>
#include <string>

#include "projections/engine.h"

namespace aidtrail::projections {

inline constexpr char kEntries[] = "entries";

class EntryView final : public View {
 public:
  [[nodiscard]] std::string name() const override { return "entries"; }
  [[nodiscard]] std::vector<std::string> families() const override { return {kEntries}; }
  void Apply(const store::ScannedCommit& commit, Batch& batch) override;
};

struct EntryCounts {
  int64_t simulated_clock = 0;                  // events recorded on a simulated writer clock
  int64_t migrated = 0;                         // events loaded by `aidtrail import`
  std::map<std::string, int64_t> late_by_step;  // late entries, by event (e.g. "hearing_held")
  [[nodiscard]] int64_t late() const;
};

EntryCounts CountEntries(const ViewStore& store);

}  // namespace aidtrail::projections
