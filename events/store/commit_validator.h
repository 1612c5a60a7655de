// Validation in log order, the one rule every writer and reader applies:
// a commit is valid iff its commit_id has not been seen in a valid commit
// before, its expected_version equals its stream's version at that point of
// the log, and its events continue the stream's version sequence and hash
// chain. Anything else is void — for every reader alike, because all of them
// see the same log in the same order. Two writers racing on one stream can
// therefore never fork its history.
//
// Thread safety: none; one validator per reader.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "aidtrail/v1/envelope.pb.h"

namespace aidtrail::store {

enum class Verdict {
  kValid,
  kDuplicate,        // this commit_id was already applied
  kVersionConflict,  // expected_version is not the stream's version here
  kMalformed,        // events do not continue the versions or the hash chain
};
const char* VerdictName(Verdict v);

struct StreamHead {
  uint64_t version = 0;
  std::string hash;  // of the stream's last event; empty before the first
};

// The rule itself, for a commit whose stream is at `head` and whose id has
// (`seen`) or has not been applied before. CommitValidator keeps heads in
// memory; the projection engine keeps them in RocksDB.
Verdict Judge(const v1::CommitRecord& commit, const StreamHead& head, bool seen);

class CommitValidator {
 public:
  // Judges `commit` at this point of the log; a valid commit advances its
  // stream's head.
  Verdict Apply(const v1::CommitRecord& commit);

  // Judges without applying.
  [[nodiscard]] Verdict Check(const v1::CommitRecord& commit) const;

  [[nodiscard]] StreamHead Head(const std::string& stream_id) const;
  [[nodiscard]] bool Seen(const std::string& commit_id) const { return commits_.count(commit_id) > 0; }
  [[nodiscard]] size_t streams() const { return heads_.size(); }

 private:
  std::unordered_map<std::string, StreamHead> heads_;
  std::unordered_set<std::string> commits_;
};

}  // namespace aidtrail::store
