// Bearer tokens. The configuration holds only each token's SHA-256 with
// its grant (role, actor id, agency, expiry); a request's token is hashed
// and looked up, so the server never stores a usable token.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "aidtrail/api/server.pb.h"
#include "events/core/civil_date.h"
#include "events/core/result.h"

namespace aidtrail::api {

// Who is calling: recorded as the actor of every command they issue.
struct Principal {
  std::string actor_id;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::string agency;
};

// Lowercase hex SHA-256 of `token`.
std::string TokenHash(std::string_view token);
// A new random token (256 bits, URL-safe).
std::string NewToken();

class TokenTable {
 public:
  // Refuses malformed grants (bad hash, no role, no actor id, duplicates).
  static Result<TokenTable> Build(const google::protobuf::RepeatedPtrField<TokenGrant>& grants);

  // `authorization` is the request's Authorization header. Errors are
  // kUnauthenticated: missing, not a bearer token, unknown, expired.
  [[nodiscard]] Result<Principal> Authenticate(std::string_view authorization, Instant now) const;
  [[nodiscard]] size_t size() const { return by_hash_.size(); }

 private:
  std::map<std::string, TokenGrant, std::less<>> by_hash_;
};

}  // namespace aidtrail::api
