// The case decider: Decide(command, state, context) -> events | error.
// Pure: the time is the command's occurred_at, the rules and the other
// aggregates it reads (policy, lawyers, budgets) come in the context.
#pragma once

#include "aidtrail/v1/commands.pb.h"
#include "events/domain/budget.h"
#include "events/domain/case_state.h"
#include "events/domain/decision.h"
#include "events/domain/documents.h"
#include "events/domain/policy.h"
#include "events/domain/roster.h"

namespace aidtrail::domain {

struct CaseContext {
  const PolicyState& policy;
  const Roster& roster;
  const Budgets& budgets;
  const DocumentRegister& documents;
};

// REQUIRES: Authorize(command) succeeded and command.stream_id is a case stream.
Result<Decision> DecideCase(const v1::Command& command, const CaseState& state,
                            const CaseContext& ctx);

}  // namespace aidtrail::domain
