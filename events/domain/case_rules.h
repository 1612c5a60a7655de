// Internal to the case decider: the rule groups and their shared checks.
#pragma once

#include <initializer_list>
#include <string>

#include "events/domain/case_decider.h"

namespace aidtrail::domain::case_rules {

// Everything a rule needs to know about the command being decided.
struct Input {
  const v1::Command& cmd;
  const CaseState& state;
  const CaseContext& ctx;
  Instant at;
  CivilDate day;
};

// Fails unless the case is in one of `stages`.
Status RequireStage(const Input& in, std::initializer_list<Stage> stages);
// Fails unless a lawyer-role actor is the case's own lawyer.
Status RequireOwnLawyer(const Input& in);
// Fails when `value` is empty.
Status Require(bool present, const std::string& field, const std::string& what_en,
               const std::string& what_zh);

Result<Decision> Intake(const Input& in);     // application, notification, materials, commitment
Result<Decision> Review(const Input& in);     // review, aid-first, objection, transfer, withdrawal
Result<Decision> Handling(const Input& in);   // assignment, hearings, supervision steps
Result<Decision> Closure(const Input& in);    // closing, termination, subsidies, corrections
Result<Decision> Documents(const Input& in);  // the centre's documents (documents.h)

Decision One(v1::EventPayload e, std::string policy_version = {});

}  // namespace aidtrail::domain::case_rules
