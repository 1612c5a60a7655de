#include "api/open_log.h"

#include <filesystem>

#include "events/store/embedded_log.h"
#include "events/store/kafka_log.h"

namespace aidtrail::api {

Result<std::unique_ptr<store::EventLog>> OpenLog(const std::string& data, const std::string& kafka,
                                                 const std::string& topic, int partitions) {
  if (!kafka.empty()) {
    store::KafkaLogOptions o;
    o.bootstrap = kafka;
    o.topic = topic;
    o.partitions = partitions;
    auto log = store::KafkaLog::Open(o);
    if (!log.ok()) return log.error();
    return std::unique_ptr<store::EventLog>(std::move(log).value());
  }
  auto log = store::EmbeddedLog::Open(
      {.dir = (std::filesystem::path(data) / "log").string(), .partitions = partitions});
  if (!log.ok()) return log.error();
  return std::unique_ptr<store::EventLog>(std::move(log).value());
}

}  // namespace aidtrail::api
