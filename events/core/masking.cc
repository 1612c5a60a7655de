#include "events/core/masking.h"

#include <vector>

namespace aidtrail {
namespace {

// Splits UTF-8 text into characters. A malformed byte counts as one
// character of its own, so masking never cuts a character in half and never
// fails on bad input.
std::vector<std::string_view> Characters(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = 1;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) n = 1;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// Keeps `head` characters at the start and `tail` at the end, one '*' for
// each character between; masks everything when nothing would be hidden.
std::string KeepEnds(std::string_view s, size_t head, size_t tail) {
  const std::vector<std::string_view> chars = Characters(s);
  if (chars.size() <= head + tail) return std::string(chars.size(), '*');
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i)
    if (i < head || i >= chars.size() - tail)
      out += chars[i];
    else
      out += '*';
  return out;
}

}  // namespace

std::string MaskIdNumber(std::string_view id_number) { return KeepEnds(id_number, 4, 4); }

std::string MaskPhone(std::string_view phone) { return KeepEnds(phone, 3, 4); }

std::string MaskName(std::string_view name) {
  const std::vector<std::string_view> chars = Characters(name);
  if (chars.empty()) return {};
  return std::string(chars.front()) + std::string(chars.size() - 1, '*');
}

std::string MaskAddress(std::string_view address) {
  const std::vector<std::string_view> chars = Characters(address);
  if (chars.empty()) return {};
  std::string out;
  for (size_t i = 0; i < chars.size() && i < 6; ++i) out += chars[i];
  return out + "****";
}

v1::PersonalData MaskPersonalData(const v1::PersonalData& d) {
  v1::PersonalData m;
  m.set_name(MaskName(d.name()));
  m.set_id_number(MaskIdNumber(d.id_number()));
  m.set_phone(MaskPhone(d.phone()));
  m.set_address(MaskAddress(d.address()));
  return m;
}

}  // namespace aidtrail
