#include "events/domain/commands.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <set>

namespace aidtrail::domain {
namespace {

v1::Command Valid() {
  v1::Command c;
  c.set_command_id("c-1");
  c.set_stream_id("case/A");
  c.mutable_occurred_at()->set_seconds(1709514000);
  c.mutable_actor()->set_id("clerk-1");
  c.mutable_actor()->set_role(v1::ROLE_INTAKE);
  c.mutable_submit_application()->set_channel(v1::CHANNEL_WINDOW);
  return c;
}

TEST(CommandCatalogue, EveryCommandOfTheSchemaIsInTheTableOnce) {
  const auto* oneof = v1::Command::descriptor()->FindOneofByName("kind");
  ASSERT_NE(oneof, nullptr);
  std::set<int> seen;
  for (const CommandSpec& s : AllCommands()) {
    EXPECT_TRUE(seen.insert(s.kind).second) << "listed twice: " << s.label_zh;
    EXPECT_FALSE(s.roles.empty()) << s.label_zh;
  }
  for (int i = 0; i < oneof->field_count(); ++i)
    EXPECT_TRUE(seen.count(oneof->field(i)->number()))
        << "no entry for " << oneof->field(i)->name();
  EXPECT_EQ(seen.size(), static_cast<size_t>(oneof->field_count()));
}

// Auditors change nothing; the one thing they record is their own reading
// of personal data, which must leave a trace like anyone's.
TEST(CommandCatalogue, AuditorsOnlyRecordTheirReadsAndTheSystemIssuesNoCommands) {
  for (const CommandSpec& s : AllCommands())
    for (v1::Role r : s.roles) {
      if (s.kind != v1::Command::kRecordPersonalDataAccess) {
        EXPECT_NE(r, v1::ROLE_AUDITOR) << s.label_zh;
      }
      EXPECT_NE(r, v1::ROLE_SYSTEM) << s.label_zh;
    }
}

TEST(CommandCatalogue, EveryStaffRoleButPartnersRecordsItsReadsOfPersonalData) {
  const CommandSpec* spec = FindCommand(v1::Command::kRecordPersonalDataAccess);
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->stream, StreamKind::kAccess);
  for (v1::Role r : {v1::ROLE_INTAKE, v1::ROLE_REVIEWER, v1::ROLE_ASSIGNER, v1::ROLE_LAWYER,
                     v1::ROLE_SUPERVISOR, v1::ROLE_AUDITOR, v1::ROLE_ADMIN})
    EXPECT_NE(std::find(spec->roles.begin(), spec->roles.end(), r), spec->roles.end())
        << v1::Role_Name(r);
  EXPECT_EQ(std::find(spec->roles.begin(), spec->roles.end(), v1::ROLE_PARTNER), spec->roles.end());
}

TEST(CommandCatalogue, PartnersMayOnlyNotify) {
  for (const CommandSpec& s : AllCommands()) {
    const bool partner =
        std::find(s.roles.begin(), s.roles.end(), v1::ROLE_PARTNER) != s.roles.end();
    EXPECT_EQ(partner, s.kind == v1::Command::kReceiveNotification) << s.label_zh;
  }
}

// Art. 49: objections to the centre's decisions are decided by the judicial
// bureau alone, and the bureau does nothing else but register them.
// The bureau's acts: objections (Art. 49) and Art. 64 recovery; the
// decisions are its alone.
TEST(CommandCatalogue, OnlyTheJudicialBureauDecidesObjectionsAndRecovery) {
  for (const CommandSpec& s : AllCommands()) {
    const bool bureau =
        std::find(s.roles.begin(), s.roles.end(), v1::ROLE_JUDICIAL_BUREAU) != s.roles.end();
    EXPECT_EQ(bureau, s.kind == v1::Command::kDecideObjection ||
                          s.kind == v1::Command::kFileObjection ||
                          s.kind == v1::Command::kOrderCostRecovery)
        << s.label_zh;
    if (s.kind == v1::Command::kDecideObjection || s.kind == v1::Command::kOrderCostRecovery) {
      EXPECT_EQ(s.roles, std::vector<v1::Role>{v1::ROLE_JUDICIAL_BUREAU});
    }
  }
}

TEST(Authorize, AcceptsAWellFormedCommand) { EXPECT_TRUE(Authorize(Valid()).ok()); }

TEST(Authorize, RejectsWhatIsMissingWithTheField) {
  v1::Command c = Valid();
  c.clear_command_id();
  EXPECT_EQ(Authorize(c).error().field, "command_id");
  c = Valid();
  c.clear_occurred_at();
  EXPECT_EQ(Authorize(c).error().field, "occurred_at");
  c = Valid();
  c.mutable_actor()->clear_id();
  EXPECT_EQ(Authorize(c).error().field, "actor.id");
  c = Valid();
  c.clear_submit_application();
  EXPECT_EQ(Authorize(c).error().code, "command.empty");
}

TEST(Authorize, ForbiddenRoleIsAForbiddenError) {
  v1::Command c = Valid();
  c.mutable_actor()->set_role(v1::ROLE_AUDITOR);
  const Status s = Authorize(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kForbidden);
  EXPECT_NE(s.error().message_zh.find("审计人员"), std::string::npos);
}

TEST(Authorize, StreamKindMustMatch) {
  v1::Command c = Valid();
  c.set_stream_id("casefile");
  EXPECT_EQ(Authorize(c).error().code, "command.wrong_stream");
  c.set_stream_id("case/");
  EXPECT_EQ(Authorize(c).error().code, "command.wrong_stream");
}

// The safety net under the writer's sealing: clear personal data that
// somehow reaches a decision is refused, so it can never be recorded.
TEST(Authorize, RefusesClearPersonalData) {
  v1::Command c = Valid();
  c.mutable_submit_application()->mutable_applicant()->set_subject_id("S-1");
  (*c.mutable_personal())["S-1"].set_name("张三丰");
  const Status s = Authorize(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "command.personal_unsealed");
  EXPECT_EQ(s.error().field, "personal");
}

}  // namespace
}  // namespace aidtrail::domain
