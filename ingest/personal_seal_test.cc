#include "ingest/personal_seal.h"

#include <gtest/gtest.h>

#include <map>

namespace aidtrail::ingest {
namespace {

// A stand-in sealer that records what it was asked to seal.
struct FakeSealer {
  std::map<std::string, std::string> calls;
  PersonalSealer fn() {
    return [this](const std::string& subject, const v1::PersonalData& d) -> Result<std::string> {
      calls[subject] = d.name();
      return "sealed:" + subject;
    };
  }
};

v1::Command Application(const std::string& subject) {
  v1::Command c;
  c.mutable_submit_application()->mutable_applicant()->set_subject_id(subject);
  return c;
}

TEST(SealPersonal, SealsIntoTheMatchingPersonRefAndClearsTheMap) {
  FakeSealer sealer;
  v1::Command c = Application("S-1");
  (*c.mutable_personal())["S-1"].set_name("张三丰");
  ASSERT_TRUE(SealPersonal(c, sealer.fn()).ok());
  EXPECT_EQ(c.submit_application().applicant().sealed_personal(), "sealed:S-1");
  EXPECT_TRUE(c.personal().empty());
  EXPECT_EQ(sealer.calls["S-1"], "张三丰");
}

TEST(SealPersonal, ACommandWithoutPersonalDataNeedsNoSealer) {
  v1::Command c = Application("S-1");
  EXPECT_TRUE(SealPersonal(c, nullptr).ok());
  EXPECT_TRUE(c.submit_application().applicant().sealed_personal().empty());
}

TEST(SealPersonal, NoSealerNoPersonalData) {
  v1::Command c = Application("S-1");
  (*c.mutable_personal())["S-1"].set_name("张三丰");
  Status s = SealPersonal(c, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "command.personal_unsealed");
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
}

TEST(SealPersonal, AnEntryForSomeoneNotInTheCommandIsRefusedAndNothingIsSealed) {
  FakeSealer sealer;
  v1::Command c = Application("S-1");
  (*c.mutable_personal())["S-1"].set_name("张三丰");
  (*c.mutable_personal())["S-2"].set_name("李四");
  Status s = SealPersonal(c, sealer.fn());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "command.personal_unmatched");
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(s.error().field, "personal[S-2]");
  EXPECT_TRUE(sealer.calls.empty()) << "no key is made for a refused command";
  EXPECT_EQ(c.personal().size(), 2u);
}

TEST(SealPersonal, ASealerFailureLeavesTheCommandUnchanged) {
  v1::Command c = Application("S-1");
  (*c.mutable_personal())["S-1"].set_name("张三丰");
  const std::string before = c.SerializeAsString();
  Status s =
      SealPersonal(c, [](const std::string&, const v1::PersonalData&) -> Result<std::string> {
        return MakeError(ErrorKind::kNotFound, "personal.erased", "erased", "已删除");
      });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "personal.erased");
  EXPECT_EQ(c.SerializeAsString(), before);
}

TEST(SealPersonal, FindsPersonsInRecordsToo) {
  FakeSealer sealer;
  v1::Command c;
  c.mutable_record_duty_service()->mutable_person()->set_subject_id("DS-1");
  (*c.mutable_personal())["DS-1"].set_name("陈小明");
  ASSERT_TRUE(SealPersonal(c, sealer.fn()).ok());
  EXPECT_EQ(c.record_duty_service().person().sealed_personal(), "sealed:DS-1");
}

}  // namespace
}  // namespace aidtrail::ingest
