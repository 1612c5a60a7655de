// api::PrintJson writes what google::protobuf::util's printer writes (with
// always_print_primitive_fields, camelCase and proto names), byte for byte:
// over every event of every stream and every evaluated case summary of a
// generated district, and over messages built to reach the corners —
// escapes, non-ASCII text, negative and large numbers, doubles, bytes,
// maps, unknown enum values, unset and empty fields.
#include "api/json_print.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "aidtrail/api/server.pb.h"
#include "aidtrail/v1/policy.pb.h"
#include "events/store/embedded_log.h"
#include "projections/case_queries.h"
#include "projections/case_views.h"
#include "tests/support/district_log.h"
#include "tests/support/temp_dir.h"
#include "tests/support/views.h"

namespace aidtrail {
namespace {

std::string Library(const google::protobuf::Message& m, bool proto_names) {
  google::protobuf::util::JsonPrintOptions o;
  o.always_print_primitive_fields = true;
  o.preserve_proto_field_names = proto_names;
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &out, o).ok());
  return out;
}

void ExpectSame(const google::protobuf::Message& m) {
  for (bool proto_names : {false, true}) {
    std::string ours;
    ASSERT_TRUE(api::PrintJson(m, proto_names, ours)) << m.GetTypeName();
    ASSERT_EQ(ours, Library(m, proto_names)) << m.GetTypeName();
  }
}

TEST(JsonPrint, EveryEventAndSummaryOfADistrictPrintsAsTheLibraryDoes) {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 4});
  ASSERT_TRUE(log.ok());
  ingest::DistrictGenerator gen(
      {.seed = 11, .cases = 300, .consultations = 40, .duty_services = 40});
  testing::WriteDistrictYear(**log, gen);
  auto engine = projections::Engine::Open((dir.path() / "views").string(), testing::AllViews());
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE((*engine)->CatchUp(**log).ok());
  const auto& store = (*engine)->store();
  size_t events = 0, summaries = 0;
  store.Scan(projections::kTimeline, "", [&](const std::string&, const std::string& bytes) {
    v1::Event e;
    EXPECT_TRUE(e.ParseFromString(bytes));
    ExpectSame(e);
    ++events;
    return !HasFatalFailure();
  });
  projections::CaseQueries q(store);
  store.Scan(projections::kCases, "", [&](const std::string& stream, const std::string&) {
    auto s = q.Summary(stream, Instant{1751328000'000'000});  // 2025-07-01
    EXPECT_TRUE(s.ok());
    ExpectSame(*s);
    ++summaries;
    return !HasFatalFailure();
  });
  EXPECT_GT(events, 3000u);
  EXPECT_EQ(summaries, 300u);
}

TEST(JsonPrint, CornersPrintAsTheLibraryDoes) {
  v1::CaseSummary s;
  s.set_case_id("case/<b>\"x\"\\\n\t\r\b\f\x01\x1f\x7f 中文 \xe2\x80\xa8 \xe2\x80\xa9 😀 &'");
  s.set_version(18446744073709551615ull);
  s.set_subsidy_outstanding_fen(-42);
  s.set_persons(-7);
  s.set_stage("");
  s.add_late_entries()->set_reason("补录");
  s.add_deadlines();
  ExpectSame(s);
  ExpectSame(v1::CaseSummary());
  v1::Event e;
  e.set_hash(std::string("\x00\xff\x10 binary", 10));
  e.mutable_recorded_at()->set_seconds(1700000000);
  e.mutable_recorded_at()->set_nanos(120000000);
  e.mutable_actor()->set_role(static_cast<v1::Role>(999));  // a value the schema does not name
  ExpectSame(e);
  v1::DeadlineRulesSet rules;
  for (const char* k :
       {"review", "assign_after_approval", "entrustment", "closing_files", "b", "a"}) {
    (*rules.mutable_late_entry_window_minutes())[k] = int32_t(std::string(k).size()) * 60;
    (*rules.mutable_counting_by_kind())[k] = v1::DAY_COUNTING_WORKING;
  }
  ExpectSame(rules);
  for (double v : {0.0, -0.0, 1.0, 0.1, 1e-7, 123456789.125, 1e21, -2.5, 1.0 / 3.0}) {
    api::Fairness r;
    r.set_mean_rotation(v);
    r.set_max_deviation(-v);
    ExpectSame(r);
  }
}

}  // namespace
}  // namespace aidtrail
