// A staff read of personal data: recorded first, then opened. The one home
// of the rule "every read is recorded on access/<case id> before anything
// is shown; if it cannot be recorded nothing is shown", shared by the
// personal-data route and the documents that name a person.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "aidtrail/api/server.pb.h"
#include "api/app.h"

namespace aidtrail::api {

struct SealedPerson {
  std::string subject_id;
  std::string source;  // the event that named them, e.g. "application_received"
  std::string sealed;  // the latest sealing seen; empty if none was recorded
};

// Every person named on a case's timeline, in order of first mention.
std::vector<SealedPerson> PeopleOf(std::vector<v1::Event> timeline);

// Roles that need no clear data (auditor, admin) see masked values; their
// reads are recorded as masked reads.
bool SeesMasked(v1::Role role);

struct OpenedRead {
  uint64_t access_version = 0;  // the version of the record of this read
  bool masked = false;
  std::vector<Person> people;  // in the order given, each opened or `unavailable`
};

// Records the read of `fields` of `people` of `case_stream` by ctx's
// principal, one access event per person in one commit, then opens them
// and calls `done` — or calls it with the error that kept the read from
// being recorded (a read replica cannot record). Does not block: `done`
// runs on the pipeline's completion thread. REQUIRES: people non-empty.
void RecordAndOpen(App& app, const Context& ctx, const std::string& case_stream,
                   std::vector<SealedPerson> people, std::vector<std::string> fields,
                   const std::string& purpose, std::function<void(Result<OpenedRead>)> done);

}  // namespace aidtrail::api
