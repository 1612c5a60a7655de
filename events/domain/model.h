// The decision model: every aggregate's state folded from the log, and
// Decide() for any command against it. This is what a writer keeps in
// memory for the streams it owns; it performs no I/O and reads no clock.
//
// Thread safety: none; one writer owns a Model.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "aidtrail/v1/envelope.pb.h"
#include "events/domain/budget.h"
#include "events/domain/case_state.h"
#include "events/domain/decision.h"
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
  // roster, budgets and policy. Restoring undoes commands folded since.
  struct Savepoint {
    std::string stream_id;
    std::optional<CaseState> case_state;
    std::optional<ServiceState> service_state;
    uint64_t version = 0;
    PolicyState policy;
    Roster roster;
    Budgets budgets;
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

 private:
  PolicyState policy_;
  Roster roster_;
  [[nodiscard]] Result<Decision> DecideStream(const v1::Command& command) const;

  Budgets budgets_;
  std::map<std::string, CaseState> cases_;
  std::map<std::string, ServiceState> services_;
  std::map<std::string, uint64_t> versions_;
  uint64_t shared_changes_ = 0;
};

// Wraps a decision's payloads into envelopes for `command`'s stream, with
// versions following `current_version` and event ids derived from the
// command id (so a retried command yields the same ids). Hashes, recorded_at
// and causation are the writer's to fill.
std::vector<v1::Event> ToEvents(const v1::Command& command, const Decision& decision,
                                uint64_t current_version);

}  // namespace aidtrail::domain
