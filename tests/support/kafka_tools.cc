#include "tests/support/kafka_tools.h"

#include <utility>

namespace aidtrail::testing {
namespace kafka = store::kafka;
namespace {

using Clock = std::chrono::steady_clock;
using Topic = std::unique_ptr<rd_kafka_topic_t, kafka::Deleter<rd_kafka_topic_destroy>>;
using Message = std::unique_ptr<rd_kafka_message_t, kafka::Deleter<rd_kafka_message_destroy>>;

Result<kafka::Handle> Client(rd_kafka_type_t type, kafka::Settings settings) {
  auto conf = kafka::NewConf(settings);
  if (!conf.ok()) return conf.error();
  return kafka::NewClient(type, std::move(conf).value());
}

Error ToolError(const std::string& what) {
  return MakeError(ErrorKind::kUnavailable, "test.kafka", what, "测试工具：" + what);
}

struct Delivery {
  bool done = false;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  store::Position position;
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  auto* d = static_cast<Delivery*>(msg->_private);
  d->done = true;
  d->err = msg->err;
  d->position = store::Position{msg->partition, msg->offset};
}

}  // namespace

std::string UniqueTopic(const std::string& name) { return "aidtrail.test." + name + "." + kafka::RandomSuffix(8); }

Status CreateTopic(const std::string& bootstrap, const std::string& topic, int32_t partitions,
                   const kafka::Settings& config) {
  auto admin = Client(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap}, {"client.id", "test-admin"}});
  if (!admin.ok()) return admin.error();
  return kafka::CreateTopic(admin->get(), topic, partitions, 1, config, std::chrono::seconds(30));
}

Result<std::map<std::string, std::string>> DescribeTopicConfig(const std::string& bootstrap,
                                                               const std::string& topic) {
  auto admin = Client(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap}, {"client.id", "test-admin"}});
  if (!admin.ok()) return admin.error();
  return kafka::DescribeTopicConfig(admin->get(), topic, std::chrono::seconds(30));
}

Result<store::Position> ProduceRaw(const std::string& bootstrap, const std::string& topic, int32_t partition,
                                   const std::string& key, const std::string& value) {
  auto conf = kafka::NewConf({{"bootstrap.servers", bootstrap}, {"client.id", "test-raw-producer"}, {"acks", "all"}});
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &OnDelivery);
  auto producer = kafka::NewClient(RD_KAFKA_PRODUCER, std::move(conf).value());
  if (!producer.ok()) return producer.error();
  Delivery delivery;
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      producer->get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
      RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(&delivery), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return ToolError(std::string("produce: ") + rd_kafka_err2str(err));
  rd_kafka_flush(producer->get(), 30000);
  if (!delivery.done) return ToolError("no delivery report within 30 s");
  if (delivery.err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return ToolError(std::string("delivery: ") + rd_kafka_err2str(delivery.err));
  return delivery.position;
}

Result<std::vector<store::LogRecord>> ReadPartition(const std::string& bootstrap, const std::string& topic,
                                                    int32_t partition, std::chrono::milliseconds timeout) {
  auto consumer = Client(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                             {"client.id", "test-reader"},
                                             {"enable.partition.eof", "false"},
                                             {"isolation.level", "read_uncommitted"}});
  if (!consumer.ok()) return consumer.error();
  auto end = kafka::HighWatermark(consumer->get(), topic, partition, timeout);
  if (!end.ok()) return end.error();
  std::vector<store::LogRecord> out;
  if (*end == 0) return out;
  Topic rkt(rd_kafka_topic_new(consumer->get(), topic.c_str(), nullptr));
  if (rd_kafka_consume_start(rkt.get(), partition, RD_KAFKA_OFFSET_BEGINNING) != 0)
    return ToolError(std::string("consume_start: ") + rd_kafka_err2str(rd_kafka_last_error()));
  const auto deadline = Clock::now() + timeout;
  int64_t next = 0;
  Status status = Status::Ok();
  while (next < *end) {
    if (Clock::now() > deadline) {
      status = ToolError("reading " + topic + " partition " + std::to_string(partition) + " timed out at offset " +
                         std::to_string(next) + " of " + std::to_string(*end));
      break;
    }
    Message msg(rd_kafka_consume(rkt.get(), partition, 500));
    if (!msg || msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    store::LogRecord& r = out.emplace_back();
    r.position = store::Position{partition, msg->offset};
    if (msg->key != nullptr) r.key.assign(static_cast<const char*>(msg->key), msg->key_len);
    if (msg->payload != nullptr) r.value.assign(static_cast<const char*>(msg->payload), msg->len);
    next = msg->offset + 1;
  }
  rd_kafka_consume_stop(rkt.get(), partition);
  if (!status.ok()) return status.error();
  return out;
}

}  // namespace aidtrail::testing
