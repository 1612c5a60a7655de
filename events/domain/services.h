// Service records that are not cases (stream "service/<id>"): duty-lawyer
// sessions and services, consultations, and home-visit appointments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "aidtrail/v1/commands.pb.h"
#include "events/core/civil_date.h"
#include "events/domain/case_decider.h"
#include "events/domain/decision.h"
#include "events/domain/roster.h"

namespace aidtrail::domain {

enum class HomeVisit { kNone, kRequested, kCompleted, kCancelled };

// What a record earns a lawyer: a duty day or half day at a station, or a
// consultation a lawyer answered; kNone for everything else.
enum class Payable { kNone, kDutyDay, kDutyHalfDay, kConsultation };

struct ServiceState {
  uint64_t version = 0;
  HomeVisit home_visit = HomeVisit::kNone;
  Payable payable = Payable::kNone;
  std::string lawyer_id;
  v1::DutyStation station = v1::DUTY_STATION_UNSPECIFIED;
  std::optional<CivilDate> service_day;
  uint64_t record_version = 0;  // the event that is paid
  bool pay_approved = false;
  bool paid = false;
  int64_t pay_fen = 0;
  v1::BudgetLine pay_line = v1::BUDGET_LINE_UNSPECIFIED;
  int pay_year = 0;  // the approval's fiscal year
  [[nodiscard]] bool Exists() const { return version > 0; }
};

void EvolveService(ServiceState& state, const v1::Event& event);

// Home visits by appointment are for people aged 70+, people whose
// disability limits movement, and workers disabled by a work injury.
Status CheckHomeVisitEligible(const v1::HomeVisitRequested& request);

// REQUIRES: Authorize(command) succeeded and command.stream_id is a service
// stream. Pay is decided with the policy (standards) and budgets of `ctx`.
Result<Decision> DecideService(const v1::Command& command, const ServiceState& state,
                               const CaseContext& ctx);

}  // namespace aidtrail::domain
