#include "api/json.h"

#include <google/protobuf/util/json_util.h>

#include "aidtrail/api/server.pb.h"
#include "api/json_print.h"

namespace aidtrail::api {

namespace bhttp = boost::beast::http;

namespace {

// The field a parser message names, as a path of proto field names:
// "(a.b) c: ..." -> "a.b.c", "c: ..." -> "c", "(a.b): ..." -> "a.b"; empty
// when it names none.
std::string FieldOf(const std::string& why) {
  std::string path;
  size_t at = 0;
  if (!why.empty() && why[0] == '(') {
    const size_t close = why.find(')');
    if (close == std::string::npos) return {};
    path = why.substr(1, close - 1);
    at = close + 1;
    if (at < why.size() && why[at] == ' ') ++at;
  }
  const size_t colon = why.find(':', at);
  if (colon == std::string::npos) return path;
  std::string name = why.substr(at, colon - at);
  if (name.find_first_of(" ,()\n") != std::string::npos) name.clear();  // prose, not a name
  if (path.empty()) return name;
  return name.empty() ? path : path + "." + name;
}

}  // namespace

Status ParseJson(const std::string& body, google::protobuf::Message& out) {
  if (body.empty())
    return MakeError(ErrorKind::kInvalidArgument, "request.empty_body",
                     "the request needs a JSON body", "请求体为空，应为 JSON 对象");
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(body, &out, options);
  if (status.ok()) return Status::Ok();
  const std::string why(status.message());
  // The parser names the field in its message: "Cannot find field: x", or
  // (protobuf 3.21) "x: Cannot find field." and "(a.b) x: Cannot find field.".
  constexpr std::string_view kUnknown = "Cannot find field: ";
  if (why.find("Cannot find field") != std::string::npos) {
    std::string field;
    if (const auto at = why.find(kUnknown); at != std::string::npos) {
      field = why.substr(at + kUnknown.size());
      if (const auto end = field.find_first_of(" ,."); end != std::string::npos) field.resize(end);
    } else {
      field = FieldOf(why);
    }
    return MakeError(ErrorKind::kInvalidArgument, "request.unknown_field",
                     "unknown field '" + field + "'",
                     "请求中有未知字段 “" + field + "”，请检查拼写（字段名区分大小写）", field);
  }
  if (why.find("Unexpected token") != std::string::npos ||
      why.find("Unexpected end") != std::string::npos || why.find("Expected") == 0)
    return MakeError(ErrorKind::kInvalidArgument, "request.malformed_json",
                     "the body is not valid JSON: " + why, "请求体不是有效的 JSON：" + why);
  return MakeError(ErrorKind::kInvalidArgument, "request.invalid_value",
                   "a value has the wrong type or form: " + why,
                   "请求中有字段的类型或格式不正确：" + why, FieldOf(why));
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string out;
  if (PrintJson(message, false, out)) return out;
  out.clear();
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

bhttp::status StatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return bhttp::status::bad_request;
    case ErrorKind::kUnauthenticated:
      return bhttp::status::unauthorized;
    case ErrorKind::kForbidden:
      return bhttp::status::forbidden;
    case ErrorKind::kNotFound:
      return bhttp::status::not_found;
    case ErrorKind::kConflict:
      return bhttp::status::conflict;
    case ErrorKind::kRuleViolation:
      return bhttp::status::unprocessable_entity;
    case ErrorKind::kCorruption:
      return bhttp::status::internal_server_error;
    case ErrorKind::kUnavailable:
      return bhttp::status::service_unavailable;
  }
  return bhttp::status::internal_server_error;
}

http::Response JsonResponse(bhttp::status status, const google::protobuf::Message& body) {
  http::Response res{status, 11};
  res.set(bhttp::field::content_type, "application/json; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = ToJson(body);
  return res;
}

http::Response ErrorResponse(bhttp::status status, const Error& error) {
  ErrorBody body;
  body.set_code(error.code);
  body.set_message(error.message);
  body.set_message_zh(error.message_zh);
  body.set_field(error.field);
  // The error body keeps its field names as written ({code, message,
  // message_zh, field}), the one shape every client and script can rely on.
  auto res = JsonResponse(status, body);
  res.body().clear();
  if (!PrintJson(body, true, res.body())) {
    res.body().clear();
    google::protobuf::util::JsonPrintOptions options;
    options.always_print_primitive_fields = true;
    options.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(body, &res.body(), options);
  }
  if (status == bhttp::status::unauthorized)
    res.set(bhttp::field::www_authenticate, "Bearer realm=\"aidtrail\"");
  if (status == bhttp::status::service_unavailable) res.set(bhttp::field::retry_after, "5");
  return res;
}

http::Response ErrorResponse(const Error& error) {
  return ErrorResponse(StatusOf(error.kind), error);
}

}  // namespace aidtrail::api
