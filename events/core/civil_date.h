// Calendar dates and instants in China Standard Time (UTC+8, no daylight
// saving): every statutory day is a day in this zone.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "events/core/result.h"

namespace google::protobuf {
class Timestamp;
}

namespace aidtrail {

// A point in time, microseconds since the Unix epoch (UTC).
struct Instant {
  int64_t micros = 0;
  auto operator<=>(const Instant&) const = default;
  static Instant FromProto(const google::protobuf::Timestamp& ts);
  [[nodiscard]] Instant PlusHours(int64_t hours) const {
    return Instant{micros + hours * 3'600'000'000LL};
  }
};

// A day in China Standard Time, counted from 1970-01-01.
class CivilDate {
 public:
  constexpr CivilDate() = default;
  static constexpr CivilDate FromDays(int32_t days) { return CivilDate(days); }
  static CivilDate FromYmd(int year, unsigned month, unsigned day);
  // The CST day an instant falls on.
  static CivilDate Of(Instant t);
  // Parses "YYYY-MM-DD"; rejects impossible dates.
  static Result<CivilDate> Parse(std::string_view text);

  [[nodiscard]] constexpr int32_t days() const { return days_; }
  [[nodiscard]] int year() const;
  // 0 = Monday … 6 = Sunday.
  [[nodiscard]] int weekday() const;
  [[nodiscard]] std::string ToString() const;
  [[nodiscard]] constexpr CivilDate operator+(int32_t n) const { return CivilDate(days_ + n); }
  [[nodiscard]] constexpr int32_t operator-(CivilDate o) const { return days_ - o.days_; }
  constexpr auto operator<=>(const CivilDate&) const = default;

 private:
  explicit constexpr CivilDate(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace aidtrail
