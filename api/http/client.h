// A minimal synchronous HTTP/1.1 GET for the aidtrail tool's own checks
// against a server (`aidtrail check-proofs`): one request per connection.
#pragma once

#include <string>

#include "events/core/result.h"

namespace aidtrail::api::http {

struct ClientResponse {
  int status = 0;
  std::string body;
};

// `url` is http://HOST:PORT/PATH?QUERY; `bearer` may be empty.
Result<ClientResponse> Get(const std::string& url, const std::string& bearer);

}  // namespace aidtrail::api::http
