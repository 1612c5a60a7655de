#include "projections/case_queries.h"

#include <algorithm>

#include "events/domain/closed_loop.h"
#include "events/domain/deadlines.h"
#include "projections/case_views.h"
#include "projections/state_cache.h"
#include "projections/supervision_index.h"

namespace aidtrail::projections {
namespace {

const std::string kZ(1, '\0');

}  // namespace

// The summary carries the status by name; judge it by the domain's rule.
bool StepNeedsAction(const v1::LoopStep& l) {
  const auto status = domain::ParseLoopStatus(l.status());
  return status && domain::NeedsAction(*status);
}

namespace {
// Still open, and counted through a year with no holiday calendar.
bool OpenUncalendared(const v1::DeadlineView& d) {
  return d.uncalendared_year() != 0 && d.done_on().empty();
}
}  // namespace

bool HasUncalendaredDeadline(const v1::CaseSummary& s) {
  for (const auto& d : s.deadlines())
    if (OpenUncalendared(d)) return true;
  return false;
}

void Evaluate(v1::CaseSummary& s, const domain::CaseState& c, const domain::PolicyState& policy,
              Instant now) {
  const auto deadlines = domain::CaseDeadlines(c, policy, now);
  for (const auto& d : deadlines) {
    auto* v = s.add_deadlines();
    v->set_kind(domain::DeadlineKindName(d.kind));
    v->set_label_zh(domain::DeadlineKindLabelZh(d.kind));
    v->set_due(d.due.ToString());
    if (d.done_on) v->set_done_on(d.done_on->ToString());
    if (d.recorded_on) v->set_recorded_on(d.recorded_on->ToString());
    v->set_status(domain::DeadlineStatusName(d.status));
    if (d.uncalendared_year) v->set_uncalendared_year(*d.uncalendared_year);
  }
  for (const auto& step : domain::ClosedLoop(c, policy, now)) {
    auto* l = s.add_loop();
    l->set_step(domain::LoopStepName(step.step));
    l->set_label_zh(domain::LoopStepLabelZh(step.step));
    l->set_status(domain::LoopStatusName(step.status));
  }
}

std::vector<v1::Event> CaseQueries::Timeline(const std::string& stream) const {
  std::vector<v1::Event> out;
  FoldTimeline(store_, stream, [&](const v1::Event& e) { out.push_back(e); });
  return out;
}

std::shared_ptr<const domain::PolicyState> CaseQueries::Policy() const {
  return StateCache::Shared().Policy(store_);
}

namespace {

bool Matches(const CaseFilter& f, const v1::CaseSummary& s) {
  if (!f.stage.empty() && s.stage() != f.stage) return false;
  if (f.late_entry && s.late_entries().empty()) return false;
  if (f.corrected && s.corrections().empty()) return false;
  if (!f.lawyer_id.empty() && s.lawyer_id() != f.lawyer_id) return false;
  if (!f.agency.empty() && s.agency() != f.agency) return false;
  return Wanted(f, AttentionOf(s));
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Only the clock-dependent filters: the supervision index answers those.
bool OnlyAttention(const CaseFilter& f) {
  return f.stage.empty() && !f.late_entry && !f.corrected && f.lawyer_id.empty() &&
         f.agency.empty() && (!f.overdue.empty() || !f.missing_step.empty() || f.uncalendared);
}

}  // namespace

Attention AttentionOf(const v1::CaseSummary& s) {
  Attention a;
  for (const auto& d : s.deadlines())
    if (d.status() == "missed" && d.done_on().empty() && !Contains(a.overdue, d.kind()))
      a.overdue.push_back(d.kind());
  for (const auto& l : s.loop())
    if (StepNeedsAction(l) && !Contains(a.missing, l.step())) a.missing.push_back(l.step());
  for (const auto& d : s.deadlines())
    if (OpenUncalendared(d)) a.uncalendared_years.push_back(d.uncalendared_year());
  return a;
}

bool Wanted(const CaseFilter& f, const Attention& a) {
  if (f.uncalendared && a.uncalendared_years.empty()) return false;
  if (!f.overdue.empty() &&
      (f.overdue == "any" ? a.overdue.empty() : !Contains(a.overdue, f.overdue)))
    return false;
  if (!f.missing_step.empty() &&
      (f.missing_step == "any" ? a.missing.empty() : !Contains(a.missing, f.missing_step)))
    return false;
  return true;
}

Result<v1::CaseSummary> CaseQueries::Summary(const std::string& stream, Instant now) const {
  const auto bytes = store_.Get(kCases, stream);
  v1::CaseSummary s;
  if (!bytes || !s.ParseFromString(*bytes))
    return MakeError(ErrorKind::kNotFound, "case.not_found", "no case '" + stream + "'",
                     "未找到案件“" + stream + "”");
  Evaluate(s, *StateCache::Shared().Case(store_, stream, s.version()), *Policy(), now);
  return s;
}

Result<CasePage> CaseQueries::List(const CaseFilter& f, const std::string& page, size_t limit,
                                   Instant now) const {
  if (limit == 0 || limit > 500)
    return MakeError(ErrorKind::kInvalidArgument, "list.limit", "limit must be between 1 and 500",
                     "每页条数须在1到500之间", "limit");
  // Choose the narrowest index the filter allows.
  std::string prefix = "received" + kZ;
  if (f.late_entry)
    prefix = "late" + kZ;
  else if (f.corrected)
    prefix = "corrected" + kZ;
  else if (!f.lawyer_id.empty())
    prefix = "lawyer" + kZ + f.lawyer_id + kZ;
  else if (!f.agency.empty())
    prefix = "agency" + kZ + f.agency + kZ;
  else if (!f.stage.empty())
    prefix = "stage" + kZ + f.stage + kZ;
  const bool use_index = use_index_ && OnlyAttention(f);
  CasePage out;
  // Priority cases (the green channel) come first in every list: one pass
  // over the index takes only them, a second the rest, each in the order
  // received. The page token names the pass: "P" or "R", then the key.
  std::string last_key;
  char pass = 'P';
  std::string start_after;
  if (!page.empty()) {
    if ((page[0] != 'P' && page[0] != 'R') || page.size() < 2)
      return MakeError(ErrorKind::kInvalidArgument, "list.page", "this page token is not ours",
                       "分页标记无效，请从第一页重新查询", "page");
    pass = page[0];
    start_after = page.substr(1);
  }
  for (; pass != 0; pass = pass == 'P' ? 'R' : 0, start_after.clear()) {
    auto visit = [&](const std::string& key, const std::string& stream) {
      last_key = key;
      const std::string rest = key.substr(prefix.size());
      const std::string received = rest.substr(0, rest.find('\0'));
      if (!f.received_from.empty() && received < f.received_from) return true;
      // Every index orders its entries by date received: past the range, stop.
      if (!f.received_to.empty() && received > f.received_to) return false;
      auto summary = Summary(stream, now);
      if (!summary.ok()) return true;
      if (summary->priority() != (pass == 'P')) return true;
      if (!Matches(f, *summary)) return true;
      out.cases.push_back(std::move(summary).value());
      return out.cases.size() < limit;
    };
    // The supervision filters over every case: the index in memory names
    // the candidates; anything else scans the narrowest stored index.
    if (!use_index ||
        !SupervisionIndex::Shared().Walk(store_, f, now, pass == 'P', start_after, visit))
      store_.Scan(
          kCaseIndex, prefix,
          [&](const std::string& key, const std::string&) {
            return visit(key, key.substr(key.rfind('\0') + 1));
          },
          start_after);
    if (out.cases.size() == limit) {
      out.next_page = std::string(1, pass) + last_key;
      return out;
    }
  }
  return out;
}

}  // namespace aidtrail::projections
