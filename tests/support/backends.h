// The event-log backends the conformance tests run against.
#pragma once

#include <functional>
#include <ostream>
#include <memory>
#include <string>
#include <vector>

#include "events/store/event_log.h"

namespace aidtrail::testing {

// Opens a log named `name` (a directory or a topic); opening the same name
// again after the previous instance is destroyed sees the same records.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<store::EventLog>(const std::string& name)> open;
};

std::vector<Backend> AllBackends();

// Test names and logs show the backend's name, not its bytes.
inline void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

}  // namespace aidtrail::testing
