#include "events/domain/services.h"

#include "events/core/civil_date.h"
#include "events/domain/service_pay.h"

namespace aidtrail::domain {

void EvolveService(ServiceState& s, const v1::Event& event) {
  s.version = event.stream_version();
  switch (event.payload().kind_case()) {
    case v1::EventPayload::kHomeVisitRequested:
      s.home_visit = HomeVisit::kRequested;
      break;
    case v1::EventPayload::kHomeVisitCompleted:
      s.home_visit = HomeVisit::kCompleted;
      break;
    case v1::EventPayload::kHomeVisitCancelled:
      s.home_visit = HomeVisit::kCancelled;
      break;
    case v1::EventPayload::kDutySessionRecorded: {
      const auto& x = event.payload().duty_session_recorded();
      s.payable = x.half_day() ? Payable::kDutyHalfDay : Payable::kDutyDay;
      s.lawyer_id = x.lawyer_id();
      s.station = x.station();
      if (auto d = CivilDate::Parse(x.date()); d.ok()) s.service_day = *d;
      s.record_version = event.stream_version();
      break;
    }
    case v1::EventPayload::kConsultationRecorded: {
      const auto& x = event.payload().consultation_recorded();
      if (x.lawyer_id().empty()) break;  // answered by staff: not paid
      s.payable = Payable::kConsultation;
      s.lawyer_id = x.lawyer_id();
      s.service_day = CivilDate::Of(Instant::FromProto(event.occurred_at()));
      s.record_version = event.stream_version();
      break;
    }
    case v1::EventPayload::kServicePayApproved: {
      const auto& x = event.payload().service_pay_approved();
      s.pay_approved = true;
      s.pay_fen = x.amount_fen();
      s.pay_line = x.line();
      s.pay_year = x.fiscal_year();
      break;
    }
    case v1::EventPayload::kServicePayPaid:
      s.paid = true;
      break;
    default:
      break;
  }
}

Status CheckHomeVisitEligible(const v1::HomeVisitRequested& r) {
  const v1::PersonRef& p = r.person();
  switch (r.reason()) {
    case v1::HOME_VISIT_REASON_AGE_70_PLUS:
      if (p.age() >= 70) return {};
      return RuleError("home_visit.age",
                       "home visits on grounds of age are for people aged 70 or more",
                       "因年龄预约上门服务须年满70周岁", "request_home_visit.person.age");
    case v1::HOME_VISIT_REASON_LIMITED_MOBILITY:
      if (p.limited_mobility()) return {};
      return RuleError("home_visit.mobility",
                       "the person's disability must be recorded as limiting movement",
                       "须为行动不便的残疾人", "request_home_visit.person.limited_mobility");
    case v1::HOME_VISIT_REASON_WORK_INJURY_DISABLED:
      if (p.work_injury_disabled()) return {};
      return RuleError(
          "home_visit.work_injury", "the person must be unable to work because of a work injury",
          "须为因工伤丧失劳动能力的职工", "request_home_visit.person.work_injury_disabled");
    default:
      return InputError(
          "home_visit.reason",
          "home visits by appointment are only for people aged 70+, people with limited mobility "
          "from a disability, and workers disabled by a work injury: choose which applies",
          "预约上门服务仅适用于70周岁以上老人、行动不便的残疾人和因工伤丧失劳动能力的职工，请选择适"
          "用情形",
          "request_home_visit.reason");
  }
}

namespace {

Status NewRecord(const ServiceState& s) {
  if (!s.Exists()) return {};
  return ConflictError("service.exists", "this record id is already used; use a new id",
                       "该记录编号已存在，请使用新编号");
}

Status ActiveLawyer(const Roster& roster, const std::string& id, const std::string& field) {
  const LawyerState* l = roster.Find(id);
  if (l == nullptr)
    return NotFoundError("lawyer.not_found", "no lawyer registered as '" + id + "'",
                         "未登记律师“" + id + "”");
  if (l->suspended)
    return RuleError("lawyer.suspended", "lawyer " + id + " is suspended",
                     "律师" + l->name + "已被暂停执业援助", field);
  return {};
}

Status Date(const std::string& text, const std::string& field) {
  auto d = CivilDate::Parse(text);
  if (d.ok()) return {};
  Error e = d.error();
  e.field = field;
  return e;
}

}  // namespace

Result<Decision> DecideService(const v1::Command& c, const ServiceState& s,
                               const CaseContext& ctx) {
  if (c.has_approve_service_pay() || c.has_pay_service_pay()) return DecideServicePay(c, s, ctx);
  const Roster& roster = ctx.roster;
  Decision d;
  v1::EventPayload e;
  switch (c.kind_case()) {
    case v1::Command::kRecordDutySession: {
      const auto& x = c.record_duty_session();
      if (Status st = NewRecord(s); !st) return st.error();
      if (Status st = ActiveLawyer(roster, x.lawyer_id(), "record_duty_session.lawyer_id"); !st)
        return st.error();
      if (x.station() == v1::DUTY_STATION_UNSPECIFIED)
        return InputError("duty.station", "choose the duty station", "请选择值班地点",
                          "record_duty_session.station");
      if (Status st = Date(x.date(), "record_duty_session.date"); !st) return st.error();
      *e.mutable_duty_session_recorded() = x;
      break;
    }
    case v1::Command::kRecordDutyService: {
      const auto& x = c.record_duty_service();
      if (Status st = NewRecord(s); !st) return st.error();
      if (Status st = ActiveLawyer(roster, x.lawyer_id(), "record_duty_service.lawyer_id"); !st)
        return st.error();
      if (x.station() == v1::DUTY_STATION_UNSPECIFIED || x.mode() == v1::SERVICE_MODE_UNSPECIFIED ||
          x.kind() == v1::DUTY_SERVICE_KIND_UNSPECIFIED)
        return InputError(
            "duty.incomplete", "a duty service needs the station, the mode and the kind of help",
            "值班律师法律帮助须填写值班地点、服务方式和帮助类型", "record_duty_service");
      *e.mutable_duty_service_recorded() = x;
      break;
    }
    case v1::Command::kRecordConsultation: {
      const auto& x = c.record_consultation();
      if (Status st = NewRecord(s); !st) return st.error();
      if (x.channel() == v1::CONSULTATION_CHANNEL_UNSPECIFIED || x.topic().empty())
        return InputError("consultation.incomplete", "a consultation needs its channel and topic",
                          "法律咨询须填写咨询渠道和咨询事项", "record_consultation");
      if (!x.lawyer_id().empty())
        if (Status st = ActiveLawyer(roster, x.lawyer_id(), "record_consultation.lawyer_id"); !st)
          return st.error();
      *e.mutable_consultation_recorded() = x;
      break;
    }
    case v1::Command::kRequestHomeVisit: {
      const auto& x = c.request_home_visit();
      if (Status st = NewRecord(s); !st) return st.error();
      if (Status st = CheckHomeVisitEligible(x); !st) return st.error();
      if (Status st = Date(x.requested_date(), "request_home_visit.requested_date"); !st)
        return st.error();
      *e.mutable_home_visit_requested() = x;
      break;
    }
    case v1::Command::kCompleteHomeVisit:
    case v1::Command::kCancelHomeVisit: {
      if (s.home_visit != HomeVisit::kRequested)
        return RuleError("home_visit.not_open",
                         "there is no open home-visit appointment under this id",
                         "该编号下没有待上门的预约");
      if (c.has_complete_home_visit()) {
        *e.mutable_home_visit_completed() = c.complete_home_visit();
      } else {
        if (c.cancel_home_visit().reason().empty())
          return InputError("home_visit.cancel_reason", "give the reason for cancelling",
                            "请填写取消原因", "cancel_home_visit.reason");
        *e.mutable_home_visit_cancelled() = c.cancel_home_visit();
      }
      break;
    }
    default:
      return InputError("service.unknown_command", "not a service-record command",
                        "不是服务记录类指令");
  }
  d.events.push_back(std::move(e));
  return d;
}

}  // namespace aidtrail::domain
