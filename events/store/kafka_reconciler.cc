#include "events/store/kafka_reconciler.h"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>

namespace aidtrail::store::kafka {
namespace {

using Clock = std::chrono::steady_clock;

std::string Range(int32_t partition, int64_t from, int64_t to) {
  return "partition " + std::to_string(partition) + " offsets " + std::to_string(from) + ".." + std::to_string(to);
}

}  // namespace

Reconciler::Reconciler(Options options) : options_(std::move(options)) {
  thread_ = std::thread([this] { Loop(); });
}

Reconciler::~Reconciler() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Reconciler::Add(std::unique_ptr<Outgoing> commit, Error cause) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Pending{std::move(commit), std::move(cause), Clock::now() + options_.patience});
  }
  wake_.notify_all();
}

Reconciler::Counts Reconciler::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

bool Reconciler::Closing() {
  std::lock_guard lock(mu_);
  return closing_;
}

void Reconciler::Finish(Pending& p, Result<Position> result) {
  {
    std::lock_guard lock(mu_);
    if (result.ok())
      ++counts_.found;
    else if (result.error().code == "kafka.outcome_unknown")
      ++counts_.unknown;
    else
      ++counts_.absent;
  }
  Deliver(p.commit->done, std::move(result));
  p.commit.reset();  // settled
}

void Reconciler::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (queue_.empty()) return;  // closing, and everything is settled
    std::map<int32_t, std::vector<Pending>> by_partition;
    while (!queue_.empty()) {
      by_partition[queue_.front().commit->partition].push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    std::vector<Pending> open;
    for (auto& [partition, pending] : by_partition)
      for (Pending& p : Settle(partition, std::move(pending))) open.push_back(std::move(p));
    lock.lock();
    if (!open.empty()) {
      // The broker is unreachable: try again shortly, oldest first.
      for (auto it = open.rbegin(); it != open.rend(); ++it) queue_.push_front(std::move(*it));
      wake_.wait_for(lock, std::chrono::seconds(1), [&] { return closing_; });
    }
  }
}

Status Reconciler::Scan(int32_t partition, int64_t from, int64_t to,
                        const std::function<void(const LogRecord&)>& visit) {
  const auto deadline = Clock::now() + (Closing() ? std::chrono::seconds(10) : std::chrono::seconds(60));
  int64_t next = from;
  while (next < to) {
    auto batch = reader_->Read(partition, next, 1000, std::chrono::seconds(1));
    if (!batch.ok()) return batch.error();
    if (batch->empty() && Clock::now() >= deadline)
      return MakeError(ErrorKind::kUnavailable, "kafka.unavailable", "could not read " + Range(partition, from, to),
                       "无法读取 Kafka " + Range(partition, from, to));
    for (const LogRecord& r : *batch) {
      if (r.position.offset >= to) return Status::Ok();
      visit(r);
      next = r.position.offset + 1;
    }
  }
  return Status::Ok();
}

std::vector<Reconciler::Pending> Reconciler::Settle(int32_t partition, std::vector<Pending> pending) {
  const bool closing = Closing();
  const auto timeout = closing ? std::chrono::seconds(3) : std::chrono::seconds(10);
  Error failure;
  auto give_up_or_keep = [&]() {
    std::vector<Pending> open;
    for (Pending& p : pending) {
      if (p.commit == nullptr) continue;
      if (closing || Clock::now() >= p.give_up)
        Finish(p, MakeError(ErrorKind::kUnavailable, "kafka.outcome_unknown",
                            "it is unknown whether commit " + p.commit->commit_id +
                                " was written: Kafka did not acknowledge it (" + p.cause.message +
                                ") and could not be read to find out (" + failure.message +
                                "); it may be in the log, and a retry with the same command id is safe",
                            "无法确认提交是否已写入 Kafka（未收到确认，且无法读取日志核对），该提交可能已在日志中；"
                            "用相同的命令编号重试是安全的"));
      else
        open.push_back(std::move(p));
    }
    return open;
  };

  if (reader_ == nullptr) {
    auto reader = PartitionReader::Create(options_.bootstrap, options_.topic, options_.client_id + "-reconcile",
                                          std::chrono::seconds(10));
    if (!reader.ok()) {
      failure = reader.error();
      return give_up_or_keep();
    }
    reader_ = std::move(reader).value();
  }

  // commit_id -> indices into `pending` still open.
  std::unordered_multimap<std::string, size_t> wanted;
  int64_t from = INT64_MAX;
  for (size_t i = 0; i < pending.size(); ++i) {
    wanted.emplace(pending[i].commit->commit_id, i);
    from = std::min(from, pending[i].commit->scan_from);
  }
  auto visit = [&](const LogRecord& r) {
    auto decoded = DecodeCommit(r);
    if (!decoded.ok()) return;  // not ours; readers report and skip it
    auto [first, last] = wanted.equal_range(decoded->commit_id());
    for (auto it = first; it != last; ++it) Finish(pending[it->second], r.position);
    wanted.erase(first, last);  // only the first copy counts
  };
  auto scan_to_end = [&](int64_t scan_from) -> Result<int64_t> {
    auto end = reader_->EndOffset(partition, timeout);
    if (!end.ok()) return end.error();
    if (Status s = Scan(partition, scan_from, *end, visit); !s.ok()) return s.error();
    return *end;
  };

  auto first_end = scan_to_end(from);
  if (!first_end.ok()) {
    failure = first_end.error();
    return give_up_or_keep();
  }
  if (!wanted.empty()) {
    // Not there yet. A request the broker received before it answered us
    // may still be waiting to be appended; look once more after a pause.
    std::this_thread::sleep_for(options_.settle);
    auto second_end = scan_to_end(*first_end);
    if (!second_end.ok()) {
      failure = second_end.error();
      return give_up_or_keep();
    }
    for (auto& [id, i] : wanted)
      Finish(pending[i], MakeError(ErrorKind::kUnavailable, "kafka.not_written",
                                   "commit " + id + " is not in " + Range(partition, from, *second_end) +
                                       " although it was sent (" + pending[i].cause.message +
                                       "); it was not written, and a retry cannot duplicate it",
                                   "提交未写入 Kafka（已核对日志，确认不存在），可以安全重试"));
  }
  return {};
}

}  // namespace aidtrail::store::kafka
