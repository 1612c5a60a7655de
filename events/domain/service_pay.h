// Pay for duty days and consultations (值班律师补贴, 法律咨询补贴): the rules
// that approve and pay them on the service record's own stream, and the
// standard that sets each amount.
//
// Stateless; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "events/domain/case_decider.h"
#include "events/domain/decision.h"
#include "events/domain/services.h"

namespace aidtrail::domain {

// The standard keys that may price a payable record, most specific first:
// "duty-day/court" then "duty-day"; "consultation". Empty for kNone.
std::vector<std::string> ServiceStandardKeys(Payable payable, v1::DutyStation station);
// The budget line a payable record is paid from.
v1::BudgetLine ServicePayLine(Payable payable);
// "court", "detention-centre", ... ("" for UNSPECIFIED).
const char* StationSlug(v1::DutyStation station);

// approve_service_pay (the standard in force on the service day, the policy
// version named) and pay_service_pay (from the line's budget of the
// payment's year). REQUIRES: the command is one of those two.
Result<Decision> DecideServicePay(const v1::Command& command, const ServiceState& state,
                                  const CaseContext& ctx);

}  // namespace aidtrail::domain
