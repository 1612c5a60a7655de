#include "events/store/kafka_log.h"

#include <algorithm>

#include "events/store/kafka_client.h"
#include "events/store/kafka_producer.h"
#include "events/store/kafka_reader.h"
#include "events/store/kafka_reconciler.h"
#include "events/store/kafka_tail.h"
#include "events/store/kafka_topic.h"

namespace aidtrail::store {

namespace kafka {
struct AdminClient {
  Handle handle;
};
}  // namespace kafka

namespace {

// Unknown outcomes are settled for at least this long before being given up
// as "outcome unknown", even with a short message timeout.
constexpr auto kMinPatience = std::chrono::seconds(60);

Error WithBootstrap(Error e, const std::string& bootstrap) {
  if (e.code == "kafka.unavailable") {
    e.message = "Kafka at " + bootstrap + ": " + e.message;
    e.message_zh = "Kafka（" + bootstrap + "）：" + e.message_zh;
  }
  return e;
}

Error BadPosition() {
  return MakeError(ErrorKind::kInvalidArgument, "log.position", "no such partition or offset",
                   "日志位置无效");
}

}  // namespace

KafkaLog::KafkaLog() = default;

KafkaLog::~KafkaLog() {
  producer_.reset();    // flushes; hands what is unsettled to the reconciler
  reconciler_.reset();  // settles it
}

Result<std::unique_ptr<KafkaLog>> KafkaLog::Open(const KafkaLogOptions& options) {
  if (options.bootstrap.empty())
    return MakeError(ErrorKind::kInvalidArgument, "kafka.config",
                     "no Kafka bootstrap address given", "未指定 Kafka 地址（bootstrap）",
                     "bootstrap");
  if (options.topic.empty())
    return MakeError(ErrorKind::kInvalidArgument, "kafka.config", "no topic given",
                     "未指定 Kafka 主题", "topic");
  if (options.partitions < 1 || options.partitions > 4096)
    return MakeError(ErrorKind::kInvalidArgument, "log.partitions",
                     "partitions must be between 1 and 4096", "分区数须在1到4096之间",
                     "partitions");
  if (options.replication_factor < 1)
    return MakeError(ErrorKind::kInvalidArgument, "kafka.config",
                     "replication_factor must be at least 1", "副本数至少为1",
                     "replication_factor");

  std::unique_ptr<KafkaLog> log(new KafkaLog());
  log->options_ = options;
  // A consumer-type client (no group) so that end offsets are high
  // watermarks (read_uncommitted), whatever a foreign transactional writer
  // may have left open in the topic.
  auto conf = kafka::NewConf({{"bootstrap.servers", options.bootstrap},
                              {"client.id", options.client_id + "-admin"},
                              {"allow.auto.create.topics", "false"},
                              {"isolation.level", "read_uncommitted"},
                              {"reconnect.backoff.max.ms", "1000"},
                              {"log.connection.close", "false"}});
  if (!conf.ok()) return conf.error();
  auto admin = kafka::NewClient(RD_KAFKA_CONSUMER, std::move(conf).value());
  if (!admin.ok()) return admin.error();
  log->admin_ = std::make_unique<kafka::AdminClient>(kafka::AdminClient{std::move(admin).value()});
  rd_kafka_t* rk = log->admin_->handle.get();

  auto partitions = kafka::EnsureTopic(
      rk, {options.topic, options.partitions, options.replication_factor, options.create_topic},
      options.request_timeout);
  if (!partitions.ok()) return WithBootstrap(partitions.error(), options.bootstrap);
  log->partitions_ = *partitions;

  // Where each partition ends now: a commit sent later can only be after it.
  std::vector<int64_t> ends;
  for (int32_t p = 0; p < log->partitions_; ++p) {
    auto end = kafka::Retrying(
        [&] { return kafka::HighWatermark(rk, options.topic, p, options.request_timeout); },
        options.request_timeout);
    if (!end.ok()) return WithBootstrap(end.error(), options.bootstrap);
    ends.push_back(*end);
  }

  auto reader = kafka::PartitionReader::Create(options.bootstrap, options.topic, options.client_id,
                                               options.request_timeout);
  if (!reader.ok()) return reader.error();
  log->reader_ = std::move(reader).value();

  log->reconciler_ = std::make_unique<kafka::Reconciler>(kafka::Reconciler::Options{
      options.bootstrap, options.topic, options.client_id,
      std::max<std::chrono::milliseconds>(options.message_timeout, kMinPatience),
      std::chrono::seconds(5)});
  auto producer = kafka::CommitProducer::Start(
      {options.bootstrap, options.topic, options.client_id, options.message_timeout,
       std::move(ends)},
      [reconciler = log->reconciler_.get()](std::unique_ptr<kafka::Outgoing> commit, Error cause) {
        reconciler->Add(std::move(commit), std::move(cause));
      });
  if (!producer.ok()) return producer.error();
  log->producer_ = std::move(producer).value();
  return log;
}

void KafkaLog::AppendAsync(v1::CommitRecord commit, AppendCallback done) {
  // Reconciliation finds an unacknowledged commit by its id.
  if (commit.commit_id().empty() || commit.stream_id().empty()) {
    kafka::Deliver(done, MakeError(ErrorKind::kInvalidArgument, "log.invalid_commit",
                                   "a commit needs a commit_id and a stream_id",
                                   "提交记录缺少提交编号或流编号"));
    return;
  }
  auto bytes = EncodeCommit(commit);
  if (!bytes.ok()) {
    kafka::Deliver(done, bytes.error());
    return;
  }
  auto out = std::make_unique<kafka::Outgoing>();
  out->commit_id = commit.commit_id();
  out->key = commit.stream_id();
  out->value = std::move(bytes).value();
  out->partition = PartitionOf(commit.stream_id(), partitions_);
  out->done = std::move(done);
  producer_->Send(std::move(out));
}

Result<std::vector<LogRecord>> KafkaLog::Read(int32_t partition, int64_t from, size_t max,
                                              std::chrono::milliseconds wait) {
  if (partition < 0 || partition >= partitions_ || from < 0) return BadPosition();
  std::lock_guard lock(read_mu_);
  auto records = reader_->Read(partition, from, max, wait);
  if (!records.ok()) return WithBootstrap(records.error(), options_.bootstrap);
  return records;
}

Result<int64_t> KafkaLog::EndOffset(int32_t partition) {
  if (partition < 0 || partition >= partitions_) return BadPosition();
  auto end = kafka::HighWatermark(admin_->handle.get(), options_.topic, partition,
                                  options_.request_timeout);
  if (!end.ok()) return WithBootstrap(end.error(), options_.bootstrap);
  return end;
}

Result<std::unique_ptr<LogTail>> KafkaLog::Tail(std::vector<int64_t> from) {
  from.resize(size_t(partitions_), 0);
  auto tail = kafka::TopicTail::Create(options_.bootstrap, options_.topic, options_.client_id,
                                       std::move(from));
  if (!tail.ok()) return WithBootstrap(tail.error(), options_.bootstrap);
  return std::unique_ptr<LogTail>(std::move(tail).value());
}

KafkaLog::Stats KafkaLog::stats() const {
  const auto counts = reconciler_->counts();
  return Stats{producer_->restarts(), counts.found, counts.absent, counts.unknown};
}

void KafkaLog::InjectFatalProducerErrorForTest() { producer_->InjectFatalError(); }

}  // namespace aidtrail::store
