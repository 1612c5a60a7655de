// Business time against the writer's clock. `occurred_at` is what the person
// recording claims; `recorded_at` is the writer's clock, the one time nobody
// can choose. A step dated in the future is refused; one dated further in
// the past than its kind's window is a late entry (补录): refused unless the
// command declares it with a reason, and then marked in every event.
// History loaded by `aidtrail import` is a migration, not a late entry.
// The windows are policy (DeadlineRulesSet); the defaults and why they are
// what they are: events/README.md, "Business time".
#pragma once

#include <optional>

#include "aidtrail/v1/commands.pb.h"
#include "events/core/civil_date.h"
#include "events/domain/policy.h"

namespace aidtrail::domain {

inline constexpr int kDefaultFutureSkewSeconds = 300;
inline constexpr int kDefaultLateEntryWindowMinutes = 24 * 60;

// The window a command kind may be recorded after it happened without a
// declaration: the policy's, else the documented default for the kind.
int LateEntryWindowMinutes(const v1::DeadlineRulesSet& rules, v1::Command::KindCase kind);
int FutureSkewSeconds(const v1::DeadlineRulesSet& rules);

// What the command's events must carry about their time.
struct EntryTime {
  std::optional<v1::LateEntry> late_entry;
  std::optional<v1::Migration> migration;
};

// REQUIRES: the command has occurred_at (Authorize checked it).
Result<EntryTime> CheckEntryTime(const v1::Command& command, Instant recorded_at,
                                 const PolicyState& policy);

// Validates the business-time part of a SetDeadlineRules command.
Status CheckEntryRules(const v1::DeadlineRulesSet& rules);

// "2024-03-04 09:00" in China Standard Time.
std::string CstMinute(Instant t);

}  // namespace aidtrail::domain
