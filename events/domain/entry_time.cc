#include "events/domain/entry_time.h"

#include <cstdio>

#include "events/domain/commands.h"

namespace aidtrail::domain {
namespace {

using C = v1::Command;
constexpr int64_t kMinute = 60'000'000LL;

// Steps done away from the desk — in court, on a visit, at a duty station —
// are recorded on return: three days covers a Friday hearing entered on
// Monday. Decisions the rules compute from the record at that moment
// (rotation, budget, hardship line, subsidy amount) are the record itself:
// an hour covers entering a meeting's decisions right after it. Everything
// else: one day, so the morning's paper is entered by the evening.
int DefaultWindowMinutes(C::KindCase kind) {
  switch (kind) {
    case C::kRecordHearing:
    case C::kAttendHearing:
    case C::kRecordMediation:
    case C::kRecordFollowUp:
    case C::kRecordAuthorityOpinion:
    case C::kCompleteHomeVisit:
    case C::kRecordDutySession:
    case C::kRecordDutyService:
    case C::kRecordConsultation:
      return 72 * 60;
    case C::kReview:
    case C::kGrantAidFirst:
    case C::kDecideObjection:
    case C::kAssignLawyer:
    case C::kReplaceLawyer:
    case C::kApproveSubsidy:
    case C::kPaySubsidy:
    case C::kApproveServicePay:
    case C::kPayServicePay:
    case C::kCorrectEvent:
    case C::kRecordPersonalDataAccess:
      return 60;
    default:
      return kDefaultLateEntryWindowMinutes;
  }
}

std::string KindName(C::KindCase kind) {
  const auto* f = C::descriptor()->FindFieldByNumber(int(kind));
  return f ? f->name() : std::string();
}

std::string Duration(int64_t minutes, bool zh) {
  const int64_t d = minutes / (24 * 60), h = minutes / 60 % 24, m = minutes % 60;
  std::string out;
  if (d) out += std::to_string(d) + (zh ? "天" : " d ");
  if (h) out += std::to_string(h) + (zh ? "小时" : " h ");
  if (m || out.empty()) out += std::to_string(m) + (zh ? "分钟" : " min");
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string CstMinute(Instant t) {
  const int64_t cst = t.micros + 8 * 3'600'000'000LL;
  int64_t minute_of_day = cst / kMinute % (24 * 60);
  if (minute_of_day < 0) minute_of_day += 24 * 60;
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", int(minute_of_day / 60), int(minute_of_day % 60));
  return CivilDate::Of(t).ToString() + " " + hm;
}

int LateEntryWindowMinutes(const v1::DeadlineRulesSet& rules, C::KindCase kind) {
  if (auto it = rules.late_entry_window_minutes().find(KindName(kind));
      it != rules.late_entry_window_minutes().end())
    return it->second;
  if (rules.default_late_entry_window_minutes() > 0)
    return rules.default_late_entry_window_minutes();
  return DefaultWindowMinutes(kind);
}

int FutureSkewSeconds(const v1::DeadlineRulesSet& rules) {
  return rules.future_skew_seconds() > 0 ? rules.future_skew_seconds() : kDefaultFutureSkewSeconds;
}

Result<EntryTime> CheckEntryTime(const C& c, Instant recorded_at, const PolicyState& policy) {
  const Instant at = Instant::FromProto(c.occurred_at());
  const auto& rules = policy.rules();
  const int skew = FutureSkewSeconds(rules);
  if (at.micros > recorded_at.micros + int64_t(skew) * 1'000'000)
    return RuleError("time.in_future",
                     "occurred_at " + CstMinute(at) + " is later than the writer's clock (" +
                         CstMinute(recorded_at) + " CST) by more than " +
                         Duration((skew + 59) / 60, false) +
                         "; a step cannot be recorded before it happens: correct occurred_at",
                     "发生时间 " + CstMinute(at) + " 晚于系统时间 " + CstMinute(recorded_at) +
                         " 超过" + Duration((skew + 59) / 60, true) +
                         "：不能登记尚未发生的事项，请更正发生时间（occurred_at）",
                     "occurred_at");
  EntryTime out;
  if (c.has_migration()) {
    if (c.migration().batch_id().empty() || c.migration().run_by().empty())
      return InputError("migration.incomplete", "a migration names its batch and who ran it",
                        "迁移导入须注明批次和执行人", "migration");
    out.migration = c.migration();
    return out;  // history: dated when it happened, recorded now, on purpose
  }
  const int window = LateEntryWindowMinutes(rules, c.kind_case());
  const int64_t late_by = (recorded_at.micros - at.micros) / kMinute;
  if (c.has_late_entry()) {
    if (c.late_entry().reason().find_first_not_of(" \t\r\n") == std::string::npos)
      return InputError("time.late_entry_reason",
                        "a late entry needs its reason (late_entry.reason)",
                        "补录须写明原因（late_entry.reason）", "late_entry.reason");
    // Declared: recorded as a late entry even inside the window, because
    // the person recording said so.
    v1::LateEntry mark;
    mark.set_reason(c.late_entry().reason());
    mark.set_window_minutes(window);
    out.late_entry = mark;
    return out;
  }
  if (late_by > window) {
    const CommandSpec* spec = FindCommand(c.kind_case());
    const std::string label = spec ? spec->label_zh : KindName(c.kind_case());
    return RuleError("time.late_entry_undeclared",
                     "occurred_at " + CstMinute(at) + " is " + Duration(late_by, false) +
                         " before the writer's clock, more than the " + Duration(window, false) +
                         " allowed for " + KindName(c.kind_case()) +
                         " without a declaration: if it is a late entry, give late_entry.reason; "
                         "otherwise correct "
                         "occurred_at",
                     "发生时间 " + CstMinute(at) + " 早于系统时间" + Duration(late_by, true) +
                         "，超过“" + label + "”允许的" + Duration(window, true) +
                         "：如属补录，请填写补录原因（late_entry.reason）；" + "否则请更正发生时间",
                     "late_entry.reason");
  }
  return out;
}

Status CheckEntryRules(const v1::DeadlineRulesSet& r) {
  if (r.future_skew_seconds() < 0 || r.future_skew_seconds() > 3600)
    return InputError("policy.entry.skew", "future_skew_seconds must be from 0 (default) to 3600",
                      "允许的时钟误差须在0（默认）至3600秒之间",
                      "set_deadline_rules.future_skew_seconds");
  if (r.default_late_entry_window_minutes() < 0)
    return InputError("policy.entry.window", "late-entry windows cannot be negative",
                      "补录时限不能为负数", "set_deadline_rules.default_late_entry_window_minutes");
  for (const auto& [kind, minutes] : r.late_entry_window_minutes()) {
    const auto* f = C::descriptor()->FindFieldByName(kind);
    if (f == nullptr || f->containing_oneof() == nullptr)
      return InputError("policy.entry.kind",
                        "'" + kind + "' is not a command (use its field name, e.g. record_hearing)",
                        "“" + kind + "”不是指令名称（请使用字段名，例如 record_hearing）",
                        "set_deadline_rules.late_entry_window_minutes");
    if (minutes < 0)
      return InputError("policy.entry.window", "late-entry windows cannot be negative",
                        "补录时限不能为负数", "set_deadline_rules.late_entry_window_minutes");
  }
  return {};
}

}  // namespace aidtrail::domain
