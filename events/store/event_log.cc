#include "events/store/event_log.h"

#include <future>
#include <thread>

namespace aidtrail::store {

namespace {

// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), seed 0x9747b28c.
uint32_t Murmur2(std::string_view data) {
  const uint32_t m = 0x5bd1e995;
  const int r = 24;
  const size_t len = data.size();
  uint32_t h = 0x9747b28c ^ static_cast<uint32_t>(len);
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    uint32_t k = uint32_t(p[i]) | uint32_t(p[i + 1]) << 8 | uint32_t(p[i + 2]) << 16 |
                 uint32_t(p[i + 3]) << 24;
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  switch (len - i) {
    case 3:
      h ^= uint32_t(p[i + 2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= uint32_t(p[i + 1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= uint32_t(p[i]);
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return h;
}

}  // namespace

int32_t PartitionOf(std::string_view stream_id, int32_t partitions) {
  return static_cast<int32_t>((Murmur2(stream_id) & 0x7fffffff) %
                              static_cast<uint32_t>(partitions));
}

Result<std::string> EncodeCommit(const v1::CommitRecord& commit) {
  std::string out;
  if (!commit.SerializeToString(&out))
    return MakeError(ErrorKind::kInvalidArgument, "log.encode", "the commit could not be encoded",
                     "提交记录无法编码");
  if (out.size() > kMaxCommitBytes)
    return MakeError(ErrorKind::kInvalidArgument, "log.commit_too_large",
                     "the commit is " + std::to_string(out.size()) + " bytes; the limit is " +
                         std::to_string(kMaxCommitBytes),
                     "单次提交的数据过大（" + std::to_string(out.size() / 1024) + " KiB，上限 " +
                         std::to_string(kMaxCommitBytes / 1024) + " KiB），请拆分后再提交");
  return out;
}

Result<v1::CommitRecord> DecodeCommit(const LogRecord& record) {
  v1::CommitRecord c;
  const std::string where = "partition " + std::to_string(record.position.partition) + " offset " +
                            std::to_string(record.position.offset);
  if (!c.ParseFromString(record.value) || c.commit_id().empty() || c.stream_id().empty() ||
      c.stream_id() != record.key || (c.events().empty() && !c.has_claim()))
    return MakeError(ErrorKind::kCorruption, "log.not_a_commit",
                     "record at " + where + " is not an aidtrail commit",
                     "日志位置 " + where + " 的记录不是本系统的提交记录，已跳过");
  return c;
}

namespace {

// Round robin over Read, for logs whose reads are cheap (embedded).
class RoundRobinTail final : public LogTail {
 public:
  RoundRobinTail(EventLog& log, std::vector<int64_t> from) : log_(log), next_(std::move(from)) {
    next_.resize(size_t(log_.partitions()), 0);
  }
  Result<std::vector<LogRecord>> Next(size_t max, std::chrono::milliseconds wait) override {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      std::vector<LogRecord> out;
      for (size_t i = 0; i < next_.size() && out.size() < max; ++i) {
        const size_t p = (first_ + i) % next_.size();
        auto recs = log_.Read(int32_t(p), next_[p], max - out.size(), std::chrono::milliseconds(0));
        if (!recs.ok()) return recs.error();
        for (LogRecord& r : *recs) {
          next_[p] = r.position.offset + 1;
          out.push_back(std::move(r));
        }
      }
      first_ = (first_ + 1) % next_.size();
      if (!out.empty() || std::chrono::steady_clock::now() >= deadline) return out;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

 private:
  EventLog& log_;
  std::vector<int64_t> next_;
  size_t first_ = 0;
};

}  // namespace

Result<std::unique_ptr<LogTail>> EventLog::Tail(std::vector<int64_t> from) {
  return std::unique_ptr<LogTail>(new RoundRobinTail(*this, std::move(from)));
}

Result<Position> EventLog::Append(v1::CommitRecord commit) {
  std::promise<Result<Position>> done;
  auto f = done.get_future();
  AppendAsync(std::move(commit), [&done](Result<Position> r) { done.set_value(std::move(r)); });
  return f.get();
}

}  // namespace aidtrail::store
