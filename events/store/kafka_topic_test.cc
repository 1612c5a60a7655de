#include "events/store/kafka_topic.h"

#include <gtest/gtest.h>

namespace aidtrail::store::kafka {
namespace {

std::map<std::string, std::string> Permanent() {
  return {{"retention.ms", "-1"}, {"retention.bytes", "-1"}, {"cleanup.policy", "delete"}, {"segment.ms", "604800000"}};
}

TEST(KafkaTopicConfig, APermanentTopicPasses) { EXPECT_TRUE(CheckTopicConfig("t", Permanent()).ok()); }

TEST(KafkaTopicConfig, WhatWeCreateIsWhatWeAccept) {
  std::map<std::string, std::string> config;
  for (const auto& [name, value] : PermanentTopicConfig()) config[name] = value;
  EXPECT_TRUE(CheckTopicConfig("t", config).ok());
}

TEST(KafkaTopicConfig, TheBrokerDefaultRetentionIsRefusedAndNamed) {
  auto config = Permanent();
  config["retention.ms"] = "604800000";
  Status s = CheckTopicConfig("aidtrail.log", config);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "kafka.topic_config");
  EXPECT_EQ(s.error().field, "retention.ms");
  EXPECT_NE(s.error().message.find("retention.ms=604800000"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("7 days"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message_zh.find("7 天"), std::string::npos) << s.error().message_zh;
  EXPECT_NE(s.error().message_zh.find("aidtrail.log"), std::string::npos);
}

TEST(KafkaTopicConfig, SizeRetentionIsRefused) {
  auto config = Permanent();
  config["retention.bytes"] = "1073741824";
  Status s = CheckTopicConfig("t", config);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "retention.bytes");
}

TEST(KafkaTopicConfig, CompactionIsRefusedAloneOrWithDelete) {
  for (const char* policy : {"compact", "compact,delete", "delete,compact"}) {
    auto config = Permanent();
    config["cleanup.policy"] = policy;
    Status s = CheckTopicConfig("t", config);
    ASSERT_FALSE(s.ok()) << policy;
    EXPECT_EQ(s.error().code, "kafka.topic_config");
    EXPECT_EQ(s.error().field, "cleanup.policy");
    EXPECT_NE(s.error().message_zh.find("compact"), std::string::npos);
  }
}

TEST(KafkaTopicConfig, EveryViolationIsListedTheFirstIsTheField) {
  Status s = CheckTopicConfig("t", {{"retention.ms", "86400000"}, {"retention.bytes", "10"}, {"cleanup.policy", "compact"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "retention.ms");
  for (const char* name : {"retention.ms", "retention.bytes", "cleanup.policy"})
    EXPECT_NE(s.error().message.find(name), std::string::npos) << name;
}

TEST(KafkaTopicConfig, AnUnreadableSettingIsRefused) {
  auto config = Permanent();
  config.erase("cleanup.policy");
  Status s = CheckTopicConfig("t", config);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "cleanup.policy");
}

}  // namespace
}  // namespace aidtrail::store::kafka
