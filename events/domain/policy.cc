#include "events/domain/policy.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <memory>

#include "events/domain/deadlines.h"
#include "events/domain/entry_time.h"

namespace aidtrail::domain {

v1::DeadlineRulesSet StatutoryDeadlineRules() {
  v1::DeadlineRulesSet r;
  r.set_counting(v1::DAY_COUNTING_CALENDAR);
  r.set_review_days(7);
  r.set_assign_after_approval_days(3);
  r.set_assign_after_notification_days(3);
  r.set_objection_days(5);
  r.set_detention_forward_hours(24);
  r.set_closing_files_days(30);
  r.set_closing_review_days(30);
  r.set_entrustment_days(5);
  return r;
}

PolicyState::PolicyState() : rules_(StatutoryDeadlineRules()) {}

bool IsStatutoryExemption(v1::EligibilityGround g) {
  switch (g) {
    // Art. 42 (1): minors, the elderly and the disabled without a fixed income.
    case v1::ELIGIBILITY_GROUND_MINOR_NO_FIXED_INCOME:
    case v1::ELIGIBILITY_GROUND_ELDERLY_NO_FIXED_INCOME:
    case v1::ELIGIBILITY_GROUND_DISABLED_NO_FIXED_INCOME:
    // Art. 42 (2): social assistance (特困供养 is a form of it), judicial
    // assistance, preferential care.
    case v1::ELIGIBILITY_GROUND_SOCIAL_ASSISTANCE:
    case v1::ELIGIBILITY_GROUND_JUDICIAL_ASSISTANCE:
    case v1::ELIGIBILITY_GROUND_PREFERENTIAL_CARE:
    case v1::ELIGIBILITY_GROUND_EXTREMELY_POOR_SUPPORTED:
    // Art. 42 (3): migrant workers claiming wages or work-injury damages.
    case v1::ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY:
      return true;
    default:
      return false;
  }
}

const PolicyState& PolicyState::AsOf(Instant t) const {
  for (const Snapshot& s : deadline_history_)
    if (s.until > t) return *s.state;
  return *this;
}

bool PolicyState::IsExempt(v1::EligibilityGround ground, CivilDate day) const {
  if (IsStatutoryExemption(ground)) return true;
  const auto* list = ExemptionListOn(day);
  return list != nullptr && list->count(ground) > 0;
}

std::string PolicyState::ExemptionListFrom(CivilDate day) const {
  auto it = exempt_.upper_bound(day.days());
  if (it == exempt_.begin() || std::prev(it)->first == std::numeric_limits<int32_t>::min())
    return "";
  return CivilDate::FromDays(std::prev(it)->first).ToString();
}

const std::set<int>* PolicyState::ExemptionListOn(CivilDate day) const {
  auto it = exempt_.upper_bound(day.days());
  if (it == exempt_.begin()) return nullptr;
  return &std::prev(it)->second;
}

void PolicyState::Apply(const v1::Event& event) {
  const v1::EventPayload& p = event.payload();
  if (p.has_holiday_calendar_set() || p.has_deadline_rules_set()) {
    // Remember what deadlines were judged on until this change was recorded
    // (imported history: until it happened, as for the steps it judges).
    auto before = std::make_shared<PolicyState>(*this);
    before->deadline_history_.clear();
    const Instant until =
        Instant::FromProto(event.has_migration() ? event.occurred_at() : event.recorded_at());
    deadline_history_.push_back({until, std::move(before)});
  }
  version_ = event.stream_version();
  switch (p.kind_case()) {
    case v1::EventPayload::kHardshipStandardSet: {
      const auto& h = p.hardship_standard_set();
      hardship_[{h.region(), h.year()}] = h;
      break;
    }
    case v1::EventPayload::kSubsidyStandardSet: {
      const auto& s = p.subsidy_standard_set();
      auto from = CivilDate::Parse(s.effective_from());
      subsidy_[s.key()][from.ok() ? from->days() : 0] = s;
      break;
    }
    case v1::EventPayload::kSubsidyMethodSet: {
      auto from = CivilDate::Parse(p.subsidy_method_set().effective_from());
      subsidy_method_[from.ok() ? from->days() : 0] = p.subsidy_method_set();
      break;
    }
    case v1::EventPayload::kExemptionListSet: {
      // A list replaces the one before it from its own effective day; a
      // list recorded without one (older logs) applies from the start.
      auto from = CivilDate::Parse(p.exemption_list_set().effective_from());
      auto& list = exempt_[from.ok() ? from->days() : std::numeric_limits<int32_t>::min()];
      list.clear();
      for (int g : p.exemption_list_set().grounds()) list.insert(g);
      break;
    }
    case v1::EventPayload::kHolidayCalendarSet: {
      const auto& c = p.holiday_calendar_set();
      auto& [hol, work] = calendars_[c.year()];
      hol.clear();
      work.clear();
      for (const auto& d : c.holidays())
        if (auto day = CivilDate::Parse(d); day.ok()) hol.insert(day->days());
      for (const auto& d : c.make_up_workdays())
        if (auto day = CivilDate::Parse(d); day.ok()) work.insert(day->days());
      holidays_.clear();
      workdays_.clear();
      for (const auto& [year, sets] : calendars_) {
        holidays_.insert(sets.first.begin(), sets.first.end());
        workdays_.insert(sets.second.begin(), sets.second.end());
      }
      break;
    }
    case v1::EventPayload::kDeadlineRulesSet:
      rules_ = p.deadline_rules_set();
      break;
    case v1::EventPayload::kJurisdictionSet: {
      // Like the exemption list: from its own effective day; without one,
      // from the start.
      auto from = CivilDate::Parse(p.jurisdiction_set().effective_from());
      jurisdiction_[from.ok() ? from->days() : std::numeric_limits<int32_t>::min()] =
          p.jurisdiction_set();
      break;
    }
    default:
      break;
  }
}

const v1::HardshipStandardSet* PolicyState::Hardship(const std::string& region, int year) const {
  auto it = hardship_.find({region, year});
  return it == hardship_.end() ? nullptr : &it->second;
}

const v1::SubsidyStandardSet* PolicyState::Subsidy(const std::string& key, CivilDate day) const {
  auto it = subsidy_.find(key);
  if (it == subsidy_.end()) return nullptr;
  auto v = it->second.upper_bound(day.days());  // first effective after `day`
  if (v == it->second.begin()) return nullptr;
  return &std::prev(v)->second;
}

const v1::SubsidyMethodSet* PolicyState::SubsidyMethod(CivilDate day) const {
  auto it = subsidy_method_.upper_bound(day.days());
  return it == subsidy_method_.begin() ? nullptr : &std::prev(it)->second;
}

const v1::JurisdictionSet& PolicyState::Jurisdiction(CivilDate day) const {
  static const v1::JurisdictionSet kNone;
  auto it = jurisdiction_.upper_bound(day.days());
  return it == jurisdiction_.begin() ? kNone : std::prev(it)->second;
}

bool PolicyState::InCity(const std::string& region, CivilDate day) const {
  const auto& regions = Jurisdiction(day).city_regions();
  return std::find(regions.begin(), regions.end(), region) != regions.end();
}

namespace {

Status CheckDate(const std::string& text, const std::string& field) {
  auto d = CivilDate::Parse(text);
  if (!d.ok()) {
    Error e = d.error();
    e.field = field;
    return e;
  }
  return {};
}

// Factors are per mille of the base amount: up to three times it, which is
// beyond any published factor and catches a factor typed as a percentage
// of a percentage. Shares of unfinished work are at most the whole.
Status CheckSubsidyMethod(const v1::SubsidyMethodSet& m) {
  constexpr int32_t kMaxFactor = 3000;
  std::set<std::string> prefixes;
  for (const auto& r : m.region_factors()) {
    const bool digits = !r.region_prefix().empty() &&
                        std::all_of(r.region_prefix().begin(), r.region_prefix().end(),
                                    [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits)
      return InputError("policy.subsidy_method.region",
                        "a regional factor needs the leading digits of a region code, e.g. 4407",
                        "地区系数须填写行政区划代码前几位（如 4407）",
                        "set_subsidy_method.region_factors");
    if (!prefixes.insert(r.region_prefix()).second)
      return InputError(
          "policy.subsidy_method.region", "region " + r.region_prefix() + " has two factors",
          "地区 " + r.region_prefix() + " 填写了两个系数", "set_subsidy_method.region_factors");
    if (r.permille() <= 0 || r.permille() > kMaxFactor)
      return InputError("policy.subsidy_method.factor",
                        "a regional factor is in per mille, between 1 and 3000 (1000 = the base)",
                        "地区系数以千分比填写，须在 1 至 3000 之间（1000 即按基准计发）",
                        "set_subsidy_method.region_factors");
  }
  std::set<int> grades;
  for (const auto& g : m.grade_factors()) {
    if (g.grade() == v1::QUALITY_GRADE_UNSPECIFIED || !grades.insert(g.grade()).second)
      return InputError("policy.subsidy_method.grade", "each quality grade has at most one factor",
                        "每个质量等级只能填写一个调整系数", "set_subsidy_method.grade_factors");
    if (g.permille() < 0 || g.permille() > kMaxFactor)
      return InputError("policy.subsidy_method.factor",
                        "a quality factor is in per mille, between 0 and 3000 (1000 = the base)",
                        "质量调整系数以千分比填写，须在 0 至 3000 之间（1000 即按基准计发）",
                        "set_subsidy_method.grade_factors");
  }
  for (int32_t share : {m.replaced_permille(), m.terminated_permille()})
    if (share < 0 || share > 1000)
      return InputError("policy.subsidy_method.share",
                        "the share of unfinished work is in per mille, between 0 and 1000",
                        "未办结部分的计发比例以千分比填写，须在 0 至 1000 之间",
                        "set_subsidy_method");
  if (m.source().empty())
    return InputError("policy.subsidy_method.source",
                      "name the policy document the method comes from",
                      "请填写补贴办法的文件依据（文号）", "set_subsidy_method.source");
  return CheckDate(m.effective_from(), "set_subsidy_method.effective_from");
}

Status ValidatePolicy(const v1::Command& c) {
  switch (c.kind_case()) {
    case v1::Command::kSetHardshipStandard: {
      const auto& h = c.set_hardship_standard();
      if (h.region().empty() || h.year() < 2000 || h.monthly_per_capita_income_fen() <= 0)
        return InputError(
            "policy.hardship.incomplete",
            "a hardship standard needs a region, a year and a positive monthly income",
            "经济困难标准须填写地区、年度和大于零的月人均可支配收入");
      if (h.normal_percent() <= 0 || h.normal_percent() > 100 ||
          h.special_percent() < h.normal_percent() || h.special_percent() > 200)
        return InputError("policy.hardship.percent",
                          "percentages must satisfy 0 < normal <= special <= 200",
                          "标准比例须满足 0 < 一般比例 ≤ 特殊比例 ≤ 200");
      return {};
    }
    case v1::Command::kSetSubsidyStandard: {
      const auto& s = c.set_subsidy_standard();
      if (s.key().empty() || s.amount_fen() <= 0)
        return InputError("policy.subsidy.incomplete",
                          "a subsidy standard needs a key and a positive amount",
                          "补贴标准须填写类别和大于零的金额");
      return CheckDate(s.effective_from(), "set_subsidy_standard.effective_from");
    }
    case v1::Command::kSetSubsidyMethod:
      return CheckSubsidyMethod(c.set_subsidy_method());
    case v1::Command::kSetExemptionList:
      // Art. 42's grounds stay whatever the list says (IsStatutoryExemption);
      // the list can only add to them.
      return CheckDate(c.set_exemption_list().effective_from(),
                       "set_exemption_list.effective_from");
    case v1::Command::kSetHolidayCalendar: {
      const auto& cal = c.set_holiday_calendar();
      for (const auto& d : cal.holidays())
        if (Status s = CheckDate(d, "set_holiday_calendar.holidays"); !s) return s;
      for (const auto& d : cal.make_up_workdays())
        if (Status s = CheckDate(d, "set_holiday_calendar.make_up_workdays"); !s) return s;
      return {};
    }
    case v1::Command::kSetDeadlineRules: {
      const auto& r = c.set_deadline_rules();
      if (r.counting() == v1::DAY_COUNTING_UNSPECIFIED || r.review_days() <= 0 ||
          r.assign_after_approval_days() <= 0 || r.assign_after_notification_days() <= 0 ||
          r.objection_days() <= 0 || r.detention_forward_hours() <= 0 ||
          r.closing_files_days() <= 0 || r.closing_review_days() <= 0)
        return InputError("policy.deadlines.incomplete",
                          "deadline rules need a counting mode and every period greater than zero",
                          "期限规则须指定计算方式，且各期限均须大于零");
      if (r.entrustment_days() < 0)
        return InputError("policy.deadlines.incomplete",
                          "the entrustment period cannot be negative", "签订委托协议期限不能为负数",
                          "set_deadline_rules.entrustment_days");
      for (const auto& [kind, mode] : r.counting_by_kind()) {
        if (!ParseDeadlineKind(kind))
          return InputError("policy.deadlines.kind",
                            "no deadline kind '" + kind + "' (see events/README.md, Deadlines)",
                            "没有名为“" + kind + "”的期限种类",
                            "set_deadline_rules.counting_by_kind");
        if (mode == v1::DAY_COUNTING_UNSPECIFIED)
          return InputError("policy.deadlines.kind", "choose a counting mode for '" + kind + "'",
                            "请为期限“" + kind + "”指定计算方式",
                            "set_deadline_rules.counting_by_kind");
      }
      return CheckEntryRules(r);
    }
    case v1::Command::kSetJurisdiction: {
      const auto& j = c.set_jurisdiction();
      if (j.centre_region().empty() || j.city_regions().empty())
        return InputError("policy.jurisdiction.incomplete",
                          "jurisdiction needs the centre's region and the city's regions",
                          "受理范围须填写本中心所在地区和本市各地区");
      // Both are printed on every document; a number must stay one line.
      if (j.centre_name().size() > 90 || j.document_code().size() > 30 ||
          j.document_code().find_first_of(" \t\n/") != std::string::npos)
        return InputError("policy.jurisdiction.document_code",
                          "the centre's name is at most 30 characters and its document code at "
                          "most 10, without spaces or slashes",
                          "机构名称不超过30个字，文书代字不超过10个字且不含空格或斜杠",
                          "set_jurisdiction.document_code");
      if (!j.effective_from().empty())
        return CheckDate(j.effective_from(), "set_jurisdiction.effective_from");
      return {};
    }
    default:
      return InputError("policy.unknown_command", "not a policy command", "不是政策类指令");
  }
}

}  // namespace

Result<Decision> DecidePolicy(const v1::Command& c, const PolicyState& state) {
  if (Status s = ValidatePolicy(c); !s) return s.error();
  Decision d;
  v1::EventPayload& e = d.events.emplace_back();
  switch (c.kind_case()) {
    case v1::Command::kSetHardshipStandard:
      *e.mutable_hardship_standard_set() = c.set_hardship_standard();
      break;
    case v1::Command::kSetSubsidyStandard:
      *e.mutable_subsidy_standard_set() = c.set_subsidy_standard();
      break;
    case v1::Command::kSetSubsidyMethod:
      *e.mutable_subsidy_method_set() = c.set_subsidy_method();
      break;
    case v1::Command::kSetExemptionList:
      *e.mutable_exemption_list_set() = c.set_exemption_list();
      break;
    case v1::Command::kSetHolidayCalendar:
      *e.mutable_holiday_calendar_set() = c.set_holiday_calendar();
      break;
    case v1::Command::kSetDeadlineRules:
      *e.mutable_deadline_rules_set() = c.set_deadline_rules();
      break;
    default:
      *e.mutable_jurisdiction_set() = c.set_jurisdiction();
      break;
  }
  (void)state;
  return d;
}

}  // namespace aidtrail::domain
