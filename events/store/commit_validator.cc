#include "events/store/commit_validator.h"

#include "events/core/hash_chain.h"

namespace aidtrail::store {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kValid: return "valid";
    case Verdict::kDuplicate: return "duplicate";
    case Verdict::kVersionConflict: return "version_conflict";
    case Verdict::kMalformed: return "malformed";
  }
  return "unknown";
}

StreamHead CommitValidator::Head(const std::string& stream_id) const {
  auto it = heads_.find(stream_id);
  return it == heads_.end() ? StreamHead{} : it->second;
}

Verdict CommitValidator::Check(const v1::CommitRecord& c) const {
  return Judge(c, Head(c.stream_id()), Seen(c.commit_id()));
}

Verdict Judge(const v1::CommitRecord& c, const StreamHead& head, bool seen) {
  if (seen) return Verdict::kDuplicate;
  if (c.expected_version() != head.version) return Verdict::kVersionConflict;
  if (c.events().empty()) return Verdict::kMalformed;
  std::string prev = head.hash;
  uint64_t version = head.version + 1;
  for (const v1::Event& e : c.events()) {
    if (e.stream_id() != c.stream_id() || CheckLink(e, prev, version).has_value()) return Verdict::kMalformed;
    prev = e.hash();
    ++version;
  }
  return Verdict::kValid;
}

Verdict CommitValidator::Apply(const v1::CommitRecord& c) {
  const Verdict v = Check(c);
  if (v != Verdict::kValid) return v;
  commits_.insert(c.commit_id());
  StreamHead& head = heads_[c.stream_id()];
  head.version = c.events(c.events_size() - 1).stream_version();
  head.hash = c.events(c.events_size() - 1).hash();
  return v;
}

}  // namespace aidtrail::store
