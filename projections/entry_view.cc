#include "projections/entry_view.h"

#include "projections/ledger_queries.h"
#include "projections/ledger_views.h"

namespace aidtrail::projections {

void EntryView::Apply(const store::ScannedCommit& commit, Batch& batch) {
  const int32_t p = commit.position.partition;
  for (const v1::Event& e : commit.commit.events()) {
    if (e.simulated_clock()) batch.Add(kEntries, CounterKey({"simulated"}, p), 1);
    if (e.has_migration()) batch.Add(kEntries, CounterKey({"migrated"}, p), 1);
    if (e.has_late_entry()) {
      const auto* f =
          v1::EventPayload::descriptor()->FindFieldByNumber(int(e.payload().kind_case()));
      batch.Add(kEntries, CounterKey({"late", f ? f->name() : "unknown"}, p), 1);
    }
  }
}

int64_t EntryCounts::late() const {
  int64_t n = 0;
  for (const auto& [step, k] : late_by_step) n += k;
  return n;
}

EntryCounts CountEntries(const ViewStore& store) {
  EntryCounts out;
  const std::string z(1, '\0');
  for (const auto& [k, v] : SumCounters(store, kEntries, "simulated" + z)) out.simulated_clock += v;
  for (const auto& [k, v] : SumCounters(store, kEntries, "migrated" + z)) out.migrated += v;
  out.late_by_step = SumCounters(store, kEntries, "late" + z);
  return out;
}

}  // namespace aidtrail::projections
