#include "events/core/person_refs.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "aidtrail/v1/envelope.pb.h"

namespace aidtrail {
namespace {

std::vector<std::string> Subjects(google::protobuf::Message& m) {
  std::vector<std::string> out;
  ForEachPersonRef(m, [&](v1::PersonRef& p) { out.push_back(p.subject_id()); });
  return out;
}

TEST(PersonRefs, FindsTheApplicantTheSuspectAndTheDutyServicePerson) {
  v1::Command a;
  a.mutable_submit_application()->mutable_applicant()->set_subject_id("S-1");
  EXPECT_EQ(Subjects(a), std::vector<std::string>{"S-1"});
  v1::Command n;
  n.mutable_receive_notification()->mutable_suspect()->set_subject_id("S-2");
  EXPECT_EQ(Subjects(n), std::vector<std::string>{"S-2"});
  v1::EventPayload d;
  d.mutable_duty_service_recorded()->mutable_person()->set_subject_id("S-3");
  EXPECT_EQ(Subjects(d), std::vector<std::string>{"S-3"});
}

TEST(PersonRefs, VisitsMutably) {
  v1::Command c;
  c.mutable_request_home_visit()->mutable_person()->set_subject_id("S-4");
  ForEachPersonRef(c, [](v1::PersonRef& p) { p.set_sealed_personal("x"); });
  EXPECT_EQ(c.request_home_visit().person().sealed_personal(), "x");
}

TEST(PersonRefs, NoneInACommandWithoutPeople) {
  v1::Command c;
  c.mutable_register_firm()->set_name("江门第1律师事务所");
  (*c.mutable_personal())["S-9"].set_name("张三");
  EXPECT_TRUE(Subjects(c).empty());
  v1::PersonRef alone;
  alone.set_subject_id("S-5");
  EXPECT_EQ(Subjects(alone), std::vector<std::string>{"S-5"});
}

}  // namespace
}  // namespace aidtrail
