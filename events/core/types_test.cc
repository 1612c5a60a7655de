#include "events/core/types.h"

#include <gtest/gtest.h>

#include <limits>

namespace aidtrail {
namespace {

TEST(Fen, FormatsYuanWithTwoDecimalsWithoutFloatingPoint) {
  EXPECT_EQ(Fen(0).ToYuan(), "0.00");
  EXPECT_EQ(Fen(5).ToYuan(), "0.05");
  EXPECT_EQ(Fen(123456).ToYuan(), "1234.56");
  EXPECT_EQ(Fen(-150).ToYuan(), "-1.50");
  // 2^53 + 1 fen cannot be represented by a double; integers keep it exact.
  EXPECT_EQ(Fen(9007199254740993).ToYuan(), "90071992547409.93");
  EXPECT_EQ(Fen(std::numeric_limits<int64_t>::min()).ToYuan(), "-92233720368547758.08");
}

TEST(Fen, ArithmeticReportsOverflowInsteadOfWrapping) {
  EXPECT_EQ(Fen(1).Plus(Fen(2))->value(), 3);
  EXPECT_FALSE(Fen(std::numeric_limits<int64_t>::max()).Plus(Fen(1)).has_value());
  EXPECT_FALSE(Fen(std::numeric_limits<int64_t>::min()).Minus(Fen(1)).has_value());
}

TEST(StrongString, DistinctTypesCompareByValue) {
  EXPECT_EQ(StreamId("case/1"), StreamId("case/1"));
  EXPECT_LT(LawyerId("L1"), LawyerId("L2"));
  static_assert(!std::is_convertible_v<StreamId, LawyerId>);
}

}  // namespace
}  // namespace aidtrail
