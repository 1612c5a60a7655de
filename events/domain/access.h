// Staff reads of a case's personal data (stream "access/<case id>"). Every
// read is itself an event, so who saw whose data, why and in which form can
// be audited from the log like any other fact (PIPL Arts. 51 and 54).
#pragma once

#include "aidtrail/v1/commands.pb.h"
#include "events/domain/case_state.h"
#include "events/domain/decision.h"

namespace aidtrail::domain {

// `case_state` is the state of the case the access stream names, or nullptr
// when no such case has been recorded.
Result<Decision> DecideAccess(const v1::Command& command, const CaseState* case_state);

}  // namespace aidtrail::domain
