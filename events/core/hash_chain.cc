#include "events/core/hash_chain.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace aidtrail {

std::string Sha256(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1) {
    // Only fails if OpenSSL itself is broken; nothing sensible to continue with.
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::optional<std::string> FromHex(std::string_view hex) {
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    const int v = nibble(c);
    if (v < 0) return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high * 16 + v));
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return out;
}

std::string CanonicalBytes(const v1::Event& event) {
  v1::Event copy = event;
  copy.clear_hash();
  std::string out;
  {
    google::protobuf::io::StringOutputStream sink(&out);
    google::protobuf::io::CodedOutputStream coded(&sink);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  return out;
}

void SealEvent(v1::Event& event, const std::string& prev_hash) {
  event.set_prev_hash(prev_hash);
  event.set_hash(Sha256(CanonicalBytes(event)));
}

std::optional<ChainBreak> CheckLink(const v1::Event& event, const std::string& prev_hash,
                                    uint64_t expected_version) {
  auto fail = [&](std::string why) {
    return ChainBreak{event.stream_id(), event.stream_version(), std::move(why)};
  };
  if (event.stream_version() != expected_version) {
    return fail("version " + std::to_string(event.stream_version()) + " where " +
                std::to_string(expected_version) + " was expected");
  }
  if (event.prev_hash() != prev_hash) {
    return fail("prev_hash " + ToHex(event.prev_hash()) +
                " does not match the previous event's hash " + ToHex(prev_hash));
  }
  if (event.hash() != Sha256(CanonicalBytes(event))) {
    return fail("hash does not match the event's content");
  }
  return std::nullopt;
}

std::optional<ChainBreak> VerifyStream(std::span<const v1::Event> events) {
  std::string prev;
  uint64_t version = 1;
  for (const v1::Event& e : events) {
    if (auto br = CheckLink(e, prev, version)) return br;
    prev = e.hash();
    ++version;
  }
  return std::nullopt;
}

}  // namespace aidtrail
