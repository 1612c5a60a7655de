// The decision model: aggregates' state folded from the log, and Decide()
// for any command against it. It performs no I/O and reads no clock.
//
// A writer keeps the shared state (roster, budgets, policy) whole and the
// streams' own state as a cache: a stream that is not resident is loaded
// (Load) from the events its store holds before it is decided or folded,
// and Evict drops the least recently used ones (ingest/writer_store.h).
// Without a store every stream stays resident, as for verify and tests.
//
// Thread safety: none; one writer owns a Model.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "aidtrail/v1/envelope.pb.h"
#include "aidtrail/v1/writer_state.pb.h"
#include "events/domain/budget.h"
#include "events/domain/case_state.h"
#include "events/domain/decision.h"
#include "events/domain/documents.h"
#include "events/domain/policy.h"
#include "events/domain/roster.h"
#include "events/domain/services.h"

namespace aidtrail::domain {

class Model {
 public:
  // Folds one event. REQUIRES: events arrive in log order, each stream's
  // versions consecutive from 1.
  void Apply(const v1::Event& event);

  // Authorises the command, checks its business time against the writer's
  // clock `recorded_at` (entry_time.h), checks expected_version and runs the
  // decider of the command's aggregate. `recorded_at` is an argument, never
  // read here: the same log, command and clock give the same decision.
  [[nodiscard]] Result<Decision> Decide(const v1::Command& command, Instant recorded_at) const;

  // What one stream's decisions can change: that stream, and the shared
  // roster, budgets, document register and policy. Restoring undoes commands folded since.
  struct Savepoint {
    std::string stream_id;
    std::optional<CaseState> case_state;
    std::optional<ServiceState> service_state;
    uint64_t version = 0;
    PolicyState policy;
    Roster roster;
    Budgets budgets;
    DocumentRegister documents;
  };
  [[nodiscard]] Savepoint Save(const std::string& stream_id) const;
  void Restore(Savepoint savepoint);

  [[nodiscard]] uint64_t Version(const std::string& stream_id) const;
  [[nodiscard]] const CaseState* Case(const std::string& stream_id) const;
  [[nodiscard]] const PolicyState& policy() const { return policy_; }
  [[nodiscard]] const Roster& roster() const { return roster_; }
  [[nodiscard]] const Budgets& budgets() const { return budgets_; }
  // Counts the folded events that changed state other streams' decisions
  // read (the roster, budgets and policy). A writer with several
  // partitions compares it before and after folding a commit: such a
  // commit, until known valid, must not be read by decisions on another
  // partition (ARCHITECTURE.md, "Several writers, one owner").
  [[nodiscard]] uint64_t shared_changes() const { return shared_changes_; }

  // Folds only what other streams' decisions read (roster, budgets,
  // policy): a writer's record of the shared state as of its log position.
  void ApplyShared(const v1::Event& event);
  // The roster and budgets, as stored; the policy is folded from its events.
  void ExportShared(v1::SharedStateSnapshot& out) const;
  void ImportShared(const v1::SharedStateSnapshot& in);

  // Whether a stream's own state is in memory (known, with its version).
  // The roster's, budgets' and policy streams are always resident once seen.
  [[nodiscard]] bool Resident(const std::string& stream_id) const;
  // Makes a stream resident from its events (all of them, in order; none
  // for a stream whose state no rule reads, such as access/…, which only
  // needs its version). Shared state is not touched: it already holds them.
  void Load(const std::string& stream_id, uint64_t version, const std::vector<v1::Event>& events);
  // Marks a resident stream used (for Evict's order).
  void Touch(const std::string& stream_id);
  // Drops least recently used streams until at most `keep` are resident,
  // never one `pinned` names or a shared one.
  void Evict(size_t keep, const std::function<bool(const std::string&)>& pinned);
  [[nodiscard]] size_t resident() const { return used_.size(); }

 private:
  PolicyState policy_;
  Roster roster_;
  [[nodiscard]] Result<Decision> DecideStream(const v1::Command& command) const;

  Budgets budgets_;
  DocumentRegister documents_;
  std::map<std::string, CaseState> cases_;
  std::map<std::string, ServiceState> services_;
  std::map<std::string, uint64_t> versions_;
  // Evictable streams (not the shared ones) by last use.
  std::unordered_map<std::string, uint64_t> used_;
  uint64_t tick_ = 0;
  uint64_t shared_changes_ = 0;
};

// Wraps a decision's payloads into envelopes for `command`'s stream, with
// versions following `current_version` and event ids derived from the
// command id (so a retried command yields the same ids). Hashes, recorded_at
// and causation are the writer's to fill.
std::vector<v1::Event> ToEvents(const v1::Command& command, const Decision& decision,
                                uint64_t current_version);

}  // namespace aidtrail::domain
