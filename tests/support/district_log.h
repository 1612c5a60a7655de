// Builds a log of a generated district year through the real pipeline.
#pragma once

#include <cstdint>

#include "events/store/event_log.h"
#include "ingest/generator.h"
#include "ingest/pipeline.h"

namespace aidtrail::testing {

struct DistrictLogStats {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
};

// Runs the generator's commands through a pipeline on `log`.
// `stop_after` > 0 stops after that many commands (to grow a log in phases).
DistrictLogStats WriteDistrictYear(store::EventLog& log, ingest::DistrictGenerator& gen, uint64_t stop_after = 0);

}  // namespace aidtrail::testing
