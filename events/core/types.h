// Strong types for identifiers, versions and money, so that a lawyer id can
// never be passed where a case id is expected and fen never mix with yuan.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace aidtrail {

template <typename Tag>
class StrongString {
 public:
  StrongString() = default;
  explicit StrongString(std::string v) : v_(std::move(v)) {}
  [[nodiscard]] const std::string& str() const { return v_; }
  [[nodiscard]] bool empty() const { return v_.empty(); }
  auto operator<=>(const StrongString&) const = default;

 private:
  std::string v_;
};

using StreamId = StrongString<struct StreamIdTag>;
using LawyerId = StrongString<struct LawyerIdTag>;

// Number of events in a stream; version N is the stream's N-th event.
struct StreamVersion {
  uint64_t value = 0;
  auto operator<=>(const StreamVersion&) const = default;
};

// Money in fen (1/100 yuan). Arithmetic is checked: an overflow yields
// nullopt instead of a wrong amount.
class Fen {
 public:
  constexpr Fen() = default;
  constexpr explicit Fen(int64_t v) : v_(v) {}
  [[nodiscard]] constexpr int64_t value() const { return v_; }
  [[nodiscard]] std::optional<Fen> Plus(Fen o) const {
    int64_t r = 0;
    if (__builtin_add_overflow(v_, o.v_, &r)) return std::nullopt;
    return Fen(r);
  }
  [[nodiscard]] std::optional<Fen> Minus(Fen o) const {
    int64_t r = 0;
    if (__builtin_sub_overflow(v_, o.v_, &r)) return std::nullopt;
    return Fen(r);
  }
  // "1234.50": yuan with two decimals, computed in integers.
  [[nodiscard]] std::string ToYuan() const {
    const bool neg = v_ < 0;
    const uint64_t a = neg ? uint64_t(0) - static_cast<uint64_t>(v_) : static_cast<uint64_t>(v_);
    std::string cents = std::to_string(a % 100);
    if (cents.size() < 2) cents = "0" + cents;
    return (neg ? "-" : "") + std::to_string(a / 100) + "." + cents;
  }
  constexpr auto operator<=>(const Fen&) const = default;

 private:
  int64_t v_ = 0;
};

}  // namespace aidtrail
