// Stream naming: "<kind>/<key>", e.g. "case/JM-2024-0001", "lawyer/L001",
// "budget/2024"; the policy stream is just "policy". "access/<case id>"
// records staff reads of that case's personal data, apart from the case's
// own stream so that reading never changes the case's version.
#pragma once

#include <string>
#include <string_view>

namespace aidtrail::domain {

enum class StreamKind { kUnknown, kCase, kLawyer, kFirm, kService, kBudget, kPolicy, kAccess };

StreamKind KindOfStream(std::string_view stream_id);
// The part after the first '/', or "" if none.
std::string_view StreamKey(std::string_view stream_id);
const char* StreamPrefix(StreamKind kind);

}  // namespace aidtrail::domain
