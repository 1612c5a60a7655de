// The aidtrail API as a test speaks it: commands built as aidtrail.v1.Command
// messages (without an actor, which the server takes from the token), sent
// as canonical JSON to POST /v1/commands/<kind>, and answers parsed into the
// API's own messages.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "aidtrail/api/server.pb.h"
#include "aidtrail/v1/commands.pb.h"
#include "api/json.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"

namespace aidtrail::testing {

// "2024-03-04T09:00:00+08:00" -> the timestamp; throws if malformed.
google::protobuf::Timestamp At(const std::string& rfc3339);

// A command with its ids; `at` empty leaves occurredAt for the server to fill.
// A command given a past day `at` declares itself a late entry (补录) with
// kPastDayReason, as a clerk would: the server runs on the real clock and
// the business-time rules apply to tests as to anyone (a test of those rules
// clears the declaration).
inline constexpr char kPastDayReason[] = "测试：登记过去日期的事项";
v1::Command NewCommand(const std::string& command_id, const std::string& stream_id,
                       const std::string& at = {});

// The route of a command: /v1/commands/<its kind's field name>.
std::string CommandRoute(const v1::Command& command);
// The body a client sends: canonical JSON (lowerCamelCase keys).
std::string CommandJson(const v1::Command& command);

struct CommandAnswer {
  int status = 0;
  api::CommandResponse response;  // 200 / 201
  api::ErrorBody error;           // any other status
  std::string body;
};

class ApiClient {
 public:
  explicit ApiClient(const ServerProcess& server);

  // Sends `command` with the token named `token` (see ServerProcess).
  CommandAnswer Send(const std::string& token, const v1::Command& command);
  // Sends and expects 201; returns the response (the failure names the body).
  api::CommandResponse Accept(const std::string& token, const v1::Command& command);

  HttpResponse Get(const std::string& target, const std::string& token);

  // GET that must answer 200, parsed strictly into M.
  template <typename M>
  M Read(const std::string& target, const std::string& token) {
    M out;
    const auto res = Get(target, token);
    EXPECT_EQ(res.status, 200) << "GET " << target << " as " << token << ": " << res.body;
    if (res.status == 200) {
      auto parsed = api::ParseJson(res.body, out);
      EXPECT_TRUE(parsed.ok()) << "GET " << target << ": " << parsed.error().ToString() << "\n"
                               << res.body;
    }
    return out;
  }

  // The log's size per partition as the audit view counts it (every
  // record), once the views have caught up.
  std::vector<uint64_t> PartitionSizes();

  HttpClient& http() { return http_; }
  const ServerProcess& server() const { return server_; }

 private:
  const ServerProcess& server_;
  HttpClient http_;
};

// Parses an error body; a body that is not one fails the test.
api::ErrorBody ErrorOf(const HttpResponse& res);

}  // namespace aidtrail::testing
