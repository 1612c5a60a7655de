// Queries over the case views, for supervisors and auditors: a case's full
// timeline, its summary with statutory deadlines and closed-loop steps
// evaluated against the given clock, filtered lists with paging, and the
// supervisor's work queue.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aidtrail/v1/views.pb.h"
#include "events/core/civil_date.h"
#include "events/domain/case_state.h"
#include "events/domain/policy.h"
#include "projections/view_store.h"

namespace aidtrail::projections {

struct CaseFilter {
  std::string stage{};  // e.g. "in_handling"
  std::string lawyer_id{};
  std::string agency{};
  std::string received_from{};  // YYYY-MM-DD, inclusive
  std::string received_to{};    // YYYY-MM-DD, inclusive
  std::string overdue{};        // a deadline kind that is missed, e.g. "review"; "any" for any
  std::string missing_step{};   // a closed-loop step that is missing or late, e.g. "follow_up"
  bool late_entry = false;      // only cases with a late entry (补录)
  bool corrected = false;       // only cases with a correction (更正)
  // Only cases with an open deadline counted in a year whose holiday
  // calendar is not loaded (the admin must publish it).
  bool uncalendared = false;
};

struct CasePage {
  std::vector<v1::CaseSummary> cases;
  std::string next_page;  // pass back to get the next page; empty at the end
};

class CaseQueries {
 public:
  // `use_index`: lists filtered only by the supervision filters are
  // answered from projections::SupervisionIndex (false: by scanning, as a
  // check of it).
  explicit CaseQueries(const ViewStore& store, bool use_index = true)
      : store_(store), use_index_(use_index) {}

  // Every event of a stream in order; empty if there is none.
  [[nodiscard]] std::vector<v1::Event> Timeline(const std::string& stream) const;
  // NotFound if no such case.
  [[nodiscard]] Result<v1::CaseSummary> Summary(const std::string& stream, Instant now) const;
  [[nodiscard]] Result<CasePage> List(const CaseFilter& filter, const std::string& page,
                                      size_t limit, Instant now) const;
  // The policy as folded from the log (for deadlines); shared, folded once
  // per version of the policy stream.
  [[nodiscard]] std::shared_ptr<const domain::PolicyState> Policy() const;

 private:
  const ViewStore& store_;
  bool use_index_;
};

// The clock-dependent facts the supervision filters (overdue,
// missing_step, uncalendared) test, read from an evaluated summary.
struct Attention {
  std::vector<std::string> overdue;  // kinds of deadlines missed and still not done
  std::vector<std::string> missing;  // loop steps that need action
  // For each open deadline counted through a year with no holiday
  // calendar, that year (HasUncalendaredDeadline: not empty).
  std::vector<int32_t> uncalendared_years;
};
Attention AttentionOf(const v1::CaseSummary& evaluated);
// Whether the overdue, missing_step and uncalendared parts of `filter` hold.
bool Wanted(const CaseFilter& filter, const Attention& attention);

// Whether a loop step of a summary needs a supervisor's action
// (domain::NeedsAction), for the queue filter and the gauges.
bool StepNeedsAction(const v1::LoopStep& step);
// An open deadline of the case is counted in a year with no holiday
// calendar loaded.
bool HasUncalendaredDeadline(const v1::CaseSummary& s);

// Fills deadlines and loop steps (domain::ClosedLoop) of `summary` from the
// case's state.
void Evaluate(v1::CaseSummary& summary, const domain::CaseState& state,
              const domain::PolicyState& policy, Instant now);

}  // namespace aidtrail::projections
