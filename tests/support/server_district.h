// The district the server tests work in, set up over HTTP as an
// administrator would: the policy (hardship line, subsidy standards,
// exemption list, the city's regions), firm F1 with lawyers L1 and L2 (both
// civil and criminal, so either may be assigned), and the 2024 case-subsidy
// budget. Plus the commands of a civil case's steps, as clerks send them.
#pragma once

#include <string>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "tests/support/api_client.h"

namespace aidtrail::testing {

inline constexpr int64_t kCivilSubsidyFen = 200000;          // 2,000.00 yuan
inline constexpr int64_t kCaseSubsidyBudgetFen = 100000000;  // 1,000,000.00 yuan for 2024

// Registers the district; every command must be accepted.
void RegisterDistrict(ApiClient& api);
// The administrator's commands that RegisterDistrict sends, in order
// (no actor or occurredAt: the server fills them).
std::vector<v1::Command> DistrictCommands();

// Commands on "case/<id>", with command ids "<id>/<step>".
v1::Command CivilApplication(const std::string& id, const std::string& at);
v1::Command ApproveExempt(const std::string& id, const std::string& at);
v1::Command AssignNamed(const std::string& id, const std::string& lawyer, const std::string& at);
// The assigned lawyer's entrustment agreement, signed by the recipient.
v1::Command SignEntrustment(const std::string& id, const std::string& at);
v1::Command CloseWon(const std::string& id, const std::string& at);            // lawyer
v1::Command SubmitClosingFiles(const std::string& id, const std::string& at);  // lawyer
v1::Command AcceptClosingFiles(const std::string& id, const std::string& at);  // supervisor

// Drives case <id> through application, approval, assignment of L1,
// closure and accepted closing files (the supervision steps after closure
// are the caller's), starting on 2024-03-04.
void CloseCivilCase(ApiClient& api, const std::string& id);

}  // namespace aidtrail::testing
