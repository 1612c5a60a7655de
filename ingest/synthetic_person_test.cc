#include "ingest/synthetic_person.h"

#include <gtest/gtest.h>

#include "events/core/masking.h"

namespace aidtrail::ingest {
namespace {

TEST(SyntheticPerson, CheckCharacterFollowsIso7064) {
  // The example of GB 11643-1999.
  EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdCheckCharacter("44070319900101123"), '9');
}

TEST(SyntheticPerson, LooksLikeAJiangmenResident) {
  const CivilDate on = CivilDate::FromYmd(2024, 3, 15);
  for (uint32_t seed = 0; seed < 200; ++seed) {
    std::mt19937 rng(seed);
    const bool female = seed % 2 == 0;
    const int age = 14 + int(seed % 70);
    const v1::PersonalData p = SyntheticPerson(rng, {.age = age, .female = female, .on = on});
    const std::string& id = p.id_number();
    ASSERT_EQ(id.size(), 18u) << id;
    EXPECT_EQ(id.substr(0, 4), "4407") << id;
    EXPECT_EQ(id[17], IdCheckCharacter(std::string_view(id).substr(0, 17))) << id;
    EXPECT_EQ((id[16] - '0') % 2 == 0, female) << id;
    // Born so as to be `age` on the day recorded.
    const CivilDate born =
        CivilDate::Parse(id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2)).value();
    const int years =
        2024 - born.year() - (born.ToString().substr(5) > on.ToString().substr(5) ? 1 : 0);
    EXPECT_EQ(years, age) << id;
    ASSERT_EQ(p.phone().size(), 11u);
    EXPECT_EQ(p.phone()[0], '1');
    EXPECT_EQ(p.address().rfind("江门市蓬江区", 0), 0u) << p.address();
    EXPECT_GE(MaskName(p.name()).size(), 4u)
        << "a surname and at least one more character: " << p.name();
  }
}

TEST(SyntheticPerson, SameDrawsSamePerson) {
  const CivilDate on = CivilDate::FromYmd(2024, 3, 15);
  std::mt19937 a(7), b(7), c(8);
  const auto pa = SyntheticPerson(a, {.age = 40, .on = on});
  EXPECT_EQ(pa.SerializeAsString(), SyntheticPerson(b, {.age = 40, .on = on}).SerializeAsString());
  EXPECT_NE(pa.SerializeAsString(), SyntheticPerson(c, {.age = 40, .on = on}).SerializeAsString());
}

}  // namespace
}  // namespace aidtrail::ingest
