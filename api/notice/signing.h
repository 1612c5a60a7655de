// The operator's Ed25519 key and the notice signature. The key lives at
// <data>/operator.key (hex of the libsodium secret key, mode 600, created
// on first use) with the public key beside it in <data>/operator.pub, which
// is what the operator publishes for readers to check notices against.
//
// The signature covers the signed statement: the period, every partition's
// tree size and root, the combined root and the figures digest — so a
// signed notice pins both the log it was computed from and its figures.
#pragma once

#include <string>

#include "aidtrail/v1/notice.pb.h"
#include "events/core/result.h"

namespace aidtrail::api::notice {

struct OperatorKey {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 64 bytes
};

// Loads <data>/operator.key, creating the key pair if there is none.
Result<OperatorKey> LoadOrCreateOperatorKey(const std::string& data_dir);
// Reads a public key file (64 hex digits, whitespace ignored).
Result<std::string> ReadPublicKey(const std::string& path);

// First 16 hex digits of SHA-256 of the public key.
std::string KeyId(const std::string& public_key);

// The exact bytes that are signed.
std::string SignedStatement(const v1::PublicNotice& notice);

// Sets signature_hex, public_key_hex and key_id.
void Sign(v1::PublicNotice& notice, const OperatorKey& key);

// Checks the signature against `trusted_public_key` (raw 32 bytes); when it
// is empty, against the key the notice names (which proves integrity, not
// who signed). Errors name what failed.
Status VerifySignature(const v1::PublicNotice& notice, const std::string& trusted_public_key);

}  // namespace aidtrail::api::notice
