#include "events/core/merkle.h"

#include <gtest/gtest.h>

#include <map>

#include "events/core/hash_chain.h"

namespace aidtrail::merkle {
namespace {

// An in-memory node store filled by Append.
struct Tree {
  std::map<std::pair<int, uint64_t>, std::string> nodes;
  uint64_t size = 0;
  NodeFn fn() const {
    return [this](int level, uint64_t index) { return nodes.at({level, index}); };
  }
  void Add(std::string_view data) {
    Append(size++, LeafHash(data), fn(), [this](int l, uint64_t i, const std::string& h) { nodes[{l, i}] = h; });
  }
};

// The test vectors of Certificate Transparency's reference implementation
// (8 leaves, roots of every prefix), recomputed independently before use.
TEST(Merkle, MatchesTheCertificateTransparencyVectors) {
  const std::vector<std::string> leaves = {"", std::string(1, '\x00'), "\x10", "\x20\x21", "\x30\x31",
                                           "\x40\x41\x42\x43", "\x50\x51\x52\x53\x54\x55\x56\x57",
                                           "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
  const std::vector<std::string> roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  Tree t;
  EXPECT_EQ(ToHex(Root(0, t.fn())), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (size_t i = 0; i < leaves.size(); ++i) {
    t.Add(leaves[i]);
    EXPECT_EQ(ToHex(Root(t.size, t.fn())), roots[i]) << "size " << t.size;
  }
}

TEST(Merkle, EveryInclusionAndConsistencyProofVerifies) {
  Tree t;
  std::vector<std::string> roots = {Root(0, t.fn())};
  for (int i = 0; i < 70; ++i) {
    t.Add("leaf " + std::to_string(i));
    roots.push_back(Root(t.size, t.fn()));
  }
  for (uint64_t n = 1; n <= t.size; ++n) {
    for (uint64_t m = 0; m < n; ++m) {
      const auto proof = InclusionProof(m, n, t.fn());
      ASSERT_TRUE(VerifyInclusion(m, n, LeafHash("leaf " + std::to_string(m)), proof, roots[n])) << m << "/" << n;
      ASSERT_FALSE(VerifyInclusion(m, n, LeafHash("forged"), proof, roots[n])) << m << "/" << n;
    }
    for (uint64_t m = 1; m <= n; ++m) {
      const auto proof = ConsistencyProof(m, n, t.fn());
      ASSERT_TRUE(VerifyConsistency(m, n, roots[m], roots[n], proof)) << m << "->" << n;
      if (m < n) {
        ASSERT_FALSE(VerifyConsistency(m, n, roots[m - 1 == 0 ? 1 : m - 1] + "x", roots[n], proof)) << m << "->" << n;
      }
    }
  }
}

TEST(Merkle, AnAlteredProofOrRootIsRejected) {
  Tree t;
  for (int i = 0; i < 13; ++i) t.Add("x" + std::to_string(i));
  const std::string root = Root(13, t.fn());
  auto proof = InclusionProof(5, 13, t.fn());
  ASSERT_TRUE(VerifyInclusion(5, 13, LeafHash("x5"), proof, root));
  proof[1][0] ^= 1;
  EXPECT_FALSE(VerifyInclusion(5, 13, LeafHash("x5"), proof, root));
  EXPECT_FALSE(VerifyInclusion(4, 13, LeafHash("x5"), InclusionProof(5, 13, t.fn()), root));  // wrong position
  const std::string old_root = Root(7, t.fn());
  auto cp = ConsistencyProof(7, 13, t.fn());
  ASSERT_TRUE(VerifyConsistency(7, 13, old_root, root, cp));
  cp.back()[3] ^= 1;
  EXPECT_FALSE(VerifyConsistency(7, 13, old_root, root, cp));
  // A history rewritten below the old checkpoint cannot be proved consistent.
  Tree other;
  for (int i = 0; i < 13; ++i) other.Add(i == 2 ? "rewritten" : "x" + std::to_string(i));
  EXPECT_FALSE(VerifyConsistency(7, 13, old_root, Root(13, other.fn()), ConsistencyProof(7, 13, other.fn())));
}

}  // namespace
}  // namespace aidtrail::merkle
