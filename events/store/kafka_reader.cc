#include "events/store/kafka_reader.h"

namespace aidtrail::store::kafka {
namespace {

using Message = std::unique_ptr<rd_kafka_message_t, Deleter<rd_kafka_message_destroy>>;
using Clock = std::chrono::steady_clock;

// Records the broker says exist must arrive within this; otherwise the read
// reports the broker unavailable rather than return short.
constexpr auto kFetchTimeout = std::chrono::seconds(30);

int RemainingMillis(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, 1000));
}

}  // namespace

Settings ReaderSettings(const std::string& bootstrap, const std::string& client_id,
                        int fetch_wait_ms) {
  return {
      {"bootstrap.servers", bootstrap},
      {"client.id", client_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "false"},
      // A position outside the partition is an error, never a silent jump.
      {"auto.offset.reset", "error"},
      {"allow.auto.create.topics", "false"},
      // The log is written without transactions, so this reads exactly up to
      // the high watermark, the same end EndOffset reports.
      {"isolation.level", "read_uncommitted"},
      {"check.crcs", "true"},
      // A tailing reader sees a new record within this, not after the 500 ms default.
      {"fetch.wait.max.ms", std::to_string(fetch_wait_ms)},
      {"queued.max.messages.kbytes", "16384"},
      {"reconnect.backoff.max.ms", "1000"},
      {"log.connection.close", "false"},
  };
}

Result<std::unique_ptr<PartitionReader>> PartitionReader::Create(
    const std::string& bootstrap, const std::string& topic, const std::string& client_id,
    std::chrono::milliseconds request_timeout) {
  // No group id: without one the client has no consumer group machinery,
  // and the simple consumer calls below position it directly.
  auto conf = NewConf(ReaderSettings(bootstrap, client_id, 100));
  if (!conf.ok()) return conf.error();
  auto rk = NewClient(RD_KAFKA_CONSUMER, std::move(conf).value());
  if (!rk.ok()) return rk.error();
  std::unique_ptr<PartitionReader> reader(new PartitionReader());
  reader->consumer_.reset(std::move(rk).value().release());
  reader->topic_name_ = topic;
  reader->topic_.reset(rd_kafka_topic_new(reader->consumer_.get(), topic.c_str(), nullptr));
  if (!reader->topic_)
    return KafkaError(rd_kafka_last_error(), "opening topic " + topic, "打开 Kafka 主题 " + topic);
  reader->request_timeout_ = request_timeout;
  return reader;
}

PartitionReader::~PartitionReader() { Stop(); }

void PartitionReader::Stop() {
  if (partition_ < 0) return;
  // Blocks until the fetcher has stopped (a local step of the client, no
  // broker round trip), so the next start never overlaps it.
  rd_kafka_consume_stop(topic_.get(), partition_);
  partition_ = -1;
}

Status PartitionReader::Assign(int32_t partition, int64_t offset) {
  Stop();
  if (rd_kafka_consume_start(topic_.get(), partition, offset) == -1)
    return KafkaError(rd_kafka_last_error(), "positioning the reader", "定位日志读取位置");
  partition_ = partition;
  next_ = offset;
  return Status::Ok();
}

Result<int64_t> PartitionReader::EndOffset(int32_t partition, std::chrono::milliseconds timeout) {
  return HighWatermark(consumer_.get(), topic_name_, partition, timeout);
}

Result<std::vector<LogRecord>> PartitionReader::Read(int32_t partition, int64_t from, size_t max,
                                                     std::chrono::milliseconds wait) {
  std::vector<LogRecord> out;
  if (max == 0) return out;
  if (partition != partition_ || from != next_) {
    if (Status s = Assign(partition, from); !s.ok()) return s.error();
  }
  auto deadline = Clock::now() + wait;
  bool end_known_ahead = false;  // the broker said records exist at `from`
  std::string last_error;
  while (out.size() < max) {
    // Once something has arrived, take only what is already here.
    const int timeout = out.empty() ? RemainingMillis(deadline) : 0;
    rd_kafka_poll(consumer_.get(), 0);  // serves the client's own events (logs, errors)
    // Messages of an earlier start of this partition are dropped by the
    // client (each start is a new fetch version).
    Message msg(rd_kafka_consume(topic_.get(), partition_, timeout));
    if (!msg) {
      if (!out.empty()) break;
      if (Clock::now() < deadline) continue;
      if (end_known_ahead)
        return MakeError(ErrorKind::kUnavailable, "kafka.unavailable",
                         "partition " + std::to_string(partition) + " has records from offset " +
                             std::to_string(from) + " on but they could not be fetched" +
                             (last_error.empty() ? "" : ": " + last_error),
                         "Kafka 分区 " + std::to_string(partition) +
                             " 有记录但读取超时，请检查 Kafka 服务后重试");
      // Nothing arrived in time. Empty is the answer only if the broker
      // confirms there is nothing at `from`: a record acknowledged a moment
      // ago may not have been fetched yet.
      auto end = EndOffset(partition, request_timeout_);
      if (!end.ok()) return end.error();
      if (*end <= from) break;
      end_known_ahead = true;
      deadline = Clock::now() + kFetchTimeout;
      continue;
    }
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Errors about an earlier assignment can still be queued; only one
      // about where this read stands counts.
      const bool ours = msg->rkt != nullptr && msg->partition == partition_ && msg->offset == next_;
      const bool out_of_range = msg->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
                                msg->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE;
      if (out_of_range && !ours && msg->rkt != nullptr && msg->partition == partition_) {
        // The fetcher of this partition stopped on an out-of-range answer
        // that does not name our position (seen once at the very end of a
        // fresh partition while a tailing read waited). Nothing is lost:
        // start it again where this read stands and keep waiting.
        last_error = rd_kafka_message_errstr(msg.get());
        if (Status s = Assign(partition, next_); !s.ok()) return s.error();
        continue;
      }
      if (ours && out_of_range) {
        Stop();  // the fetcher stopped on the error; the next read starts it again
        auto end = EndOffset(partition, request_timeout_);
        if (!end.ok()) return end.error();
        if (from >= *end) return out;  // beyond the end: nothing there yet
        return MakeError(
            ErrorKind::kCorruption, "log.position",
            "offset " + std::to_string(from) + " of partition " + std::to_string(partition) +
                " is no longer in the topic: " + rd_kafka_message_errstr(msg.get()),
            "日志分区 " + std::to_string(partition) + " 偏移量 " + std::to_string(from) +
                " 处的记录已不在 Kafka 主题中（可能被删除），请检查主题的保留配置");
      }
      // Transport errors and the like: librdkafka reconnects and retries.
      last_error = rd_kafka_message_errstr(msg.get());
      continue;
    }
    // Anything else is left over from an earlier assignment.
    if (msg->partition != partition_ || msg->offset < next_) continue;
    LogRecord& r = out.emplace_back();
    r.position = Position{partition, msg->offset};
    if (msg->key != nullptr) r.key.assign(static_cast<const char*>(msg->key), msg->key_len);
    if (msg->payload != nullptr) r.value.assign(static_cast<const char*>(msg->payload), msg->len);
    next_ = msg->offset + 1;
  }
  return out;
}

}  // namespace aidtrail::store::kafka
