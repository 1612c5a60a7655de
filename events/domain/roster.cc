#include "events/domain/roster.h"

#include <algorithm>

#include "events/domain/streams.h"

namespace aidtrail::domain {

bool Roster::Apply(const v1::Event& event) {
  const v1::EventPayload& p = event.payload();
  const std::string key(StreamKey(event.stream_id()));
  switch (p.kind_case()) {
    case v1::EventPayload::kFirmRegistered:
      firms_.insert(key);
      return true;
    case v1::EventPayload::kLawyerRegistered: {
      const auto& r = p.lawyer_registered();
      LawyerState& l = lawyers_[key];
      l.version = event.stream_version();
      l.name = r.name();
      l.firm_id = r.firm_id();
      l.practice_since_year = r.practice_since_year();
      l.specialties = {r.specialties().begin(), r.specialties().end()};
      l.teams = {r.teams().begin(), r.teams().end()};
      l.criminal_defence_since_year = r.criminal_defence_since_year();
      l.familiar_with_minors = r.familiar_with_minors();
      return true;
    }
    case v1::EventPayload::kLawyerProfileChanged: {
      const auto& r = p.lawyer_profile_changed();
      LawyerState& l = lawyers_[key];
      l.version = event.stream_version();
      if (!r.firm_id().empty()) l.firm_id = r.firm_id();
      l.specialties = {r.specialties().begin(), r.specialties().end()};
      l.teams = {r.teams().begin(), r.teams().end()};
      if (r.has_criminal_defence_since_year())
        l.criminal_defence_since_year = r.criminal_defence_since_year();
      if (r.has_familiar_with_minors()) l.familiar_with_minors = r.familiar_with_minors();
      return true;
    }
    case v1::EventPayload::kLawyerSuspended:
      lawyers_[key].suspended = true;
      lawyers_[key].version = event.stream_version();
      return true;
    case v1::EventPayload::kLawyerReinstated:
      lawyers_[key].suspended = false;
      lawyers_[key].version = event.stream_version();
      return true;
    case v1::EventPayload::kLawyerAssigned:
    case v1::EventPayload::kLawyerReplaced: {
      const std::string& id = p.has_lawyer_assigned() ? p.lawyer_assigned().lawyer_id()
                                                      : p.lawyer_replaced().lawyer_id();
      LawyerState& l = lawyers_[id];
      const auto& t = event.recorded_at();
      l.last_assigned =
          std::max(l.last_assigned, {t.seconds() * 1'000'000 + t.nanos() / 1000, ++folded_});
      ++l.assigned_cases;
      return true;
    }
    default:
      return false;
  }
}

const LawyerState* Roster::Find(const std::string& lawyer_id) const {
  auto it = lawyers_.find(lawyer_id);
  return it == lawyers_.end() || !it->second.Exists() ? nullptr : &it->second;
}

Status Roster::CheckEligible(const std::string& id, const AssignmentNeed& need) const {
  const LawyerState* l = Find(id);
  if (l == nullptr)
    return NotFoundError("lawyer.not_found", "no lawyer registered as '" + id + "'",
                         "未登记律师“" + id + "”");
  if (l->suspended)
    return RuleError("assignment.lawyer_suspended",
                     "lawyer " + id + " is suspended and cannot be assigned",
                     "律师" + l->name + "（" + id + "）已被暂停承办，不得指派");
  if (id == need.exclude)
    return RuleError("assignment.same_lawyer", "the replacement must be a different lawyer",
                     "更换律师须指派另一名律师");
  if (need.rejected.count(id))
    return RuleError("assignment.rejected_lawyer",
                     "lawyer " + id +
                         " was replaced at the recipient's request (or for an upheld "
                         "complaint or a conflict of interest) and cannot be given this case again",
                     "律师" + l->name + "（" + id +
                         "）已因受援人要求、投诉属实或利益冲突被更换，不得再次指派本案");
  // The same rules for a lawyer the applicant names as for rotation.
  if (!l->specialties.count(need.category))
    return RuleError("assignment.specialty",
                     "lawyer " + id + " does not practise in this case's category",
                     "律师" + l->name + "（" + id + "）的执业专长不含本案类别，不得指派");
  if (!need.team.empty() && !l->teams.count(need.team))
    return RuleError("assignment.team",
                     "lawyer " + id + " is not in the specialised team '" + need.team + "'",
                     "律师" + l->name + "（" + id + "）不属于“" + need.team + "”专门团队");
  if (need.life_or_death && l->CriminalDefenceYears(need.year) < 3)
    return RuleError(
        "assignment.art26_experience",
        "Art. 26: a case that may end in life imprisonment or death needs a lawyer with 3 or "
        "more years of criminal-defence experience; " +
            id + " has " + std::to_string(l->CriminalDefenceYears(need.year)),
        "依法第二十六条，可能判处无期徒刑、死刑的案件应指派具有三年以上刑事辩护经历的律师；" +
            l->name + "刑事辩护经历" + std::to_string(l->CriminalDefenceYears(need.year)) + "年");
  if (need.minor && !l->familiar_with_minors)
    return RuleError(
        "assignment.minors",
        "a minor's case goes to a lawyer marked as familiar with minors; " + id + " is not",
        "未成年人案件应指派熟悉未成年人身心特点的律师；" + l->name + "（" + id +
            "）未登记为熟悉未成年人身心特点");
  return {};
}

Result<LawyerChoice> Roster::Choose(const std::string& named, const AssignmentNeed& need) const {
  if (!named.empty()) {
    // 点援制: the applicant's choice binds when the lawyer is eligible;
    // otherwise the clerk is told why, so the applicant can choose again.
    if (Status s = CheckEligible(named, need); !s) return s.error();
    const LawyerState* l = Find(named);
    return LawyerChoice{named, l->firm_id, v1::ASSIGNMENT_METHOD_APPLICANT_CHOICE, 1};
  }
  const LawyerState* best = nullptr;
  const std::string* best_id = nullptr;
  int eligible = 0;
  for (const auto& [id, l] : lawyers_) {
    if (!CheckEligible(id, need).ok()) continue;
    ++eligible;
    // Map order gives ties to the smaller id.
    if (best == nullptr || l.last_assigned < best->last_assigned) {
      best = &l;
      best_id = &id;
    }
  }
  if (best == nullptr && need.minor) {
    // Say so rather than leave the clerk guessing: would anyone fit but
    // for familiarity with minors?
    AssignmentNeed any = need;
    any.minor = false;
    for (const auto& [id, l] : lawyers_)
      if (CheckEligible(id, any).ok())
        return RuleError("assignment.no_minors_lawyer",
                         "no lawyer familiar with minors is available for this minor's case; mark "
                         "one in the roster (familiar_with_minors) or reinstate one",
                         "没有熟悉未成年人身心特点的律师可承办本未成年人案件，请在律师名册中登记"
                         "或恢复相应律师后再指派");
  }
  if (best == nullptr)
    return RuleError(
        "assignment.no_eligible_lawyer",
        "no active lawyer fits this case (specialty, team, criminal-defence experience, "
        "minors); register or "
        "reinstate one, or name a lawyer",
        "没有符合条件（专业、团队、刑事辩护经历、熟悉未成年人）且可承办的律师，请登记或恢复律师后再"
        "指派"
        "，或由申请人选定律师");
  return LawyerChoice{
      *best_id, best->firm_id,
      need.team.empty() ? v1::ASSIGNMENT_METHOD_ROTATION : v1::ASSIGNMENT_METHOD_SPECIALTY_TEAM,
      eligible};
}

Result<Decision> DecideLawyer(const v1::Command& c, const LawyerState& l, const Roster& roster) {
  Decision d;
  v1::EventPayload e;
  switch (c.kind_case()) {
    case v1::Command::kRegisterLawyer: {
      const auto& r = c.register_lawyer();
      if (l.Exists())
        return ConflictError("lawyer.exists", "this lawyer is already registered", "该律师已登记");
      if (r.name().empty() || r.firm_id().empty() || r.licence_no().empty())
        return InputError("lawyer.incomplete", "a lawyer needs a name, a firm and a licence number",
                          "登记律师须填写姓名、所在律所和执业证号");
      if (!roster.FirmExists(r.firm_id()))
        return NotFoundError("firm.not_found", "register the firm '" + r.firm_id() + "' first",
                             "请先登记律师事务所“" + r.firm_id() + "”");
      if (r.practice_since_year() < 1950 || r.practice_since_year() > 2100)
        return InputError("lawyer.practice_since_year",
                          "practice_since_year is not a plausible year", "执业起始年份不合理",
                          "register_lawyer.practice_since_year");
      if (r.criminal_defence_since_year() != 0 &&
          (r.criminal_defence_since_year() < r.practice_since_year() ||
           r.criminal_defence_since_year() > 2100))
        return InputError("lawyer.criminal_defence_since_year",
                          "criminal_defence_since_year must be a year from the start of practice",
                          "刑事辩护起始年份不得早于执业起始年份",
                          "register_lawyer.criminal_defence_since_year");
      *e.mutable_lawyer_registered() = r;
      break;
    }
    case v1::Command::kChangeLawyerProfile: {
      if (!l.Exists()) return NotFoundError("lawyer.not_found", "no such lawyer", "未登记该律师");
      const auto& r = c.change_lawyer_profile();
      if (!r.firm_id().empty() && !roster.FirmExists(r.firm_id()))
        return NotFoundError("firm.not_found", "register the firm '" + r.firm_id() + "' first",
                             "请先登记律师事务所“" + r.firm_id() + "”");
      *e.mutable_lawyer_profile_changed() = r;
      break;
    }
    case v1::Command::kSuspendLawyer:
      if (!l.Exists()) return NotFoundError("lawyer.not_found", "no such lawyer", "未登记该律师");
      if (l.suspended)
        return RuleError("lawyer.already_suspended", "the lawyer is already suspended",
                         "该律师已处于暂停状态");
      if (c.suspend_lawyer().reason().empty())
        return InputError("lawyer.suspend_reason", "give the reason for the suspension",
                          "请填写暂停原因", "suspend_lawyer.reason");
      *e.mutable_lawyer_suspended() = c.suspend_lawyer();
      break;
    case v1::Command::kReinstateLawyer:
      if (!l.Exists()) return NotFoundError("lawyer.not_found", "no such lawyer", "未登记该律师");
      if (!l.suspended)
        return RuleError("lawyer.not_suspended", "the lawyer is not suspended", "该律师未被暂停");
      *e.mutable_lawyer_reinstated() = c.reinstate_lawyer();
      break;
    default:
      return InputError("lawyer.unknown_command", "not a lawyer command", "不是律师管理类指令");
  }
  d.events.push_back(std::move(e));
  return d;
}

Result<Decision> DecideFirm(const v1::Command& c, bool exists) {
  if (c.kind_case() != v1::Command::kRegisterFirm)
    return InputError("firm.unknown_command", "not a firm command", "不是律所管理类指令");
  if (exists)
    return ConflictError("firm.exists", "this firm is already registered", "该律所已登记");
  if (c.register_firm().name().empty() || c.register_firm().licence_no().empty())
    return InputError("firm.incomplete", "a firm needs a name and a licence number",
                      "登记律所须填写名称和执业许可证号");
  Decision d;
  *d.events.emplace_back().mutable_firm_registered() = c.register_firm();
  return d;
}

}  // namespace aidtrail::domain

namespace aidtrail::domain {

void Roster::Export(v1::SharedStateSnapshot& out) const {
  for (const auto& [id, l] : lawyers_) {
    auto& x = *out.add_lawyers();
    x.set_id(id);
    x.set_version(l.version);
    x.set_name(l.name);
    x.set_firm_id(l.firm_id);
    x.set_practice_since_year(l.practice_since_year);
    for (int s : l.specialties) x.add_specialties(s);
    for (const std::string& t : l.teams) x.add_teams(t);
    x.set_suspended(l.suspended);
    x.set_criminal_defence_since_year(l.criminal_defence_since_year);
    x.set_familiar_with_minors(l.familiar_with_minors);
    x.set_last_assigned_micros(l.last_assigned.first);
    x.set_last_assigned_order(l.last_assigned.second);
    x.set_assigned_cases(l.assigned_cases);
  }
  for (const std::string& f : firms_) out.add_firms(f);
  out.set_assignments_folded(folded_);
}

void Roster::Import(const v1::SharedStateSnapshot& in) {
  lawyers_.clear();
  for (const auto& x : in.lawyers()) {
    LawyerState& l = lawyers_[x.id()];
    l.version = x.version();
    l.name = x.name();
    l.firm_id = x.firm_id();
    l.practice_since_year = x.practice_since_year();
    l.specialties = {x.specialties().begin(), x.specialties().end()};
    l.teams = {x.teams().begin(), x.teams().end()};
    l.suspended = x.suspended();
    l.criminal_defence_since_year = x.criminal_defence_since_year();
    l.familiar_with_minors = x.familiar_with_minors();
    l.last_assigned = {x.last_assigned_micros(), x.last_assigned_order()};
    l.assigned_cases = x.assigned_cases();
  }
  firms_ = {in.firms().begin(), in.firms().end()};
  folded_ = in.assignments_folded();
}

}  // namespace aidtrail::domain
