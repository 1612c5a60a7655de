// Plain librdkafka operations for tests, independent of KafkaLog: creating
// a topic with chosen settings, producing raw bytes, reading a partition
// back with librdkafka's simple consumer.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "events/core/result.h"
#include "events/store/event_log.h"
#include "events/store/kafka_client.h"

namespace aidtrail::testing {

// "aidtrail.test.<name>.<random>": tests running in parallel never share a topic.
std::string UniqueTopic(const std::string& name);

Status CreateTopic(const std::string& bootstrap, const std::string& topic, int32_t partitions,
                   const store::kafka::Settings& config);

// The topic's effective configuration (DescribeConfigs).
Result<std::map<std::string, std::string>> DescribeTopicConfig(const std::string& bootstrap, const std::string& topic);

// Produces one record with a plain producer (acks=all) and waits for it.
Result<store::Position> ProduceRaw(const std::string& bootstrap, const std::string& topic, int32_t partition,
                                   const std::string& key, const std::string& value);

// Every record of the partition, from its start to its current end.
Result<std::vector<store::LogRecord>> ReadPartition(const std::string& bootstrap, const std::string& topic,
                                                    int32_t partition,
                                                    std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace aidtrail::testing
