// Opens the event log every aidtrail command works on: the embedded log
// under <data>/log, or a Kafka topic when bootstrap servers are given.
#pragma once

#include <memory>
#include <string>

#include "events/core/result.h"
#include "events/store/event_log.h"

namespace aidtrail::api {

Result<std::unique_ptr<store::EventLog>> OpenLog(const std::string& data, const std::string& kafka,
                                                 const std::string& topic, int partitions);

}  // namespace aidtrail::api
