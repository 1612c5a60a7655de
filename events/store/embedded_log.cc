#include "events/store/embedded_log.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <filesystem>

namespace aidtrail::store {
namespace {

constexpr char kLogFamily[] = "log";
constexpr char kPartitionsKey[] = "meta/partitions";

std::string Key(int32_t partition, int64_t offset) {
  std::string k(12, '\0');
  for (int i = 0; i < 4; ++i) k[i] = static_cast<char>(uint32_t(partition) >> (24 - 8 * i));
  for (int i = 0; i < 8; ++i) k[4 + i] = static_cast<char>(uint64_t(offset) >> (56 - 8 * i));
  return k;
}

int64_t OffsetOf(const rocksdb::Slice& key) {
  uint64_t o = 0;
  for (int i = 0; i < 8; ++i) o = o << 8 | static_cast<unsigned char>(key[4 + i]);
  return static_cast<int64_t>(o);
}

Error StorageError(const rocksdb::Status& s, const std::string& what) {
  return MakeError(ErrorKind::kUnavailable, "log.storage", what + ": " + s.ToString(),
                   "事件日志存储故障（" + what + "），请联系管理员：" + s.ToString());
}

}  // namespace

Result<std::unique_ptr<EmbeddedLog>> EmbeddedLog::Open(const EmbeddedLogOptions& options) {
  if (options.partitions < 1 || options.partitions > 4096)
    return MakeError(ErrorKind::kInvalidArgument, "log.partitions",
                     "partitions must be between 1 and 4096", "分区数须在1到4096之间");
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec)
    return MakeError(ErrorKind::kUnavailable, "log.dir",
                     "cannot create " + options.dir + ": " + ec.message(),
                     "无法创建数据目录 " + options.dir + "：" + ec.message());

  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  // The log's index blocks live in its block cache, so a long history does
  // not cost memory at every open.
  rocksdb::ColumnFamilyOptions log_family;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(32 << 20);
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  log_family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {kLogFamily, log_family}};
  std::unique_ptr<EmbeddedLog> log(new EmbeddedLog());
  log->options_ = options;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.dir, families, &log->handles_, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
      return MakeError(ErrorKind::kUnavailable, "log.locked",
                       "the data directory " + options.dir +
                           " is in use by another aidtrail process (" + s.ToString() + ")",
                       "数据目录 " + options.dir + " 正被另一个 aidtrail 进程使用，请先停止该进程");
    return StorageError(s, "open " + options.dir);
  }
  log->db_.reset(raw);

  // The partition count is fixed when the log is created: changing it would
  // move streams between partitions.
  std::string stored;
  s = log->db_->Get(rocksdb::ReadOptions(), log->handles_[0], kPartitionsKey, &stored);
  if (s.IsNotFound()) {
    rocksdb::WriteOptions w;
    w.sync = true;
    s = log->db_->Put(w, log->handles_[0], kPartitionsKey, std::to_string(options.partitions));
    if (!s.ok()) return StorageError(s, "write partition count");
    log->partitions_ = options.partitions;
  } else if (s.ok()) {
    log->partitions_ = std::stoi(stored);
  } else {
    return StorageError(s, "read partition count");
  }

  log->end_.assign(size_t(log->partitions_), 0);
  std::unique_ptr<rocksdb::Iterator> it(
      log->db_->NewIterator(rocksdb::ReadOptions(), log->handles_[1]));
  for (int32_t p = 0; p < log->partitions_; ++p) {
    it->SeekForPrev(Key(p, INT64_MAX));
    if (it->Valid() && it->key().starts_with(rocksdb::Slice(Key(p, 0).data(), 4)))
      log->end_[size_t(p)] = OffsetOf(it->key()) + 1;
  }
  if (!it->status().ok()) return StorageError(it->status(), "scan log");
  log->writer_ = std::thread([l = log.get()] { l->WriterLoop(); });
  return log;
}

EmbeddedLog::~EmbeddedLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  queued_.notify_all();
  if (writer_.joinable()) writer_.join();
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  if (db_) db_->Close().PermitUncheckedError();
}

void EmbeddedLog::AppendAsync(v1::CommitRecord commit, AppendCallback done) {
  auto bytes = EncodeCommit(commit);
  if (!bytes.ok()) {
    done(bytes.error());
    return;
  }
  const int32_t p = PartitionOf(commit.stream_id(), partitions_);
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      done(MakeError(ErrorKind::kUnavailable, "log.closed", "the log is shutting down",
                     "事件日志正在关闭，请稍后重试"));
      return;
    }
    queue_.push_back(Pending{p, commit.stream_id(), std::move(bytes).value(), std::move(done)});
  }
  queued_.notify_one();
}

void EmbeddedLog::WriterLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued was written

    // Take what has accumulated: it all goes into one batch and one fsync.
    std::vector<Pending> batch;
    size_t bytes = 0;
    while (!queue_.empty() &&
           (batch.empty() || bytes + queue_.front().value.size() <= options_.max_batch_bytes)) {
      bytes += queue_.front().value.size();
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    std::vector<int64_t> next = end_;
    std::vector<Position> positions;
    positions.reserve(batch.size());
    rocksdb::WriteBatch wb;
    for (const Pending& item : batch) {
      const int64_t offset = next[size_t(item.partition)]++;
      positions.push_back(Position{item.partition, offset});
      // Stored value: 2-byte key length, the stream id, the commit bytes —
      // so reading a record never has to parse the commit.
      std::string stored;
      stored.reserve(2 + item.key.size() + item.value.size());
      stored.push_back(static_cast<char>(item.key.size() >> 8));
      stored.push_back(static_cast<char>(item.key.size() & 0xff));
      stored += item.key;
      stored += item.value;
      wb.Put(handles_[1], Key(item.partition, offset), stored);
    }
    lock.unlock();
    rocksdb::WriteOptions w;
    w.sync = options_.sync;
    const rocksdb::Status s = db_->Write(w, &wb);
    lock.lock();
    if (s.ok()) {
      end_ = next;
      ++syncs_;
      appended_.notify_all();
    }
    lock.unlock();
    for (size_t i = 0; i < batch.size(); ++i) {
      if (s.ok())
        batch[i].done(positions[i]);
      else
        batch[i].done(StorageError(s, "append"));
    }
    lock.lock();
  }
}

Result<std::vector<LogRecord>> EmbeddedLog::Read(int32_t partition, int64_t from, size_t max,
                                                 std::chrono::milliseconds wait) {
  if (partition < 0 || partition >= partitions_ || from < 0)
    return MakeError(ErrorKind::kInvalidArgument, "log.position", "no such partition or offset",
                     "日志位置无效");
  {
    std::unique_lock lock(mu_);
    appended_.wait_for(lock, wait, [&] { return stopping_ || end_[size_t(partition)] > from; });
  }
  int64_t end = 0;
  {
    std::lock_guard lock(mu_);
    end = end_[size_t(partition)];  // never read past what was acknowledged
  }
  std::vector<LogRecord> out;
  if (from >= end) return out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[1]));
  const std::string prefix = Key(partition, 0).substr(0, 4);
  for (it->Seek(Key(partition, from)); it->Valid() && out.size() < max; it->Next()) {
    if (!it->key().starts_with(prefix)) break;
    const int64_t offset = OffsetOf(it->key());
    if (offset >= end) break;
    const rocksdb::Slice v = it->value();
    const size_t klen = v.size() >= 2 ? (size_t(uint8_t(v[0])) << 8 | uint8_t(v[1])) : v.size();
    if (v.size() < 2 + klen)
      return MakeError(ErrorKind::kCorruption, "log.corrupt_record",
                       "stored record at offset " + std::to_string(offset) + " is truncated",
                       "日志记录损坏（偏移量 " + std::to_string(offset) + "）");
    out.push_back(LogRecord{Position{partition, offset}, std::string(v.data() + 2, klen),
                            std::string(v.data() + 2 + klen, v.size() - 2 - klen)});
  }
  if (!it->status().ok()) return StorageError(it->status(), "read");
  return out;
}

Result<int64_t> EmbeddedLog::EndOffset(int32_t partition) {
  if (partition < 0 || partition >= partitions_)
    return MakeError(ErrorKind::kInvalidArgument, "log.position", "no such partition",
                     "日志分区无效");
  std::lock_guard lock(mu_);
  return end_[size_t(partition)];
}

uint64_t EmbeddedLog::background_errors() const {
  uint64_t n = 0;
  return db_ && db_->GetIntProperty("rocksdb.background-errors", &n) ? n : 0;
}

uint64_t EmbeddedLog::syncs() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

}  // namespace aidtrail::store
