// Proto3 canonical JSON of a message, as google::protobuf::util's printer
// writes it with always_print_primitive_fields (byte for byte: checked
// against it in tests/json_print_test.cc), but by walking the message with
// reflection instead of serializing it to binary and converting that back
// through a type resolver — which took half of every large read's time.
//
// Covers what our schemas use: scalars, enums, strings, bytes, nested and
// repeated messages, maps, oneofs and google.protobuf.Timestamp. Any other
// well-known type makes PrintJson return false (the caller falls back).
//
// Thread safety: pure; any thread.
#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace aidtrail::api {

// Appends `message` to `out`; `proto_names` prints field names as declared
// (snake_case) instead of lowerCamelCase. False, with `out` unspecified,
// for a type it does not cover.
bool PrintJson(const google::protobuf::Message& message, bool proto_names, std::string& out);

}  // namespace aidtrail::api
