#include "projections/view_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>

#include "events/core/hash_chain.h"

namespace aidtrail::projections {

namespace {

// Counters are updated with Merge, so adding to one never reads it first.
class Int64Add final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* out, rocksdb::Logger*) const override {
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
  // Index and filter blocks live in the cache too, so memory is bounded by
  // the cache however large the views grow (outside it they are held for
  // every table file: memory that grows with the history).
  t.cache_index_and_filter_blocks = true;
  t.cache_index_and_filter_blocks_with_high_priority = true;
  t.pin_l0_filter_and_index_blocks_in_cache = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

}  // namespace

struct ViewStore::Database {
  static uint64_t NextId() {
    static std::atomic<uint64_t> next{1};
    return next++;
  }
  const uint64_t id = NextId();
  std::unique_ptr<rocksdb::DB> db;
  std::atomic<int> next_tag{1};  // scratch families are named "<family>@<tag>"
  std::mutex journal_mu;
  std::deque<std::string> journal;  // the newest changed streams, oldest first
  uint64_t journal_end = 0;         // how many were ever noted
  ~Database() {
    if (db) db->Close().PermitUncheckedError();
  }
};

uint64_t ViewStore::background_errors() const {
  uint64_t n = 0;
  return db_ && db_->db && db_->db->GetIntProperty("rocksdb.background-errors", &n) ? n : 0;
}

struct ViewStore::Family {
  Family(std::shared_ptr<Database> d, rocksdb::ColumnFamilyHandle* h, bool r)
      : db(std::move(d)), handle(h), retired(r) {}
  ~Family() {
    // Dropping waits for the last reader: RocksDB keeps a dropped family's
    // files only while a handle to it lives, and the handle dies here.
    if (retired) db->db->DropColumnFamily(handle).PermitUncheckedError();
    db->db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  std::shared_ptr<Database> db;
  rocksdb::ColumnFamilyHandle* handle;
  std::atomic<bool> retired;
};

namespace {

constexpr char kChoicePrefix[] = "family/";  // default family: logical name -> physical name

std::string BaseName(const std::string& physical) { return physical.substr(0, physical.find('@')); }

int TagOf(const std::string& physical) {
  const size_t at = physical.find('@');
  return at == std::string::npos ? 0 : std::atoi(physical.c_str() + at + 1);
}

Error StoreError(const std::string& what, const std::string& dir, const rocksdb::Status& s) {
  return MakeError(ErrorKind::kUnavailable, "views.open", what + " " + dir + ": " + s.ToString(),
                   "无法打开视图存储 " + dir + "：" + s.ToString());
}

}  // namespace

Result<std::unique_ptr<ViewStore>> ViewStore::Open(const std::string& dir,
                                                   const std::vector<std::string>& families) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.db_write_buffer_size = 256 << 20;  // all memtables together
  // Views are derived data: instead of a WAL, every flush writes all column
  // families atomically, so after a crash the store holds exactly the state
  // of some earlier batch — views and positions together — and folding
  // resumes from there. The log, not this store, is what must be durable.
  options.atomic_flush = true;
  // RocksDB must be given every family the database has, including scratch
  // and replaced ones a crash left behind; those are dropped below.
  std::vector<std::string> existing;
  if (!rocksdb::DB::ListColumnFamilies(options, dir, &existing).ok())
    existing = {rocksdb::kDefaultColumnFamilyName};
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (const auto& f : existing) descs.push_back({f, FamilyOptions()});
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(options, dir, descs, &handles, &raw);
  if (!s.ok()) {
    const bool locked = s.IsIOError() && s.ToString().find("lock") != std::string::npos;
    return MakeError(ErrorKind::kUnavailable, locked ? "views.locked" : "views.open",
                     "cannot open the view store " + dir + ": " + s.ToString(),
                     locked ? "视图目录 " + dir + " 正被另一个进程使用"
                            : "无法打开视图存储 " + dir + "：" + s.ToString());
  }
  auto db = std::make_shared<Database>();
  db->db.reset(raw);
  std::map<std::string, std::shared_ptr<Family>> present;
  for (size_t i = 0; i < handles.size(); ++i) {
    present[existing[i]] = std::make_shared<Family>(db, handles[i], false);
    db->next_tag = std::max(db->next_tag.load(), TagOf(existing[i]) + 1);
  }
  std::unique_ptr<ViewStore> store(new ViewStore());
  store->db_ = db;
  store->default_ = present.at(rocksdb::kDefaultColumnFamilyName);
  present.erase(rocksdb::kDefaultColumnFamilyName);
  // Which physical family serves each name (absent: the name itself).
  std::map<std::string, std::string> chosen;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        raw->NewIterator(rocksdb::ReadOptions(), store->default_->handle));
    for (it->Seek(kChoicePrefix); it->Valid() && it->key().starts_with(kChoicePrefix); it->Next())
      chosen[it->key().ToString().substr(sizeof kChoicePrefix - 1)] = it->value().ToString();
  }
  auto physical = [&](const std::string& name) {
    auto it = chosen.find(name);
    return it == chosen.end() ? name : it->second;
  };
  store->names_ = families;
  for (const auto& name : families) {
    const std::string p = physical(name);
    if (auto it = present.find(p); it != present.end()) {
      store->families_.push_back(it->second);
      present.erase(it);
      continue;
    }
    rocksdb::ColumnFamilyHandle* h = nullptr;
    if (auto c = db->db->CreateColumnFamily(FamilyOptions(), p, &h); !c.ok())
      return StoreError("cannot create family " + p + " in", dir, c);
    store->families_.push_back(std::make_shared<Family>(db, h, false));
  }
  for (auto& [name, family] : present) {
    // Left behind by an interrupted or superseded rebuild: drop it now.
    if (name != physical(BaseName(name)))
      family->retired = true;
    else
      store->others_.push_back(family);
  }
  return store;
}

ViewStore::~ViewStore() = default;

uint64_t ViewStore::id() const { return db_->id; }

void ViewStore::NoteChanged(const std::vector<std::string>& streams) const {
  std::lock_guard lock(db_->journal_mu);
  for (const auto& s : streams) {
    db_->journal.push_back(s);
    ++db_->journal_end;
  }
  while (db_->journal.size() > kJournal) db_->journal.pop_front();
}

bool ViewStore::ChangedSince(uint64_t* seq, std::vector<std::string>* out) const {
  std::lock_guard lock(db_->journal_mu);
  const uint64_t first = db_->journal_end - db_->journal.size();
  const bool complete = *seq >= first || (*seq == 0 && db_->journal_end == 0);
  for (uint64_t i = std::max(*seq, first); i < db_->journal_end; ++i)
    out->push_back(db_->journal[size_t(i - first)]);
  *seq = db_->journal_end;
  return complete;
}

size_t ViewStore::IndexOf(const std::string& family) const {
  auto it = std::find(names_.begin(), names_.end(), family);
  // A family not declared by any view is a programming error.
  if (it == names_.end()) std::abort();
  return size_t(it - names_.begin());
}

rocksdb::ColumnFamilyHandle* ViewStore::Handle(const std::string& family) const {
  return families_[IndexOf(family)]->handle;
}

Result<std::unique_ptr<ViewStore>> ViewStore::Scratch(
    const std::vector<std::string>& families) const {
  const std::string tag = "@" + std::to_string(db_->next_tag++);
  std::unique_ptr<ViewStore> scratch(new ViewStore());
  scratch->db_ = db_;
  scratch->default_ = default_;
  scratch->names_ = families;
  for (const auto& name : families) {
    rocksdb::ColumnFamilyHandle* h = nullptr;
    if (auto s = db_->db->CreateColumnFamily(FamilyOptions(), name + tag, &h); !s.ok())
      return StoreError("cannot create family " + name + tag + " in", db_->db->GetName(), s);
    scratch->families_.push_back(std::make_shared<Family>(db_, h, true));
  }
  return scratch;
}

Result<std::unique_ptr<ViewStore>> ViewStore::Adopt(
    const ViewStore& scratch, const std::vector<std::string>& families) const {
  std::unique_ptr<ViewStore> next(new ViewStore());
  next->db_ = db_;
  next->default_ = default_;
  next->names_ = names_;
  next->families_ = families_;
  next->others_ = others_;
  rocksdb::WriteBatch choice, undo;
  for (const auto& name : families) {
    const auto& family = scratch.families_[scratch.IndexOf(name)];
    next->families_[IndexOf(name)] = family;
    choice.Put(default_->handle, kChoicePrefix + name, family->handle->GetName())
        .PermitUncheckedError();
    undo.Put(default_->handle, kChoicePrefix + name, Handle(name)->GetName())
        .PermitUncheckedError();
  }
  // Like every other write here the choice has no WAL; the flush below
  // makes it durable together with the adopted data and the positions it
  // matches, atomically.
  rocksdb::WriteOptions w;
  w.disableWAL = true;
  std::vector<rocksdb::ColumnFamilyHandle*> all = {default_->handle};
  for (const auto& f : next->families_) all.push_back(f->handle);
  for (const auto& f : next->others_) all.push_back(f->handle);
  rocksdb::Status s = db_->db->Write(w, &choice);
  if (s.ok()) s = db_->db->Flush(rocksdb::FlushOptions(), all);
  if (!s.ok()) {
    // Do not let a later flush persist a choice nobody adopted.
    db_->db->Write(w, &undo).PermitUncheckedError();
    return MakeError(ErrorKind::kUnavailable, "views.swap",
                     "cannot switch view families: " + s.ToString(),
                     "无法切换视图列族：" + s.ToString());
  }
  for (const auto& name : families) {
    families_[IndexOf(name)]->retired = true;
    next->families_[IndexOf(name)]->retired = false;
  }
  return next;
}

std::optional<std::string> ViewStore::Get(const std::string& family, const std::string& key) const {
  std::string v;
  const rocksdb::Status s = db_->db->Get(rocksdb::ReadOptions(), Handle(family), key, &v);
  if (!s.ok()) return std::nullopt;
  return v;
}

void ViewStore::Scan(const std::string& family, const std::string& prefix,
                     const std::function<bool(const std::string&, const std::string&)>& fn,
                     const std::string& start_after) const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db->NewIterator(rocksdb::ReadOptions(), Handle(family)));
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
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db->NewIterator(rocksdb::ReadOptions(), Handle(family)));
  std::string h = Sha256("");
  const std::string zero = EncodeCounter(0);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->value() == zero) continue;
    // Length-prefixed so that no two different contents hash alike.
    acc = h + std::to_string(it->key().size()) + ":" + it->key().ToString() +
          std::to_string(it->value().size()) + ":" + it->value().ToString();
    h = Sha256(acc);
  }
  return ToHex(h);
}

namespace {
std::string Composite(const std::string& family, const std::string& key) {
  return family + '\x01' + key;
}
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
  // Each family's memtable is a skip list that remembers where the last
  // insert landed: keys written in order find their place from there
  // instead of from the top, which made unordered batches spend most of a
  // rebuild searching the list.
  struct Op {
    rocksdb::ColumnFamilyHandle* handle;
    size_t family;
    const std::string* key;
    const std::optional<std::string>* value;  // nullptr: a counter delta
    int64_t delta;
  };
  std::vector<Op> ops;
  ops.reserve(overlay_.size() + deltas_.size());
  for (const auto& [k, e] : overlay_) {
    const size_t f = store_.IndexOf(e.family);
    ops.push_back({store_.families_[f]->handle, f, &e.key, &e.value, 0});
  }
  for (const auto& [k, d] : deltas_) {
    if (d.sum == 0) continue;
    const size_t f = store_.IndexOf(d.family);
    ops.push_back({store_.families_[f]->handle, f, &d.key, nullptr, d.sum});
  }
  // A key both put and added to keeps the order it always had: the put
  // first, then the delta merged onto it.
  std::sort(ops.begin(), ops.end(), [](const Op& a, const Op& b) {
    if (a.family != b.family) return a.family < b.family;
    if (const int c = a.key->compare(*b.key); c != 0) return c < 0;
    return a.value != nullptr && b.value == nullptr;
  });
  rocksdb::WriteBatch wb;
  for (const Op& op : ops) {
    if (op.value == nullptr)
      wb.Merge(op.handle, *op.key, EncodeCounter(op.delta));
    else if (*op.value)
      wb.Put(op.handle, *op.key, **op.value);
    else
      wb.Delete(op.handle, *op.key);
  }
  rocksdb::WriteOptions w;
  w.sync = sync;
  w.disableWAL = !sync;
  const rocksdb::Status s = store_.db_->db->Write(w, &wb);
  if (!s.ok())
    return MakeError(ErrorKind::kUnavailable, "views.write",
                     "view store write failed: " + s.ToString(), "视图写入失败：" + s.ToString());
  overlay_.clear();
  deltas_.clear();
  return {};
}

}  // namespace aidtrail::projections
