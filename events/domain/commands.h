// The command catalogue: for every command, its stream kind, Chinese label
// and the roles allowed to issue it. One table, so the API's route
// permissions and the deciders' checks can never disagree.
#pragma once

#include <initializer_list>
#include <span>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "events/core/result.h"
#include "events/domain/streams.h"

namespace aidtrail::domain {

struct CommandSpec {
  v1::Command::KindCase kind;
  StreamKind stream;
  const char* label_zh;
  std::vector<v1::Role> roles;
};

// Every command kind, in field-number order.
std::span<const CommandSpec> AllCommands();
// nullptr for KIND_NOT_SET.
const CommandSpec* FindCommand(v1::Command::KindCase kind);

// Checks the envelope (ids, time, actor), the stream kind, every identifier
// (identifiers.h) and the role.
Status Authorize(const v1::Command& command);

const char* RoleLabelZh(v1::Role role);

}  // namespace aidtrail::domain
