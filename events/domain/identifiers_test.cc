#include "events/domain/identifiers.h"

#include <gtest/gtest.h>

#include <string>

#include "events/domain/commands.h"

namespace aidtrail::domain {
namespace {

v1::Command Application(std::string stream) {
  v1::Command c;
  c.set_command_id("c-1");
  c.set_stream_id(std::move(stream));
  c.mutable_occurred_at()->set_seconds(1709514000);
  c.mutable_actor()->set_id("clerk-1");
  c.mutable_actor()->set_role(v1::ROLE_INTAKE);
  c.mutable_submit_application()->set_channel(v1::CHANNEL_WINDOW);
  c.mutable_submit_application()->mutable_applicant()->set_subject_id("S-1");
  return c;
}

TEST(Identifiers, KeysAreShortAsciiWords) {
  EXPECT_TRUE(IsKey("JM-2024_0001.a"));
  EXPECT_TRUE(IsKey(std::string(64, 'a')));
  EXPECT_FALSE(IsKey(std::string(65, 'a')));
  EXPECT_FALSE(IsKey(""));
  EXPECT_FALSE(IsKey(".."));
  EXPECT_FALSE(IsKey("-a"));
  EXPECT_FALSE(IsKey("a/b"));
  EXPECT_FALSE(IsKey("a b"));
  EXPECT_FALSE(IsKey(std::string("a\0b", 3)));
  EXPECT_FALSE(IsKey("江门"));
}

TEST(Identifiers, StreamIdsAreAKindAndAKey) {
  EXPECT_TRUE(IsStreamId("policy"));
  EXPECT_TRUE(IsStreamId("case/A1"));
  EXPECT_TRUE(IsStreamId("budget/2024"));
  EXPECT_TRUE(IsStreamId("access/A1"));
  EXPECT_FALSE(IsStreamId("policy/x"));
  EXPECT_FALSE(IsStreamId("case/"));
  EXPECT_FALSE(IsStreamId("case/../x"));
  EXPECT_FALSE(IsStreamId("cases/A1"));
  EXPECT_FALSE(IsStreamId("case/A1\r\n"));
}

TEST(Identifiers, CommandIdsArePrintableAsciiUpTo128) {
  EXPECT_TRUE(IsCommandId("case/A#3"));
  EXPECT_TRUE(IsCommandId("import:A:review"));
  EXPECT_TRUE(IsCommandId(std::string(128, 'x')));
  EXPECT_FALSE(IsCommandId(std::string(129, 'x')));
  EXPECT_FALSE(IsCommandId("a b"));
  EXPECT_FALSE(IsCommandId("a\tb"));
  EXPECT_FALSE(IsCommandId("编号"));
}

// The cases, at the envelope: every one is refused before any rule,
// naming the field, and the message does not carry the bad bytes back.
TEST(Identifiers, TheEnvelopeRefusesPathsControlCharactersAndHugeIds) {
  const std::string huge = "case/" + std::string(10000, 'A');
  for (const std::string& stream : {std::string("case/a/../b"), std::string("case/A\0B", 8),
                                    std::string("case/A\r\nB"), huge}) {
    const Status s = Authorize(Application(stream));
    ASSERT_FALSE(s.ok()) << stream.size();
    EXPECT_EQ(s.error().code, "command.bad_identifier");
    EXPECT_EQ(s.error().field, "stream_id");
    EXPECT_EQ(s.error().message_zh.find('\0'), std::string::npos);
    EXPECT_EQ(s.error().message.find('\n'), std::string::npos);
    EXPECT_LT(s.error().message.size(), 400u) << "the message repeats the whole id";
  }
  EXPECT_TRUE(Authorize(Application("case/JM-2024-0001")).ok());
}

TEST(Identifiers, IdsInsideTheCommandAreNamedByTheirPath) {
  v1::Command c = Application("case/A1");
  c.mutable_submit_application()->mutable_applicant()->set_subject_id("S 1");
  Status s = Authorize(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "submit_application.applicant.subject_id");

  c = Application("case/A1");
  c.clear_submit_application();
  c.mutable_actor()->set_role(v1::ROLE_ASSIGNER);
  c.mutable_assign_lawyer()->set_named_lawyer_id("L1/../L2");
  s = Authorize(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "assign_lawyer.named_lawyer_id");

  c = Application("case/A1");
  c.set_correlation_id(std::string(200, 'x'));
  s = Authorize(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "correlation_id");
}

}  // namespace
}  // namespace aidtrail::domain
