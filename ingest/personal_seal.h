// The writer's sealing step: a command's clear personal data (the
// Command.personal map) goes into the sealed_personal of each PersonRef with
// that subject id, and the map is cleared, before the command is decided.
// Clear data thus reaches the writer and no further: not the decision, not
// the log.
#pragma once

#include <functional>
#include <string>

#include "aidtrail/v1/commands.pb.h"
#include "events/core/result.h"

namespace aidtrail::ingest {

// Seals one person's data with that subject's key (PersonalVault::Seal).
using PersonalSealer =
    std::function<Result<std::string>(const std::string& subject_id, const v1::PersonalData& data)>;

// Seals every entry of `command.personal` into each PersonRef of the command
// whose subject_id is its key, then clears the map. Fails with
// command.personal_unmatched when an entry names no PersonRef of the
// command, command.personal_unsealed when `seal` is empty, or the sealer's
// error; on failure the command is left as it was.
Status SealPersonal(v1::Command& command, const PersonalSealer& seal);

}  // namespace aidtrail::ingest
