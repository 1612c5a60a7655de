// The audit view: one RFC 6962 Merkle tree per partition over every record
// of the log in offset order (leaf = the record's bytes), stored as the
// hashes of its perfect subtrees so that any root or proof costs O(log n)
// reads. A checkpoint names each partition's tree size and root and a
// combined root over them; published outputs name the checkpoint they were
// computed from, and an auditor can check any record's inclusion and that a
// later checkpoint extends an earlier one.
#pragma once

#include <string>
#include <vector>

#include "projections/engine.h"

namespace aidtrail::projections {

inline constexpr char kMerkle[] = "merkle";

class AuditView final : public View {
 public:
  [[nodiscard]] std::string name() const override { return "audit"; }
  [[nodiscard]] std::vector<std::string> families() const override { return {kMerkle}; }
  void Apply(const store::ScannedCommit&, Batch&) override {}
  void ApplyRecord(const store::LogRecord& record, Batch& batch) override;
};

struct PartitionHead {
  int32_t partition = 0;
  uint64_t size = 0;
  std::string root;  // 32 bytes
};

struct Checkpoint {
  std::vector<PartitionHead> partitions;
  std::string root;  // SHA-256 over "<p>:<size>:<root hex>\n" of every partition
  [[nodiscard]] uint64_t size() const;
};

class AuditQueries {
 public:
  explicit AuditQueries(const ViewStore& store) : store_(store) {}
  // The checkpoint of everything folded so far, over `partitions` partitions.
  [[nodiscard]] Checkpoint Current(int32_t partitions) const;
  // Root of a partition's tree at an earlier size.
  [[nodiscard]] Result<std::string> Root(int32_t partition, uint64_t size) const;
  [[nodiscard]] Result<std::vector<std::string>> Inclusion(int32_t partition, uint64_t offset,
                                                           uint64_t size) const;
  [[nodiscard]] Result<std::vector<std::string>> Consistency(int32_t partition, uint64_t old_size,
                                                             uint64_t size) const;
  [[nodiscard]] uint64_t Size(int32_t partition) const;

 private:
  std::string Node(int32_t partition, int level, uint64_t index) const;
  const ViewStore& store_;
};

std::string CombinedRoot(const std::vector<PartitionHead>& heads);

}  // namespace aidtrail::projections
