#include "ingest/writer_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include <filesystem>

namespace aidtrail::ingest {
namespace {

// Keys, one keyspace, by a one-letter prefix:
//   e <stream> \0 <version, 8 bytes big-endian>  -> Event
//   h <stream>                                   -> StoredHead
//   s <partition, 4 bytes> <commit id>            -> (empty)
//   c <command id>                               -> StoredCommand
//   k                                            -> WriterCheckpoint
constexpr char kCheckpointKey[] = "k";

std::string BigEndian(uint64_t v, int bytes) {
  std::string out(size_t(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) out[size_t(i)] = char(v & 0xff);
  return out;
}
std::string EventPrefix(const std::string& stream) { return "e" + stream + std::string(1, '\0'); }
std::string EventKey(const std::string& stream, uint64_t version) {
  return EventPrefix(stream) + BigEndian(version, 8);
}
std::string HeadKey(const std::string& stream) { return "h" + stream; }
std::string SeenKey(int32_t p, const std::string& id) {
  return "s" + BigEndian(uint32_t(p), 4) + id;
}
std::string CommandKey(const std::string& id) { return "c" + id; }

Error StoreError(const rocksdb::Status& s, const std::string& what) {
  return MakeError(ErrorKind::kUnavailable, "writer.store", what + ": " + s.ToString(),
                   "写入端状态存储故障（" + what + "），请联系管理员：" + s.ToString());
}

}  // namespace

struct WriterStore::Db {
  std::unique_ptr<rocksdb::DB> db;
  mutable rocksdb::WriteBatchWithIndex pending{rocksdb::BytewiseComparator(), 0,
                                               /*overwrite_key=*/true};
  ~Db() {
    if (!db) return;
    // A clean stop leaves no write-ahead log to replay at the next open.
    db->Flush(rocksdb::FlushOptions()).PermitUncheckedError();
    db->Close().PermitUncheckedError();
  }
  // The value of `key` as pending writes leave it.
  std::optional<std::string> Get(const std::string& key) const {
    std::string v;
    const rocksdb::Status s = pending.GetFromBatchAndDB(db.get(), rocksdb::ReadOptions(), key, &v);
    if (!s.ok()) return std::nullopt;
    return v;
  }
};

Result<std::unique_ptr<WriterStore>> WriterStore::Open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  rocksdb::Options o;
  o.create_if_missing = true;
  o.write_buffer_size = 32 << 20;
  rocksdb::BlockBasedTableOptions t;
  // Most lookups are for keys that are not there (new streams, new
  // command ids): bloom filters answer them without reading a block.
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  t.block_cache = rocksdb::NewLRUCache(32 << 20);
  // Bounded by the cache as the history grows (see view_store.cc).
  t.cache_index_and_filter_blocks = true;
  t.cache_index_and_filter_blocks_with_high_priority = true;
  t.pin_l0_filter_and_index_blocks_in_cache = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  auto db = std::make_unique<Db>();
  rocksdb::DB* raw = nullptr;
  if (rocksdb::Status s = rocksdb::DB::Open(o, dir, &raw); !s.ok())
    return StoreError(s, "open " + dir);
  db->db.reset(raw);
  std::unique_ptr<WriterStore> store(new WriterStore(std::move(db)));
  if (Status s = store->LoadCheckpoint(); !s) return s.error();
  return store;
}

WriterStore::WriterStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}
WriterStore::~WriterStore() = default;

Status WriterStore::LoadCheckpoint() {
  checkpoint_.reset();
  std::string v;
  const rocksdb::Status s = db_->db->Get(rocksdb::ReadOptions(), kCheckpointKey, &v);
  if (s.IsNotFound()) return {};
  if (!s.ok()) return StoreError(s, "read checkpoint");
  v1::WriterCheckpoint cp;
  if (!cp.ParseFromString(v)) return {};  // unreadable: as if new (the log is the truth)
  checkpoint_ = std::move(cp);
  return {};
}

Status WriterStore::Reset() {
  Discard();
  rocksdb::WriteBatch b;
  // Every key sorts between "" and the byte after the last prefix used.
  if (rocksdb::Status s = b.DeleteRange(db_->db->DefaultColumnFamily(), "", "z"); !s.ok())
    return StoreError(s, "reset");
  if (rocksdb::Status s = db_->db->Write(rocksdb::WriteOptions(), &b); !s.ok())
    return StoreError(s, "reset");
  checkpoint_.reset();
  return {};
}

store::StreamHead WriterStore::Head(const std::string& stream_id) const {
  auto v = db_->Get(HeadKey(stream_id));
  v1::StoredHead h;
  if (!v || !h.ParseFromString(*v)) return {};
  return store::StreamHead{h.version(), h.hash()};
}

bool WriterStore::Seen(int32_t partition, const std::string& commit_id) const {
  return db_->Get(SeenKey(partition, commit_id)).has_value();
}

std::optional<v1::StoredCommand> WriterStore::Command(const std::string& command_id) const {
  auto v = db_->Get(CommandKey(command_id));
  v1::StoredCommand c;
  if (!v || !c.ParseFromString(*v)) return std::nullopt;
  return c;
}

Result<std::vector<v1::Event>> WriterStore::Events(const std::string& stream_id) const {
  std::vector<v1::Event> out;
  const std::string prefix = EventPrefix(stream_id);
  rocksdb::ReadOptions ro;
  std::unique_ptr<rocksdb::Iterator> it(db_->pending.NewIteratorWithBase(db_->db->NewIterator(ro)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    v1::Event& e = out.emplace_back();
    if (!e.ParseFromArray(it->value().data(), int(it->value().size())))
      return MakeError(
          ErrorKind::kCorruption, "writer.store_event",
          "an event of " + stream_id + " in the writer's store cannot be read",
          "写入端状态存储中 " + stream_id + " 的记录无法读取，请删除 writer 目录后重启");
  }
  if (!it->status().ok()) return StoreError(it->status(), "read " + stream_id);
  return out;
}

void WriterStore::Record(int32_t partition, int64_t offset, const v1::CommitRecord& commit) {
  auto& b = db_->pending;
  for (const v1::Event& e : commit.events())
    b.Put(EventKey(e.stream_id(), e.stream_version()), e.SerializeAsString())
        .PermitUncheckedError();
  const v1::Event& last = commit.events(commit.events_size() - 1);
  v1::StoredHead h;
  h.set_version(last.stream_version());
  h.set_hash(last.hash());
  b.Put(HeadKey(commit.stream_id()), h.SerializeAsString()).PermitUncheckedError();
  b.Put(SeenKey(partition, commit.commit_id()), "").PermitUncheckedError();
  v1::StoredCommand c;
  c.set_stream_id(commit.stream_id());
  c.set_first_version(commit.events(0).stream_version());
  c.set_last_version(last.stream_version());
  c.set_partition(partition);
  c.set_offset(offset);
  b.Put(CommandKey(commit.commit_id()), c.SerializeAsString()).PermitUncheckedError();
  ++pending_;
}

Status WriterStore::Checkpoint(v1::WriterCheckpoint checkpoint) {
  auto& b = db_->pending;
  b.Put(kCheckpointKey, checkpoint.SerializeAsString()).PermitUncheckedError();
  // Not synced: a crash may lose the newest checkpoints, never mix them,
  // and a start re-reads the log from whichever one survived.
  if (rocksdb::Status s = db_->db->Write(rocksdb::WriteOptions(), b.GetWriteBatch()); !s.ok()) {
    b.Clear();
    pending_ = 0;
    return StoreError(s, "checkpoint");
  }
  b.Clear();
  pending_ = 0;
  checkpoint_ = std::move(checkpoint);
  return {};
}

void WriterStore::Discard() {
  db_->pending.Clear();
  pending_ = 0;
}

}  // namespace aidtrail::ingest
