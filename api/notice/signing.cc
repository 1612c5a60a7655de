#include "api/notice/signing.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "events/core/hash_chain.h"

namespace aidtrail::api::notice {
namespace {

Result<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    return MakeError(ErrorKind::kNotFound, "notice.key.read", "cannot read " + p.string(),
                     "无法读取密钥文件 " + p.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Error BadKey(const std::string& path) {
  return MakeError(ErrorKind::kCorruption, "notice.key.format", path + " is not a key in hex",
                   "密钥文件格式错误：" + path);
}

Status WriteFile(const std::filesystem::path& p, const std::string& text, mode_t mode) {
  const std::string tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      return MakeError(ErrorKind::kUnavailable, "notice.key.write", "cannot write " + tmp,
                       "无法写入密钥文件 " + tmp);
    ::chmod(tmp.c_str(), mode);  // before any secret byte is written
    out << text << "\n";
    if (!out.flush())
      return MakeError(ErrorKind::kUnavailable, "notice.key.write", "cannot write " + tmp,
                       "无法写入密钥文件 " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, p, ec);
  if (ec)
    return MakeError(ErrorKind::kUnavailable, "notice.key.write", "cannot write " + p.string(),
                     "无法写入密钥文件 " + p.string());
  return Status::Ok();
}

}  // namespace

Result<OperatorKey> LoadOrCreateOperatorKey(const std::string& data_dir) {
  if (sodium_init() < 0)
    return MakeError(ErrorKind::kUnavailable, "notice.sodium", "libsodium failed to initialise",
                     "签名库初始化失败");
  const std::filesystem::path dir(data_dir), secret = dir / "operator.key",
                                             pub = dir / "operator.pub";
  OperatorKey k;
  if (std::filesystem::exists(secret)) {
    auto text = ReadFile(secret);
    if (!text.ok()) return text.error();
    auto sk = FromHex(*text);
    if (!sk || sk->size() != crypto_sign_SECRETKEYBYTES) return BadKey(secret.string());
    k.secret_key = *sk;
    k.public_key.resize(crypto_sign_PUBLICKEYBYTES);
    crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(k.public_key.data()),
                                 reinterpret_cast<const unsigned char*>(k.secret_key.data()));
    if (!std::filesystem::exists(pub))
      if (Status s = WriteFile(pub, ToHex(k.public_key), 0644); !s) return s.error();
    return k;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  k.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  k.secret_key.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(k.public_key.data()),
                      reinterpret_cast<unsigned char*>(k.secret_key.data()));
  if (Status s = WriteFile(secret, ToHex(k.secret_key), 0600); !s) return s.error();
  if (Status s = WriteFile(pub, ToHex(k.public_key), 0644); !s) return s.error();
  return k;
}

Result<std::string> ReadPublicKey(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.error();
  auto pk = FromHex(*text);
  if (!pk || pk->size() != crypto_sign_PUBLICKEYBYTES) return BadKey(path);
  return *pk;
}

std::string KeyId(const std::string& public_key) { return ToHex(Sha256(public_key)).substr(0, 16); }

std::string SignedStatement(const v1::PublicNotice& n) {
  std::string s = "aidtrail-notice-v1\n";
  s += "period " + std::to_string(n.period().year()) + " " + std::to_string(n.period().quarter()) +
       "\n";
  for (const auto& p : n.checkpoint().partitions())
    s += "partition " + std::to_string(p.partition()) + " " + std::to_string(p.size()) + " " +
         p.root_hex() + "\n";
  s += "root " + n.checkpoint().root_hex() + "\n";
  s += "figures " + n.figures_digest_hex() + "\n";
  return s;
}

void Sign(v1::PublicNotice& n, const OperatorKey& key) {
  const std::string msg = SignedStatement(n);
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       reinterpret_cast<const unsigned char*>(key.secret_key.data()));
  n.set_signature_hex(ToHex(sig));
  n.set_public_key_hex(ToHex(key.public_key));
  n.set_key_id(KeyId(key.public_key));
}

Status VerifySignature(const v1::PublicNotice& n, const std::string& trusted) {
  if (sodium_init() < 0)
    return MakeError(ErrorKind::kUnavailable, "notice.sodium", "libsodium failed to initialise",
                     "签名库初始化失败");
  const auto named = FromHex(n.public_key_hex());
  if (!named || named->size() != crypto_sign_PUBLICKEYBYTES)
    return MakeError(ErrorKind::kCorruption, "notice.signature.key",
                     "the notice names no valid public key", "签名无效：公示未载明有效的公钥",
                     "public_key_hex");
  if (!trusted.empty() && trusted != *named)
    return MakeError(
        ErrorKind::kCorruption, "notice.signature.key",
        "signed with key " + KeyId(*named) + ", not the operator's key " + KeyId(trusted),
        "签名无效：签名公钥 " + KeyId(*named) + " 不是运营方公钥 " + KeyId(trusted),
        "public_key_hex");
  const std::string& pk = trusted.empty() ? *named : trusted;
  const auto sig = FromHex(n.signature_hex());
  const std::string msg = SignedStatement(n);
  if (!sig || sig->size() != crypto_sign_BYTES ||
      crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                  reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                  reinterpret_cast<const unsigned char*>(pk.data())) != 0)
    return MakeError(ErrorKind::kCorruption, "notice.signature.invalid",
                     "the signature does not match the checkpoint and figures digest",
                     "签名无效：签名与检查点及数据摘要不符", "signature_hex");
  return Status::Ok();
}

}  // namespace aidtrail::api::notice
