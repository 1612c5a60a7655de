#include "projections/case_views.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "events/domain/corrections.h"
#include "events/domain/streams.h"

namespace aidtrail::projections {

std::string TimelineKey(const std::string& stream, uint64_t version) {
  return stream + std::string(1, '\0') + BigEndian64(version);
}

void TimelineView::Apply(const store::ScannedCommit& commit, Batch& batch) {
  for (const v1::Event& e : commit.commit.events())
    batch.Put(kTimeline, TimelineKey(e.stream_id(), e.stream_version()), e.SerializeAsString());
}

void FoldTimeline(const ViewStore& store, const std::string& stream,
                  const std::function<void(const v1::Event&)>& fn) {
  store.Scan(kTimeline, stream + std::string(1, '\0'),
             [&](const std::string&, const std::string& value) {
               v1::Event e;
               if (e.ParseFromString(value)) fn(e);
               return true;
             });
}

v1::CaseSummary Summarize(const std::string& stream, const domain::CaseState& s,
                          const std::string& agency) {
  v1::CaseSummary out;
  out.set_case_id(stream);
  out.set_version(s.version);
  out.set_stage(domain::StageName(s.stage));
  out.set_stage_zh(domain::StageLabelZh(s.stage));
  out.set_category(s.category);
  out.set_channel(s.channel);
  out.set_matter_type(s.notification ? v1::MATTER_TYPE_CRIMINAL_DEFENCE : s.matter_type);
  out.set_persons(s.notification ? 1 : s.persons);
  out.set_notification(s.notification);
  out.set_priority(s.priority);
  for (auto g : s.key_groups) out.add_key_groups(g);
  out.set_agency(agency);
  out.set_lawyer_id(s.lawyer_id);
  out.set_firm_id(s.firm_id);
  out.set_received_on(s.received_on.ToString());
  if (s.decided_on) out.set_decided_on(s.decided_on->ToString());
  if (s.first_assigned_on) out.set_assigned_on(s.first_assigned_on->ToString());
  if (s.closed_on) out.set_closed_on(s.closed_on->ToString());
  out.set_basis(s.basis);
  out.set_quality_grade(s.quality_grade);
  for (const auto& l : s.late_entries) {
    auto* v = out.add_late_entries();
    v->set_version(l.version);
    v->set_step(l.step);
    v->set_actor_id(l.actor.id());
    v->set_role(l.actor.role());
    *v->mutable_occurred_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(l.occurred_at.micros);
    *v->mutable_recorded_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(l.recorded_at.micros);
    v->set_late_by_minutes((l.recorded_at.micros - l.occurred_at.micros) / 60'000'000);
    v->set_window_minutes(l.window_minutes);
    v->set_reason(l.reason);
  }
  for (const auto& c : s.corrections) {
    auto* v = out.add_corrections();
    v->set_version(c.version);
    v->set_corrects_version(c.corrects_version);
    v->set_field(c.field);
    if (const auto* f = domain::FindCorrectableField(c.field)) v->set_field_zh(f->label_zh);
    v->set_corrected_value(c.corrected_value);
    v->set_actor_id(c.actor.id());
    v->set_role(c.actor.role());
    v->set_reason(c.reason);
  }
  out.set_simulated_clock(s.simulated_clock);
  out.set_migrated_events(s.migrated_events);
  for (const auto& [id, sub] : s.subsidies) {
    out.set_subsidy_approved_fen(out.subsidy_approved_fen() + sub.amount_fen);
    if (sub.paid) out.set_subsidy_paid_fen(out.subsidy_paid_fen() + sub.paid_fen);
    out.set_subsidy_outstanding_fen(out.subsidy_outstanding_fen() + sub.OutstandingFen());
  }
  return out;
}

std::string ReceivedKey(const v1::CaseSummary& s) {
  const std::string z(1, '\0');
  return "received" + z + s.received_on() + z + s.case_id();
}

std::vector<std::string> IndexKeys(const v1::CaseSummary& s) {
  const std::string z(1, '\0');
  std::vector<std::string> keys = {
      "stage" + z + s.stage() + z + s.received_on() + z + s.case_id(),
      ReceivedKey(s),
  };
  if (!s.lawyer_id().empty())
    keys.push_back("lawyer" + z + s.lawyer_id() + z + s.received_on() + z + s.case_id());
  if (!s.agency().empty())
    keys.push_back("agency" + z + s.agency() + z + s.received_on() + z + s.case_id());
  if (!s.late_entries().empty()) keys.push_back("late" + z + s.received_on() + z + s.case_id());
  if (!s.corrections().empty()) keys.push_back("corrected" + z + s.received_on() + z + s.case_id());
  return keys;
}

CaseSummaryView::States& CaseSummaryView::ForPartition(int32_t partition) {
  std::lock_guard lock(mu_);
  // References stay valid: unordered_map never moves its nodes.
  return states_.try_emplace(partition, cache_cap_).first->second;
}

CaseSummaryView::Folded& CaseSummaryView::Load(States& states, const std::string& stream,
                                               const Batch& batch) {
  if (Folded* cached = states.Find(stream)) return *cached;
  Folded& f = states.Insert(stream);
  if (const auto bytes = batch.Get(kCases, stream)) {
    f.stored.emplace();
    f.stored->ParseFromString(*bytes);
  }
  const uint64_t stored_version = f.stored ? f.stored->version() : 0;
  // Not seen since this process started, evicted, or after a failed batch:
  // fold the case's earlier events from the timeline — the store's, then
  // those of earlier commits in this batch, which only the batch holds.
  uint64_t folded = 0;
  if (stored_version > 0)
    FoldTimeline(batch.store(), stream, [&](const v1::Event& e) {
      if (e.stream_version() > stored_version) return;
      domain::EvolveCase(f.state, e);
      folded = e.stream_version();
    });
  for (uint64_t v = folded + 1; v <= stored_version; ++v) {
    v1::Event e;
    if (auto bytes = batch.Get(kTimeline, TimelineKey(stream, v));
        bytes && e.ParseFromString(*bytes))
      domain::EvolveCase(f.state, e);
  }
  return f;
}

void CaseSummaryView::Apply(const store::ScannedCommit& commit, Batch& batch) {
  const std::string& stream = commit.commit.stream_id();
  if (domain::KindOfStream(stream) != domain::StreamKind::kCase) return;
  Folded& f = Load(ForPartition(commit.position.partition), stream, batch);
  for (const v1::Event& e : commit.commit.events()) domain::EvolveCase(f.state, e);
  const std::string agency =
      f.stored ? f.stored->agency() : commit.commit.events(0).actor().agency();
  v1::CaseSummary now = Summarize(stream, f.state, agency);
  const auto old_keys = f.stored ? IndexKeys(*f.stored) : std::vector<std::string>{};
  const auto new_keys = IndexKeys(now);
  for (const auto& k : old_keys)
    if (std::find(new_keys.begin(), new_keys.end(), k) == new_keys.end())
      batch.Delete(kCaseIndex, k);
  for (const auto& k : new_keys)
    if (std::find(old_keys.begin(), old_keys.end(), k) == old_keys.end())
      batch.Put(kCaseIndex, k, "");
  batch.Put(kCases, stream, now.SerializeAsString());
  f.stored = std::move(now);
}

}  // namespace aidtrail::projections
