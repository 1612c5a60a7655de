#include "events/core/civil_date.h"

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

namespace aidtrail {
namespace {

Instant At(const char* rfc3339) {
  google::protobuf::Timestamp ts;
  EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(rfc3339, &ts));
  return Instant::FromProto(ts);
}

TEST(CivilDate, ParsesAndFormatsIsoDates) {
  auto d = CivilDate::Parse("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ToString(), "2024-02-29");
  EXPECT_EQ(d->year(), 2024);
  EXPECT_EQ((*d + 1).ToString(), "2024-03-01");
}

TEST(CivilDate, RejectsImpossibleAndMalformedDates) {
  EXPECT_EQ(CivilDate::Parse("2023-02-29").error().code, "date.invalid");
  EXPECT_EQ(CivilDate::Parse("2024-2-1").error().code, "date.format");
  EXPECT_EQ(CivilDate::Parse("2024-02-01x").error().code, "date.format");
  EXPECT_FALSE(CivilDate::Parse("").ok());
}

TEST(CivilDate, DaysAreCountedInChinaStandardTime) {
  // 23:30 UTC on 3 March is 07:30 on 4 March in Beijing.
  EXPECT_EQ(CivilDate::Of(At("2024-03-03T23:30:00Z")).ToString(), "2024-03-04");
  EXPECT_EQ(CivilDate::Of(At("2024-03-03T15:59:59Z")).ToString(), "2024-03-03");
  EXPECT_EQ(CivilDate::Of(At("2024-03-03T16:00:00Z")).ToString(), "2024-03-04");
  // Before the epoch too.
  EXPECT_EQ(CivilDate::Of(At("1969-12-31T16:00:00Z")).ToString(), "1970-01-01");
  EXPECT_EQ(CivilDate::Of(At("1969-12-31T15:59:59Z")).ToString(), "1969-12-31");
}

TEST(CivilDate, WeekdaysStartOnMonday) {
  EXPECT_EQ(CivilDate::FromYmd(2024, 3, 4).weekday(), 0);   // Monday
  EXPECT_EQ(CivilDate::FromYmd(2024, 3, 10).weekday(), 6);  // Sunday
}

}  // namespace
}  // namespace aidtrail
