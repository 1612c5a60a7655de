#include "ingest/personal_vault.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <rocksdb/db.h>
#include <sodium.h>

#include <cstring>
#include <filesystem>

namespace aidtrail::ingest {
namespace {

static_assert(crypto_secretbox_KEYBYTES == 32);
constexpr size_t kKeyBytes = crypto_secretbox_KEYBYTES;
constexpr size_t kNonceBytes = crypto_secretbox_NONCEBYTES;
constexpr size_t kMacBytes = crypto_secretbox_MACBYTES;

// A stored value: the 32-byte key, or this empty marker once erased. The
// marker stays so that an erased subject is never given a new key by a
// later command (which would quietly make the id usable again).
constexpr std::string_view kErasedMarker;

// Key bytes on the stack, wiped when they go out of scope.
struct KeyBytes {
  unsigned char bytes[kKeyBytes];
  ~KeyBytes() { sodium_memzero(bytes, sizeof bytes); }
};

Error StorageError(const rocksdb::Status& s, const std::string& what) {
  return MakeError(ErrorKind::kUnavailable, "vault.storage",
                   "key vault " + what + ": " + s.ToString(),
                   "个人信息密钥库存储故障（" + what + "），请联系系统管理员：" + s.ToString());
}

Error NoSubject() {
  return MakeError(ErrorKind::kInvalidArgument, "personal.no_subject",
                   "a person needs a subject id", "缺少当事人编号（subject_id）", "subject_id");
}

Error ErasedError(const std::string& subject) {
  return MakeError(ErrorKind::kNotFound, "personal.erased",
                   "the personal data of subject '" + subject +
                       "' has been erased and cannot be read or recorded again",
                   "当事人“" + subject +
                       "”的个人信息已按规定删除，无法查看，也不能再以该编号登记个人信息；如为新当事"
                       "人请使用新编号");
}

Error CorruptKey(const std::string& subject) {
  return MakeError(ErrorKind::kCorruption, "vault.corrupt",
                   "the stored key of subject '" + subject + "' is malformed",
                   "当事人“" + subject + "”的密钥记录已损坏，请联系系统管理员");
}

}  // namespace

PersonalVault::PersonalVault(std::unique_ptr<rocksdb::DB> db, PersonalVaultOptions options)
    : db_(std::move(db)), options_(std::move(options)) {}

PersonalVault::~PersonalVault() = default;

Result<std::unique_ptr<PersonalVault>> PersonalVault::Open(const PersonalVaultOptions& options) {
  if (sodium_init() < 0)
    return MakeError(ErrorKind::kUnavailable, "vault.crypto", "libsodium could not be initialised",
                     "加密组件初始化失败，请联系系统管理员");
  if (options.dir.empty())
    return MakeError(ErrorKind::kInvalidArgument, "vault.dir", "the key vault needs a directory",
                     "未指定个人信息密钥库目录");
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec)
    return MakeError(ErrorKind::kUnavailable, "vault.dir",
                     "cannot create " + options.dir + ": " + ec.message(),
                     "无法创建密钥库目录 " + options.dir + "：" + ec.message());
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(db_options, options.dir, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
      return MakeError(
          ErrorKind::kUnavailable, "vault.locked",
          "the key vault " + options.dir + " is in use by another process (" + s.ToString() + ")",
          "密钥库目录 " + options.dir + " 正被另一个 aidtrail 进程使用，请先停止该进程");
    return StorageError(s, "open " + options.dir);
  }
  return std::unique_ptr<PersonalVault>(
      new PersonalVault(std::unique_ptr<rocksdb::DB>(raw), options));
}

Result<std::string> PersonalVault::Seal(const std::string& subject, const v1::PersonalData& data) {
  if (subject.empty()) return NoSubject();
  KeyBytes key;
  {
    std::lock_guard lock(write_mu_);
    std::string stored;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), subject, &stored);
    if (s.ok()) {
      if (stored == kErasedMarker) return ErasedError(subject);
      if (stored.size() != kKeyBytes) return CorruptKey(subject);
      std::memcpy(key.bytes, stored.data(), kKeyBytes);
      sodium_memzero(stored.data(), stored.size());
    } else if (s.IsNotFound()) {
      crypto_secretbox_keygen(key.bytes);
      rocksdb::WriteOptions w;
      w.sync = options_.sync;
      const rocksdb::Status p =
          db_->Put(w, subject, rocksdb::Slice(reinterpret_cast<const char*>(key.bytes), kKeyBytes));
      if (!p.ok()) return StorageError(p, "store a new key");
    } else {
      return StorageError(s, "read a key");
    }
  }
  std::string plain;
  google::protobuf::io::StringOutputStream out(&plain);
  {
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    data.SerializeToCodedStream(&coded);
  }
  std::string sealed(kNonceBytes + kMacBytes + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(nonce, kNonceBytes);
  crypto_secretbox_easy(nonce + kNonceBytes, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce, key.bytes);
  sodium_memzero(plain.data(), plain.size());
  return sealed;
}

Result<v1::PersonalData> PersonalVault::Open(const std::string& subject,
                                             std::string_view sealed) const {
  if (subject.empty()) return NoSubject();
  KeyBytes key;
  {
    std::string stored;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), subject, &stored);
    if (s.IsNotFound())
      return MakeError(ErrorKind::kNotFound, "personal.no_key",
                       "this vault holds no key for subject '" + subject + "'",
                       "密钥库中没有当事人“" + subject +
                           "”的密钥，无法查看其个人信息；请确认使用的是本系统的密钥库");
    if (!s.ok()) return StorageError(s, "read a key");
    if (stored == kErasedMarker) return ErasedError(subject);
    if (stored.size() != kKeyBytes) return CorruptKey(subject);
    std::memcpy(key.bytes, stored.data(), kKeyBytes);
    sodium_memzero(stored.data(), stored.size());
  }
  const Error corrupt =
      MakeError(ErrorKind::kCorruption, "personal.corrupt",
                "the sealed personal data of subject '" + subject +
                    "' fails authentication (altered or not theirs)",
                "当事人“" + subject +
                    "”的加密个人信息校验失败（可能被篡改或与当事人不符），请联系系统管理员核查");
  if (sealed.size() < kNonceBytes + kMacBytes) return corrupt;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string plain(sealed.size() - kNonceBytes - kMacBytes, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 nonce + kNonceBytes, sealed.size() - kNonceBytes, nonce,
                                 key.bytes) != 0)
    return corrupt;
  v1::PersonalData data;
  const bool parsed = data.ParseFromString(plain);
  sodium_memzero(plain.data(), plain.size());
  if (!parsed) return corrupt;
  return data;
}

Status PersonalVault::Erase(const std::string& subject) {
  if (subject.empty()) return NoSubject();
  std::lock_guard lock(write_mu_);
  rocksdb::WriteOptions w;
  w.sync = options_.sync;
  if (rocksdb::Status s = db_->Put(w, subject, rocksdb::Slice(kErasedMarker.data(), 0)); !s.ok())
    return StorageError(s, "erase a key");
  // Overwriting leaves the old key in the memtable, the WAL and older table
  // files until they are rewritten. Flushing retires the WAL and compacting
  // the key's range drops the old version, so the key is gone from disk, not
  // just hidden.
  if (rocksdb::Status s = db_->Flush(rocksdb::FlushOptions()); !s.ok())
    return StorageError(s, "flush an erasure");
  rocksdb::CompactRangeOptions c;
  c.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  const rocksdb::Slice k(subject);
  if (rocksdb::Status s = db_->CompactRange(c, &k, &k); !s.ok())
    return StorageError(s, "compact an erasure");
  return {};
}

Result<bool> PersonalVault::Erased(const std::string& subject) const {
  std::string stored;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), subject, &stored);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return StorageError(s, "read a key");
  return stored == kErasedMarker;
}

PersonalSealer PersonalVault::Sealer() {
  return [this](const std::string& subject, const v1::PersonalData& data) {
    return Seal(subject, data);
  };
}

}  // namespace aidtrail::ingest
