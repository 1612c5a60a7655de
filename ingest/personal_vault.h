// The subject-key vault: one random 32-byte key per subject id, kept in a
// RocksDB database of its own (e.g. <data>/keys), apart from the log.
// Personal data is sealed with its subject's key before it enters the log;
// erasing the key makes that person unreadable in every copy of the
// immutable log and its backups (crypto-shredding), while every other fact
// of the case stays verifiable.
//
// Sealed format: a random 24-byte nonce followed by
// crypto_secretbox_easy(PersonalData serialized, nonce, key) (XSalsa20 +
// Poly1305), so tampering is detected on opening.
//
// Thread safety: every method may be called from any thread. Keys are
// created and erased under one lock, so two threads sealing for a new
// subject at once agree on its key.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "aidtrail/v1/common.pb.h"
#include "events/core/result.h"
#include "ingest/personal_seal.h"

namespace rocksdb {
class DB;
}

namespace aidtrail::ingest {

struct PersonalVaultOptions {
  // The vault's own directory; created if missing. Required.
  std::string dir;
  // Sync each new key and each erasure to disk before returning. Default on:
  // data sealed with a key that is then lost in a crash is lost with it.
  // Tests and throwaway demo runs may turn it off.
  bool sync = true;
};

class PersonalVault {
 public:
  // Opens (or creates) the vault. One process per directory (RocksDB's lock).
  static Result<std::unique_ptr<PersonalVault>> Open(const PersonalVaultOptions& options);
  ~PersonalVault();
  PersonalVault(const PersonalVault&) = delete;
  PersonalVault& operator=(const PersonalVault&) = delete;

  // Seals `data` with the subject's key, creating the key on first use.
  // Errors: personal.erased (the subject was erased: a new person needs a
  // new subject id), personal.no_subject (empty id), vault.storage.
  [[nodiscard]] Result<std::string> Seal(const std::string& subject_id,
                                         const v1::PersonalData& data);

  // Opens what Seal produced. Errors: personal.erased (the key was
  // destroyed), personal.no_key (this vault never held a key for the
  // subject), personal.corrupt (authentication failed: the bytes were
  // altered or sealed for someone else), vault.storage.
  [[nodiscard]] Result<v1::PersonalData> Open(const std::string& subject_id,
                                              std::string_view sealed) const;

  // Destroys the subject's key and remembers that it was erased, so the
  // subject can never be sealed for again. Idempotent. The old key is
  // compacted out of the vault's files before this returns; copies of the
  // vault itself (backups) must expire on their own schedule.
  [[nodiscard]] Status Erase(const std::string& subject_id);

  // Whether the subject's key was erased.
  [[nodiscard]] Result<bool> Erased(const std::string& subject_id) const;

  // A PersonalSealer for the pipeline (PipelineOptions::seal_personal).
  // REQUIRES: the vault outlives every use of the sealer.
  [[nodiscard]] PersonalSealer Sealer();

 private:
  PersonalVault(std::unique_ptr<rocksdb::DB> db, PersonalVaultOptions options);

  std::unique_ptr<rocksdb::DB> db_;
  const PersonalVaultOptions options_;
  std::mutex write_mu_;  // serialises key creation and erasure
};

}  // namespace aidtrail::ingest
