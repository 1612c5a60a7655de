#include "tests/support/district_log.h"

#include <stdexcept>

namespace aidtrail::testing {

DistrictLogStats WriteDistrictYear(store::EventLog& log, ingest::DistrictGenerator& gen,
                                   uint64_t stop_after) {
  auto pipeline = ingest::Pipeline::Open(log, ingest::SimulatedPipelineOptions(gen));
  if (!pipeline.ok()) throw std::runtime_error(pipeline.error().ToString());
  DistrictLogStats stats;
  uint64_t n = 0;
  while (stop_after == 0 || n < stop_after) {
    auto c = gen.Next();
    if (!c) break;
    ++n;
    auto r = (*pipeline)->Execute(*c);
    if (r.ok()) {
      ++stats.accepted;
      gen.Observe(r->events);
    } else {
      ++stats.rejected;
    }
  }
  return stats;
}

}  // namespace aidtrail::testing
