#include "events/domain/eligibility.h"

#include "events/core/types.h"

namespace aidtrail::domain {

bool IsNoConditionGround(v1::EligibilityGround g) {
  switch (g) {
    case v1::ELIGIBILITY_GROUND_HERO_MARTYR_RELATIVE:
    case v1::ELIGIBILITY_GROUND_GOOD_SAMARITAN:
    case v1::ELIGIBILITY_GROUND_STATE_COMPENSATION_RETRIAL:
    case v1::ELIGIBILITY_GROUND_ABUSE_ABANDONMENT_DV:
      return true;
    default:
      return false;
  }
}

Result<v1::HardshipAssessment> AssessHardship(const v1::HardshipEvidence& ev, const std::string& region,
                                              int year, const PolicyState& policy) {
  const v1::HardshipStandardSet* std_ = policy.Hardship(region, year);
  if (std_ == nullptr)
    return RuleError("eligibility.no_hardship_standard",
                     "no hardship standard is in force for region " + region + " in " + std::to_string(year) +
                         "; the administrator must publish it",
                     "地区" + region + "尚未公布" + std::to_string(year) + "年度经济困难标准，请管理员先录入",
                     "policy");
  if (ev.household_size() <= 0 || ev.monthly_income_per_member_fen() < 0)
    return InputError("eligibility.evidence_incomplete",
                      "hardship evidence needs the household size and the monthly income per member",
                      "经济困难审查须填写家庭人口数和家庭成员月人均可支配收入",
                      "review.approve.evidence");
  const int percent = ev.special_hardship() ? std_->special_percent() : std_->normal_percent();
  // Integer arithmetic in fen; the line is rounded down, never up.
  const int64_t line = std_->monthly_per_capita_income_fen() * percent / 100;
  v1::HardshipAssessment a;
  *a.mutable_evidence() = ev;
  a.set_region(region);
  a.set_standard_year(year);
  a.set_line_fen(line);
  a.set_line_percent(percent);
  a.set_met(ev.monthly_income_per_member_fen() < line && !ev.significant_assets());
  return a;
}

Status CheckJurisdiction(const CaseState& c, const PolicyState& policy) {
  const auto& j = policy.jurisdiction();
  if (j.city_regions().empty()) return {};  // no jurisdiction policy published: nothing to check
  if (policy.InCity(c.infringement_region)) return {};  // 市域通办
  if (c.domicile_region == j.centre_region() || c.handling_authority_region == j.centre_region()) return {};
  return RuleError("eligibility.out_of_jurisdiction",
                   "the rights were infringed outside the city and neither the applicant's domicile nor "
                   "the handling authority is in this district; refuse in writing "
                   "(reason OUT_OF_JURISDICTION) and direct the applicant to the competent centre",
                   "侵权行为发生地不在本市，申请人住所地和办案机关所在地也不在本区，本中心不能受理；"
                   "请以“不属于本中心受理范围”书面作出不予援助决定并告知申请人向有管辖权的法律援助机构申请");
}

Result<v1::ApplicationApproved> DecideApproval(const v1::ReviewApplication::Approve& ap, const CaseState& c,
                                               const PolicyState& policy) {
  if (Status s = CheckJurisdiction(c, policy); !s) return s.error();
  v1::ApplicationApproved out;
  out.set_note(ap.note());
  if (ap.ground() != v1::ELIGIBILITY_GROUND_UNSPECIFIED) {
    out.set_ground(ap.ground());
    if (IsNoConditionGround(ap.ground())) {
      out.set_basis(v1::APPROVAL_BASIS_NO_CONDITION);
      return out;
    }
    if (policy.IsExempt(ap.ground())) {
      out.set_basis(v1::APPROVAL_BASIS_EXEMPT);
      return out;
    }
    return RuleError("eligibility.not_exempt",
                     "ground " + v1::EligibilityGround_Name(ap.ground()) + " is not on the exemption list in force (" +
                         policy.VersionTag() + "); apply the hardship test",
                     "该情形不在现行免予经济困难审查范围内（" + policy.VersionTag() + "），请进行经济困难审查",
                     "review.approve.ground");
  }
  if (ap.on_commitment()) {
    if (!c.commitment_signed)
      return RuleError("eligibility.no_commitment",
                       "the applicant has not signed a commitment; record it first or supply evidence",
                       "申请人尚未签署承诺书，请先登记告知承诺或提交经济状况证明", "review.approve.on_commitment");
    out.set_basis(v1::APPROVAL_BASIS_COMMITMENT);
    return out;
  }
  if (!ap.has_evidence())
    return InputError("eligibility.no_basis",
                      "state the exemption ground, approve on the signed commitment, or give hardship evidence",
                      "请选择免审情形、依据告知承诺，或填写经济困难审查材料", "review.approve");
  const std::string region =
      policy.jurisdiction().city_region().empty() ? c.domicile_region : policy.jurisdiction().city_region();
  auto assessed = AssessHardship(ap.evidence(), region, c.received_on.year(), policy);
  if (!assessed.ok()) return assessed.error();
  if (!assessed->met()) {
    const auto& a = *assessed;
    std::string why_en = a.evidence().significant_assets()
                             ? "the household holds significant assets"
                             : "monthly income per member " + Fen(a.evidence().monthly_income_per_member_fen()).ToYuan() +
                                   " yuan is not below the line of " + Fen(a.line_fen()).ToYuan() + " yuan";
    std::string why_zh = a.evidence().significant_assets()
                             ? "家庭拥有较大价值财产"
                             : "家庭成员月人均可支配收入" + Fen(a.evidence().monthly_income_per_member_fen()).ToYuan() +
                                   "元，不低于标准" + Fen(a.line_fen()).ToYuan() + "元";
    return RuleError("eligibility.hardship_not_met",
                     "hardship test not met: " + why_en + "; refuse in writing (HARDSHIP_NOT_MET)",
                     "经济困难审查不符合条件：" + why_zh + "；请书面作出不予援助决定", "review.approve.evidence");
  }
  out.set_basis(v1::APPROVAL_BASIS_HARDSHIP_MET);
  *out.mutable_assessment() = *assessed;
  return out;
}

}  // namespace aidtrail::domain
