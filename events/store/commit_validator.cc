#include "events/store/commit_validator.h"

#include <algorithm>

#include "events/core/hash_chain.h"
#include "events/store/event_log.h"

namespace aidtrail::store {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kValid:
      return "valid";
    case Verdict::kDuplicate:
      return "duplicate";
    case Verdict::kVersionConflict:
      return "version_conflict";
    case Verdict::kMalformed:
      return "malformed";
    case Verdict::kFenced:
      return "fenced";
  }
  return "unknown";
}

Verdict JudgeClaim(const v1::WriterClaim& claim, int32_t partition, const PartitionOwner& owner) {
  if (claim.partition() != partition || claim.epoch() == 0 || claim.writer_id().empty())
    return Verdict::kMalformed;
  // Ties in epoch (two writers claiming at once) go to the greater writer
  // id in every partition alike, so a race has one winner everywhere.
  if (claim.epoch() < owner.epoch ||
      (claim.epoch() == owner.epoch && claim.writer_id() <= owner.writer_id))
    return Verdict::kFenced;
  return Verdict::kValid;
}

Verdict Judge(const v1::CommitRecord& c, const StreamHead& head, bool seen,
              const PartitionOwner& owner) {
  if (owner.claimed() && (c.writer_id() != owner.writer_id || c.writer_epoch() != owner.epoch))
    return Verdict::kFenced;
  if (seen) return Verdict::kDuplicate;
  if (c.expected_version() != head.version) return Verdict::kVersionConflict;
  if (c.events().empty()) return Verdict::kMalformed;
  std::string prev = head.hash;
  uint64_t version = head.version + 1;
  for (const v1::Event& e : c.events()) {
    if (e.stream_id() != c.stream_id() || CheckLink(e, prev, version).has_value())
      return Verdict::kMalformed;
    prev = e.hash();
    ++version;
  }
  return Verdict::kValid;
}

std::string ClaimStreamId(int32_t partition, int32_t partitions) {
  for (int n = 0;; ++n) {
    std::string id = "writer/" + std::to_string(n);
    if (PartitionOf(id, partitions) == partition) return id;
  }
}

v1::CommitRecord MakeClaim(const std::string& writer_id, uint64_t epoch, int32_t partition,
                           int32_t partitions, int64_t claimed_at_micros) {
  v1::CommitRecord r;
  r.set_stream_id(ClaimStreamId(partition, partitions));
  r.set_commit_id("claim/" + writer_id + "/" + std::to_string(epoch) + "/" +
                  std::to_string(partition));
  r.set_writer_id(writer_id);
  r.set_writer_epoch(epoch);
  v1::WriterClaim& claim = *r.mutable_claim();
  claim.set_writer_id(writer_id);
  claim.set_epoch(epoch);
  claim.set_partition(partition);
  claim.mutable_claimed_at()->set_seconds(claimed_at_micros / 1'000'000);
  claim.mutable_claimed_at()->set_nanos(int32_t(claimed_at_micros % 1'000'000) * 1000);
  return r;
}

StreamHead CommitValidator::Head(const std::string& stream_id) const {
  auto it = heads_.find(stream_id);
  if (it != heads_.end()) return it->second;
  return backing_ ? backing_->Head(stream_id) : StreamHead{};
}

bool CommitValidator::Seen(int32_t partition, const std::string& commit_id) const {
  auto it = commits_.find(partition);
  if (it != commits_.end() && it->second.count(commit_id) > 0) return true;
  return backing_ && backing_->Seen(partition, commit_id);
}

void CommitValidator::Forget(const std::function<bool(const std::string&)>& keep,
                             const std::function<bool(const std::string&)>& keep_commit) {
  std::erase_if(heads_, [&](const auto& h) { return !keep(h.first); });
  for (auto& [p, ids] : commits_)
    std::erase_if(ids, [&](const std::string& id) { return !keep_commit(id); });
}

PartitionOwner CommitValidator::Owner(int32_t partition) const {
  auto it = owners_.find(partition);
  return it == owners_.end() ? PartitionOwner{} : it->second;
}

uint64_t CommitValidator::MaxEpoch() const {
  uint64_t max = 0;
  for (const auto& [p, o] : owners_) max = std::max(max, o.epoch);
  return max;
}

Verdict CommitValidator::Check(int32_t partition, const v1::CommitRecord& r) const {
  if (IsClaim(r))
    return r.events().empty() ? JudgeClaim(r.claim(), partition, Owner(partition))
                              : Verdict::kMalformed;
  return Judge(r, Head(r.stream_id()), Seen(partition, r.commit_id()), Owner(partition));
}

Verdict CommitValidator::Apply(int32_t partition, const v1::CommitRecord& r) {
  const Verdict v = Check(partition, r);
  if (v != Verdict::kValid) return v;
  if (IsClaim(r)) {
    owners_[partition] = PartitionOwner{r.claim().epoch(), r.claim().writer_id()};
    return v;
  }
  commits_[partition].insert(r.commit_id());
  StreamHead& head = heads_[r.stream_id()];
  head.version = r.events(r.events_size() - 1).stream_version();
  head.hash = r.events(r.events_size() - 1).hash();
  return v;
}

}  // namespace aidtrail::store
