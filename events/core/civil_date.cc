#include "events/core/civil_date.h"

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <cstdio>

namespace aidtrail {
namespace {
constexpr int64_t kCstOffsetMicros = 8LL * 3'600'000'000LL;
constexpr int64_t kMicrosPerDay = 86'400'000'000LL;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

Instant Instant::FromProto(const google::protobuf::Timestamp& ts) {
  return Instant{ts.seconds() * 1'000'000LL + ts.nanos() / 1000};
}

CivilDate CivilDate::FromYmd(int year, unsigned month, unsigned day) {
  using namespace std::chrono;
  const sys_days d = year_month_day{std::chrono::year{year}, std::chrono::month{month},
                                    std::chrono::day{day}};
  return CivilDate(static_cast<int32_t>(d.time_since_epoch().count()));
}

CivilDate CivilDate::Of(Instant t) {
  return CivilDate(static_cast<int32_t>(FloorDiv(t.micros + kCstOffsetMicros, kMicrosPerDay)));
}

Result<CivilDate> CivilDate::Parse(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  const std::string s(text);
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
    return MakeError(ErrorKind::kInvalidArgument, "date.format",
                     "date must be written YYYY-MM-DD, got '" + s + "'",
                     "日期格式应为 YYYY-MM-DD，收到“" + s + "”");
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok()) {
    return MakeError(ErrorKind::kInvalidArgument, "date.invalid", "no such date: " + s,
                     "日期不存在：" + s);
  }
  return FromYmd(y, m, d);
}

int CivilDate::year() const {
  using namespace std::chrono;
  return static_cast<int>(year_month_day{std::chrono::sys_days{std::chrono::days{days_}}}.year());
}

int CivilDate::weekday() const {
  using namespace std::chrono;
  return static_cast<int>((std::chrono::weekday{std::chrono::sys_days{std::chrono::days{days_}}}.iso_encoding() + 6) % 7);
}

std::string CivilDate::ToString() const {
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace aidtrail
