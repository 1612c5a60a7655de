// Intake rules: applications by every channel, criminal notifications,
// the one-time request for missing materials, and the integrity commitment.
#include <algorithm>
#include <set>

#include "events/domain/case_rules.h"
#include "events/domain/matters.h"

namespace aidtrail::domain::case_rules {
namespace {

// Key groups the green channel recognises, from what the clerk ticked and
// from facts that imply them (age, grounds).
std::vector<v1::KeyGroup> KeyGroups(const v1::PersonRef& p,
                                    std::initializer_list<v1::EligibilityGround> grounds) {
  std::set<int> g(p.key_groups().begin(), p.key_groups().end());
  if (p.age() >= 60) g.insert(v1::KEY_GROUP_ELDERLY);
  if (p.age() > 0 && p.age() < 18) g.insert(v1::KEY_GROUP_MINOR);
  for (auto gr : grounds)
    if (gr == v1::ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY)
      g.insert(v1::KEY_GROUP_MIGRANT_WORKER);
  g.erase(v1::KEY_GROUP_UNSPECIFIED);
  std::vector<v1::KeyGroup> out;
  for (int k : g) out.push_back(static_cast<v1::KeyGroup>(k));
  return out;
}

void AddPriority(Decision& d, const std::vector<v1::KeyGroup>& groups) {
  if (groups.empty()) return;
  auto* f = d.events.emplace_back().mutable_priority_flagged();
  for (auto g : groups) f->add_key_groups(g);
}

Status MustBeNew(const Input& in) {
  if (!in.state.Exists()) return {};
  return ConflictError("case.exists",
                       "case '" + in.cmd.stream_id() + "' already exists; use a new case id",
                       "案件编号“" + in.cmd.stream_id() + "”已存在，请使用新的案件编号");
}

// Co-applicants are people, each named once: a subject id, not the
// applicant's, not repeated; at most kMaxCoApplicants (a larger group is
// several applications).
constexpr int kMaxCoApplicants = 100;
Status CheckCoApplicants(const v1::ApplicationReceived& a) {
  if (a.co_applicants_size() > kMaxCoApplicants)
    return InputError("application.co_applicants",
                      "at most " + std::to_string(kMaxCoApplicants) +
                          " co-applicants on one application; record a larger group as several",
                      "一件申请最多登记" + std::to_string(kMaxCoApplicants) +
                          "名共同受援人，人数更多的请分件受理",
                      "submit_application.co_applicants");
  std::set<std::string> seen = {a.applicant().subject_id()};
  for (int i = 0; i < a.co_applicants_size(); ++i) {
    const std::string& id = a.co_applicants(i).subject_id();
    const std::string field = "submit_application.co_applicants[" + std::to_string(i) + "]";
    if (id.empty())
      return InputError("application.co_applicant",
                        "co-applicant " + std::to_string(i + 1) + " has no subject id",
                        "第" + std::to_string(i + 1) + "名共同受援人缺少人员编号",
                        field + ".subject_id");
    if (!seen.insert(id).second)
      return InputError("application.co_applicant_repeated",
                        "person " + id + " is named twice on this application",
                        "人员" + id + "在本申请中重复登记", field + ".subject_id");
  }
  return {};
}

Result<Decision> Submit(const Input& in) {
  if (Status s = MustBeNew(in); !s) return s.error();
  const v1::ApplicationReceived& a = in.cmd.submit_application();
  if (a.channel() == v1::CHANNEL_UNSPECIFIED || a.channel() == v1::CHANNEL_NOTIFICATION)
    return InputError(
        "application.channel",
        "choose the channel the application came through (a criminal notification is recorded "
        "with receive_notification)",
        "请选择申请渠道（通知辩护请使用“接收通知辩护”）", "submit_application.channel");
  if (Status s = Require(a.category() != v1::CASE_CATEGORY_UNSPECIFIED,
                         "submit_application.category", "the case category", "案件类别");
      !s)
    return s.error();
  if (Status s = Require(!a.applicant().subject_id().empty(),
                         "submit_application.applicant.subject_id", "the applicant", "申请人");
      !s)
    return s.error();
  if (Status s = CheckCoApplicants(a); !s) return s.error();
  if (a.category() == v1::CASE_CATEGORY_CRIMINAL &&
      a.criminal_stage() == v1::CRIMINAL_STAGE_UNSPECIFIED)
    return InputError("application.criminal_stage",
                      "a criminal application needs its procedural stage",
                      "刑事案件申请须注明诉讼阶段", "submit_application.criminal_stage");
  // The matter is counted and checked against the grounds, so it must be a
  // type of the vocabulary; criminal cases are typed by their category.
  if (a.category() != v1::CASE_CATEGORY_CRIMINAL && MatterTypeOf(a) == v1::MATTER_TYPE_UNSPECIFIED)
    return InputError(
        "application.matter_type",
        "choose the matter type (matter_type), or give one of these codes as matter: " +
            MatterChoices(),
        "请选择申请事项类型（matter_type），或在申请事项中填写以下代码之一：" + MatterChoices(),
        "submit_application.matter_type");
  switch (a.channel()) {
    case v1::CHANNEL_DETENTION_FORWARD:
      if (!a.has_detainee_requested_at())
        return InputError(
            "application.detainee_requested_at",
            "a forwarded application needs the time the detainee asked the facility (Art. 39)",
            "羁押场所转交的申请须填写被羁押人提出申请的时间（法第三十九条）",
            "submit_application.detainee_requested_at");
      if (Instant::FromProto(a.detainee_requested_at()) > in.at)
        return InputError("application.detainee_requested_at_future",
                          "the detainee's request cannot be later than its receipt",
                          "被羁押人提出申请的时间不能晚于本中心收到的时间",
                          "submit_application.detainee_requested_at");
      break;
    case v1::CHANNEL_TRANSFER_IN: {
      const auto& src = a.transfer_source();
      if (src.from_centre().empty() || src.from_region().empty())
        return InputError(
            "application.transfer_source", "a transfer needs the sending centre and its region",
            "转入案件须填写转出机构及其所在地区", "submit_application.transfer_source");
      if (!in.ctx.policy.Jurisdiction(in.day).city_regions().empty() &&
          !in.ctx.policy.InCity(src.from_region(), in.day))
        return RuleError(
            "application.transfer_outside_city",
            "city-wide handling takes transfers only from centres in this city; region " +
                src.from_region() + " is outside it",
            "市域通办仅接收本市其他法律援助机构转来的案件，地区" + src.from_region() + "不在本市",
            "submit_application.transfer_source.from_region");
      break;
    }
    case v1::CHANNEL_HOME_VISIT:
      if (a.home_visit_appointment_id().empty())
        return InputError("application.home_visit", "name the home-visit appointment",
                          "上门受理的申请须填写预约编号",
                          "submit_application.home_visit_appointment_id");
      break;
    default:
      break;
  }
  Decision d;
  *d.events.emplace_back().mutable_application_received() = a;
  const bool migrant =
      std::find(a.grounds_claimed().begin(), a.grounds_claimed().end(),
                v1::ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY) != a.grounds_claimed().end();
  AddPriority(
      d,
      KeyGroups(a.applicant(),
                migrant ? std::initializer_list<
                              v1::EligibilityGround>{v1::ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY}
                        : std::initializer_list<v1::EligibilityGround>{}));
  return d;
}

Result<Decision> Notification(const Input& in) {
  if (Status s = MustBeNew(in); !s) return s.error();
  const v1::CriminalNotificationReceived& n = in.cmd.receive_notification();
  if (n.authority_kind() == v1::AUTHORITY_KIND_UNSPECIFIED || n.authority().empty())
    return InputError("notification.authority",
                      "name the notifying court, procuratorate or police authority",
                      "请填写通知机关（法院、检察院或公安机关）", "receive_notification.authority");
  if (n.ground() == v1::NOTIFICATION_GROUND_UNSPECIFIED)
    return InputError("notification.ground", "state the ground of the notification (Art. 25 / 28)",
                      "请注明通知辩护的法定情形（法第二十五条、第二十八条）",
                      "receive_notification.ground");
  if (n.criminal_stage() == v1::CRIMINAL_STAGE_UNSPECIFIED)
    return InputError("notification.stage", "state the procedural stage", "请注明诉讼阶段",
                      "receive_notification.criminal_stage");
  if (n.suspect().subject_id().empty())
    return InputError("notification.suspect", "identify the suspect or defendant",
                      "请填写犯罪嫌疑人、被告人", "receive_notification.suspect.subject_id");
  // A partner agency notifies in its own name only; a clerk may record a
  // notification that arrived on paper from any authority.
  if (in.cmd.actor().role() == v1::ROLE_PARTNER && n.authority() != in.cmd.actor().agency())
    return MakeError(ErrorKind::kForbidden, "notification.other_authority",
                     "a partner agency notifies only in its own name ('" + in.cmd.actor().agency() +
                         "'), not for '" + n.authority() + "'",
                     "通知机关只能以本机关名义通知辩护（本机关：" + in.cmd.actor().agency() +
                         "），不能代“" + n.authority() + "”通知",
                     "receive_notification.authority");
  Decision d;
  *d.events.emplace_back().mutable_criminal_notification_received() = n;
  auto groups = KeyGroups(n.suspect(), {});
  if (n.ground() == v1::NOTIFICATION_GROUND_MINOR &&
      std::find(groups.begin(), groups.end(), v1::KEY_GROUP_MINOR) == groups.end())
    groups.push_back(v1::KEY_GROUP_MINOR);
  std::sort(groups.begin(), groups.end());
  AddPriority(d, groups);
  return d;
}

Result<Decision> Materials(const Input& in) {
  v1::EventPayload e;
  if (in.cmd.has_request_materials()) {
    if (Status s = RequireStage(in, {Stage::kUnderReview}); !s) return s.error();
    if (in.state.materials_requested)
      return RuleError(
          "case.materials_once",
          "Art. 43: missing materials may be asked for in one notice only; it was already sent",
          "依法第四十三条，补充材料应一次性告知，本案已告知过", "request_materials");
    if (in.cmd.request_materials().items().empty())
      return InputError("case.materials_items", "list every missing item in the notice",
                        "请在告知书中列明全部需补充的材料", "request_materials.items");
    *e.mutable_materials_requested() = in.cmd.request_materials();
  } else {
    if (Status s = RequireStage(in, {Stage::kAwaitingMaterials}); !s) return s.error();
    *e.mutable_materials_supplied() = in.cmd.supply_materials();
  }
  return One(std::move(e));
}

Result<Decision> Commitment(const Input& in) {
  const CaseState& s = in.state;
  if (in.cmd.has_sign_commitment()) {
    if (Status st = RequireStage(in, {Stage::kUnderReview, Stage::kAwaitingMaterials}); !st)
      return st.error();
    if (s.commitment_signed)
      return RuleError("case.commitment_exists", "a commitment is already on file",
                       "本案已签署承诺书");
    if (in.cmd.sign_commitment().matters().empty())
      return InputError("case.commitment_matters", "list what the applicant commits to",
                        "请填写承诺事项", "sign_commitment.matters");
    v1::EventPayload e;
    *e.mutable_commitment_signed() = in.cmd.sign_commitment();
    return One(std::move(e));
  }
  const v1::VerifyCommitment& v = in.cmd.verify_commitment();
  if (!s.commitment_signed || s.commitment_verified)
    return RuleError("case.no_commitment_to_verify",
                     "there is no unverified commitment on this case", "本案没有待核查的承诺事项");
  if (Status st = RequireStage(in, {Stage::kUnderReview, Stage::kAwaitingMaterials,
                                    Stage::kApproved, Stage::kInHandling, Stage::kClosed});
      !st)
    return st.error();
  Decision d;
  if (v.truthful()) {
    d.events.emplace_back().mutable_commitment_verified()->set_note(v.findings());
    return d;
  }
  if (v.findings().empty())
    return InputError("case.commitment_findings",
                      "a false commitment must be recorded with the findings",
                      "认定承诺不实须写明核查情况", "verify_commitment.findings");
  auto* f = d.events.emplace_back().mutable_commitment_found_false();
  f->set_findings(v.findings());
  f->set_credit_record_ref(v.credit_record_ref());
  // A false commitment ends the aid (Art. 48(1)); before a decision, it is refused.
  if (s.stage == Stage::kUnderReview || s.stage == Stage::kAwaitingMaterials) {
    auto* r = d.events.emplace_back().mutable_application_refused();
    r->set_reason(v1::REFUSAL_REASON_OTHER);
    r->set_written_reasons("承诺事项经核查不实：" + v.findings());
  } else if (s.stage == Stage::kApproved || s.stage == Stage::kInHandling) {
    auto* t = d.events.emplace_back().mutable_aid_terminated();
    t->set_ground(v1::TERMINATION_GROUND_FALSE_COMMITMENT);
    t->set_reasons("承诺事项经核查不实：" + v.findings());
  }
  return d;
}

}  // namespace

Result<Decision> Intake(const Input& in) {
  switch (in.cmd.kind_case()) {
    case v1::Command::kSubmitApplication:
      return Submit(in);
    case v1::Command::kReceiveNotification:
      return Notification(in);
    case v1::Command::kRequestMaterials:
    case v1::Command::kSupplyMaterials:
      return Materials(in);
    default:
      return Commitment(in);
  }
}

}  // namespace aidtrail::domain::case_rules
