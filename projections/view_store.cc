#include "projections/view_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>

#include "events/core/hash_chain.h"

namespace aidtrail::projections {

Result<std::unique_ptr<ViewStore>> ViewStore::Open(const std::string& dir, const std::vector<std::string>& families) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> descs = {{rocksdb::kDefaultColumnFamilyName, {}}};
  for (const auto& f : families) descs.push_back({f, {}});
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

std::optional<std::string> Batch::Get(const std::string& family, const std::string& key) const {
  auto it = overlay_.find({family, key});
  if (it != overlay_.end()) return it->second;
  return store_.Get(family, key);
}

void Batch::Put(const std::string& family, const std::string& key, std::string value) {
  overlay_[{family, key}] = std::move(value);
}

void Batch::Delete(const std::string& family, const std::string& key) { overlay_[{family, key}] = std::nullopt; }

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
  const auto cur = Get(family, key);
  Put(family, key, EncodeCounter((cur ? DecodeCounter(*cur) : 0) + delta));
}

Status Batch::Commit(bool sync) {
  rocksdb::WriteBatch wb;
  for (const auto& [k, v] : overlay_) {
    if (v) wb.Put(store_.Handle(k.first), k.second, *v);
    else wb.Delete(store_.Handle(k.first), k.second);
  }
  rocksdb::WriteOptions w;
  w.sync = sync;
  const rocksdb::Status s = store_.db_->Write(w, &wb);
  if (!s.ok())
    return MakeError(ErrorKind::kUnavailable, "views.write", "view store write failed: " + s.ToString(),
                     "视图写入失败：" + s.ToString());
  overlay_.clear();
  return {};
}

}  // namespace aidtrail::projections
