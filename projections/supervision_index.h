// What the supervision queue filters on — which deadlines are overdue,
// which loop steps need action, which deadlines reach a year with no
// holiday calendar (projections::Attention) — for every case, held in
// memory and evaluated once per day, per policy version and per case
// version. A queue request then checks flags instead of evaluating every
// case of the history; only what it lists is read and evaluated in full.
//
// The store's change journal (ViewStore::ChangedSince) says which cases to
// evaluate again; a new day, a new policy version or a journal that moved
// on without us evaluates them all. The flags come from the same
// evaluation a summary shows (Evaluate, AttentionOf), so a list answered
// here is the list a scan of every summary gives (tests/projection_test.cc).
//
// Thread safety: every method may be called from any thread; one mutex,
// held while a refresh evaluates what changed, never while visiting.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/core/civil_date.h"
#include "projections/case_queries.h"
#include "projections/view_store.h"

namespace aidtrail::projections {

class SupervisionIndex {
 public:
  // The index every query of this process shares.
  static SupervisionIndex& Shared();

  // Calls visit(key, stream) — key as in the "received" index — for the
  // cases of `store` whose priority is `priority` and whose attention on
  // the day of `now` satisfies `filter` (Wanted), in that index's order
  // after `start_after`, until visit returns false. Returns false, having
  // visited nothing, for a day before the one the index last evaluated
  // (the caller then scans).
  bool Walk(const ViewStore& store, const CaseFilter& filter, Instant now, bool priority,
            const std::string& start_after,
            const std::function<bool(const std::string&, const std::string&)>& visit);
  // Calls fn with every case's attention on the day of `now` (for the
  // gauges), holding the index's lock: fn must be quick. False, calling
  // nothing, for a day before the one last evaluated.
  bool Tally(const ViewStore& store, Instant now, const std::function<void(const Attention&)>& fn);

 private:
  struct Entry {
    std::string stream;
    bool priority = false;
    Attention attention;
  };
  struct Memo {
    int32_t day = INT32_MIN;             // the day evaluated for; none yet
    uint64_t policy = 0;                 // the policy version evaluated under
    uint64_t seq = 0;                    // the store's change journal, read up to here
    std::map<std::string, Entry> cases;  // by received key
    std::unordered_map<std::string, std::string> keys;  // stream -> received key
  };
  // The memo of `store`, made if need be, brought to the day of `now`;
  // null for an earlier day. Called with mu_ held.
  Memo* Current(const ViewStore& store, Instant now);
  // Evaluates one case's summary `s` with its state into the memo.
  static void Put(Memo& memo, const std::string& stream, v1::CaseSummary s,
                  const domain::CaseState& state, const domain::PolicyState& policy, Instant now);
  // Every case again, in one pass over the timeline.
  static void Rebuild(const ViewStore& store, Memo& memo, const domain::PolicyState& policy,
                      Instant now);

  std::mutex mu_;
  std::map<uint64_t, Memo> memos_;  // by ViewStore::id
};

}  // namespace aidtrail::projections
