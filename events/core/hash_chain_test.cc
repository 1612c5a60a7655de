#include "events/core/hash_chain.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace aidtrail {
namespace {

v1::Event SampleEvent(uint64_t version) {
  v1::Event e;
  e.set_event_id("cmd-" + std::to_string(version) + "/0");
  e.set_stream_id("case/JM-2024-0001");
  e.set_stream_version(version);
  e.mutable_occurred_at()->set_seconds(1709514000 + int64_t(version) * 3600);
  e.mutable_actor()->set_id("clerk-1");
  e.mutable_actor()->set_role(v1::ROLE_INTAKE);
  e.mutable_actor()->set_agency("pengjiang-lac");
  e.set_policy_version("policy@11");
  auto* a = e.mutable_payload()->mutable_application_received();
  a->set_channel(v1::CHANNEL_WINDOW);
  a->set_category(v1::CASE_CATEGORY_CIVIL);
  a->set_matter("wage-arrears");
  a->mutable_applicant()->set_subject_id("S-1");
  a->mutable_applicant()->add_key_groups(v1::KEY_GROUP_MIGRANT_WORKER);
  return e;
}

std::vector<v1::Event> Chain(int n) {
  std::vector<v1::Event> out;
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    v1::Event e = SampleEvent(uint64_t(i));
    SealEvent(e, prev);
    prev = e.hash();
    out.push_back(e);
  }
  return out;
}

TEST(HashChain, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(ToHex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// Pins the canonical encoding: if this changes, every stored chain breaks.
// The value is independent of our code: it is the SHA-256 of what
// `protoc --encode=aidtrail.v1.Event` produces for the same event written in
// text format, which anyone can recompute with stock tools.
TEST(HashChain, GoldenHashOfAFixedEvent) {
  v1::Event e = SampleEvent(1);
  SealEvent(e, "");
  EXPECT_EQ(ToHex(e.hash()), "9b14715e479e3a0179f7cba52a9a6cd5cd9540beeb55b6169be0ab5873d495a1");
}

TEST(HashChain, ReEncodingNeverChangesAHash) {
  for (const v1::Event& e : Chain(20)) {
    std::string wire;
    ASSERT_TRUE(e.SerializeToString(&wire));
    v1::Event back;
    ASSERT_TRUE(back.ParseFromString(wire));
    EXPECT_EQ(Sha256(CanonicalBytes(back)), e.hash());
    // Through JSON-free text round trips as well: copy, clear, reassign.
    v1::Event copy = back;
    copy.clear_hash();
    copy.set_hash(e.hash());
    EXPECT_EQ(CanonicalBytes(copy), CanonicalBytes(e));
  }
}

TEST(HashChain, UnknownFieldsFromANewerSchemaAreKeptInTheHash) {
  v1::Event e = SampleEvent(1);
  SealEvent(e, "");
  std::string wire;
  ASSERT_TRUE(e.SerializeToString(&wire));
  wire += std::string("\xa0\x06\x01", 3);  // field 100, varint 1: unknown to v1
  v1::Event newer;
  ASSERT_TRUE(newer.ParseFromString(wire));
  // The newer writer hashed with the field; an older reader must agree.
  v1::Event resealed = newer;
  SealEvent(resealed, "");
  EXPECT_NE(resealed.hash(), e.hash());
  std::string again;
  ASSERT_TRUE(resealed.SerializeToString(&again));
  v1::Event reread;
  ASSERT_TRUE(reread.ParseFromString(again));
  EXPECT_FALSE(CheckLink(reread, "", 1).has_value());
}

TEST(HashChain, AnIntactChainVerifies) {
  const auto chain = Chain(10);
  EXPECT_FALSE(VerifyStream(chain).has_value());
  EXPECT_EQ(chain[1].prev_hash(), chain[0].hash());
  EXPECT_TRUE(chain[0].prev_hash().empty());
}

TEST(HashChain, AnyAlteredEventIsFoundAtItsVersion) {
  std::mt19937 rng(20241129);
  for (int trial = 0; trial < 50; ++trial) {
    auto chain = Chain(12);
    const size_t victim = rng() % chain.size();
    chain[victim].mutable_payload()->mutable_application_received()->set_matter("altered");
    auto br = VerifyStream(chain);
    ASSERT_TRUE(br.has_value()) << "seed 20241129 trial " << trial;
    EXPECT_EQ(br->stream_version, victim + 1) << "seed 20241129 trial " << trial;
    EXPECT_EQ(br->reason, "hash does not match the event's content");
  }
}

TEST(HashChain, ARemovedOrReorderedEventBreaksTheChain) {
  auto chain = Chain(5);
  auto removed = chain;
  removed.erase(removed.begin() + 2);
  auto br = VerifyStream(removed);
  ASSERT_TRUE(br.has_value());
  EXPECT_EQ(br->stream_version, 4u);

  auto swapped = chain;
  std::swap(swapped[1], swapped[2]);
  br = VerifyStream(swapped);
  ASSERT_TRUE(br.has_value());
  EXPECT_EQ(br->stream_version, 3u);
}

TEST(HashChain, ARehashedForgeryStillBreaksTheNextLink) {
  auto chain = Chain(4);
  chain[1].set_policy_version("policy@99");
  SealEvent(chain[1], chain[0].hash());  // the forger recomputes this event's hash
  auto br = VerifyStream(chain);
  ASSERT_TRUE(br.has_value());
  EXPECT_EQ(br->stream_version, 3u);
}

}  // namespace
}  // namespace aidtrail

namespace aidtrail {
namespace {

TEST(Hex, FromHexReadsWhatToHexWritesAndRefusesTheRest) {
  const std::string bytes("\x00\x01\xab\xff", 4);
  EXPECT_EQ(FromHex(ToHex(bytes)), bytes);
  EXPECT_EQ(FromHex("00 01\nAB ff"), bytes);  // case and whitespace as in key files
  EXPECT_EQ(FromHex(""), std::string());
  EXPECT_FALSE(FromHex("abc").has_value());  // odd
  EXPECT_FALSE(FromHex("zz").has_value());
}

}  // namespace
}  // namespace aidtrail
