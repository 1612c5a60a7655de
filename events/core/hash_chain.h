// Tamper evidence per stream: each event carries the SHA-256 of its
// predecessor (prev_hash) and of itself (hash), so altering, removing or
// reordering any stored event breaks the chain at that point.
//
// Canonical encoding: the event with `hash` cleared, serialized by protobuf's
// deterministic serializer (fields in field-number order, map entries
// sorted, unknown fields kept as received). Parsing and re-serializing an
// event therefore never changes its hash; the golden vector in
// hash_chain_test.cc pins the encoding so that a library upgrade that changed
// it would be caught before it could break old chains.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "aidtrail/v1/envelope.pb.h"
#include "events/core/result.h"

namespace aidtrail {

// Raw 32-byte SHA-256 digest.
std::string Sha256(std::string_view bytes);
std::string ToHex(std::string_view bytes);
// The bytes a hex string spells (either case; whitespace ignored); nullopt
// if it is not hex or has an odd number of digits.
std::optional<std::string> FromHex(std::string_view hex);

// The bytes that are hashed for `event` (its `hash` field excluded).
std::string CanonicalBytes(const v1::Event& event);

// Sets event.prev_hash to `prev_hash` and event.hash to the digest of the
// canonical encoding.
void SealEvent(v1::Event& event, const std::string& prev_hash);

// Where a chain first fails to verify.
struct ChainBreak {
  std::string stream_id;
  uint64_t stream_version = 0;
  std::string reason;
};

// Checks one event against the hash of the stream's previous event (empty
// for the first) and the version that must come next.
std::optional<ChainBreak> CheckLink(const v1::Event& event, const std::string& prev_hash,
                                    uint64_t expected_version);

// Checks a whole stream in order, starting from version 1.
std::optional<ChainBreak> VerifyStream(std::span<const v1::Event> events);

}  // namespace aidtrail
