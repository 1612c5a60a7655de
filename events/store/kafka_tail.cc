#include "events/store/kafka_tail.h"

#include <algorithm>

#include "events/store/kafka_reader.h"

namespace aidtrail::store::kafka {
namespace {

using Message = std::unique_ptr<rd_kafka_message_t, Deleter<rd_kafka_message_destroy>>;
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t,
                                      Deleter<rd_kafka_topic_partition_list_destroy>>;

}  // namespace

Result<std::unique_ptr<TopicTail>> TopicTail::Create(const std::string& bootstrap,
                                                     const std::string& topic,
                                                     const std::string& client_id,
                                                     std::vector<int64_t> from) {
  // A follower acknowledges commands by what it reads: fetches are
  // answered as soon as anything is there.
  Settings settings = ReaderSettings(bootstrap, client_id, 10);
  // assign() needs a group id, but we never subscribe, join or commit: a
  // unique one keeps tails from ever meeting in a group. The tail assigns
  // once, so the re-assign hazard of PartitionReader does not arise.
  settings.push_back({"group.id", client_id + "-tail-" + RandomSuffix()});
  auto conf = NewConf(settings);
  if (!conf.ok()) return conf.error();
  auto rk = NewClient(RD_KAFKA_CONSUMER, std::move(conf).value());
  if (!rk.ok()) return rk.error();
  std::unique_ptr<TopicTail> tail(new TopicTail());
  tail->consumer_.reset(std::move(rk).value().release());
  tail->topic_ = topic;
  tail->next_ = std::move(from);
  rd_kafka_poll_set_consumer(tail->consumer_.get());
  PartitionList list(rd_kafka_topic_partition_list_new(int(tail->next_.size())));
  for (size_t p = 0; p < tail->next_.size(); ++p)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), int32_t(p))->offset =
        tail->next_[p];
  if (const rd_kafka_resp_err_t err = rd_kafka_assign(tail->consumer_.get(), list.get()); err)
    return KafkaError(err, "positioning the log tail", "定位日志跟读位置");
  return tail;
}

Result<std::vector<LogRecord>> TopicTail::Next(size_t max, std::chrono::milliseconds wait) {
  std::vector<LogRecord> out;
  while (out.size() < max) {
    // Once something has arrived, take only what is already here.
    Message msg(rd_kafka_consumer_poll(consumer_.get(), out.empty() ? int(wait.count()) : 0));
    if (!msg) break;
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (msg->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
          msg->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE)
        return MakeError(ErrorKind::kCorruption, "log.position",
                         "the log tail's position is no longer in the topic: " +
                             std::string(rd_kafka_message_errstr(msg.get())),
                         "日志跟读位置的记录已不在 Kafka 主题中，请检查主题的保留配置");
      if (!out.empty()) break;
      continue;  // transport errors: librdkafka reconnects and retries
    }
    const int32_t p = msg->partition;
    if (p < 0 || size_t(p) >= next_.size() || msg->offset < next_[size_t(p)]) continue;
    LogRecord& r = out.emplace_back();
    r.position = Position{p, msg->offset};
    if (msg->key != nullptr) r.key.assign(static_cast<const char*>(msg->key), msg->key_len);
    if (msg->payload != nullptr) r.value.assign(static_cast<const char*>(msg->payload), msg->len);
    next_[size_t(p)] = msg->offset + 1;
  }
  return out;
}

}  // namespace aidtrail::store::kafka
