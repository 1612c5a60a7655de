// The case subsidy formula (Guangdong's method, as policy data): for every
// stage a lawyer handled, the stage's base amount times the regional
// factor of the centre, the quality adjustment of the closing grade and
// the share of the stage the lawyer earned. Pure: the same record and
// policy always give the same lines, so an approval can be recomputed by
// anyone from the log (the lines carry every input).
//
// Who handled what comes from the case's tenures (CaseState::tenures): a
// criminal case's stages run from the stage of receipt to the stage of
// closure; a replacement names the stage of the handover, which the
// leaving lawyer did not finish and the new lawyer takes on. Other cases
// are one stage, the whole matter.
#pragma once

#include <string>
#include <vector>

#include "aidtrail/v1/case_events.pb.h"
#include "events/core/result.h"
#include "events/domain/case_state.h"
#include "events/domain/policy.h"

namespace aidtrail::domain {

struct SubsidyComputation {
  std::vector<v1::SubsidyLine> lines;             // in stage order; none: nothing earned
  int64_t amount_fen = 0;                         // the sum of the lines
  std::string firm_id;                            // the lawyer's firm on the latest tenure
  std::string method_effective_from;              // "" when no method was in force
  CivilDate day;                                  // the day whose standards applied
  [[nodiscard]] std::string StandardKey() const;  // the latest stage's key
};

// The regional factor of a centre's region: the method's longest matching
// prefix; none (or no method): 1000 and an empty prefix.
struct RegionFactor {
  std::string prefix;
  int32_t permille = 1000;
};
RegionFactor RegionOf(const v1::SubsidyMethodSet* method, const std::string& region);
// The quality adjustment of a grade; 1000 without a method or a grade.
int32_t GradeFactor(const v1::SubsidyMethodSet* method, v1::QualityGrade grade);

// The standard key of a category and criminal stage, e.g. "criminal/trial".
std::string SubsidyStandardKey(v1::CaseCategory category, v1::CriminalStage stage);

// What `lawyer_id` has earned on a case that is closed or terminated, by
// the standards and method in force on the day it was closed (or
// terminated). Errors: subsidy.no_standard when a stage has no standard
// that day. An empty computation is not an error: the caller says why
// nothing is owed.
Result<SubsidyComputation> ComputeSubsidy(const CaseState& s, const PolicyState& policy,
                                          const std::string& lawyer_id);

// amount = base x region x grade x share / 1000^3, rounded half up.
int64_t SubsidyLineAmount(int64_t base_fen, int32_t region_permille, int32_t grade_permille,
                          int32_t share_permille);

}  // namespace aidtrail::domain
