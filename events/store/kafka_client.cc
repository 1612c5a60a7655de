#include "events/store/kafka_client.h"

#include <algorithm>
#include <random>

namespace aidtrail::store::kafka {
namespace {

using Queue = std::unique_ptr<rd_kafka_queue_t, Deleter<rd_kafka_queue_destroy>>;
using Event = std::unique_ptr<rd_kafka_event_t, Deleter<rd_kafka_event_destroy>>;
using AdminOptions = std::unique_ptr<rd_kafka_AdminOptions_t, Deleter<rd_kafka_AdminOptions_destroy>>;
using Metadata = std::unique_ptr<const struct rd_kafka_metadata, Deleter<rd_kafka_metadata_destroy>>;

int Millis(std::chrono::milliseconds d) {
  return static_cast<int>(std::min<int64_t>(std::max<int64_t>(d.count(), 0), INT32_MAX));
}

Result<AdminOptions> MakeAdminOptions(rd_kafka_t* rk, rd_kafka_admin_op_t op, std::chrono::milliseconds timeout) {
  AdminOptions options(rd_kafka_AdminOptions_new(rk, op));
  char errstr[512];
  if (rd_kafka_AdminOptions_set_request_timeout(options.get(), Millis(timeout), errstr, sizeof errstr) !=
      RD_KAFKA_RESP_ERR_NO_ERROR)
    return MakeError(ErrorKind::kInvalidArgument, "kafka.config", errstr, std::string("Kafka 请求参数无效：") + errstr);
  return options;
}

// Waits for the result event of an admin request posted to `queue`.
Result<Event> AwaitResult(rd_kafka_queue_t* queue, std::chrono::milliseconds timeout, const std::string& what,
                          const std::string& what_zh) {
  // The request carries its own timeout; the margin lets it report first.
  Event ev(rd_kafka_queue_poll(queue, Millis(timeout + std::chrono::seconds(5))));
  if (!ev) return KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, what, what_zh);
  if (const rd_kafka_resp_err_t err = rd_kafka_event_error(ev.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaError(err, what, what_zh, rd_kafka_event_error_string(ev.get()));
  return ev;
}

}  // namespace

Result<Conf> NewConf(const Settings& settings) {
  Conf conf(rd_kafka_conf_new());
  char errstr[512];
  for (const auto& [name, value] : settings) {
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
      return MakeError(ErrorKind::kInvalidArgument, "kafka.config",
                       "Kafka client setting " + name + "=" + value + " is invalid: " + errstr,
                       "Kafka 客户端参数 " + name + "=" + value + " 无效：" + errstr, name);
  }
  return conf;
}

Result<Handle> NewClient(rd_kafka_type_t type, Conf conf) {
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
  if (rk == nullptr)  // conf is still ours and is freed by `conf`
    return MakeError(ErrorKind::kInvalidArgument, "kafka.config", std::string("cannot create a Kafka client: ") + errstr,
                     std::string("无法创建 Kafka 客户端：") + errstr);
  conf.release();  // now owned by rk
  return Handle(rk);
}

void DestroyConsumer(rd_kafka_t* consumer) {
  // We assign partitions ourselves and never commit offsets: there is
  // nothing for a consumer close to do, and with the broker down it would
  // only wait.
  rd_kafka_destroy_flags(consumer, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

bool IsUnavailable(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__WAIT_COORD:
    case RD_KAFKA_RESP_ERR__NODE_UPDATE:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_NOT_CONTROLLER:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR:
    // Also what a broker says about a topic created a moment ago, before
    // its metadata has caught up with the controller's.
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
      return true;
    default:
      return false;
  }
}

Error KafkaError(rd_kafka_resp_err_t err, const std::string& what, const std::string& what_zh,
                 const std::string& detail) {
  std::string reason = std::string(rd_kafka_err2str(err)) + " (" + rd_kafka_err2name(err) + ")";
  if (!detail.empty()) reason += ": " + detail;
  if (IsUnavailable(err))
    return MakeError(ErrorKind::kUnavailable, "kafka.unavailable", what + ": Kafka is unreachable or did not answer: " + reason,
                     what_zh + "：无法连接 Kafka 或 Kafka 未及时响应，请检查 Kafka 服务后重试（" + reason + "）");
  return MakeError(ErrorKind::kUnavailable, "kafka.error", what + ": " + reason,
                   what_zh + "：Kafka 返回错误（" + reason + "），请联系管理员");
}

Result<TopicMetadata> DescribeTopic(rd_kafka_t* rk, const std::string& topic, std::chrono::milliseconds timeout) {
  const struct rd_kafka_metadata* raw = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &raw, Millis(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaError(err, "reading the metadata of topic " + topic, "读取 Kafka 主题 " + topic + " 的元数据");
  Metadata md(raw);
  TopicMetadata out;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = md->topics[i];
    if (topic != t.topic) continue;
    if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) return out;
    if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR && t.err != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
      return KafkaError(t.err, "reading the metadata of topic " + topic, "读取 Kafka 主题 " + topic + " 的元数据");
    out.exists = true;
    out.partitions = t.partition_cnt;
    out.ready = t.partition_cnt > 0 && t.err == RD_KAFKA_RESP_ERR_NO_ERROR;
    for (int p = 0; p < t.partition_cnt; ++p)
      if (t.partitions[p].err != RD_KAFKA_RESP_ERR_NO_ERROR || t.partitions[p].leader < 0) out.ready = false;
  }
  return out;
}

Status CreateTopic(rd_kafka_t* rk, const std::string& topic, int32_t partitions, int16_t replication_factor,
                   const Settings& config, std::chrono::milliseconds timeout) {
  const std::string what = "creating topic " + topic;
  const std::string what_zh = "创建 Kafka 主题 " + topic;
  char errstr[512];
  std::unique_ptr<rd_kafka_NewTopic_t, Deleter<rd_kafka_NewTopic_destroy>> nt(
      rd_kafka_NewTopic_new(topic.c_str(), partitions, replication_factor, errstr, sizeof errstr));
  if (!nt)
    return MakeError(ErrorKind::kInvalidArgument, "kafka.config", what + ": " + errstr, what_zh + "：" + errstr);
  for (const auto& [name, value] : config)
    if (rd_kafka_NewTopic_set_config(nt.get(), name.c_str(), value.c_str()) != RD_KAFKA_RESP_ERR_NO_ERROR)
      return MakeError(ErrorKind::kInvalidArgument, "kafka.config", what + ": bad setting " + name,
                       what_zh + "：参数 " + name + " 无效", name);
  auto options = MakeAdminOptions(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout);
  if (!options.ok()) return options.error();
  // Wait until the controller has created it, not only accepted the request.
  if (rd_kafka_AdminOptions_set_operation_timeout(options->get(), Millis(timeout), errstr, sizeof errstr) !=
      RD_KAFKA_RESP_ERR_NO_ERROR)
    return MakeError(ErrorKind::kInvalidArgument, "kafka.config", errstr, what_zh + "：" + errstr);
  Queue queue(rd_kafka_queue_new(rk));
  rd_kafka_NewTopic_t* topics[] = {nt.get()};
  rd_kafka_CreateTopics(rk, topics, 1, options->get(), queue.get());
  auto ev = AwaitResult(queue.get(), timeout, what, what_zh);
  if (!ev.ok()) return ev.error();
  size_t n = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev->get()), &n);
  if (n != 1) return KafkaError(RD_KAFKA_RESP_ERR__BAD_MSG, what, what_zh, "unexpected CreateTopics result");
  const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[0]);
  if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
    return MakeError(ErrorKind::kConflict, "kafka.topic_exists", "topic " + topic + " already exists",
                     "Kafka 主题 " + topic + " 已存在");
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* detail = rd_kafka_topic_result_error_string(results[0]);
    return KafkaError(err, what, what_zh, detail != nullptr ? detail : "");
  }
  return Status::Ok();
}

Result<std::map<std::string, std::string>> DescribeTopicConfig(rd_kafka_t* rk, const std::string& topic,
                                                               std::chrono::milliseconds timeout) {
  const std::string what = "reading the configuration of topic " + topic;
  const std::string what_zh = "读取 Kafka 主题 " + topic + " 的配置";
  std::unique_ptr<rd_kafka_ConfigResource_t, Deleter<rd_kafka_ConfigResource_destroy>> resource(
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str()));
  auto options = MakeAdminOptions(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout);
  if (!options.ok()) return options.error();
  Queue queue(rd_kafka_queue_new(rk));
  rd_kafka_ConfigResource_t* resources[] = {resource.get()};
  rd_kafka_DescribeConfigs(rk, resources, 1, options->get(), queue.get());
  auto ev = AwaitResult(queue.get(), timeout, what, what_zh);
  if (!ev.ok()) return ev.error();
  size_t n = 0;
  const rd_kafka_ConfigResource_t** described =
      rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev->get()), &n);
  if (n != 1) return KafkaError(RD_KAFKA_RESP_ERR__BAD_MSG, what, what_zh, "unexpected DescribeConfigs result");
  if (const rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(described[0]); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* detail = rd_kafka_ConfigResource_error_string(described[0]);
    return KafkaError(err, what, what_zh, detail != nullptr ? detail : "");
  }
  size_t count = 0;
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(described[0], &count);
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < count; ++i) {
    const char* value = rd_kafka_ConfigEntry_value(entries[i]);
    out[rd_kafka_ConfigEntry_name(entries[i])] = value != nullptr ? value : "";
  }
  return out;
}

Result<int64_t> HighWatermark(rd_kafka_t* rk, const std::string& topic, int32_t partition,
                              std::chrono::milliseconds timeout) {
  // ListOffsets for "latest" through offsets_for_times, which honours its
  // timeout. rd_kafka_query_watermark_offsets does not: in librdkafka 2.0.2
  // it retries a request that never reached a broker for as long as the
  // broker stays down.
  std::unique_ptr<rd_kafka_topic_partition_list_t, Deleter<rd_kafka_topic_partition_list_destroy>> list(
      rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_t* tp = rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition);
  tp->offset = RD_KAFKA_OFFSET_END;
  rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, list.get(), Millis(timeout));
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) err = tp->err;
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR && tp->offset < 0) err = RD_KAFKA_RESP_ERR__BAD_MSG;
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaError(err, "reading the end of " + topic + " partition " + std::to_string(partition),
                      "读取 Kafka 主题 " + topic + " 分区 " + std::to_string(partition) + " 的末尾位置");
  return tp->offset;
}

std::string RandomSuffix(size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string s(n, '0');
  for (char& c : s) c = kHex[rng() % 16];
  return s;
}

}  // namespace aidtrail::store::kafka
