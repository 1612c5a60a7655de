// Thin helpers over librdkafka's C API for the Kafka backend (kafka_log.h)
// and its tests: owning handles, configuration, error mapping and the few
// admin operations the log needs (metadata, CreateTopics, DescribeConfigs,
// watermarks). Every failure comes back as an Error value.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "events/core/result.h"

namespace aidtrail::store::kafka {

// unique_ptr deleter that calls a librdkafka destroy function.
template <auto Destroy>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    if (p != nullptr) Destroy(p);
  }
};

using Handle = std::unique_ptr<rd_kafka_t, Deleter<rd_kafka_destroy>>;
using Conf = std::unique_ptr<rd_kafka_conf_t, Deleter<rd_kafka_conf_destroy>>;

// Ordered, so that a bad setting is reported the same way every time.
using Settings = std::vector<std::pair<std::string, std::string>>;

// A configuration with `settings` applied; an unknown or invalid setting is
// an error naming it.
Result<Conf> NewConf(const Settings& settings);

// Creates a client; `conf` is consumed either way.
Result<Handle> NewClient(rd_kafka_type_t type, Conf conf);

// Closes a consumer without committing or leaving a group (we never join one).
void DestroyConsumer(rd_kafka_t* consumer);
using ConsumerHandle = std::unique_ptr<rd_kafka_t, Deleter<DestroyConsumer>>;

// True for errors that mean "the broker could not be reached, did not
// answer in time, or does not know yet" — worth retrying — as opposed to
// the broker refusing the request.
bool IsUnavailable(rd_kafka_resp_err_t err);

// Maps a librdkafka error: unreachable or timed out -> kUnavailable
// "kafka.unavailable"; anything else -> kUnavailable "kafka.error".
// `what` says what was attempted, in English and Chinese.
Error KafkaError(rd_kafka_resp_err_t err, const std::string& what, const std::string& what_zh,
                 const std::string& detail = {});

struct TopicMetadata {
  bool exists = false;
  int32_t partitions = 0;
  bool ready = false;  // every partition has a leader
};

// Looks the topic up in the cluster metadata. Asks for all topics rather
// than this one, so that a broker with auto.create.topics.enable=true does
// not create it with its own defaults as a side effect.
Result<TopicMetadata> DescribeTopic(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout);

// CreateTopics. An existing topic yields code "kafka.topic_exists".
Status CreateTopic(rd_kafka_t* rk, const std::string& topic, int32_t partitions, int16_t replication_factor,
                   const Settings& config, std::chrono::milliseconds timeout);

// DescribeConfigs for a topic: every setting's effective value.
Result<std::map<std::string, std::string>> DescribeTopicConfig(rd_kafka_t* rk, const std::string& topic,
                                                               std::chrono::milliseconds timeout);

// The offset the next record of the partition will get (asks the leader;
// the high watermark when `rk` reads uncommitted, as ours do). Returns
// within `timeout` even with the broker down.
Result<int64_t> HighWatermark(rd_kafka_t* rk, const std::string& topic, int32_t partition,
                              std::chrono::milliseconds timeout);

// Calls `f` until it succeeds, fails with something other than
// "kafka.unavailable", or `timeout` has passed.
template <typename F>
auto Retrying(F f, std::chrono::milliseconds timeout) -> decltype(f()) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto r = f();
    if (r.ok() || r.error().code != "kafka.unavailable" || std::chrono::steady_clock::now() >= deadline) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

// A random lower-case hex string of `n` characters (client and group ids).
std::string RandomSuffix(size_t n = 12);

}  // namespace aidtrail::store::kafka
