#include "events/core/merkle.h"

#include "events/core/hash_chain.h"

namespace aidtrail::merkle {
namespace {

uint64_t LargestPowerOfTwoBelow(uint64_t n) {  // REQUIRES: n > 1
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

bool IsPowerOfTwo(uint64_t n) { return n && !(n & (n - 1)); }
int Log2(uint64_t n) { return 63 - __builtin_clzll(n); }

// MTH of leaves [start, start + n).
std::string Subtree(uint64_t start, uint64_t n, const NodeFn& node) {
  if (IsPowerOfTwo(n) && start % n == 0) return node(Log2(n), start / n);
  const uint64_t k = LargestPowerOfTwoBelow(n);
  return NodeHash(Subtree(start, k, node), Subtree(start + k, n - k, node));
}

void Path(uint64_t m, uint64_t start, uint64_t n, const NodeFn& node, std::vector<std::string>& out) {
  if (n <= 1) return;
  const uint64_t k = LargestPowerOfTwoBelow(n);
  if (m < k) {
    Path(m, start, k, node, out);
    out.push_back(Subtree(start + k, n - k, node));
  } else {
    Path(m - k, start + k, n - k, node, out);
    out.push_back(Subtree(start, k, node));
  }
}

void SubProof(uint64_t m, uint64_t start, uint64_t n, bool complete, const NodeFn& node, std::vector<std::string>& out) {
  if (m == n) {
    if (!complete) out.push_back(Subtree(start, n, node));
    return;
  }
  const uint64_t k = LargestPowerOfTwoBelow(n);
  if (m <= k) {
    SubProof(m, start, k, complete, node, out);
    out.push_back(Subtree(start + k, n - k, node));
  } else {
    SubProof(m - k, start + k, n - k, false, node, out);
    out.push_back(Subtree(start, k, node));
  }
}

}  // namespace

std::string LeafHash(std::string_view data) {
  std::string buf(1, '\0');
  buf.append(data);
  return Sha256(buf);
}

std::string NodeHash(std::string_view left, std::string_view right) {
  std::string buf(1, '\1');
  buf.append(left);
  buf.append(right);
  return Sha256(buf);
}

std::string Root(uint64_t size, const NodeFn& node) {
  if (size == 0) return Sha256("");
  return Subtree(0, size, node);
}

std::vector<std::string> InclusionProof(uint64_t index, uint64_t size, const NodeFn& node) {
  std::vector<std::string> out;
  if (index < size) Path(index, 0, size, node, out);
  return out;
}

std::vector<std::string> ConsistencyProof(uint64_t old_size, uint64_t size, const NodeFn& node) {
  std::vector<std::string> out;
  if (old_size > 0 && old_size < size) SubProof(old_size, 0, size, true, node, out);
  return out;
}

bool VerifyInclusion(uint64_t index, uint64_t size, std::string_view leaf_hash,
                     const std::vector<std::string>& proof, std::string_view root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1))
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t size, std::string_view old_root, std::string_view root,
                       const std::vector<std::string>& proof_in) {
  if (old_size > size || old_size == 0) return false;
  if (old_size == size) return proof_in.empty() && old_root == root;
  std::vector<std::string> proof = proof_in;
  if (IsPowerOfTwo(old_size)) proof.insert(proof.begin(), std::string(old_root));
  if (proof.empty()) return false;
  uint64_t fn = old_size - 1, sn = size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = proof[0], sr = proof[0];
  for (size_t i = 1; i < proof.size(); ++i) {
    const std::string& c = proof[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1))
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == root && sn == 0;
}

void Append(uint64_t index, std::string hash, const NodeFn& node,
            const std::function<void(int, uint64_t, const std::string&)>& put) {
  int level = 0;
  put(0, index, hash);
  while (index & 1) {
    hash = NodeHash(node(level, index - 1), hash);
    index >>= 1;
    ++level;
    put(level, index, hash);
  }
}

}  // namespace aidtrail::merkle
