#include "tests/support/api_client.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <stdexcept>

namespace aidtrail::testing {

google::protobuf::Timestamp At(const std::string& rfc3339) {
  google::protobuf::Timestamp t;
  if (!google::protobuf::util::TimeUtil::FromString(rfc3339, &t))
    throw std::invalid_argument("not an RFC 3339 time: " + rfc3339);
  return t;
}

v1::Command NewCommand(const std::string& command_id, const std::string& stream_id,
                       const std::string& at) {
  v1::Command c;
  c.set_command_id(command_id);
  c.set_stream_id(stream_id);
  if (!at.empty()) {
    *c.mutable_occurred_at() = At(at);
    c.mutable_late_entry()->set_reason(kPastDayReason);
  }
  return c;
}

std::string CommandRoute(const v1::Command& command) {
  const auto* field =
      v1::Command::descriptor()->FindFieldByNumber(static_cast<int>(command.kind_case()));
  if (field == nullptr) throw std::invalid_argument("the command has no payload");
  return "/v1/commands/" + field->name();
}

std::string CommandJson(const v1::Command& command) {
  std::string out;
  const auto s = google::protobuf::util::MessageToJsonString(command, &out);
  if (!s.ok()) throw std::runtime_error(std::string(s.message()));
  return out;
}

api::ErrorBody ErrorOf(const HttpResponse& res) {
  api::ErrorBody e;
  const auto parsed = api::ParseJson(res.body, e);
  EXPECT_TRUE(parsed.ok()) << "not an error body (status " << res.status << "): " << res.body;
  return e;
}

ApiClient::ApiClient(const ServerProcess& server)
    : server_(server), http_("127.0.0.1", server.port()) {}

CommandAnswer ApiClient::Send(const std::string& token, const v1::Command& command) {
  const auto res = http_.Post(CommandRoute(command), CommandJson(command), server_.Token(token));
  CommandAnswer a;
  a.status = res.status;
  a.body = res.body;
  if (res.status == 200 || res.status == 201) {
    const auto parsed = api::ParseJson(res.body, a.response);
    EXPECT_TRUE(parsed.ok()) << "not a CommandResponse: " << res.body;
  } else if (res.status != 0) {
    a.error = ErrorOf(res);
  }
  return a;
}

api::CommandResponse ApiClient::Accept(const std::string& token, const v1::Command& command) {
  const auto a = Send(token, command);
  EXPECT_EQ(a.status, 201) << CommandRoute(command) << " " << command.command_id() << " as "
                           << token << ": " << a.body;
  return a.response;
}

HttpResponse ApiClient::Get(const std::string& target, const std::string& token) {
  return http_.Get(target, token.empty() ? std::string() : server_.Token(token));
}

std::vector<uint64_t> ApiClient::PartitionSizes() {
  server_.WaitCaughtUp();
  const auto cp = Read<api::Checkpoint>("/v1/audit/checkpoint", "auditor");
  std::vector<uint64_t> sizes(size_t(cp.partitions_size()));
  for (const auto& p : cp.partitions()) {
    EXPECT_LT(p.partition(), cp.partitions_size());
    if (p.partition() >= 0 && p.partition() < cp.partitions_size())
      sizes[size_t(p.partition())] = p.size();
  }
  return sizes;
}

}  // namespace aidtrail::testing
