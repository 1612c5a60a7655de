#include "events/domain/eligibility.h"

#include <algorithm>
#include <optional>

#include "events/core/types.h"
#include "events/domain/matters.h"

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

Result<v1::HardshipAssessment> AssessHardship(const v1::HardshipEvidence& ev,
                                              const std::string& region, int year,
                                              const PolicyState& policy) {
  const v1::HardshipStandardSet* std_ = policy.Hardship(region, year);
  if (std_ == nullptr)
    return RuleError(
        "eligibility.no_hardship_standard",
        "no hardship standard is in force for region " + region + " in " + std::to_string(year) +
            "; the administrator must publish it",
        "地区" + region + "尚未公布" + std::to_string(year) + "年度经济困难标准，请管理员先录入",
        "policy");
  if (ev.household_size() <= 0 || ev.monthly_income_per_member_fen() < 0)
    return InputError(
        "eligibility.evidence_incomplete",
        "hardship evidence needs the household size and the monthly income per member",
        "经济困难审查须填写家庭人口数和家庭成员月人均可支配收入", "review.approve.evidence");
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

namespace {

bool HasGroup(const v1::PersonRef& p, v1::KeyGroup g) {
  return std::find(p.key_groups().begin(), p.key_groups().end(), g) != p.key_groups().end();
}
bool HasEntitlement(const v1::PersonRef& p, v1::Entitlement e) {
  return std::find(p.entitlements().begin(), p.entitlements().end(), e) != p.entitlements().end();
}
bool MatterIs(const CaseState& c, std::initializer_list<v1::MatterType> types) {
  return std::find(types.begin(), types.end(), c.matter_type) != types.end();
}

// What a ground needs the case to record, in words for the message; the
// test itself is `met`.
struct Need {
  bool met;
  const char* en;
  const char* zh;
};

std::optional<Need> NeedOf(v1::EligibilityGround g, const CaseState& c) {
  const v1::PersonRef& p = c.applicant;
  const bool minor = p.age() > 0 && p.age() < 18;
  const bool elderly = p.age() >= 60;
  const bool disabled = HasGroup(p, v1::KEY_GROUP_DISABLED) || p.work_injury_disabled();
  switch (g) {
    case v1::ELIGIBILITY_GROUND_MINOR_NO_FIXED_INCOME:
      return Need{minor, "an applicant under 18", "申请人未满18周岁"};
    case v1::ELIGIBILITY_GROUND_ELDERLY_NO_FIXED_INCOME:
    case v1::ELIGIBILITY_GROUND_ELDERLY_INFRINGED:
      return Need{elderly, "an applicant aged 60 or over", "申请人年满60周岁"};
    case v1::ELIGIBILITY_GROUND_DISABLED_NO_FIXED_INCOME:
    case v1::ELIGIBILITY_GROUND_DISABLED_INFRINGED:
      return Need{disabled, "an applicant recorded as disabled (key group DISABLED)",
                  "申请人登记为残疾人"};
    case v1::ELIGIBILITY_GROUND_SOCIAL_ASSISTANCE:
      return Need{HasEntitlement(p, v1::ENTITLEMENT_SOCIAL_ASSISTANCE) ||
                      HasEntitlement(p, v1::ENTITLEMENT_EXTREMELY_POOR_SUPPORTED),
                  "proof that the applicant receives social assistance",
                  "申请人享受社会救助的证明"};
    case v1::ELIGIBILITY_GROUND_EXTREMELY_POOR_SUPPORTED:
      return Need{HasEntitlement(p, v1::ENTITLEMENT_EXTREMELY_POOR_SUPPORTED),
                  "proof that the applicant is supported as extremely poor",
                  "申请人属于特困供养人员的证明"};
    case v1::ELIGIBILITY_GROUND_PREFERENTIAL_CARE:
      return Need{HasEntitlement(p, v1::ENTITLEMENT_PREFERENTIAL_CARE),
                  "proof that the applicant receives preferential care",
                  "申请人属于优抚对象的证明"};
    case v1::ELIGIBILITY_GROUND_JUDICIAL_ASSISTANCE:
      return Need{HasEntitlement(p, v1::ENTITLEMENT_JUDICIAL_ASSISTANCE),
                  "proof that the applicant receives judicial assistance",
                  "申请人属于司法救助对象的证明"};
    case v1::ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY:
      return Need{
          HasGroup(p, v1::KEY_GROUP_MIGRANT_WORKER) &&
              MatterIs(c, {v1::MATTER_TYPE_WAGES, v1::MATTER_TYPE_WORK_INJURY}),
          "a migrant worker (key group MIGRANT_WORKER) claiming wages or work-injury damages "
          "(matter wage-arrears or work-injury)",
          "申请人为进城务工人员且申请事项为追索劳动报酬或工伤赔偿"};
    case v1::ELIGIBILITY_GROUND_SUPPORT_MAINTENANCE:
      return Need{MatterIs(c, {v1::MATTER_TYPE_SUPPORT_MAINTENANCE}), "the matter support",
                  "申请事项为赡养、抚养、扶养"};
    case v1::ELIGIBILITY_GROUND_BEREAVEMENT_PENSION:
      return Need{MatterIs(c, {v1::MATTER_TYPE_BEREAVEMENT_PENSION}), "the matter pension",
                  "申请事项为抚恤金"};
    case v1::ELIGIBILITY_GROUND_PERSONAL_INJURY:
      return Need{MatterIs(c, {v1::MATTER_TYPE_PERSONAL_INJURY, v1::MATTER_TYPE_TRAFFIC_ACCIDENT}),
                  "the matter personal-injury or traffic-accident", "申请事项为人身损害赔偿"};
    case v1::ELIGIBILITY_GROUND_MEDICAL_ACCIDENT:
      return Need{MatterIs(c, {v1::MATTER_TYPE_MEDICAL_ACCIDENT}), "the matter medical-accident",
                  "申请事项为医疗事故"};
    case v1::ELIGIBILITY_GROUND_MILITARY_FAMILY_INFRINGED:
      return Need{HasGroup(p, v1::KEY_GROUP_MILITARY_FAMILY),
                  "an applicant recorded as military family (key group MILITARY_FAMILY)",
                  "申请人登记为军人军属"};
    default:
      // Art. 32 grounds rest on the materials of the matter itself (a
      // hero's honour, a good deed, a retrial, abuse), not on a recorded
      // attribute; grounds added later have no fact rule yet.
      return std::nullopt;
  }
}

}  // namespace

Status CheckGroundFacts(v1::EligibilityGround ground, const CaseState& c) {
  const std::optional<Need> need = NeedOf(ground, c);
  if (!need || need->met) return {};
  return RuleError("eligibility.ground_unsupported",
                   "ground " + v1::EligibilityGround_Name(ground) + " needs " + need->en +
                       ", which the application does not record (matter " +
                       MatterCode(c.matter_type) + ", age " + std::to_string(c.applicant.age()) +
                       "); correct the application or apply the hardship test",
                   "所选免审情形须有事实依据：" + std::string(need->zh) +
                       "，但申请记录中没有（申请事项：" + MatterLabelZh(c.matter_type) +
                       "，年龄：" + std::to_string(c.applicant.age()) +
                       "）；请更正申请信息或进行经济困难审查",
                   "review.approve.ground");
}

Status CheckJurisdiction(const CaseState& c, const PolicyState& policy) {
  // The jurisdiction in force on the day of receipt, as for the exemption list.
  const auto& j = policy.Jurisdiction(c.received_on);
  if (j.city_regions().empty()) return {};  // no jurisdiction policy published: nothing to check
  if (policy.InCity(c.infringement_region, c.received_on)) return {};  // 市域通办
  if (c.domicile_region == j.centre_region() || c.handling_authority_region == j.centre_region())
    return {};
  return RuleError(
      "eligibility.out_of_jurisdiction",
      "the rights were infringed outside the city and neither the applicant's domicile nor "
      "the handling authority is in this district; refuse in writing "
      "(reason OUT_OF_JURISDICTION) and direct the applicant to the competent centre",
      "侵权行为发生地不在本市，申请人住所地和办案机关所在地也不在本区，本中心不能受理；"
      "请以“不属于本中心受理范围”书面作出不予援助决定并告知申请人向有管辖权的法律援助机构申请");
}

Result<v1::ApplicationApproved> DecideApproval(const v1::ReviewApplication::Approve& ap,
                                               const CaseState& c, const PolicyState& policy) {
  if (Status s = CheckJurisdiction(c, policy); !s) return s.error();
  v1::ApplicationApproved out;
  out.set_note(ap.note());
  if (ap.ground() != v1::ELIGIBILITY_GROUND_UNSPECIFIED) {
    out.set_ground(ap.ground());
    if (IsNoConditionGround(ap.ground())) {
      out.set_basis(v1::APPROVAL_BASIS_NO_CONDITION);
      return out;
    }
    // The list in force on the day the application was received, not on
    // the day of the review.
    if (!policy.IsExempt(ap.ground(), c.received_on))
      return RuleError("eligibility.not_exempt",
                       "ground " + v1::EligibilityGround_Name(ap.ground()) +
                           " is not on the exemption list in force on " + c.received_on.ToString() +
                           ", the day the application was received (" + policy.VersionTag() +
                           "); apply the hardship test",
                       "该情形不在申请受理之日（" + c.received_on.ToString() +
                           "）施行的免予经济困难审查范围内（" + policy.VersionTag() +
                           "），请进行经济困难审查",
                       "review.approve.ground");
    if (Status s = CheckGroundFacts(ap.ground(), c); !s) return s.error();
    out.set_basis(v1::APPROVAL_BASIS_EXEMPT);
    if (!IsStatutoryExemption(ap.ground()))
      out.set_exemption_list_from(policy.ExemptionListFrom(c.received_on));
    return out;
  }
  if (ap.on_commitment()) {
    if (!c.commitment_signed)
      return RuleError(
          "eligibility.no_commitment",
          "the applicant has not signed a commitment; record it first or supply evidence",
          "申请人尚未签署承诺书，请先登记告知承诺或提交经济状况证明",
          "review.approve.on_commitment");
    out.set_basis(v1::APPROVAL_BASIS_COMMITMENT);
    return out;
  }
  if (!ap.has_evidence())
    return InputError(
        "eligibility.no_basis",
        "state the exemption ground, approve on the signed commitment, or give hardship evidence",
        "请选择免审情形、依据告知承诺，或填写经济困难审查材料", "review.approve");
  const std::string& city = policy.Jurisdiction(c.received_on).city_region();
  const std::string region = city.empty() ? c.domicile_region : city;
  auto assessed = AssessHardship(ap.evidence(), region, c.received_on.year(), policy);
  if (!assessed.ok()) return assessed.error();
  if (!assessed->met()) {
    const auto& a = *assessed;
    std::string why_en = a.evidence().significant_assets()
                             ? "the household holds significant assets"
                             : "monthly income per member " +
                                   Fen(a.evidence().monthly_income_per_member_fen()).ToYuan() +
                                   " yuan is not below the line of " + Fen(a.line_fen()).ToYuan() +
                                   " yuan";
    std::string why_zh = a.evidence().significant_assets()
                             ? "家庭拥有较大价值财产"
                             : "家庭成员月人均可支配收入" +
                                   Fen(a.evidence().monthly_income_per_member_fen()).ToYuan() +
                                   "元，不低于标准" + Fen(a.line_fen()).ToYuan() + "元";
    return RuleError("eligibility.hardship_not_met",
                     "hardship test not met: " + why_en + "; refuse in writing (HARDSHIP_NOT_MET)",
                     "经济困难审查不符合条件：" + why_zh + "；请书面作出不予援助决定",
                     "review.approve.evidence");
  }
  out.set_basis(v1::APPROVAL_BASIS_HARDSHIP_MET);
  *out.mutable_assessment() = *assessed;
  return out;
}

}  // namespace aidtrail::domain
