#include "events/domain/calendar.h"

#include <gtest/gtest.h>

#include "events/domain/test_policy.h"

namespace aidtrail::domain {
namespace {

using testing::D;
using testing::Policy2024;

TEST(DayCounter, WeekendsHolidaysAndMakeUpWorkdays) {
  const PolicyState p = Policy2024();
  const DayCounter days(p);
  EXPECT_TRUE(days.IsWorkingDay(D("2024-03-04")));   // Monday
  EXPECT_FALSE(days.IsWorkingDay(D("2024-03-09")));  // Saturday
  EXPECT_FALSE(days.IsWorkingDay(D("2024-10-03")));  // National Day
  EXPECT_TRUE(days.IsWorkingDay(D("2024-10-12")));   // Saturday made a working day
}

TEST(DayCounter, CalendarDaysStartTheDayAfter) {
  const PolicyState p = Policy2024();
  // Received Monday 4 March: 7 days end Monday 11 March.
  EXPECT_EQ(DayCounter(p).DueDate(D("2024-03-04"), 7).ToString(), "2024-03-11");
}

TEST(DayCounter, ALastDayOffMovesToTheNextWorkingDay) {
  const PolicyState p = Policy2024();
  // 1 March + 7 = Friday 8 March, a working day.
  EXPECT_EQ(DayCounter(p).DueDate(D("2024-03-01"), 7).ToString(), "2024-03-08");
  // 2 March + 7 = Saturday 9 March -> Monday 11 March.
  EXPECT_EQ(DayCounter(p).DueDate(D("2024-03-02"), 7).ToString(), "2024-03-11");
  // 28 September + 7 = 5 October, inside National Day -> Tuesday 8 October.
  EXPECT_EQ(DayCounter(p).DueDate(D("2024-09-28"), 7).ToString(), "2024-10-08");
}

TEST(DayCounter, WorkingDayModeCountsOnlyWorkingDays) {
  const PolicyState p = Policy2024(v1::DAY_COUNTING_WORKING);
  // From Friday 27 Sep: 29 Sep (make-up Sunday), 30 Sep, then 8, 9, 10, 11 Oct, 12 Oct (make-up Saturday).
  EXPECT_EQ(DayCounter(p).DueDate(D("2024-09-27"), 7).ToString(), "2024-10-12");
}

TEST(DayCounter, PausedDaysAreNotCounted) {
  const PolicyState p = Policy2024();
  // Received 4 March; materials asked 5 March, supplied 8 March: 6-8 March
  // do not count, so the 7 days end on 14 March.
  const Pause pause{D("2024-03-05"), D("2024-03-08")};
  EXPECT_EQ(DayCounter(p).DueDate(D("2024-03-04"), 7, std::span(&pause, 1)).ToString(), "2024-03-14");
}

}  // namespace
}  // namespace aidtrail::domain
