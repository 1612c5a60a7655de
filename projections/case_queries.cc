#include "projections/case_queries.h"

#include "events/domain/deadlines.h"
#include "projections/case_views.h"

namespace aidtrail::projections {
namespace {

const std::string kZ(1, '\0');

void Step(v1::CaseSummary& s, const char* step, const char* label, const char* status) {
  auto* l = s.add_loop();
  l->set_step(step);
  l->set_label_zh(label);
  l->set_status(status);
}

const char* FromDeadline(const std::vector<domain::Deadline>& ds, domain::DeadlineKind kind) {
  for (const auto& d : ds)
    if (d.kind == kind)
      return d.status == domain::DeadlineStatus::kMet            ? "present"
             : d.status == domain::DeadlineStatus::kMetLateEntry ? "late_entry"
             : d.status == domain::DeadlineStatus::kMissed       ? "late"
                                                                 : "pending";
  return nullptr;
}

}  // namespace

void Evaluate(v1::CaseSummary& s, const domain::CaseState& c, const domain::PolicyState& policy, Instant now) {
  using domain::DeadlineKind;
  const auto deadlines = domain::CaseDeadlines(c, policy, now);
  for (const auto& d : deadlines) {
    auto* v = s.add_deadlines();
    v->set_kind(domain::DeadlineKindName(d.kind));
    v->set_label_zh(domain::DeadlineKindLabelZh(d.kind));
    v->set_due(d.due.ToString());
    if (d.done_on) v->set_done_on(d.done_on->ToString());
    if (d.recorded_on) v->set_recorded_on(d.recorded_on->ToString());
    v->set_status(domain::DeadlineStatusName(d.status));
  }
  using domain::Stage;
  const bool closed = c.stage == Stage::kClosed;
  const bool handling = c.stage == Stage::kInHandling || closed;
  if (const char* st = FromDeadline(deadlines, DeadlineKind::kReview)) Step(s, "review_in_time", "按期审查决定", st);
  const char* assign = FromDeadline(deadlines, c.notification ? DeadlineKind::kAssignAfterNotification
                                                               : DeadlineKind::kAssignAfterApproval);
  if (assign) Step(s, "assignment_in_time", "按期指派", assign);
  if (!handling) return;
  bool sampled = false, unattended = false;
  for (const auto& [id, h] : c.hearings) {
    sampled |= h.sampled;
    unattended |= h.sampled && h.held && !h.attended;
  }
  Step(s, "hearing_attendance", "庭审旁听", !sampled ? "not_required" : unattended ? "missing" : "present");
  Step(s, "follow_up", "回访受援人", c.follow_up_version ? "present" : closed ? "missing" : "pending");
  const bool litigation = c.category != v1::CASE_CATEGORY_NON_LITIGATION;
  Step(s, "authority_opinion", "征询办案机关意见",
       !litigation ? "not_required" : c.authority_opinion_version ? "present" : closed ? "missing" : "pending");
  Step(s, "quality_review", "案件质量评查",
       c.quality_review_version == 0 ? (closed ? "missing" : "pending")
       : c.quality_grade == v1::QUALITY_GRADE_FAIL ? "failed" : "present");
  Step(s, "rectification", "整改落实", c.rectifications.empty() ? "not_required" : c.OpenRectifications() ? "missing" : "present");
  if (closed) {
    const char* files = c.closing_accepted ? "present" : FromDeadline(deadlines, DeadlineKind::kClosingFiles);
    Step(s, "closing_files", "结案材料提交与审查", files && std::string(files) == "late" ? "late" : c.closing_accepted ? "present" : "missing");
  }
}

std::vector<v1::Event> CaseQueries::Timeline(const std::string& stream) const {
  std::vector<v1::Event> out;
  FoldTimeline(store_, stream, [&](const v1::Event& e) { out.push_back(e); });
  return out;
}

domain::PolicyState CaseQueries::Policy() const {
  domain::PolicyState p;
  FoldTimeline(store_, domain::kPolicyStream, [&](const v1::Event& e) { p.Apply(e); });
  return p;
}

Result<v1::CaseSummary> CaseQueries::Summary(const std::string& stream, Instant now) const {
  const auto bytes = store_.Get(kCases, stream);
  v1::CaseSummary s;
  if (!bytes || !s.ParseFromString(*bytes))
    return MakeError(ErrorKind::kNotFound, "case.not_found", "no case '" + stream + "'", "未找到案件“" + stream + "”");
  domain::CaseState state;
  FoldTimeline(store_, stream, [&](const v1::Event& e) {
    if (e.stream_version() <= s.version()) domain::EvolveCase(state, e);
  });
  Evaluate(s, state, Policy(), now);
  return s;
}

Result<CasePage> CaseQueries::List(const CaseFilter& f, const std::string& page, size_t limit, Instant now) const {
  if (limit == 0 || limit > 500)
    return MakeError(ErrorKind::kInvalidArgument, "list.limit", "limit must be between 1 and 500", "每页条数须在1到500之间", "limit");
  // Choose the narrowest index the filter allows.
  std::string prefix = "received" + kZ;
  if (f.late_entry)
    prefix = "late" + kZ;
  else if (!f.lawyer_id.empty())
    prefix = "lawyer" + kZ + f.lawyer_id + kZ;
  else if (!f.agency.empty()) prefix = "agency" + kZ + f.agency + kZ;
  else if (!f.stage.empty()) prefix = "stage" + kZ + f.stage + kZ;
  const domain::PolicyState policy = Policy();
  CasePage out;
  std::string last_key;
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
        if (!f.stage.empty() && summary->stage() != f.stage) return true;
        if (f.late_entry && summary->late_entries().empty()) return true;
        if (!f.lawyer_id.empty() && summary->lawyer_id() != f.lawyer_id) return true;
        if (!f.agency.empty() && summary->agency() != f.agency) return true;
        if (!f.overdue.empty()) {
          bool hit = false;
          for (const auto& d : summary->deadlines())
            hit |= d.status() == "missed" && d.done_on().empty() && (f.overdue == "any" || d.kind() == f.overdue);
          if (!hit) return true;
        }
        if (!f.missing_step.empty()) {
          bool hit = false;
          for (const auto& l : summary->loop())
            hit |= (l.status() == "missing" || l.status() == "late" || l.status() == "failed") &&
                   (f.missing_step == "any" || l.step() == f.missing_step);
          if (!hit) return true;
        }
        out.cases.push_back(std::move(summary).value());
        return out.cases.size() < limit;
      },
      page.empty() ? std::string() : page);
  if (out.cases.size() == limit) out.next_page = last_key;
  return out;
}

}  // namespace aidtrail::projections
