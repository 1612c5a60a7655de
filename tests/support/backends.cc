#include "tests/support/backends.h"

#include <filesystem>
#include <stdexcept>

#include "events/store/embedded_log.h"
#include "events/store/kafka_log.h"
#include "tests/support/kafka_broker.h"

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
      Backend{"kafka",
              [](const std::string& name) -> std::unique_ptr<store::EventLog> {
                store::KafkaLogOptions o;
                o.bootstrap = SharedBroker().bootstrap();
                o.topic = "aidtrail.conformance." + name;
                o.partitions = 4;
                auto log = store::KafkaLog::Open(o);
                if (!log.ok()) throw std::runtime_error(log.error().ToString());
                return std::move(log).value();
              }},
  };
}

}  // namespace aidtrail::testing
