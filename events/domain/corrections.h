// Corrections that correct (更正记录): which facts of a case a correction may
// change, who may change each (part of the command catalogue), and how the
// corrected value replaces the old one in the case's state, so that from the
// correction on every rule and view uses it. The original event stays in
// the log beside the correction.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aidtrail/v1/envelope.pb.h"
#include "events/core/result.h"
#include "events/domain/case_state.h"
#include "events/domain/policy.h"

namespace aidtrail::domain {

struct CorrectableField {
  const char* name;      // EventCorrected.field, e.g. "criminal_stage"
  const char* label_zh;  // 刑事诉讼阶段
  std::vector<v1::Role> roles;
  // The field of the corrected event's payload that holds the original
  // value, where its name differs (QualityReviewed.grade); else nullptr.
  const char* payload_field = nullptr;
};

std::span<const CorrectableField> CorrectableFields();
// nullptr when the field may not be corrected.
const CorrectableField* FindCorrectableField(std::string_view name);

// Checks a correction against the catalogue: the field may be corrected, by
// this role, to a value of its kind (enum values by name, e.g.
// "CRIMINAL_STAGE_TRIAL"; regions as six-digit codes; amounts as whole fen).
Status CheckCorrection(const v1::EventCorrected& correction, v1::Role role);

// A grade is corrected on the case's latest quality review, an amount
// recovered on its closure: the correction must point at that event, so
// that the figure counted from it can follow the correction. A receipt day
// moved across a change of exemption list (an application is judged by the
// list in force on the day it was received) is a supervisor's correction,
// and never one under an approval that rested on the list.
Status CheckCorrectionTarget(const CaseState& s, const v1::EventCorrected& correction,
                             const PolicyState& policy, v1::Role role);

// Folds a correction into the case (EvolveCase). REQUIRES: it was checked.
void ApplyCorrection(CaseState& s, const v1::EventCorrected& correction);

}  // namespace aidtrail::domain
