// Who qualifies for legal aid: Art. 32 (no economic condition), the
// exemption list in force (Art. 42 and the district's wider list), the
// Guangdong hardship test, and the integrity commitment (告知承诺).
#pragma once

#include "aidtrail/v1/commands.pb.h"
#include "events/domain/case_state.h"
#include "events/domain/policy.h"

namespace aidtrail::domain {

// Art. 32 grounds: statutory, not policy.
bool IsNoConditionGround(v1::EligibilityGround g);

// The hardship test for an application received in `year` in `region`.
// Fails only when no standard is in force for that region and year.
Result<v1::HardshipAssessment> AssessHardship(const v1::HardshipEvidence& evidence,
                                              const std::string& region, int year,
                                              const PolicyState& policy);

// Whether what the case records supports an exemption ground: the
// migrant worker's wage or work-injury claim, the applicant's age, a
// disability, a proven entitlement, the matter type (domain.md, "Rules
// made precise"). Art. 32 grounds rest on the materials and pass.
Status CheckGroundFacts(v1::EligibilityGround ground, const CaseState& c);

// The approval an Approve command may record, or why it may not.
Result<v1::ApplicationApproved> DecideApproval(const v1::ReviewApplication::Approve& approve,
                                               const CaseState& c, const PolicyState& policy);

// Whether this centre may accept the case (市域通办 and ordinary jurisdiction).
Status CheckJurisdiction(const CaseState& c, const PolicyState& policy);

}  // namespace aidtrail::domain
