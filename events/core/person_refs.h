// Finds every PersonRef inside a message (a command, an event payload) by
// protobuf reflection, so that sealing and erasure cover each new event or
// command that names a person without a list to keep up to date.
#pragma once

#include <google/protobuf/message.h>

#include <functional>

#include "aidtrail/v1/common.pb.h"

namespace aidtrail {

// Calls `visit` for each PersonRef set anywhere in `message` (nested
// messages, repeated fields and maps included), in field-number order.
// `message` itself may be a PersonRef.
void ForEachPersonRef(google::protobuf::Message& message,
                      const std::function<void(v1::PersonRef&)>& visit);

}  // namespace aidtrail
