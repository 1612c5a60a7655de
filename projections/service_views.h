// Service records that are not cases, for supervisors' work queues:
// home-visit appointments still open (requested, neither completed nor
// cancelled), and duty-lawyer services and days per lawyer and year.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "projections/engine.h"

namespace aidtrail::projections {

inline constexpr char kServices[] = "services";

class ServiceView final : public View {
 public:
  [[nodiscard]] std::string name() const override { return "services"; }
  [[nodiscard]] std::vector<std::string> families() const override { return {kServices}; }
  void Apply(const store::ScannedCommit& commit, Batch& batch) override;
};

struct OpenHomeVisit {
  std::string service_id;      // stream id, "service/<id>"
  std::string requested_date;  // the day the visit was asked for
  std::string reason;          // HomeVisitReason name
};

class ServiceQueries {
 public:
  explicit ServiceQueries(const ViewStore& store) : store_(store) {}
  // Appointments still open whose requested date is on or before `by` (YYYY-MM-DD).
  [[nodiscard]] std::vector<OpenHomeVisit> OpenHomeVisits(const std::string& by) const;
  // "lawyer/service" and "lawyer/day" counts for a year, e.g. "L3/service" -> 41.
  [[nodiscard]] std::map<std::string, int64_t> DutyByLawyer(int year) const;

 private:
  const ViewStore& store_;
};

}  // namespace aidtrail::projections
