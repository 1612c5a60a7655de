#include "events/store/kafka_producer.h"

#include <cstdio>
#include <exception>
#include <optional>

namespace aidtrail::store::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// How long a closing or recovering producer waits for outstanding delivery
// reports before it purges what is left (which then counts as uncertain).
constexpr auto kFlushTimeout = std::chrono::seconds(10);
constexpr auto kPurgeTimeout = std::chrono::seconds(5);

Error Closed() {
  return MakeError(ErrorKind::kUnavailable, "log.closed", "the log is shutting down; the commit was not written",
                   "事件日志正在关闭，提交未写入，请稍后重试");
}

// The commit certainly is not in the topic: retrying cannot duplicate it.
Error NotWritten(rd_kafka_resp_err_t err, const std::string& detail) {
  if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
    return MakeError(ErrorKind::kInvalidArgument, "log.commit_too_large",
                     "Kafka refused the commit as too large: " + detail,
                     "单次提交的数据超过 Kafka 允许的大小，请拆分后再提交（" + detail + "）");
  Error e = KafkaError(err, "the commit was not written (certain; a retry cannot duplicate it)",
                       "提交未写入 Kafka（可以确定未写入，重试不会产生重复）", detail);
  if (e.code != "kafka.unavailable") e.code = "kafka.not_written";
  return e;
}

std::string ErrorText(const rd_kafka_message_t* msg) {
  return std::string(rd_kafka_err2name(msg->err)) + ": " + rd_kafka_message_errstr(msg);
}

}  // namespace

void Deliver(const AppendCallback& done, Result<Position> result) {
  try {
    done(std::move(result));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aidtrail: an append callback threw (ignored): %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "aidtrail: an append callback threw (ignored)\n");
  }
}

CommitProducer::CommitProducer(Options options, UncertainSink uncertain)
    : options_(std::move(options)),
      uncertain_(std::move(uncertain)),
      acked_end_(new std::atomic<int64_t>[options_.ends.size()]) {
  for (size_t p = 0; p < options_.ends.size(); ++p) acked_end_[p].store(options_.ends[p]);
}

Result<std::unique_ptr<CommitProducer>> CommitProducer::Start(Options options, UncertainSink uncertain) {
  std::unique_ptr<CommitProducer> producer(new CommitProducer(std::move(options), std::move(uncertain)));
  auto handle = producer->NewProducer();
  if (!handle.ok()) return handle.error();
  producer->producer_ = std::move(handle).value();
  producer->poller_ = std::thread([p = producer.get()] { p->PollLoop(); });
  return producer;
}

Result<Handle> CommitProducer::NewProducer() {
  auto conf = NewConf({
      {"bootstrap.servers", options_.bootstrap},
      {"client.id", options_.client_id},
      // No duplicates and no reordering from the producer's own retries;
      // implies acks=all, which we also state: an acknowledgement means
      // every in-sync replica has the commit.
      {"enable.idempotence", "true"},
      {"acks", "all"},
      // A broker restart or leader change must not fail commits: retry for
      // this long before giving up.
      {"message.timeout.ms", std::to_string(options_.message_timeout.count())},
      // librdkafka's limit on a produce request: the largest commit plus
      // record and batch overhead, with room to spare.
      {"message.max.bytes", std::to_string(2 * kMaxCommitBytes)},
      {"linger.ms", "5"},
      {"queue.buffering.max.messages", "1000000"},
      {"reconnect.backoff.max.ms", "1000"},
      {"allow.auto.create.topics", "false"},
      {"log.connection.close", "false"},
  });
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &CommitProducer::OnDelivery);
  rd_kafka_conf_set_opaque(conf->get(), this);
  return NewClient(RD_KAFKA_PRODUCER, std::move(conf).value());
}

void CommitProducer::Send(std::unique_ptr<Outgoing> commit) {
  std::unique_lock lock(mu_);
  if (closing_) {
    lock.unlock();
    Deliver(commit->done, Closed());
    return;
  }
  if (recovering_) {
    parked_.push_back(std::move(commit));
    return;
  }
  auto failed = ProduceLocked(std::move(commit));
  lock.unlock();
  if (failed) Deliver(failed->first, std::move(failed->second));
}

std::optional<std::pair<AppendCallback, Error>> CommitProducer::ProduceLocked(std::unique_ptr<Outgoing> commit) {
  Outgoing* raw = commit.get();
  raw->scan_from = acked_end_[size_t(raw->partition)].load();
  {
    std::lock_guard g(in_flight_mu_);
    in_flight_.insert(raw);
  }
  // The value is not copied: librdkafka reads it from `raw`, which lives
  // until its delivery report. The key is always copied.
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_.get(), RD_KAFKA_V_TOPIC(options_.topic.c_str()), RD_KAFKA_V_PARTITION(raw->partition),
      RD_KAFKA_V_KEY(raw->key.data(), raw->key.size()), RD_KAFKA_V_VALUE(raw->value.data(), raw->value.size()),
      RD_KAFKA_V_MSGFLAGS(0), RD_KAFKA_V_OPAQUE(raw), RD_KAFKA_V_END);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    commit.release();  // owned by the delivery report now
    return std::nullopt;
  }
  {
    std::lock_guard g(in_flight_mu_);
    in_flight_.erase(raw);
  }
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    // The poll thread is about to replace this producer; the commit goes
    // out on the new one.
    parked_.push_back(std::move(commit));
    return std::nullopt;
  }
  if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
    return std::make_pair(std::move(commit->done),
                          MakeError(ErrorKind::kUnavailable, "kafka.busy",
                                    "too many commits are waiting for Kafka; the commit was not written",
                                    "等待写入 Kafka 的提交过多，本次提交未写入，请稍后重试"));
  return std::make_pair(std::move(commit->done), NotWritten(err, rd_kafka_err2str(err)));
}

void CommitProducer::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  static_cast<CommitProducer*>(opaque)->Delivered(msg);
}

void CommitProducer::Delivered(const rd_kafka_message_t* msg) {
  auto* raw = static_cast<Outgoing*>(msg->_private);
  {
    std::lock_guard g(in_flight_mu_);
    in_flight_.erase(raw);
  }
  std::unique_ptr<Outgoing> commit(raw);
  if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR && msg->offset >= 0) {
    std::atomic<int64_t>& end = acked_end_[size_t(msg->partition)];
    int64_t seen = end.load();
    while (seen < msg->offset + 1 && !end.compare_exchange_weak(seen, msg->offset + 1)) {
    }
    Deliver(commit->done, Position{msg->partition, msg->offset});
    return;
  }
  if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR && rd_kafka_message_status(msg) == RD_KAFKA_MSG_STATUS_NOT_PERSISTED) {
    Deliver(commit->done, NotWritten(msg->err, ErrorText(msg)));
    return;
  }
  // Sent but not acknowledged (or acknowledged without an offset): only
  // the partition itself can tell.
  commit->value = std::string();
  uncertain_(std::move(commit), KafkaError(msg->err, "the commit's delivery is unknown", "提交是否写入 Kafka 未知",
                                           ErrorText(msg)));
}

void CommitProducer::PollLoop() {
  while (!stop_.load()) {
    rd_kafka_poll(producer_.get(), 100);
    char reason[512];
    if (rd_kafka_fatal_error(producer_.get(), reason, sizeof reason) != RD_KAFKA_RESP_ERR_NO_ERROR) Recover(reason);
  }
}

void CommitProducer::Drain(rd_kafka_t* producer, std::chrono::milliseconds flush_for) {
  rd_kafka_flush(producer, static_cast<int>(flush_for.count()));  // serves delivery reports on this thread
  if (rd_kafka_outq_len(producer) == 0) return;
  // Whatever is still in flight now is given up: its reports say "possibly
  // persisted" and the reconciler looks for it.
  rd_kafka_purge(producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  const auto deadline = Clock::now() + kPurgeTimeout;
  while (rd_kafka_outq_len(producer) > 0 && Clock::now() < deadline) rd_kafka_poll(producer, 100);
}

void CommitProducer::Recover(const std::string& reason) {
  std::fprintf(stderr, "aidtrail: Kafka producer fatal error (%s); restarting the producer\n", reason.c_str());
  {
    std::lock_guard lock(mu_);
    recovering_ = true;
  }
  // The old producer still reports what it knows: commits acknowledged
  // before the error succeed, queued ones fail as never sent.
  Drain(producer_.get(), kFlushTimeout);
  Handle old;
  {
    std::lock_guard lock(mu_);
    old = std::move(producer_);
  }
  old.reset();
  // Reports the destroyed producer never gave: outcome unknown.
  HandOverOrphans(MakeError(ErrorKind::kUnavailable, "kafka.unavailable",
                            "the producer failed before the commit's delivery was reported: " + reason,
                            "Kafka 生产者故障，提交是否写入未知：" + reason));

  Handle fresh;
  while (!stop_.load()) {
    auto created = NewProducer();
    if (created.ok()) {
      fresh = std::move(created).value();
      break;
    }
    std::fprintf(stderr, "aidtrail: cannot restart the Kafka producer: %s\n", created.error().ToString().c_str());
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::vector<std::pair<AppendCallback, Error>> failed;
  {
    std::lock_guard lock(mu_);
    producer_ = std::move(fresh);
    if (producer_ == nullptr) return;  // closing: the destructor fails what is parked
    recovering_ = false;
    // In the order they were sent, before anything newer can overtake them.
    std::deque<std::unique_ptr<Outgoing>> parked;
    parked.swap(parked_);
    for (auto& commit : parked)
      if (auto f = ProduceLocked(std::move(commit))) failed.push_back(std::move(*f));
  }
  restarts_.fetch_add(1);
  for (auto& [done, error] : failed) Deliver(done, std::move(error));
}

void CommitProducer::InjectFatalError() {
  std::lock_guard lock(mu_);
  if (producer_ != nullptr)
    rd_kafka_test_fatal_error(producer_.get(), RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "injected by a test");
}

CommitProducer::~CommitProducer() {
  std::deque<std::unique_ptr<Outgoing>> parked;
  {
    std::lock_guard lock(mu_);
    closing_ = true;
    parked.swap(parked_);
  }
  for (auto& commit : parked) Deliver(commit->done, Closed());  // never sent
  stop_.store(true);
  if (poller_.joinable()) poller_.join();
  if (producer_ != nullptr) Drain(producer_.get(), kFlushTimeout);
  producer_.reset();
  HandOverOrphans(MakeError(ErrorKind::kUnavailable, "kafka.unavailable",
                            "the log closed before the commit's delivery was reported",
                            "事件日志关闭时提交的写入结果尚未确认"));
}

void CommitProducer::HandOverOrphans(const Error& why) {
  std::vector<Outgoing*> orphans;
  {
    std::lock_guard g(in_flight_mu_);
    orphans.assign(in_flight_.begin(), in_flight_.end());
    in_flight_.clear();
  }
  for (Outgoing* raw : orphans) {
    std::unique_ptr<Outgoing> commit(raw);
    commit->value = std::string();
    uncertain_(std::move(commit), why);
  }
}

}  // namespace aidtrail::store::kafka
