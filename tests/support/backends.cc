#include "tests/support/backends.h"

#include <filesystem>
#include <stdexcept>

#include "events/store/embedded_log.h"

namespace aidtrail::testing {

std::vector<Backend> AllBackends() {
  return {
      Backend{"embedded",
              [](const std::string& name) -> std::unique_ptr<store::EventLog> {
                const auto dir = std::filesystem::temp_directory_path() / ("aidtrail-conformance-" + name);
                auto log = store::EmbeddedLog::Open({.dir = dir.string(), .partitions = 4});
                if (!log.ok()) throw std::runtime_error(log.error().ToString());
                return std::move(log).value();
              }},
  };
}

}  // namespace aidtrail::testing
