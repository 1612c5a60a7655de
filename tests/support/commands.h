// Test helpers that build valid commands and commits without a pipeline.
#pragma once

#include <string>

#include "aidtrail/v1/commands.pb.h"
#include "aidtrail/v1/envelope.pb.h"

namespace aidtrail::testing {

// An intake clerk's application for a civil case on stream "case/<id>".
v1::Command SubmitApplication(const std::string& case_id, const std::string& command_id);
// A complaint on an existing case: any number may be filed, so it makes
// streams of any length.
v1::Command FileComplaint(const std::string& case_id, const std::string& command_id);
// A walk-in consultation on its own stream "service/<id>".
v1::Command RecordConsultation(const std::string& service_id, const std::string& command_id);

// A commit of `events` consultation-like events on `stream`, sealed into the
// chain after (version, prev_hash); for tests of the log below the pipeline.
v1::CommitRecord SealedCommit(const std::string& commit_id, const std::string& stream, uint64_t version,
                              const std::string& prev_hash, int events = 1);

}  // namespace aidtrail::testing
