// Figures that follow a correction (更正). The ledger, fairness and notice
// views count a case's events under facts a correction can change: the
// case's category and matter type, a quality review's grade, a closure's
// amount recovered.
// From a correction on, every figure uses the corrected value: the
// figures the case's earlier events counted are moved from the facts
// before the correction to the facts after it, in the correction's own
// batch. Each view keeps one counting function, used both for new events
// and for the move, so the two cannot disagree.
//
// Invariant (kept by every view that uses this): after each commit, a
// case's counters are what its counting function gives for each of its
// events under the case's current facts.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "aidtrail/v1/envelope.pb.h"
#include "events/core/civil_date.h"
#include "events/store/log_scan.h"
#include "projections/view_store.h"

namespace aidtrail::projections {

struct CountedFacts {
  v1::CaseCategory category = v1::CASE_CATEGORY_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;  // not correctable; counted beside the category
  // UNSPECIFIED: the type the receipt itself names (domain::MatterTypeOf).
  v1::MatterType matter_type = v1::MATTER_TYPE_UNSPECIFIED;
  std::map<uint64_t, v1::QualityGrade> grades;  // review's version -> corrected grade
  std::map<uint64_t, int64_t> recovered_fen;    // closure's version -> corrected amount
  std::map<uint64_t, CivilDate> days;           // event's version -> corrected business day
};

// The value an event counts under `facts`: a correction's if it has one.
v1::QualityGrade GradeOf(const v1::Event& e, const CountedFacts& facts);
int64_t RecoveredFenOf(const v1::Event& e, const CountedFacts& facts);
// The business day an event counts in (China Standard Time).
CivilDate BusinessDay(const v1::Event& e, const CountedFacts& facts);

// Counts one event under `facts`, every counter delta multiplied by `sign`.
using Counter = std::function<void(const v1::Event& e, const CountedFacts& facts, int64_t sign)>;

// The facts of the commit's case for its new events: the category of its
// summary (written earlier in the batch by CaseSummaryView). A new event
// carries no correction of its own.
CountedFacts CurrentFacts(const Batch& batch, const std::string& stream);

// For each correction in `commit` that changes counted facts, counts every
// earlier event of the case once under the facts before it (sign -1) and
// once under the facts after it (sign +1). Reads the case's timeline (the
// store's, then the batch's). Cost: one timeline read per such correction;
// corrections are rare.
void Recount(const store::ScannedCommit& commit, const Batch& batch, const Counter& count);

}  // namespace aidtrail::projections
