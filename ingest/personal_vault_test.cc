#include "ingest/personal_vault.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace aidtrail::ingest {
namespace {

v1::PersonalData Zhang() {
  v1::PersonalData d;
  d.set_name("张三丰");
  d.set_id_number("440703199001011234");
  d.set_phone("13812345678");
  d.set_address("江门市蓬江区建设路12号");
  return d;
}

std::unique_ptr<PersonalVault> OpenAt(const testing::TempDir& dir) {
  auto v = PersonalVault::Open({.dir = (dir.path() / "keys").string(), .sync = false});
  EXPECT_TRUE(v.ok()) << v.error().ToString();
  return std::move(v).value();
}

TEST(PersonalVault, SealsAndOpens) {
  testing::TempDir dir;
  auto vault = OpenAt(dir);
  auto sealed = vault->Seal("S-1", Zhang());
  ASSERT_TRUE(sealed.ok()) << sealed.error().ToString();
  EXPECT_EQ(sealed->find("张三丰"), std::string::npos);
  EXPECT_EQ(sealed->find("440703199001011234"), std::string::npos);
  auto opened = vault->Open("S-1", *sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->SerializeAsString(), Zhang().SerializeAsString());
}

TEST(PersonalVault, EachSealHasItsOwnNonce) {
  testing::TempDir dir;
  auto vault = OpenAt(dir);
  auto a = vault->Seal("S-1", Zhang());
  auto b = vault->Seal("S-1", Zhang());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PersonalVault, ErasureMakesTheDataUnreadableForGood) {
  testing::TempDir dir;
  auto vault = OpenAt(dir);
  auto sealed = vault->Seal("S-1", Zhang());
  ASSERT_TRUE(sealed.ok());
  ASSERT_TRUE(vault->Erase("S-1").ok());
  auto opened = vault->Open("S-1", *sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "personal.erased");
  EXPECT_FALSE(opened.error().message_zh.empty());
  EXPECT_TRUE(vault->Erased("S-1").value());
  // The id is spent: sealing for it again would revive an erased person.
  auto again = vault->Seal("S-1", Zhang());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "personal.erased");
  EXPECT_TRUE(vault->Erase("S-1").ok()) << "erasure is idempotent";
}

TEST(PersonalVault, ErasureSurvivesReopeningAndOtherSubjectsStayReadable) {
  testing::TempDir dir;
  std::string s1, s2;
  {
    auto vault = OpenAt(dir);
    s1 = vault->Seal("S-1", Zhang()).value();
    s2 = vault->Seal("S-2", Zhang()).value();
    ASSERT_TRUE(vault->Erase("S-1").ok());
  }
  auto vault = OpenAt(dir);
  EXPECT_EQ(vault->Open("S-1", s1).error().code, "personal.erased");
  EXPECT_TRUE(vault->Open("S-2", s2).ok());
}

TEST(PersonalVault, TamperedBytesFailAuthentication) {
  testing::TempDir dir;
  auto vault = OpenAt(dir);
  std::string sealed = vault->Seal("S-1", Zhang()).value();
  for (size_t at : {size_t(0), size_t(30), sealed.size() - 1}) {
    std::string bad = sealed;
    bad[at] = char(bad[at] ^ 0x01);
    auto opened = vault->Open("S-1", bad);
    ASSERT_FALSE(opened.ok()) << "flipped byte " << at;
    EXPECT_EQ(opened.error().code, "personal.corrupt");
  }
  EXPECT_EQ(vault->Open("S-1", sealed.substr(0, 20)).error().code, "personal.corrupt");
  EXPECT_EQ(vault->Open("S-1", "").error().code, "personal.corrupt");
}

TEST(PersonalVault, DataSealedForOneSubjectDoesNotOpenAsAnother) {
  testing::TempDir dir;
  auto vault = OpenAt(dir);
  const std::string sealed = vault->Seal("S-1", Zhang()).value();
  ASSERT_TRUE(vault->Seal("S-2", Zhang()).ok());
  EXPECT_EQ(vault->Open("S-2", sealed).error().code, "personal.corrupt");
  EXPECT_EQ(vault->Open("S-3", sealed).error().code, "personal.no_key");
}

TEST(PersonalVault, KeysPersistAcrossReopening) {
  testing::TempDir dir;
  std::string sealed;
  {
    auto v = PersonalVault::Open({.dir = (dir.path() / "keys").string()});  // synced, the default
    ASSERT_TRUE(v.ok());
    sealed = (*v)->Seal("S-1", Zhang()).value();
  }
  auto vault = OpenAt(dir);
  auto opened = vault->Open("S-1", sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->name(), "张三丰");
}

TEST(PersonalVault, OneProcessPerDirectory) {
  testing::TempDir dir;
  auto vault = OpenAt(dir);
  auto second = PersonalVault::Open({.dir = (dir.path() / "keys").string()});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "vault.locked");
}

TEST(PersonalVault, ConcurrentFirstSealsAgreeOnTheKey) {
  testing::TempDir dir;
  auto vault = OpenAt(dir);
  std::vector<std::string> sealed(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < sealed.size(); ++i)
    threads.emplace_back([&, i] { sealed[i] = vault->Seal("S-new", Zhang()).value(); });
  for (auto& t : threads) t.join();
  for (const std::string& s : sealed) EXPECT_TRUE(vault->Open("S-new", s).ok());
}

TEST(PersonalVault, EmptySubjectIdIsRefused) {
  testing::TempDir dir;
  auto vault = OpenAt(dir);
  EXPECT_EQ(vault->Seal("", Zhang()).error().code, "personal.no_subject");
}

}  // namespace
}  // namespace aidtrail::ingest
