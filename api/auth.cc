#include "api/auth.h"

#include <google/protobuf/util/time_util.h>
#include <openssl/rand.h>

#include "events/core/hash_chain.h"

namespace aidtrail::api {
namespace {

Error Unauthenticated(const std::string& code, const std::string& en, const std::string& zh) {
  return MakeError(ErrorKind::kUnauthenticated, code, en, zh, "Authorization");
}

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string TokenHash(std::string_view token) { return ToHex(Sha256(token)); }

std::string NewToken() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof bytes);
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "at_";
  for (unsigned char b : bytes) out += kAlphabet[b & 63];
  return out;
}

Result<TokenTable> TokenTable::Build(const google::protobuf::RepeatedPtrField<TokenGrant>& grants) {
  TokenTable t;
  for (int i = 0; i < grants.size(); ++i) {
    const auto& g = grants[i];
    const std::string field = "tokens[" + std::to_string(i) + "]";
    if (!IsHex64(g.sha256()))
      return MakeError(ErrorKind::kInvalidArgument, "config.token_hash",
                       field + ".sha256 must be 64 lowercase hex digits (the SHA-256 of the token)",
                       field + ".sha256 须为令牌的 SHA-256（64 位小写十六进制）",
                       field + ".sha256");
    if (g.role() == v1::ROLE_UNSPECIFIED || g.role() == v1::ROLE_SYSTEM)
      return MakeError(ErrorKind::kInvalidArgument, "config.token_role",
                       field + ".role must name a staff or partner role",
                       field + ".role 须为工作人员或通知机关角色", field + ".role");
    if (g.role() == v1::ROLE_JUDICIAL_BUREAU && g.agency().empty())
      return MakeError(ErrorKind::kInvalidArgument, "config.token_agency",
                       field +
                           ".agency is required for a judicial bureau (objections are decided "
                           "in its name)",
                       field + ".agency 不能为空（司法局以本机关名义处理异议）", field + ".agency");
    if (g.actor_id().empty())
      return MakeError(ErrorKind::kInvalidArgument, "config.token_actor",
                       field + ".actor_id is required",
                       field + ".actor_id 不能为空（命令将以此身份记录）", field + ".actor_id");
    if (!t.by_hash_.emplace(g.sha256(), g).second)
      return MakeError(ErrorKind::kInvalidArgument, "config.token_duplicate",
                       field + " repeats an earlier token", field + " 与前面的令牌重复",
                       field + ".sha256");
  }
  return t;
}

Result<Principal> TokenTable::Authenticate(std::string_view authorization, Instant now) const {
  if (authorization.empty())
    return Unauthenticated("auth.missing_token",
                           "this route needs a bearer token (Authorization: Bearer <token>)",
                           "此接口需要令牌，请在请求头中提供 Authorization: Bearer <令牌>");
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.substr(0, kBearer.size()) != kBearer)
    return Unauthenticated("auth.not_bearer", "the Authorization header must be 'Bearer <token>'",
                           "Authorization 请求头格式应为 “Bearer <令牌>”");
  const auto it = by_hash_.find(TokenHash(authorization.substr(kBearer.size())));
  if (it == by_hash_.end())
    return Unauthenticated("auth.invalid_token", "the token is not valid",
                           "令牌无效，请向系统管理员申请有效令牌");
  const TokenGrant& g = it->second;
  if (g.has_expires_at() &&
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(g.expires_at()) <= now.micros)
    return Unauthenticated("auth.expired_token", "the token has expired",
                           "令牌已过期，请向系统管理员申请新令牌");
  return Principal{g.actor_id(), g.role(), g.agency()};
}

}  // namespace aidtrail::api
