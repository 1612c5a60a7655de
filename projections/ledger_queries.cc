#include "projections/ledger_queries.h"

#include <cmath>
#include <cstdlib>

#include "projections/ledger_views.h"

namespace aidtrail::projections {
namespace {

const std::string kZ(1, '\0');

std::vector<std::string> Split(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= key.size(); ++i)
    if (i == key.size() || key[i] == '\0') {
      parts.push_back(key.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

}  // namespace

std::map<std::string, int64_t> SumCounters(const ViewStore& store, const std::string& family,
                                           const std::string& prefix) {
  std::map<std::string, int64_t> out;
  store.Scan(family, prefix, [&](const std::string& key, const std::string& value) {
    auto parts = Split(key.substr(prefix.size()));
    parts.pop_back();  // the partition tag
    std::string k;
    for (size_t i = 0; i < parts.size(); ++i) k += (i ? "/" : "") + parts[i];
    out[k] += DecodeCounter(value);
    return true;
  });
  return out;
}

int64_t YearLedger::TotalPaid() const {
  int64_t t = 0;
  for (const auto& [k, v] : paid_fen) t += v;
  return t;
}

int64_t YearLedger::TotalApproved() const {
  int64_t t = 0;
  for (const auto& [k, v] : approved_fen) t += v;
  return t;
}

namespace {

int QuarterOf(const std::string& key) {  // "Q3/..." -> 3
  return key.size() >= 2 && key[0] == 'Q' ? key[1] - '0' : 0;
}

}  // namespace

int64_t YearLedger::UnpaidAt(int through_quarter) const {
  const int last = through_quarter >= 1 && through_quarter <= 4 ? through_quarter : 4;
  int64_t unpaid = 0;
  for (const auto& [k, v] : approved_fen)
    if (QuarterOf(k) <= last) unpaid += v;
  // Payments made by the period's end toward this year's approvals (a
  // payment never precedes its approval, so none are of later quarters').
  const std::string own = "/" + std::to_string(year);
  for (const auto& [k, v] : settled_fen)
    if (QuarterOf(k) <= last && k.size() > own.size() && k.ends_with(own)) unpaid -= v;
  return unpaid;
}

int64_t YearLedger::ServiceUnpaidAt(const std::string& line, int through_quarter) const {
  const int last = through_quarter >= 1 && through_quarter <= 4 ? through_quarter : 4;
  const std::string head = line + "/";
  int64_t unpaid = 0;
  for (const auto& [k, v] : service_approved_fen)
    if (k.starts_with(head) && QuarterOf(k.substr(head.size())) <= last) unpaid += v;
  const std::string own = "/" + std::to_string(year);
  for (const auto& [k, v] : service_settled_fen)
    if (k.starts_with(head) && QuarterOf(k.substr(head.size())) <= last && k.ends_with(own))
      unpaid -= v;
  return unpaid;
}

int64_t YearLedger::ServicePaidForEarlierYears(const std::string& line, int quarter) const {
  const std::string head = line + "/";
  int64_t paid = 0;
  for (const auto& [k, v] : service_settled_fen) {
    if (!k.starts_with(head)) continue;
    const std::string rest = k.substr(head.size());  // "Q1/2023"
    const int approved_year = std::atoi(rest.substr(rest.find('/') + 1).c_str());
    if ((quarter < 1 || quarter > 4 || QuarterOf(rest) == quarter) && approved_year < year)
      paid += v;
  }
  return paid;
}

int64_t YearLedger::PaidForEarlierYears(int quarter) const {
  int64_t paid = 0;
  for (const auto& [k, v] : settled_fen) {
    const int approved_year = std::atoi(k.substr(k.find('/') + 1).c_str());
    if ((quarter < 1 || quarter > 4 || QuarterOf(k) == quarter) && approved_year < year) paid += v;
  }
  return paid;
}

int64_t YearLedger::CaseSubsidyRemaining() const {
  auto it = lines.find("BUDGET_LINE_CASE_SUBSIDY");
  const int64_t budget =
      it == lines.end() ? 0 : it->second.appropriated_fen + it->second.adjusted_fen;
  return budget - TotalPaid();
}

YearLedger LedgerQueries::Ledger(int year) const {
  YearLedger l;
  l.year = year;
  const std::string y = std::to_string(year) + kZ;
  for (const auto& [k, v] : SumCounters(store_, kLedger, "budget" + kZ + y)) {
    const auto slash = k.find('/');
    (k.substr(slash + 1) == "appropriated" ? l.lines[k.substr(0, slash)].appropriated_fen
                                           : l.lines[k.substr(0, slash)].adjusted_fen) += v;
  }
  for (const auto& [k, v] : SumCounters(store_, kLedger, "spent" + kZ + y))
    l.lines[k.substr(0, k.find('/'))].spent_fen += v;
  l.approved_fen = SumCounters(store_, kLedger, "approved" + kZ + y);
  l.approved_count = SumCounters(store_, kLedger, "approved_count" + kZ + y);
  l.paid_fen = SumCounters(store_, kLedger, "paid" + kZ + y);
  l.paid_count = SumCounters(store_, kLedger, "paid_count" + kZ + y);
  l.paid_by_firm_fen = SumCounters(store_, kLedger, "paid_firm" + kZ + y);
  l.settled_fen = SumCounters(store_, kLedger, "settled" + kZ + y);
  l.service_approved_fen = SumCounters(store_, kLedger, "svc_approved" + kZ + y);
  l.service_settled_fen = SumCounters(store_, kLedger, "svc_settled" + kZ + y);
  l.recovered_fen = SumCounters(store_, kLedger, "recovered" + kZ + y);
  return l;
}

Result<v1::PaymentTrace> LedgerQueries::Trace(const std::string& case_stream,
                                              const std::string& subsidy_id) const {
  const auto b = store_.Get(kPayments, case_stream + kZ + subsidy_id);
  v1::PaymentTrace t;
  if (!b || !t.ParseFromString(*b))
    return MakeError(ErrorKind::kNotFound, "payment.not_found",
                     "no subsidy " + subsidy_id + " on " + case_stream,
                     "案件" + case_stream + "没有补贴" + subsidy_id);
  return t;
}

std::vector<v1::ServicePayTrace> LedgerQueries::ServicePayments(int fiscal_year) const {
  std::vector<v1::ServicePayTrace> out;
  store_.Scan(kServicePayments, "", [&](const std::string&, const std::string& value) {
    v1::ServicePayTrace t;
    if (t.ParseFromString(value) &&
        (t.fiscal_year() == fiscal_year || t.approved_fiscal_year() == fiscal_year))
      out.push_back(std::move(t));
    return true;
  });
  return out;
}

std::vector<v1::PaymentTrace> LedgerQueries::Payments(int fiscal_year) const {
  std::vector<v1::PaymentTrace> out;
  store_.Scan(kPayments, "", [&](const std::string&, const std::string& value) {
    v1::PaymentTrace t;
    if (t.ParseFromString(value) && t.fiscal_year() == fiscal_year && !t.payment_ref().empty())
      out.push_back(t);
    return true;
  });
  return out;
}

FairnessReport LedgerQueries::Fairness(int year) const {
  FairnessReport r;
  r.year = year;
  std::map<std::string, LawyerLoad> loads;
  for (const auto& [k, v] : SumCounters(store_, kFairness, std::to_string(year) + kZ)) {
    // lawyer/category/method
    const auto a = k.find('/'), b = k.find('/', a + 1);
    LawyerLoad& l = loads[k.substr(0, a)];
    l.lawyer_id = k.substr(0, a);
    l.cases += v;
    l.by_category[k.substr(a + 1, b - a - 1)] += v;
    const std::string method = k.substr(b + 1);
    l.by_method[method] += v;
    if (method == "ASSIGNMENT_METHOD_ROTATION")
      r.rotation += v;
    else if (method == "ASSIGNMENT_METHOD_APPLICANT_CHOICE")
      r.applicant_choice += v;
    else
      r.specialty_team += v;
  }
  bool first = true;
  double sum = 0;
  for (auto& [id, l] : loads) {
    const int64_t rot = l.by_method["ASSIGNMENT_METHOD_ROTATION"];
    r.min_rotation = first ? rot : std::min(r.min_rotation, rot);
    r.max_rotation = first ? rot : std::max(r.max_rotation, rot);
    first = false;
    sum += double(rot);
    r.lawyers.push_back(l);
  }
  if (!r.lawyers.empty()) {
    r.mean_rotation = sum / double(r.lawyers.size());
    for (const auto& l : r.lawyers) {
      const double rot = double(l.by_method.count("ASSIGNMENT_METHOD_ROTATION")
                                    ? l.by_method.at("ASSIGNMENT_METHOD_ROTATION")
                                    : 0);
      if (r.mean_rotation > 0)
        r.max_deviation =
            std::max(r.max_deviation, std::abs(rot - r.mean_rotation) / r.mean_rotation);
    }
  }
  return r;
}

std::map<std::string, int64_t> LedgerQueries::NoticeCounts(int year) const {
  return SumCounters(store_, kNotice, std::to_string(year) + kZ);
}

}  // namespace aidtrail::projections
