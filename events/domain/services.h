// Service records that are not cases (stream "service/<id>"): duty-lawyer
// sessions and services, consultations, and home-visit appointments.
#pragma once

#include <cstdint>

#include "aidtrail/v1/commands.pb.h"
#include "events/domain/decision.h"
#include "events/domain/roster.h"

namespace aidtrail::domain {

enum class HomeVisit { kNone, kRequested, kCompleted, kCancelled };

struct ServiceState {
  uint64_t version = 0;
  HomeVisit home_visit = HomeVisit::kNone;
  [[nodiscard]] bool Exists() const { return version > 0; }
};

void EvolveService(ServiceState& state, const v1::Event& event);

// Home visits by appointment are for people aged 70+, people whose
// disability limits movement, and workers disabled by a work injury.
Status CheckHomeVisitEligible(const v1::HomeVisitRequested& request);

Result<Decision> DecideService(const v1::Command& command, const ServiceState& state, const Roster& roster);

}  // namespace aidtrail::domain
