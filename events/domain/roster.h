// Lawyers, firms and the rotation (轮派制). The roster is a read model folded
// from lawyer and firm streams and from every case's assignments, in log
// order; the assignment rules read it, never the clock.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "aidtrail/v1/envelope.pb.h"
#include "aidtrail/v1/writer_state.pb.h"
#include "events/domain/decision.h"

namespace aidtrail::domain {

struct LawyerState {
  uint64_t version = 0;
  std::string name;
  std::string firm_id;
  int practice_since_year = 0;
  std::set<int> specialties;  // v1::CaseCategory values
  std::set<std::string> teams;
  int criminal_defence_since_year = 0;  // 0: no criminal-defence experience recorded
  bool familiar_with_minors = false;
  bool suspended = false;
  // When last assigned: the assignment's recorded_at, then the order it was
  // folded in (only ever deciding between events recorded in the same
  // microsecond, which one writer never produces). {0, 0}: never assigned.
  // A maximum, not a sequence, so folding partitions in any order gives
  // the same rotation.
  std::pair<int64_t, uint64_t> last_assigned{0, 0};
  int assigned_cases = 0;

  [[nodiscard]] bool Exists() const { return version > 0; }
  [[nodiscard]] int YearsOfPractice(int year) const { return year - practice_since_year; }
  [[nodiscard]] int CriminalDefenceYears(int year) const {
    return criminal_defence_since_year > 0 ? year - criminal_defence_since_year : 0;
  }
};

// What a case needs of its lawyer.
struct AssignmentNeed {
  v1::CaseCategory category = v1::CASE_CATEGORY_UNSPECIFIED;
  bool life_or_death = false;  // Art. 26: 3+ years of criminal-defence experience
  bool minor = false;          // a minor's case: a lawyer familiar with minors
  std::string team;            // specialised team, if asked for
  std::string exclude;         // the lawyer being replaced
  int year = 0;                // the year of the assignment
  // Lawyers the recipient rejected (Art. 56): never handed the case again.
  std::set<std::string> rejected;
};

struct LawyerChoice {
  std::string lawyer_id;
  std::string firm_id;
  v1::AssignmentMethod method = v1::ASSIGNMENT_METHOD_UNSPECIFIED;
  int eligible_lawyers = 0;
};

class Roster {
 public:
  // Folds lawyer and firm events, and assignments from case streams.
  // Returns whether the event changed the roster.
  bool Apply(const v1::Event& event);

  // nullptr unless registered (an assignment may be folded before the
  // registration when partitions are folded in another order).
  [[nodiscard]] const LawyerState* Find(const std::string& lawyer_id) const;
  [[nodiscard]] bool FirmExists(const std::string& firm_id) const {
    return firms_.count(firm_id) > 0;
  }

  // Why `lawyer_id` cannot take a case with `need`, or ok.
  [[nodiscard]] Status CheckEligible(const std::string& lawyer_id,
                                     const AssignmentNeed& need) const;

  // The applicant's named lawyer if eligible, else rotation: among active
  // lawyers whose specialty (and team, if asked) fits, the one least
  // recently assigned (never assigned first; ties by id).
  [[nodiscard]] Result<LawyerChoice> Choose(const std::string& named_lawyer_id,
                                            const AssignmentNeed& need) const;

  [[nodiscard]] const std::map<std::string, LawyerState>& lawyers() const { return lawyers_; }

  // The roster as a writer stores it (ingest/writer_store.h), and back.
  void Export(v1::SharedStateSnapshot& out) const;
  void Import(const v1::SharedStateSnapshot& in);

 private:
  std::map<std::string, LawyerState> lawyers_;
  std::set<std::string> firms_;
  uint64_t folded_ = 0;  // assignments folded, the tie-breaker of last_assigned
};

Result<Decision> DecideLawyer(const v1::Command& command, const LawyerState& state,
                              const Roster& roster);
Result<Decision> DecideFirm(const v1::Command& command, bool exists);

}  // namespace aidtrail::domain
