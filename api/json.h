// Bodies in the protobuf canonical JSON mapping, and the error body every
// refusal carries: {code, message, message_zh, field}.
#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "api/http/server.h"
#include "events/core/result.h"

namespace aidtrail::api {

// Parses a request body strictly: unknown fields and wrong types are errors
// a clerk can act on (kInvalidArgument, the field named where known).
Status ParseJson(const std::string& body, google::protobuf::Message& out);
std::string ToJson(const google::protobuf::Message& message);

// The HTTP status an error kind maps to.
boost::beast::http::status StatusOf(ErrorKind kind);

http::Response JsonResponse(boost::beast::http::status status,
                            const google::protobuf::Message& body);
http::Response ErrorResponse(const Error& error);
http::Response ErrorResponse(boost::beast::http::status status, const Error& error);

}  // namespace aidtrail::api
