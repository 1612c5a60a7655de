// Commits as a writer makes them: events built from a decision's payloads
// with domain::ToEvents and sealed into each stream's hash chain, so that
// CommitValidator accepts them in the order they were made.
#pragma once

#include <map>
#include <string>

#include "aidtrail/v1/envelope.pb.h"
#include "events/store/commit_validator.h"

namespace aidtrail::testing {

// Thread safety: none; give each writer thread its own maker (and streams).
class CommitMaker {
 public:
  // `run` makes commit ids unique across makers and test runs.
  explicit CommitMaker(std::string run);

  // The next commit of `stream_id`, with `events` events and a payload of
  // about `padding` extra bytes.
  v1::CommitRecord Next(const std::string& stream_id, int events = 1, size_t padding = 0);

 private:
  std::string run_;
  uint64_t seq_ = 0;
  std::map<std::string, store::StreamHead> heads_;
};

}  // namespace aidtrail::testing
