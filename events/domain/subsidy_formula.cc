#include "events/domain/subsidy_formula.h"

#include <algorithm>

namespace aidtrail::domain {
namespace {

constexpr int32_t kWhole = 1000;

// Stages of a criminal case in procedural order; a tenure covers the
// stages from its first to its last.
bool IsStage(int v) {
  return v >= v1::CRIMINAL_STAGE_INVESTIGATION && v <= v1::CRIMINAL_STAGE_DEATH_REVIEW;
}

}  // namespace

RegionFactor RegionOf(const v1::SubsidyMethodSet* m, const std::string& region) {
  RegionFactor best;
  if (m == nullptr) return best;
  for (const auto& f : m->region_factors())
    if (region.starts_with(f.region_prefix()) && f.region_prefix().size() > best.prefix.size())
      best = {f.region_prefix(), f.permille()};
  return best;
}

int32_t GradeFactor(const v1::SubsidyMethodSet* m, v1::QualityGrade grade) {
  if (m == nullptr || grade == v1::QUALITY_GRADE_UNSPECIFIED) return kWhole;
  for (const auto& f : m->grade_factors())
    if (f.grade() == grade) return f.permille();
  return kWhole;
}

std::string SubsidyStandardKey(v1::CaseCategory category, v1::CriminalStage stage) {
  switch (category) {
    case v1::CASE_CATEGORY_CRIMINAL:
      switch (stage) {
        case v1::CRIMINAL_STAGE_INVESTIGATION:
          return "criminal/investigation";
        case v1::CRIMINAL_STAGE_PROSECUTION_REVIEW:
          return "criminal/prosecution-review";
        case v1::CRIMINAL_STAGE_DEATH_REVIEW:
          return "criminal/death-review";
        default:
          return "criminal/trial";
      }
    case v1::CASE_CATEGORY_CIVIL:
      return "civil";
    case v1::CASE_CATEGORY_ADMINISTRATIVE:
      return "administrative";
    default:
      return "non-litigation";
  }
}

std::string SubsidyComputation::StandardKey() const {
  return lines.empty() ? std::string() : lines.back().standard_key();
}

int64_t SubsidyLineAmount(int64_t base_fen, int32_t region_permille, int32_t grade_permille,
                          int32_t share_permille) {
  // At most about 1e7 fen x 3e3 x 3e3 x 1e3 = 9e16: within int64.
  constexpr int64_t kScale = int64_t(kWhole) * kWhole * kWhole;
  const int64_t product = base_fen * region_permille * grade_permille * share_permille;
  return (product + kScale / 2) / kScale;
}

Result<SubsidyComputation> ComputeSubsidy(const CaseState& s, const PolicyState& policy,
                                          const std::string& lawyer_id) {
  SubsidyComputation out;
  if (s.closed_on)
    out.day = *s.closed_on;
  else if (s.terminated_on)
    out.day = *s.terminated_on;
  else
    return out;  // nothing is earned before the case ends
  const v1::SubsidyMethodSet* method = policy.SubsidyMethod(out.day);
  if (method != nullptr) out.method_effective_from = method->effective_from();
  const RegionFactor region = RegionOf(method, policy.Jurisdiction(out.day).centre_region());
  const bool criminal = s.category == v1::CASE_CATEGORY_CRIMINAL;
  // The grade of the files reviewed after closure adjusts the pay of the
  // lawyer who finished the case; earlier lawyers' work was not graded.
  const bool graded = s.closed_on && s.quality_review_version > s.closed_version;

  // stage -> the best line this lawyer earned for it (a lawyer who came
  // back is not paid twice for one stage).
  std::map<int, v1::SubsidyLine> by_stage;
  for (const LawyerTenure& t : s.tenures) {
    if (t.lawyer_id != lawyer_id || t.end == LawyerTenure::End::kOpen) continue;
    out.firm_id = t.firm_id;
    int first = 0, last = 0;  // the whole matter: one stage, numbered 0
    if (criminal) {
      first = t.from_stage != v1::CRIMINAL_STAGE_UNSPECIFIED ? t.from_stage : s.criminal_stage;
      last = t.end == LawyerTenure::End::kClosed
                 ? (s.closed_stage != v1::CRIMINAL_STAGE_UNSPECIFIED ? s.closed_stage
                                                                     : s.criminal_stage)
                 : t.to_stage;
      if (!IsStage(first)) first = v1::CRIMINAL_STAGE_TRIAL;  // as the standard key defaults
      if (!IsStage(last) || last < first) last = first;
    }
    for (int stage = first; stage <= last; ++stage) {
      v1::SubsidyShare share = v1::SUBSIDY_SHARE_COMPLETED;
      int32_t share_permille = kWhole;
      if (stage == last && t.end == LawyerTenure::End::kReplaced) {
        share = v1::SUBSIDY_SHARE_REPLACED;
        share_permille = method && t.worked ? method->replaced_permille() : 0;
      } else if (stage == last && t.end == LawyerTenure::End::kTerminated) {
        share = v1::SUBSIDY_SHARE_TERMINATED;
        share_permille = method && t.worked ? method->terminated_permille() : 0;
      }
      if (share_permille == 0) continue;
      const auto cs =
          criminal ? static_cast<v1::CriminalStage>(stage) : v1::CRIMINAL_STAGE_UNSPECIFIED;
      const std::string key = SubsidyStandardKey(s.category, cs);
      const v1::SubsidyStandardSet* standard = policy.Subsidy(key, out.day);
      if (standard == nullptr)
        return RuleError("subsidy.no_standard",
                         "no subsidy standard '" + key + "' is in force on " + out.day.ToString(),
                         out.day.ToString() + "没有适用的补贴标准（" + key + "），请管理员先公布");
      v1::SubsidyLine line;
      line.set_standard_key(key);
      line.set_criminal_stage(cs);
      line.set_base_fen(standard->amount_fen());
      line.set_standard_effective_from(standard->effective_from());
      line.set_region_prefix(region.prefix);
      line.set_region_permille(region.permille);
      const bool finisher = t.end == LawyerTenure::End::kClosed;
      if (finisher && graded) line.set_grade(s.quality_grade);
      line.set_grade_permille(finisher && graded ? GradeFactor(method, s.quality_grade) : kWhole);
      line.set_share(share);
      line.set_share_permille(share_permille);
      line.set_amount_fen(SubsidyLineAmount(line.base_fen(), line.region_permille(),
                                            line.grade_permille(), share_permille));
      auto [it, fresh] = by_stage.try_emplace(stage, line);
      if (!fresh && line.amount_fen() > it->second.amount_fen()) it->second = line;
    }
  }
  for (auto& [stage, line] : by_stage) {
    out.amount_fen += line.amount_fen();
    out.lines.push_back(std::move(line));
  }
  return out;
}

}  // namespace aidtrail::domain
