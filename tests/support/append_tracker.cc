#include "tests/support/append_tracker.h"

#include "tests/support/kafka_tools.h"

namespace aidtrail::testing {

bool CertainlyNotWritten(const Error& e) {
  return e.code == "kafka.unavailable" || e.code == "kafka.not_written" || e.code == "kafka.busy" ||
         e.code == "log.closed" || e.code == "log.commit_too_large" || e.code == "log.invalid_commit";
}

store::AppendCallback AppendTracker::Track(const v1::CommitRecord& commit) {
  size_t index = 0;
  {
    std::lock_guard lock(mu_);
    index = outcomes_.size();
    outcomes_.push_back(Outcome{commit.commit_id(), commit.stream_id(), std::nullopt, std::chrono::steady_clock::now(), {}});
  }
  return [this, index](Result<store::Position> r) {
    {
      std::lock_guard lock(mu_);
      outcomes_[index].result = std::move(r);
      outcomes_[index].completed_at = std::chrono::steady_clock::now();
      ++completed_;
    }
    changed_.notify_all();
  };
}

bool AppendTracker::WaitAll(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return completed_ == outcomes_.size(); });
}

bool AppendTracker::WaitCompleted(size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return completed_ >= n; });
}

std::vector<AppendTracker::Outcome> AppendTracker::outcomes() const {
  std::lock_guard lock(mu_);
  return outcomes_;
}

size_t AppendTracker::completed() const {
  std::lock_guard lock(mu_);
  return completed_;
}

size_t AppendTracker::succeeded() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& o : outcomes_) n += o.result.has_value() && o.result->ok();
  return n;
}

std::string AppendTracker::Summary() const {
  std::lock_guard lock(mu_);
  size_t ok = 0, pending = 0;
  std::map<std::string, size_t> failed;
  for (const auto& o : outcomes_) {
    if (!o.result.has_value())
      ++pending;
    else if (o.result->ok())
      ++ok;
    else
      ++failed[o.result->error().code];
  }
  std::string s = std::to_string(ok) + " ok";
  for (const auto& [code, n] : failed) s += ", " + std::to_string(n) + " " + code;
  if (pending > 0) s += ", " + std::to_string(pending) + " pending";
  return s;
}

std::vector<std::string> CheckAgainstTopic(const std::string& bootstrap, const std::string& topic, int32_t partitions,
                                           const std::vector<AppendTracker::Outcome>& outcomes,
                                           std::map<std::string, int>* copies_out) {
  std::vector<std::string> problems;
  std::map<std::string, std::vector<store::Position>> found;
  for (int32_t p = 0; p < partitions; ++p) {
    auto records = ReadPartition(bootstrap, topic, p);
    if (!records.ok()) {
      problems.push_back("cannot read partition " + std::to_string(p) + ": " + records.error().ToString());
      continue;
    }
    for (const store::LogRecord& r : *records) {
      auto commit = store::DecodeCommit(r);
      if (commit.ok()) found[commit->commit_id()].push_back(r.position);
    }
  }
  for (const auto& o : outcomes) {
    const auto it = found.find(o.commit_id);
    const size_t n = it == found.end() ? 0 : it->second.size();
    if (!o.result.has_value()) {
      problems.push_back(o.commit_id + ": no outcome reported");
    } else if (o.result->ok()) {
      const store::Position at = o.result->value();
      if (n != 1)
        problems.push_back(o.commit_id + ": acknowledged but found " + std::to_string(n) + " times");
      else if (it->second[0] != at)
        problems.push_back(o.commit_id + ": acknowledged at " + std::to_string(at.partition) + "/" +
                           std::to_string(at.offset) + " but found at " + std::to_string(it->second[0].partition) +
                           "/" + std::to_string(it->second[0].offset));
      else if (at.partition != store::PartitionOf(o.stream_id, partitions))
        problems.push_back(o.commit_id + ": in partition " + std::to_string(at.partition) + ", not its stream's");
    } else if (CertainlyNotWritten(o.result->error())) {
      if (n != 0)
        problems.push_back(o.commit_id + ": reported not written (" + o.result->error().code + ") but found " +
                           std::to_string(n) + " times");
    } else if (n > 1) {
      problems.push_back(o.commit_id + ": outcome " + o.result->error().code + " but found " + std::to_string(n) +
                         " times");
    }
  }
  if (copies_out != nullptr)
    for (const auto& [id, positions] : found) (*copies_out)[id] = static_cast<int>(positions.size());
  return problems;
}

}  // namespace aidtrail::testing
