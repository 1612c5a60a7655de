#include "projections/case_queries.h"

#include "events/domain/closed_loop.h"
#include "events/domain/deadlines.h"
#include "projections/case_views.h"
#include "projections/state_cache.h"

namespace aidtrail::projections {
namespace {

const std::string kZ(1, '\0');

}  // namespace

// The summary carries the status by name; judge it by the domain's rule.
bool StepNeedsAction(const v1::LoopStep& l) {
  const auto status = domain::ParseLoopStatus(l.status());
  return status && domain::NeedsAction(*status);
}

bool HasUncalendaredDeadline(const v1::CaseSummary& s) {
  for (const auto& d : s.deadlines())
    if (d.uncalendared_year() != 0 && d.done_on().empty()) return true;
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
  if (f.uncalendared && !HasUncalendaredDeadline(s)) return false;
  if (!f.lawyer_id.empty() && s.lawyer_id() != f.lawyer_id) return false;
  if (!f.agency.empty() && s.agency() != f.agency) return false;
  if (!f.overdue.empty()) {
    bool hit = false;
    for (const auto& d : s.deadlines())
      hit |= d.status() == "missed" && d.done_on().empty() &&
             (f.overdue == "any" || d.kind() == f.overdue);
    if (!hit) return false;
  }
  if (!f.missing_step.empty()) {
    bool hit = false;
    for (const auto& l : s.loop())
      hit |= StepNeedsAction(l) && (f.missing_step == "any" || l.step() == f.missing_step);
    if (!hit) return false;
  }
  return true;
}

}  // namespace

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
    store_.Scan(
        kCaseIndex, prefix,
        [&](const std::string& key, const std::string&) {
          last_key = key;
          const std::string rest = key.substr(prefix.size());
          const std::string received = rest.substr(0, rest.find('\0'));
          const std::string stream = rest.substr(rest.rfind('\0') + 1);
          if (!f.received_from.empty() && received < f.received_from) return true;
          // Every index orders its entries by date received: past the range, stop.
          if (!f.received_to.empty() && received > f.received_to) return false;
          auto summary = Summary(stream, now);
          if (!summary.ok()) return true;
          if (summary->priority() != (pass == 'P')) return true;
          if (!Matches(f, *summary)) return true;
          out.cases.push_back(std::move(summary).value());
          return out.cases.size() < limit;
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
