#include "projections/service_views.h"

#include "projections/ledger_queries.h"
#include "projections/ledger_views.h"

namespace aidtrail::projections {
namespace {

const std::string kZ(1, '\0');
std::string OpenKey(const std::string& date, const std::string& stream) {
  return "open" + kZ + date + kZ + stream;
}

}  // namespace

void ServiceView::Apply(const store::ScannedCommit& commit, Batch& batch) {
  const int32_t p = commit.position.partition;
  for (const v1::Event& e : commit.commit.events()) {
    const auto& x = e.payload();
    const std::string year = YearQuarter(e).first;
    switch (x.kind_case()) {
      case v1::EventPayload::kHomeVisitRequested:
        // The stored value remembers the key, so completion can remove it.
        batch.Put(kServices, OpenKey(x.home_visit_requested().requested_date(), e.stream_id()),
                  v1::HomeVisitReason_Name(x.home_visit_requested().reason()));
        batch.Put(kServices, "visit" + kZ + e.stream_id(),
                  x.home_visit_requested().requested_date());
        break;
      case v1::EventPayload::kHomeVisitCompleted:
      case v1::EventPayload::kHomeVisitCancelled:
        if (auto date = batch.Get(kServices, "visit" + kZ + e.stream_id())) {
          batch.Delete(kServices, OpenKey(*date, e.stream_id()));
          batch.Delete(kServices, "visit" + kZ + e.stream_id());
        }
        break;
      case v1::EventPayload::kDutyServiceRecorded:
        batch.Add(kServices,
                  CounterKey({"duty", year, x.duty_service_recorded().lawyer_id(), "service"}, p),
                  1);
        break;
      case v1::EventPayload::kDutySessionRecorded:
        batch.Add(kServices,
                  CounterKey({"duty", year, x.duty_session_recorded().lawyer_id(), "day"}, p), 1);
        break;
      default:
        break;
    }
  }
}

std::vector<OpenHomeVisit> ServiceQueries::OpenHomeVisits(const std::string& by) const {
  std::vector<OpenHomeVisit> out;
  store_.Scan(kServices, "open" + kZ, [&](const std::string& key, const std::string& value) {
    const std::string rest = key.substr(5);
    const std::string date = rest.substr(0, rest.find('\0'));
    if (date > by) return false;
    out.push_back({rest.substr(rest.find('\0') + 1), date, value});
    return true;
  });
  return out;
}

std::map<std::string, int64_t> ServiceQueries::DutyByLawyer(int year) const {
  return SumCounters(store_, kServices, "duty" + kZ + std::to_string(year) + kZ);
}

}  // namespace aidtrail::projections
