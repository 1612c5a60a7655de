// Masked forms of personal data, for staff whose role needs to recognise a
// person but not to read their data in full (and for screens, exports and
// logs where the full value has no business). Pure functions; UTF-8 aware:
// a Chinese character counts as one character, never as its bytes.
#pragma once

#include <string>
#include <string_view>

#include "aidtrail/v1/common.pb.h"

namespace aidtrail {

// Keeps the first 4 and last 4 characters, one '*' for each in between:
// "440703199001011234" -> "4407**********1234". Eight characters or fewer
// are masked entirely, since keeping 4 + 4 would show them all.
std::string MaskIdNumber(std::string_view id_number);

// Keeps the first 3 and last 4 characters: "13812345678" -> "138****5678".
// Seven characters or fewer are masked entirely.
std::string MaskPhone(std::string_view phone);

// Keeps the first character (the surname, in most Chinese names), one '*'
// for each other character: "张三丰" -> "张**".
std::string MaskName(std::string_view name);

// Keeps the first 6 characters (roughly city and district) and appends
// "****" whatever the length, so the mask does not reveal how long the rest
// is: "江门市蓬江区建设路12号" -> "江门市蓬江区****".
std::string MaskAddress(std::string_view address);

// Every field masked as above; empty fields stay empty.
v1::PersonalData MaskPersonalData(const v1::PersonalData& data);

}  // namespace aidtrail
