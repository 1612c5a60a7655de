#include "projections/view_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>

#include "events/core/hash_chain.h"

namespace aidtrail::projections {

namespace {

// Counters are updated with Merge, so adding to one never reads it first.
class Int64Add final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value, std::string* out,
             rocksdb::Logger*) const override {
    const int64_t base = existing ? DecodeCounter(existing->ToString()) : 0;
    *out = EncodeCounter(base + DecodeCounter(value.ToString()));
    return true;
  }
  const char* Name() const override { return "aidtrail.Int64Add"; }
};

rocksdb::ColumnFamilyOptions FamilyOptions() {
  static const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(128 << 20);
  rocksdb::ColumnFamilyOptions o;
  o.merge_operator = std::make_shared<Int64Add>();
  o.write_buffer_size = 16 << 20;  // many families: keep each memtable small
  rocksdb::BlockBasedTableOptions t;
  // Folding looks up many keys that do not exist yet (new streams, new
  // commit ids): bloom filters answer those without reading blocks.
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  t.block_cache = cache;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

}  // namespace

Result<std::unique_ptr<ViewStore>> ViewStore::Open(const std::string& dir, const std::vector<std::string>& families) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.db_write_buffer_size = 256 << 20;  // all memtables together
  // Views are derived data: instead of a WAL, every flush writes all column
  // families atomically, so after a crash the store holds exactly the state
  // of some earlier batch — views and positions together — and folding
  // resumes from there. The log, not this store, is what must be durable.
  options.atomic_flush = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> descs = {{rocksdb::kDefaultColumnFamilyName, FamilyOptions()}};
  for (const auto& f : families) descs.push_back({f, FamilyOptions()});
  std::unique_ptr<ViewStore> store(new ViewStore());
  store->names_ = families;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(options, dir, descs, &store->handles_, &raw);
  if (!s.ok()) {
    const bool locked = s.IsIOError() && s.ToString().find("lock") != std::string::npos;
    return MakeError(ErrorKind::kUnavailable, locked ? "views.locked" : "views.open",
                     "cannot open the view store " + dir + ": " + s.ToString(),
                     locked ? "视图目录 " + dir + " 正被另一个进程使用" : "无法打开视图存储 " + dir + "：" + s.ToString());
  }
  store->db_.reset(raw);
  return store;
}

ViewStore::~ViewStore() {
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  if (db_) db_->Close().PermitUncheckedError();
}

rocksdb::ColumnFamilyHandle* ViewStore::Handle(const std::string& family) const {
  auto it = std::find(names_.begin(), names_.end(), family);
  // A family not declared by any view is a programming error.
  if (it == names_.end()) std::abort();
  return handles_[size_t(it - names_.begin()) + 1];
}

std::optional<std::string> ViewStore::Get(const std::string& family, const std::string& key) const {
  std::string v;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(family), key, &v);
  if (!s.ok()) return std::nullopt;
  return v;
}

void ViewStore::Scan(const std::string& family, const std::string& prefix,
                     const std::function<bool(const std::string&, const std::string&)>& fn,
                     const std::string& start_after) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Handle(family)));
  if (start_after.empty()) {
    it->Seek(prefix);
  } else {
    it->Seek(start_after);
    if (it->Valid() && it->key() == start_after) it->Next();
  }
  for (; it->Valid() && it->key().starts_with(prefix); it->Next())
    if (!fn(it->key().ToString(), it->value().ToString())) break;
}

std::string ViewStore::Digest(const std::string& family) const {
  std::string acc;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Handle(family)));
  std::string h = Sha256("");
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    // Length-prefixed so that no two different contents hash alike.
    acc = h + std::to_string(it->key().size()) + ":" + it->key().ToString() + std::to_string(it->value().size()) +
          ":" + it->value().ToString();
    h = Sha256(acc);
  }
  return ToHex(h);
}

namespace {
std::string Composite(const std::string& family, const std::string& key) { return family + '\x01' + key; }
}  // namespace

std::optional<std::string> Batch::Get(const std::string& family, const std::string& key) const {
  auto it = overlay_.find(Composite(family, key));
  if (it != overlay_.end()) return it->second.value;
  return store_.Get(family, key);
}

void Batch::Put(const std::string& family, const std::string& key, std::string value) {
  Entry& e = overlay_[Composite(family, key)];
  e.family = family;
  e.key = key;
  e.value = std::move(value);
}

void Batch::Delete(const std::string& family, const std::string& key) {
  Entry& e = overlay_[Composite(family, key)];
  e.family = family;
  e.key = key;
  e.value = std::nullopt;
}

int64_t DecodeCounter(const std::string& v) {
  uint64_t x = 0;
  for (size_t i = 0; i < 8 && i < v.size(); ++i) x |= uint64_t(uint8_t(v[i])) << (8 * i);
  return int64_t(x);
}

std::string EncodeCounter(int64_t v) {
  std::string s(8, '\0');
  for (size_t i = 0; i < 8; ++i) s[i] = char(uint64_t(v) >> (8 * i));
  return s;
}

void Batch::Add(const std::string& family, const std::string& key, int64_t delta) {
  Delta& d = deltas_[Composite(family, key)];
  d.family = family;
  d.key = key;
  d.sum += delta;
}

Status Batch::Commit(bool sync) {
  rocksdb::WriteBatch wb;
  for (const auto& [k, e] : overlay_) {
    if (e.value) wb.Put(store_.Handle(e.family), e.key, *e.value);
    else wb.Delete(store_.Handle(e.family), e.key);
  }
  for (const auto& [k, d] : deltas_)
    if (d.sum != 0) wb.Merge(store_.Handle(d.family), d.key, EncodeCounter(d.sum));
  rocksdb::WriteOptions w;
  w.sync = sync;
  w.disableWAL = !sync;
  const rocksdb::Status s = store_.db_->Write(w, &wb);
  if (!s.ok())
    return MakeError(ErrorKind::kUnavailable, "views.write", "view store write failed: " + s.ToString(),
                     "视图写入失败：" + s.ToString());
  overlay_.clear();
  deltas_.clear();
  return {};
}

}  // namespace aidtrail::projections
