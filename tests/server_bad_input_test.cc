// Every kind of bad request to `aidtrail serve` is refused with the right
// status and an error body a clerk can act on ({code, message, message_zh,
// field}), and writes nothing: after each request the audit checkpoint's
// size of every partition is unchanged, and when the server has stopped
// the log itself, opened directly, ends where it ended before the test.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "events/store/embedded_log.h"
#include "tests/support/api_client.h"
#include "tests/support/server_district.h"
#include "tests/support/server_process.h"

namespace aidtrail {
namespace {

using testing::ApiClient;

// One bad request and how it must be answered.
struct Refusal {
  std::string name;
  std::string method;
  std::string target;
  std::string token;  // a token name, "" for none, or "raw:" + an Authorization header value
  std::string body;
  int status = 0;
  std::string code;
  std::string zh_contains = {};  // a phrase the Chinese message must carry
  std::string field = {};        // the field named, where one is
  bool expect_continue = false;
  std::string allow = {};  // for 405: the Allow header
};

const std::string kCase = R"("streamId":"case/2024-0001")";
const std::string kApprove =
    R"("review":{"approve":{"ground":"ELIGIBILITY_GROUND_PERSONAL_INJURY"}})";

// A review command body: `{"commandId":"bad-N", <parts>}`.
std::string Review(const std::string& parts) { return R"({"commandId":"bad-1",)" + parts + "}"; }

class ServerBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<testing::ServerProcess>();
    api_ = std::make_unique<ApiClient>(*server_);
    testing::RegisterDistrict(*api_);
    // A case under review, for commands that would otherwise be valid.
    api_->Accept("intake", testing::CivilApplication("2024-0001", "2024-03-04T09:00:00+08:00"));
    sizes_ = api_->PartitionSizes();
    ASSERT_EQ(sizes_.size(), 4u);
  }

  // Stops the server and reads the log directly: nothing any test here
  // sent may have reached it.
  void TearDown() override {
    api_.reset();
    if (!server_ || !server_->running()) return;
    EXPECT_EQ(server_->Stop(), 0) << "exit code after SIGTERM";
    auto log = store::EmbeddedLog::Open({.dir = server_->data_dir() + "/log", .partitions = 4});
    ASSERT_TRUE(log.ok()) << log.error().ToString();
    for (int32_t p = 0; p < 4; ++p) {
      auto end = (*log)->EndOffset(p);
      ASSERT_TRUE(end.ok()) << end.error().ToString();
      EXPECT_EQ(uint64_t(*end), sizes_[size_t(p)]) << "partition " << p << " grew";
    }
  }

  void ExpectRefused(const std::vector<Refusal>& rows) {
    for (const auto& r : rows) {
      SCOPED_TRACE(r.name + ": " + r.method + " " + r.target);
      testing::HttpRequest req;
      req.method = r.method;
      req.target = r.target;
      req.body = r.body;
      req.expect_continue = r.expect_continue;
      if (!r.body.empty()) req.headers["Content-Type"] = "application/json";
      if (r.token.rfind("raw:", 0) == 0)
        req.headers["Authorization"] = r.token.substr(4);
      else if (!r.token.empty())
        req.headers["Authorization"] = "Bearer " + server_->Token(r.token);
      const auto res = api_->http().Send(req);
      EXPECT_EQ(res.status, r.status) << res.body;
      const auto e = testing::ErrorOf(res);
      EXPECT_EQ(e.code(), r.code) << res.body;
      EXPECT_FALSE(e.message().empty());
      EXPECT_FALSE(e.message_zh().empty()) << "every refusal says why in Chinese";
      if (!r.zh_contains.empty()) {
        EXPECT_NE(e.message_zh().find(r.zh_contains), std::string::npos) << e.message_zh();
      }
      if (!r.field.empty()) {
        EXPECT_EQ(e.field(), r.field);
      }
      if (res.status == 401) {
        EXPECT_EQ(res.Header("www-authenticate"), "Bearer realm=\"aidtrail\"");
      }
      if (res.status == 405) {
        EXPECT_EQ(res.Header("allow"), r.allow) << "a 405 names the methods the path has";
      }
      EXPECT_EQ(api_->PartitionSizes(), sizes_) << "the refused request reached the log";
    }
  }

  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<ApiClient> api_;
  std::vector<uint64_t> sizes_;
};

TEST_F(ServerBadInput, BodiesThatAreNotCommands) {
  const std::string post = "POST", route = "/v1/commands/review";
  const std::string big(3 << 19, 'x');  // 1.5 MiB, over the 1 MiB default limit
  ExpectRefused({
      {"malformed JSON", post, route, "reviewer", R"({"commandId":"bad-1",)" + kCase + ",", 400,
       "request.malformed_json", "JSON"},
      {"not JSON at all", post, route, "reviewer", "approve the case please", 400,
       "request.malformed_json"},
      {"empty body", post, route, "reviewer", "", 400, "request.empty_body"},
      {"unknown field", post, route, "reviewer", Review(kCase + R"(,"colour":"red",)" + kApprove),
       400, "request.unknown_field", "colour", "colour"},
      {"unknown field in the payload", post, route, "reviewer",
       Review(kCase + R"(,"review":{"approve":{"grund":"ELIGIBILITY_GROUND_PERSONAL_INJURY"}})"),
       400, "request.unknown_field", "grund", "review.approve.grund"},
      {"a number for a boolean", post, route, "reviewer",
       Review(kCase + R"(,"review":{"approve":{"onCommitment":2}})"), 400, "request.invalid_value",
       "on_commitment", "review.approve.on_commitment"},
      {"text for a version", post, route, "reviewer",
       Review(kCase + R"(,"expectedVersion":"one",)" + kApprove), 400, "request.invalid_value", "",
       "expected_version"},
      {"JSON that is not an object", post, route, "reviewer", R"(["review"])", 400,
       "request.invalid_value"},
      {"unknown enum value", post, route, "reviewer",
       Review(kCase + R"(,"review":{"approve":{"ground":"ELIGIBILITY_GROUND_RICH"}})"), 400,
       "request.invalid_value"},
      {"a time that is not one", post, route, "reviewer",
       Review(kCase + R"(,"occurredAt":"yesterday",)" + kApprove), 400, "request.invalid_value"},
      {"missing commandId", post, route, "reviewer", "{" + kCase + "," + kApprove + "}", 400,
       "request.missing_command_id", "commandId", "commandId"},
      {"missing streamId", post, route, "reviewer", Review(kApprove), 400,
       "request.missing_stream_id", "streamId", "streamId"},
      {"an actor in the body", post, route, "reviewer",
       Review(kCase + R"(,"actor":{"id":"sup-1","role":"ROLE_SUPERVISOR"},)" + kApprove), 400,
       "request.actor_in_body", "令牌", "actor"},
      {"a payload of another kind than the route", post, route, "reviewer",
       Review(kCase + R"(,"submitApplication":{"channel":"CHANNEL_WINDOW"})"), 400,
       "request.kind_mismatch", "submit_application"},
      {"no payload", post, route, "reviewer", Review(kCase), 400, "request.missing_payload",
       "review"},
      {"a command on the wrong kind of stream", post, route, "reviewer",
       Review(R"("streamId":"lawyer/L1",)" + kApprove), 400, "command.wrong_stream"},
      {"oversized body (Expect: 100-continue)", post, route, "reviewer",
       Review(kCase + R"(,"review":{"approve":{"note":")" + big + R"("}})"), 413,
       "request.too_large", "过大", "", true},
      {"oversized body sent at once", post, route, "reviewer",
       Review(kCase + R"(,"review":{"approve":{"note":")" + big + R"("}})"), 413,
       "request.too_large", "过大"},
  });
}

TEST_F(ServerBadInput, CommandsTheRulesRefuse) {
  const std::string post = "POST";
  ExpectRefused({
      {"closing a case under review", post, "/v1/commands/close_case", "lawyer",
       Review(kCase + R"(,"closeCase":{"outcome":"CASE_OUTCOME_WON"})"), 422, "case.wrong_stage",
       "审查中"},
      {"assigning before approval", post, "/v1/commands/assign_lawyer", "assigner",
       Review(kCase + R"(,"assignLawyer":{})"), 422, "case.wrong_stage", "指派律师"},
      {"a subsidy for an open case", post, "/v1/commands/approve_subsidy", "supervisor",
       Review(kCase + R"(,"approveSubsidy":{"subsidyId":"SUB-1"})"), 422, "case.wrong_stage"},
      {"an objection with no refusal", post, "/v1/commands/file_objection", "intake",
       Review(kCase + R"(,"fileObjection":{"target":"OBJECTION_TARGET_REFUSAL","grounds":"x"})"),
       422, "case.objection_target", "异议"},
      {"a ground not on the exemption list", post, "/v1/commands/review", "reviewer",
       Review(kCase + R"(,"review":{"approve":{"ground":"ELIGIBILITY_GROUND_MEDICAL_ACCIDENT"}})"),
       422, "eligibility.not_exempt", "经济困难审查"},
      {"income above the hardship line", post, "/v1/commands/review", "reviewer",
       Review(
           kCase +
           R"(,"review":{"approve":{"evidence":{"householdSize":3,"monthlyIncomePerMemberFen":"500000"}}})"),
       422, "eligibility.hardship_not_met", "2100.00元"},
      {"a refusal without written reasons", post, "/v1/commands/review", "reviewer",
       Review(kCase + R"(,"review":{"refuse":{"reason":"REFUSAL_REASON_OTHER"}})"), 400,
       "review.written_reasons", "书面"},
      {"a second application under a used case id", post, "/v1/commands/submit_application",
       "intake",
       Review(
           kCase +
           R"(,"submitApplication":{"channel":"CHANNEL_WINDOW","category":"CASE_CATEGORY_CIVIL","applicant":{"subjectId":"S-2"}})"),
       409, "case.exists", "已存在"},
      {"a review of a case never received", post, "/v1/commands/review", "reviewer",
       Review(R"("streamId":"case/2024-9999",)" + kApprove), 404, "case.not_found"},
      {"paying a subsidy never approved", post, "/v1/commands/pay_subsidy", "admin",
       Review(kCase + R"(,"paySubsidy":{"subsidyId":"SUB-9","paymentRef":"V-9"})"), 404,
       "subsidy.not_found"},
  });
}

TEST_F(ServerBadInput, MissingForgedAndExpiredTokens) {
  const std::string route = "/v1/commands/review", body = Review(kCase + "," + kApprove);
  ExpectRefused({
      {"no token", "POST", route, "", body, 401, "auth.missing_token", "令牌", "Authorization"},
      {"no token on a read", "GET", "/v1/cases", "", "", 401, "auth.missing_token"},
      {"a forged token", "POST", route, "raw:Bearer at_forgedforgedforgedforgedforgedforged0000",
       body, 401, "auth.invalid_token", "令牌无效"},
      {"an expired token", "POST", route, "expired", body, 401, "auth.expired_token", "过期"},
      {"an expired token on a read", "GET", "/v1/supervision/queue", "expired", "", 401,
       "auth.expired_token"},
      {"not a bearer token", "POST", route, "raw:Basic cmV2LTE6c2VjcmV0", body, 401,
       "auth.not_bearer"},
      {"a bearer with no token", "GET", "/v1/cases", "raw:Bearer ", "", 401, "auth.not_bearer"},
  });
}

TEST_F(ServerBadInput, RolesOutsideTheirRoutes) {
  ExpectRefused({
      {"intake deciding a review", "POST", "/v1/commands/review", "intake",
       Review(kCase + "," + kApprove), 403, "auth.role", "审查人员"},
      {"an auditor paying", "POST", "/v1/commands/pay_subsidy", "auditor",
       Review(kCase + R"(,"paySubsidy":{"subsidyId":"SUB-1","paymentRef":"V"})"), 403, "auth.role",
       "管理员"},
      {"a partner reading cases", "GET", "/v1/cases", "partner", "", 403, "auth.role"},
      {"a lawyer reading the ledger", "GET", "/v1/ledger/2024", "lawyer", "", 403, "auth.role"},
      {"a reviewer reading the supervision queue", "GET", "/v1/supervision/queue", "reviewer", "",
       403, "auth.role"},
      {"a lawyer reading a case not assigned to them", "GET", "/v1/cases/2024-0001", "lawyer", "",
       404, "case.not_found"},
  });
}

TEST_F(ServerBadInput, UnknownRoutesAndWrongMethods) {
  ExpectRefused({
      {"no such route", "GET", "/v1/nothing-here", "supervisor", "", 404, "request.no_route",
       "openapi"},
      {"no such command", "POST", "/v1/commands/launch_rockets", "admin",
       Review(kCase + "," + kApprove), 404, "request.no_route"},
      {"reading a command route", "GET", "/v1/commands/review", "reviewer", "", 405,
       "request.method", "GET", "", false, "POST"},
      {"deleting a case", "DELETE", "/v1/cases/2024-0001", "admin", "", 405, "request.method", "",
       "", false, "GET"},
      {"putting a command", "PUT", "/v1/commands/review", "reviewer",
       Review(kCase + "," + kApprove), 405, "request.method", "POST", "", false, "POST"},
      {"a case that does not exist", "GET", "/v1/cases/2024-9999", "supervisor", "", 404,
       "case.not_found", "2024-9999"},
  });
}

TEST_F(ServerBadInput, QueryParametersOutOfRange) {
  ExpectRefused({
      {"a page of no cases", "GET", "/v1/cases?limit=0", "supervisor", "", 400,
       "request.bad_parameter", "limit", "limit"},
      {"a limit that is not a number", "GET", "/v1/cases?limit=ten", "supervisor", "", 400,
       "request.bad_parameter", "", "limit"},
      {"a date that does not exist", "GET", "/v1/cases?as_of=2024-13-45", "supervisor", "", 400,
       "request.bad_parameter", "", "as_of"},
      {"a received date in words", "GET", "/v1/cases?received_from=yesterday", "supervisor", "",
       400, "request.bad_parameter", "", "received_from"},
      {"a year out of range", "GET", "/v1/ledger/99", "auditor", "", 400, "request.bad_parameter",
       "", "year"},
      {"a proof without its record", "GET", "/v1/audit/inclusion", "auditor", "", 400,
       "request.bad_parameter"},
  });
}

}  // namespace
}  // namespace aidtrail
