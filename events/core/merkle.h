// RFC 6962 Merkle trees (Certificate Transparency hashing): leaf hash
// SHA-256(0x00 || data), node hash SHA-256(0x01 || left || right), and the
// audit paths and consistency proofs an auditor verifies without trusting
// the server. Storage-agnostic: hashes of perfect, aligned subtrees come from
// a NodeFn, so a store that keeps those nodes answers any root or proof with
// O(log n) lookups.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace aidtrail::merkle {

std::string LeafHash(std::string_view data);
std::string NodeHash(std::string_view left, std::string_view right);

// Hash of the perfect subtree of 2^level leaves starting at leaf index << level.
using NodeFn = std::function<std::string(int level, uint64_t index)>;

// Root of the first `size` leaves; SHA-256("") for an empty tree.
std::string Root(uint64_t size, const NodeFn& node);
// Audit path of leaf `index` in the tree of `size` leaves (RFC 6962 2.1.1).
std::vector<std::string> InclusionProof(uint64_t index, uint64_t size, const NodeFn& node);
// Proof that the tree of `size` extends the tree of `old_size` (RFC 6962 2.1.2).
std::vector<std::string> ConsistencyProof(uint64_t old_size, uint64_t size, const NodeFn& node);

// Verification as an auditor does it (RFC 9162 2.1.3.2 and 2.1.4.2).
bool VerifyInclusion(uint64_t index, uint64_t size, std::string_view leaf_hash,
                     const std::vector<std::string>& proof, std::string_view root);
bool VerifyConsistency(uint64_t old_size, uint64_t size, std::string_view old_root, std::string_view root,
                       const std::vector<std::string>& proof);

// The perfect-subtree nodes that appending leaf `index` completes, in order
// from level 0 up: calls put(level, index, hash) for each. `node` must know
// the nodes completed by earlier appends.
void Append(uint64_t index, std::string leaf_hash, const NodeFn& node,
            const std::function<void(int level, uint64_t index, const std::string& hash)>& put);

}  // namespace aidtrail::merkle
