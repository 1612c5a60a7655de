// Structured logs: one JSON object per line on stderr. Callers pass only
// operational facts (routes, codes, ids of actors and streams, durations);
// request bodies and personal data are never logged.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

namespace aidtrail::api {

using LogField = std::pair<std::string, std::string>;
void LogJson(const char* level, const std::string& message,
             std::initializer_list<LogField> fields = {});

}  // namespace aidtrail::api
