// Identifiers are not text. Every id that becomes part of a key, a stream
// name or a URL path is held to a strict grammar before any rule reads the
// command, so nothing path-like, control characters or unbounded strings
// can enter the permanent log. Records already in the log are never
// re-checked: the grammar guards entry, not replay.
//
//   key        [A-Za-z0-9][A-Za-z0-9._-]{0,63}
//              (case, lawyer, firm, service keys; ids of hearings, reviews,
//              subsidies, subjects, actors, stations …)
//   stream id  "policy" | <kind> "/" key, kind one of case, lawyer, firm,
//              service, budget, access
//   command id 1–128 printable ASCII characters, no space (clients build
//              them from stream ids and counters: "case/A#3", "import:A:x")
//
// Stateless; safe to call from any thread.
#pragma once

#include <string_view>

#include "aidtrail/v1/commands.pb.h"
#include "events/core/result.h"

namespace aidtrail::domain {

inline constexpr size_t kMaxKeyLength = 64;
inline constexpr size_t kMaxCommandIdLength = 128;

[[nodiscard]] bool IsKey(std::string_view s);
[[nodiscard]] bool IsStreamId(std::string_view s);
[[nodiscard]] bool IsCommandId(std::string_view s);

// Checks the command's stream id, command and correlation ids, and every
// id inside it (actor, persons, lawyers, firms, hearings, subsidies,
// stations …), naming the first field that breaks the grammar.
Status CheckIdentifiers(const v1::Command& command);

// The same grammar for the id an import batch or a command is recorded
// under in the writer's store.
Status CheckCommandId(std::string_view id, std::string_view field);

}  // namespace aidtrail::domain
