#include "events/domain/corrections.h"

#include <algorithm>
#include <optional>

#include "events/domain/commands.h"
#include "events/domain/decision.h"
#include "events/domain/matters.h"

namespace aidtrail::domain {
namespace {

constexpr v1::Role kIntake = v1::ROLE_INTAKE, kReviewer = v1::ROLE_REVIEWER,
                   kSupervisor = v1::ROLE_SUPERVISOR;

// Intake facts are corrected by whoever may review them; a supervision
// finding only by a supervisor.
const std::vector<CorrectableField>& Table() {
  static const std::vector<CorrectableField> table = {
      {"category", "案件类别", {kReviewer, kSupervisor}},
      {"criminal_stage", "刑事诉讼阶段", {kReviewer, kSupervisor}},
      {"infringement_region", "侵权行为发生地", {kIntake, kReviewer, kSupervisor}},
      {"domicile_region", "申请人住所地", {kIntake, kReviewer, kSupervisor}},
      {"handling_authority_region", "办案机关所在地", {kIntake, kReviewer, kSupervisor}},
      // The free text; a text that names a type of the vocabulary re-types
      // the case too.
      {"matter", "申请事项", {kIntake, kReviewer, kSupervisor}},
      // The type of the vocabulary (enum name, code or label).
      {"matter_type", "案件事项类型", {kIntake, kReviewer, kSupervisor}},
      // Of the latest quality review, which the correction points at.
      {"quality_grade", "质量评查等级", {kSupervisor}, "grade"},
      // Of the closure (e.g. wages recovered), which the correction points at.
      {"amount_recovered_fen", "挽回金额（分）", {kReviewer, kSupervisor}},
      // The business date of the receipt (version 1), the latest decision
      // or the closure, which the correction points at.
      {"occurred_on", "业务日期", {kReviewer, kSupervisor}},
  };
  return table;
}

const google::protobuf::EnumDescriptor* EnumOf(std::string_view field) {
  if (field == "category") return v1::CaseCategory_descriptor();
  if (field == "criminal_stage") return v1::CriminalStage_descriptor();
  if (field == "quality_grade") return v1::QualityGrade_descriptor();
  if (field == "matter_type") return v1::MatterType_descriptor();
  return nullptr;
}

bool IsRegion(std::string_view field) { return field.ends_with("_region"); }
bool IsAmount(std::string_view field) { return field.ends_with("_fen"); }
bool IsDate(std::string_view field) { return field.ends_with("_on"); }
bool AllDigits(const std::string& v) {
  return !v.empty() &&
         std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

int EnumValue(std::string_view field, const std::string& value) {
  const auto* v = EnumOf(field)->FindValueByName(value);
  if (v == nullptr && field == "matter_type") return MatterTypeFromText(value);
  return v ? v->number() : 0;
}

}  // namespace

std::span<const CorrectableField> CorrectableFields() { return Table(); }

const CorrectableField* FindCorrectableField(std::string_view name) {
  for (const CorrectableField& f : Table())
    if (name == f.name) return &f;
  return nullptr;
}

Status CheckCorrection(const v1::EventCorrected& c, v1::Role role) {
  const CorrectableField* f = FindCorrectableField(c.field());
  if (f == nullptr) {
    std::string names;
    for (const CorrectableField& x : Table())
      names += (names.empty() ? "" : ", ") + std::string(x.name);
    return InputError("correction.field",
                      "'" + c.field() + "' cannot be corrected; correctable: " + names,
                      "“" + c.field() + "”不可更正；可更正的事项：" + names, "correct_event.field");
  }
  if (std::find(f->roles.begin(), f->roles.end(), role) == f->roles.end())
    return MakeError(ErrorKind::kForbidden, "correction.role",
                     "role " + v1::Role_Name(role) + " may not correct " + f->name,
                     std::string(RoleLabelZh(role)) + "无权更正“" + f->label_zh + "”");
  const std::string& v = c.corrected_value();
  const bool valid = EnumOf(c.field())     ? EnumValue(c.field(), v) != 0
                     : IsRegion(c.field()) ? v.size() == 6 && AllDigits(v)
                     : IsAmount(c.field()) ? AllDigits(v) && v.size() <= 15
                     : IsDate(c.field())   ? v.size() == 10 && CivilDate::Parse(v).ok()
                                           : !v.empty();
  if (!valid)
    return InputError(
        "correction.value",
        "'" + v + "' is not a value of " + f->name +
            (c.field() == "matter_type" ? " (one of: " + MatterChoices() + ")"
             : EnumOf(c.field())        ? " (use the enum name, e.g. CRIMINAL_STAGE_TRIAL)"
             : IsRegion(c.field())      ? " (a six-digit region code)"
             : IsAmount(c.field()) ? " (a whole number of fen, e.g. 3000000 for 30,000.00 yuan)"
             : IsDate(c.field())   ? " (a date, YYYY-MM-DD)"
                                   : ""),
        "“" + v + "”不是“" + f->label_zh + "”的有效取值", "correct_event.corrected_value");
  return {};
}

void ApplyCorrection(CaseState& s, const v1::EventCorrected& c) {
  const std::string& f = c.field();
  const std::string& v = c.corrected_value();
  if (f == "category") {
    s.category = static_cast<v1::CaseCategory>(EnumValue(f, v));
  } else if (f == "criminal_stage") {
    // Pointing at the closure: the stage it was closed in, which ends the
    // finishing lawyer's stages. Otherwise the stage of receipt, where the
    // first lawyer's stages begin (subsidy_formula.h); a closed case keeps
    // each end where it was.
    const auto stage = static_cast<v1::CriminalStage>(EnumValue(f, v));
    if (s.closed_on && c.corrected().stream_version() == s.closed_version)
      s.closed_stage = stage;
    else
      s.criminal_stage = stage;
  } else if (f == "quality_grade") {
    s.quality_grade = static_cast<v1::QualityGrade>(EnumValue(f, v));
  } else if (f == "matter_type") {
    s.matter_type = static_cast<v1::MatterType>(EnumValue(f, v));
  } else if (f == "matter") {
    // A text of the vocabulary names the type; other text leaves it.
    if (const v1::MatterType t = MatterTypeFromText(v); t != v1::MATTER_TYPE_UNSPECIFIED)
      s.matter_type = t;
  } else if (f == "infringement_region") {
    s.infringement_region = v;
  } else if (f == "domicile_region") {
    s.domicile_region = v;
  } else if (f == "handling_authority_region") {
    s.handling_authority_region = v;
  } else if (f == "occurred_on") {
    const CivilDate day = *CivilDate::Parse(v);
    const uint64_t target = c.corrected().stream_version();
    if (target == s.closed_version && s.closed_on) {
      s.closed_on = day;
    } else if (target == s.decided_version && s.decided_on) {
      if (s.approved_on == s.decided_on) s.approved_on = day;
      s.decided_on = day;
    } else if (target == 1) {
      // The receipt keeps its time of day; a notification is approved on it.
      if (s.approved_on == s.received_on) s.approved_on = day;
      s.received_at.micros += int64_t(day - s.received_on) * 86'400'000'000LL;
      s.received_on = day;
    }
  }
  // "amount_recovered_fen" is kept by no rule: the correction stands in
  // the record, and the counted figures follow it (projections/recount.h).
}

namespace {

// Moving the receipt day can move the application under another exemption
// list. The reviewer who will apply the list may not choose it so: such a
// move is a supervisor's, recorded with its reason; and once an approval
// rested on a list's ground, the move would undo the basis of a decision
// already taken, so it is refused outright.
Status CheckReceiptListUnchanged(const CaseState& s, CivilDate day, const PolicyState& policy,
                                 v1::Role role) {
  const std::string from = policy.ExemptionListFrom(s.received_on);
  const std::string to = policy.ExemptionListFrom(day);
  if (from == to) return {};
  const auto label = [](const std::string& f) { return f.empty() ? std::string("-") : f; };
  if (s.basis == v1::APPROVAL_BASIS_EXEMPT && !IsStatutoryExemption(s.approved_ground))
    return RuleError("correction.exemption_list_decided",
                     "the approval rested on the exemption list in force on " +
                         s.received_on.ToString() + " (from " + label(from) + "); moving the " +
                         "receipt to " + day.ToString() + " would put it under the list from " +
                         label(to),
                     "本案已依受理之日（" + s.received_on.ToString() +
                         "）施行的免予经济困难审查范围（" + label(from) + "起施行）给予援助，" +
                         "将受理日期更正为" + day.ToString() + "将改变所适用的范围，不能更正",
                     "correct_event.corrected_value");
  if (role != v1::ROLE_SUPERVISOR)
    return MakeError(ErrorKind::kForbidden, "correction.exemption_list_role",
                     "moving the receipt to " + day.ToString() +
                         " changes the exemption list the application is judged by (from " +
                         label(from) + " to " + label(to) + "); only a supervisor may do that",
                     "将受理日期更正为" + day.ToString() + "会改变所适用的免予经济困难审查范围（" +
                         label(from) + "起施行 → " + label(to) + "起施行），须由监管人员更正");
  return {};
}

// A corrected business date: of the receipt, the latest decision or the
// closure; in their order (receipt, decision, closure); and never later
// than the step was recorded: a step cannot have happened after it was
// written down, and its deadline stays judged on when it was recorded too.
Status CheckCorrectedDay(const CaseState& s, const v1::EventCorrected& c, const PolicyState& policy,
                         v1::Role role) {
  const uint64_t target = c.corrected().stream_version();
  const CivilDate day = *CivilDate::Parse(c.corrected_value());
  std::optional<CivilDate> not_before, not_after;
  TimedStep step = TimedStep::kReceived;
  if (target == s.closed_version && s.closed_on) {
    step = TimedStep::kClosed;
    not_before = s.first_assigned_on ? s.first_assigned_on : s.decided_on;
  } else if (target == s.decided_version && s.decided_on) {
    step = TimedStep::kDecided;
    not_before = s.received_on;
    not_after = s.closed_on;
  } else if (target == 1) {
    not_after = s.decided_on ? s.decided_on : s.closed_on;
  } else {
    return InputError("correction.target_kind",
                      "a business date is corrected on the case's receipt (version 1), its latest "
                      "decision or its closure",
                      "业务日期的更正须指向本案的受理、最近一次审查决定或结案记录",
                      "correct_event.corrected");
  }
  if ((not_before && day < *not_before) || (not_after && day > *not_after))
    return RuleError("correction.date_order",
                     "the corrected date " + day.ToString() +
                         " breaks the order of receipt, decision and closure" +
                         (not_before ? " (not before " + not_before->ToString() + ")" : "") +
                         (not_after ? " (not after " + not_after->ToString() + ")" : ""),
                     "更正后的日期" + day.ToString() + "与受理、审查决定、结案的先后顺序不符",
                     "correct_event.corrected_value");
  if (auto it = s.recorded_at.find(step);
      it != s.recorded_at.end() && day > CivilDate::Of(it->second))
    return RuleError("correction.date_after_recorded",
                     "the corrected date " + day.ToString() + " is after the step was recorded (" +
                         CivilDate::Of(it->second).ToString() + ")",
                     "更正后的日期" + day.ToString() + "晚于该事项的登记日期（" +
                         CivilDate::Of(it->second).ToString() + "），事项不可能发生在登记之后",
                     "correct_event.corrected_value");
  if (step == TimedStep::kReceived) return CheckReceiptListUnchanged(s, day, policy, role);
  return {};
}

}  // namespace

Status CheckCorrectionTarget(const CaseState& s, const v1::EventCorrected& c,
                             const PolicyState& policy, v1::Role role) {
  const uint64_t target = c.corrected().stream_version();
  if (c.field() == "quality_grade" &&
      (s.quality_review_version == 0 || target != s.quality_review_version))
    return InputError("correction.target_kind",
                      "a grade is corrected on the case's latest quality review (version " +
                          std::to_string(s.quality_review_version) + ")",
                      "评查等级的更正须指向本案最近一次质量评查记录", "correct_event.corrected");
  if (c.field() == "occurred_on") return CheckCorrectedDay(s, c, policy, role);
  if ((c.field() == "matter" || c.field() == "matter_type") && (target != 1 || s.notification))
    return InputError("correction.target_kind",
                      "a matter is corrected on the application's receipt (version 1); a "
                      "notified defence has none",
                      "申请事项的更正须指向本案的申请受理记录（第1条）；通知辩护案件无申请事项",
                      "correct_event.corrected");
  if (c.field() == "amount_recovered_fen" && (s.closed_version == 0 || target != s.closed_version))
    return InputError("correction.target_kind",
                      "an amount recovered is corrected on the case's closure (version " +
                          std::to_string(s.closed_version) + ")",
                      "挽回金额的更正须指向本案的结案记录", "correct_event.corrected");
  return {};
}

}  // namespace aidtrail::domain
