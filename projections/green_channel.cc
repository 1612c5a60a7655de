#include "projections/green_channel.h"

#include <algorithm>
#include <cmath>

#include "aidtrail/v1/views.pb.h"
#include "events/core/civil_date.h"
#include "projections/case_views.h"
#include "projections/notice_labels.h"

namespace aidtrail::projections {
namespace {

// The periods a day falls in: its year, quarter and month.
std::vector<std::string> PeriodsOf(const std::string& iso) {
  const std::string year = iso.substr(0, 4), month = iso.substr(5, 2);
  const int m = std::stoi(month);
  return {year, year + "-Q" + std::to_string((m - 1) / 3 + 1), year + "-" + month};
}

std::vector<std::string> GroupsOf(const v1::CaseSummary& s) {
  std::vector<std::string> out = {s.priority() ? "priority" : "others"};
  for (int g : s.key_groups()) out.push_back(v1::KeyGroup_Name(static_cast<v1::KeyGroup>(g)));
  return out;
}

WaitStats Stats(std::vector<int> days) {
  WaitStats w;
  w.cases = int64_t(days.size());
  if (days.empty()) return w;
  w.median_days = Quantile(days, 0.5);
  w.p90_days = Quantile(days, 0.9);
  return w;
}

// Period ordering: the year, then its quarters, then its months.
int PeriodRank(const std::string& p) {
  if (p.size() == 4) return 0;
  if (p[5] == 'Q') return 1 + (p[6] - '0');
  return 10 + std::stoi(p.substr(5, 2));
}

}  // namespace

std::string WaitGroupLabelZh(const std::string& group) {
  if (group == "priority") return "重点人群（绿色通道）";
  if (group == "others") return "其他申请人";
  for (const Label& l : KeyGroupLabels())
    if (l.key == group) return l.zh;
  return group;
}

int Quantile(std::vector<int>& days, double q) {
  std::sort(days.begin(), days.end());
  const auto rank = size_t(std::ceil(q * double(days.size())));
  return days[std::max<size_t>(rank, 1) - 1];
}

std::vector<GreenChannelRow> GreenChannel(const ViewStore& store, int year) {
  using Key = std::pair<std::string, std::string>;  // period, group
  std::map<Key, std::vector<int>> decision, assignment;
  const std::string y = std::to_string(year);
  store.Scan(kCases, "", [&](const std::string&, const std::string& value) {
    v1::CaseSummary s;
    if (!s.ParseFromString(value) || s.notification() || s.received_on().empty()) return true;
    const auto received = CivilDate::Parse(s.received_on());
    if (!received.ok()) return true;
    std::optional<CivilDate> decided;
    if (auto d = CivilDate::Parse(s.decided_on()); d.ok()) decided = *d;
    if (decided && s.decided_on().starts_with(y)) {
      const int wait = std::max(0, decided->days() - received->days());
      for (const auto& p : PeriodsOf(s.decided_on()))
        for (const auto& g : GroupsOf(s)) decision[{p, g}].push_back(wait);
    }
    if (auto a = CivilDate::Parse(s.assigned_on()); a.ok() && s.assigned_on().starts_with(y)) {
      // Aid first: assigned before the decision, no wait at all.
      const int wait = decided ? std::max(0, a->days() - decided->days()) : 0;
      for (const auto& p : PeriodsOf(s.assigned_on()))
        for (const auto& g : GroupsOf(s)) assignment[{p, g}].push_back(wait);
    }
    return true;
  });
  std::map<Key, GreenChannelRow> rows;
  for (auto& [k, days] : decision) rows[k].to_decision = Stats(std::move(days));
  for (auto& [k, days] : assignment) rows[k].to_assignment = Stats(std::move(days));
  std::vector<GreenChannelRow> out;
  for (auto& [k, row] : rows) {
    row.period = k.first;
    row.group = k.second;
    out.push_back(std::move(row));
  }
  std::stable_sort(out.begin(), out.end(), [](const GreenChannelRow& a, const GreenChannelRow& b) {
    return PeriodRank(a.period) < PeriodRank(b.period);
  });
  return out;
}

}  // namespace aidtrail::projections
