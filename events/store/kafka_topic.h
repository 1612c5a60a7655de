// The topic that holds the event log must keep every record for ever. A
// broker's defaults are made for messaging (delete after 7 days), so the log
// creates its topic with explicit settings and refuses to run against an
// existing topic that would expire or compact records.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "events/core/result.h"
#include "events/store/kafka_client.h"

namespace aidtrail::store::kafka {

// Settings of a topic we create: no expiry by age or size, deletion (never
// compaction) as the cleanup policy, and room for the largest commit.
Settings PermanentTopicConfig();

// Checks a topic's effective configuration as DescribeConfigs returns it.
// Refuses, with code "kafka.topic_config" and the first offending setting
// in `field`, a topic with retention.ms != -1, retention.bytes != -1 or a
// cleanup.policy that includes compact. Pure, so it is unit-tested.
Status CheckTopicConfig(const std::string& topic, const std::map<std::string, std::string>& config);

struct TopicSpec {
  std::string topic;
  int32_t partitions = 0;          // used only when creating
  int16_t replication_factor = 1;  // used only when creating
  bool create = true;              // create when absent; otherwise absence is kNotFound "kafka.no_topic"
};

// Creates the topic if absent (and allowed), checks its configuration and
// waits until every partition has a leader. Returns the topic's actual
// partition count.
Result<int32_t> EnsureTopic(rd_kafka_t* admin, const TopicSpec& spec, std::chrono::milliseconds timeout);

}  // namespace aidtrail::store::kafka
