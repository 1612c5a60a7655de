// What a decider returns: the events a command produces, all appended in one
// commit, and the policy version the rules applied (empty if none did).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "aidtrail/v1/envelope.pb.h"
#include "events/core/result.h"

namespace aidtrail::domain {

struct Decision {
  std::vector<v1::EventPayload> events;
  std::string policy_version;
  // Stamped on every event: a late entry (补录) or a migration, by the
  // business-time rules (entry_time.h).
  std::optional<v1::LateEntry> late_entry;
  std::optional<v1::Migration> migration;
};

// Shorthands for the errors deciders return. `code` is stable; the messages
// tell a clerk what to do.
inline Error RuleError(std::string code, std::string en, std::string zh, std::string field = {}) {
  return MakeError(ErrorKind::kRuleViolation, std::move(code), std::move(en), std::move(zh),
                   std::move(field));
}
inline Error InputError(std::string code, std::string en, std::string zh, std::string field = {}) {
  return MakeError(ErrorKind::kInvalidArgument, std::move(code), std::move(en), std::move(zh),
                   std::move(field));
}
inline Error ConflictError(std::string code, std::string en, std::string zh) {
  return MakeError(ErrorKind::kConflict, std::move(code), std::move(en), std::move(zh));
}
inline Error NotFoundError(std::string code, std::string en, std::string zh) {
  return MakeError(ErrorKind::kNotFound, std::move(code), std::move(en), std::move(zh));
}

}  // namespace aidtrail::domain
