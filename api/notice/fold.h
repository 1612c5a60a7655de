// Folding the views from an exact prefix of the log (store::PrefixLog) —
// what a notice's checkpoint names. Used to verify a notice against the log
// as it was when the notice was computed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "events/store/prefix_log.h"
#include "projections/engine.h"

namespace aidtrail::api::notice {

// Folds every view (projections::AllViews) from `log` cut at `sizes` records
// per partition into a fresh
// store in `dir`. Fails if the log holds fewer records than `sizes` asks for.
Result<std::unique_ptr<projections::Engine>> FoldPrefix(store::EventLog& log,
                                                        const std::vector<uint64_t>& sizes,
                                                        const std::string& dir);

}  // namespace aidtrail::api::notice
