#include "projections/audit_view.h"

#include "events/core/hash_chain.h"
#include "events/core/merkle.h"

namespace aidtrail::projections {
namespace {

std::string NodeKey(int32_t partition, int level, uint64_t index) {
  return PartitionTag(partition) + std::string(1, '\0') + char(level) + BigEndian64(index);
}
std::string SizeKey(int32_t partition) { return "size/" + PartitionTag(partition); }

Error TooLarge(uint64_t size, uint64_t have) {
  return MakeError(ErrorKind::kNotFound, "audit.size", "the tree has " + std::to_string(have) + " leaves, not " +
                   std::to_string(size), "审计树只有 " + std::to_string(have) + " 条记录，不足 " + std::to_string(size) + " 条");
}

}  // namespace

void AuditView::ApplyRecord(const store::LogRecord& r, Batch& batch) {
  const int32_t p = r.position.partition;
  const uint64_t index = uint64_t(r.position.offset);
  merkle::Append(
      index, merkle::LeafHash(r.value),
      [&](int level, uint64_t i) { return batch.Get(kMerkle, NodeKey(p, level, i)).value_or(""); },
      [&](int level, uint64_t i, const std::string& h) { batch.Put(kMerkle, NodeKey(p, level, i), h); });
  batch.Put(kMerkle, SizeKey(p), EncodeCounter(int64_t(index + 1)));
}

uint64_t Checkpoint::size() const {
  uint64_t n = 0;
  for (const auto& p : partitions) n += p.size;
  return n;
}

std::string CombinedRoot(const std::vector<PartitionHead>& heads) {
  std::string text;
  for (const auto& h : heads) text += std::to_string(h.partition) + ":" + std::to_string(h.size) + ":" + ToHex(h.root) + "\n";
  return Sha256(text);
}

std::string AuditQueries::Node(int32_t partition, int level, uint64_t index) const {
  return store_.Get(kMerkle, NodeKey(partition, level, index)).value_or("");
}

uint64_t AuditQueries::Size(int32_t partition) const {
  const auto v = store_.Get(kMerkle, SizeKey(partition));
  return v ? uint64_t(DecodeCounter(*v)) : 0;
}

Checkpoint AuditQueries::Current(int32_t partitions) const {
  Checkpoint c;
  for (int32_t p = 0; p < partitions; ++p) {
    const uint64_t n = Size(p);
    c.partitions.push_back({p, n, *Root(p, n)});
  }
  c.root = CombinedRoot(c.partitions);
  return c;
}

Result<std::string> AuditQueries::Root(int32_t partition, uint64_t size) const {
  if (size > Size(partition)) return TooLarge(size, Size(partition));
  return merkle::Root(size, [&](int l, uint64_t i) { return Node(partition, l, i); });
}

Result<std::vector<std::string>> AuditQueries::Inclusion(int32_t partition, uint64_t offset, uint64_t size) const {
  if (size > Size(partition)) return TooLarge(size, Size(partition));
  if (offset >= size)
    return MakeError(ErrorKind::kInvalidArgument, "audit.offset", "offset must be below the tree size", "记录位置须小于审计树大小");
  return merkle::InclusionProof(offset, size, [&](int l, uint64_t i) { return Node(partition, l, i); });
}

Result<std::vector<std::string>> AuditQueries::Consistency(int32_t partition, uint64_t old_size, uint64_t size) const {
  if (size > Size(partition)) return TooLarge(size, Size(partition));
  if (old_size == 0 || old_size > size)
    return MakeError(ErrorKind::kInvalidArgument, "audit.sizes", "need 0 < old size <= size", "须满足 0 < 旧大小 ≤ 新大小");
  return merkle::ConsistencyProof(old_size, size, [&](int l, uint64_t i) { return Node(partition, l, i); });
}

}  // namespace aidtrail::projections
