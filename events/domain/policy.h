// The policy aggregate (stream "policy"): hardship and subsidy standards,
// the exemption list, holiday calendars, deadline rules and jurisdiction, as
// of a given stream version. Decisions name that version ("policy@N").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "aidtrail/v1/policy.pb.h"
#include "events/core/civil_date.h"
#include "events/domain/decision.h"

namespace aidtrail::domain {

inline constexpr char kPolicyStream[] = "policy";

class PolicyState {
 public:
  PolicyState();

  // Folds one event of the policy stream.
  void Apply(const v1::Event& event);

  [[nodiscard]] uint64_t version() const { return version_; }
  [[nodiscard]] std::string VersionTag() const { return "policy@" + std::to_string(version_); }

  [[nodiscard]] const v1::HardshipStandardSet* Hardship(const std::string& region, int year) const;
  // The subsidy standard for `key` in force on `day`.
  [[nodiscard]] const v1::SubsidyStandardSet* Subsidy(const std::string& key, CivilDate day) const;
  // The subsidy method (factors and shares) in force on `day`; null: none.
  [[nodiscard]] const v1::SubsidyMethodSet* SubsidyMethod(CivilDate day) const;
  // Whether `ground` spares the hardship test for an application received
  // on `day`: Art. 42's grounds always, the others by the list in force
  // that day (a list applies from its effective_from, not from when it was
  // published).
  [[nodiscard]] bool IsExempt(v1::EligibilityGround ground, CivilDate day) const;
  // The effective_from of the exemption list in force on `day` ("" when no
  // list, or a list recorded without one, is in force). Two days are under
  // the same list exactly when this is equal for both.
  [[nodiscard]] std::string ExemptionListFrom(CivilDate day) const;
  [[nodiscard]] const v1::DeadlineRulesSet& rules() const { return rules_; }
  // The jurisdiction in force on `day` (empty when none was published for
  // it: nothing to check).
  [[nodiscard]] const v1::JurisdictionSet& Jurisdiction(CivilDate day) const;
  [[nodiscard]] bool IsHoliday(CivilDate d) const { return holidays_.count(d.days()) > 0; }
  [[nodiscard]] bool IsMakeUpWorkday(CivilDate d) const { return workdays_.count(d.days()) > 0; }
  [[nodiscard]] bool HasCalendar(int year) const { return calendars_.count(year) > 0; }
  // Whether `region` is in the city by the jurisdiction in force on `day`.
  [[nodiscard]] bool InCity(const std::string& region, CivilDate day) const;

  // The policy deadlines are judged on for a step recorded at `t`: holiday
  // calendars and deadline rules recorded after `t` are not in it, so
  // publishing a calendar or a counting rule never rewrites the verdict of a
  // step already recorded. *this when nothing of that kind came after `t`.
  // (Policy recorded without a writer's time counts as always known.)
  [[nodiscard]] const PolicyState& AsOf(Instant t) const;

 private:
  uint64_t version_ = 0;
  std::map<std::pair<std::string, int>, v1::HardshipStandardSet> hardship_;
  // key -> (effective_from day -> standard)
  std::map<std::string, std::map<int32_t, v1::SubsidyStandardSet>> subsidy_;
  std::map<int32_t, v1::SubsidyMethodSet> subsidy_method_;  // effective_from day -> method
  [[nodiscard]] const std::set<int>* ExemptionListOn(CivilDate day) const;

  std::map<int32_t, std::set<int>> exempt_;  // effective_from day -> grounds
  std::map<int, std::pair<std::set<int32_t>, std::set<int32_t>>>
      calendars_;  // year -> (holidays, workdays)
  std::set<int32_t> holidays_;
  std::set<int32_t> workdays_;
  v1::DeadlineRulesSet rules_;
  std::map<int32_t, v1::JurisdictionSet> jurisdiction_;  // effective_from day -> set
  // The state before each calendar or deadline-rule change, and when that
  // change was recorded; oldest first. Snapshots hold no history of their
  // own. Shared, so copying a PolicyState stays cheap.
  struct Snapshot {
    Instant until;
    std::shared_ptr<const PolicyState> state;
  };
  std::vector<Snapshot> deadline_history_;
};

// Art. 42's grounds: a floor no policy list can remove.
bool IsStatutoryExemption(v1::EligibilityGround ground);

// The statutory deadline rules, in force until a DeadlineRulesSet replaces them.
v1::DeadlineRulesSet StatutoryDeadlineRules();

// Validates a policy command (admin only; checked by the caller).
Result<Decision> DecidePolicy(const v1::Command& command, const PolicyState& state);

}  // namespace aidtrail::domain
