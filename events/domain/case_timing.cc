#include "events/domain/case_timing.h"

namespace aidtrail::domain {
namespace {

constexpr TimedStep kDayed[] = {TimedStep::kDecided,          TimedStep::kFirstAssigned,
                                TimedStep::kObjectionDecided, TimedStep::kClosingSubmitted,
                                TimedStep::kClosingReviewed,  TimedStep::kAuthorityInformed,
                                TimedStep::kEntrustmentSigned};

std::string StepName(const v1::EventPayload& p) {
  const auto* f = v1::EventPayload::descriptor()->FindFieldByNumber(int(p.kind_case()));
  return f ? f->name() : std::string("unknown");
}

// The event that (re)does a step, even on the same day as before.
std::optional<TimedStep> Redoes(v1::EventPayload::KindCase kind) {
  switch (kind) {
    case v1::EventPayload::kApplicationApproved:
    case v1::EventPayload::kApplicationRefused:
      return TimedStep::kDecided;
    case v1::EventPayload::kObjectionDecided:
      return TimedStep::kObjectionDecided;
    case v1::EventPayload::kClosingFilesSubmitted:
      return TimedStep::kClosingSubmitted;
    case v1::EventPayload::kClosingFilesReviewed:
      return TimedStep::kClosingReviewed;
    case v1::EventPayload::kCaseClosed:
      return TimedStep::kClosed;
    case v1::EventPayload::kAuthorityInformed:
      return TimedStep::kAuthorityInformed;
    case v1::EventPayload::kEntrustmentSigned:
      return TimedStep::kEntrustmentSigned;
    default:
      return std::nullopt;
  }
}

}  // namespace

TimedSteps TimedStepsOf(const CaseState& s) {
  TimedSteps t;
  if (s.Exists()) t.received = s.received_at;
  t.days = {s.decided_on,           s.first_assigned_on,   s.objection_decided_on,
            s.closing_submitted_on, s.closing_reviewed_on, s.authority_informed_on,
            s.entrustment_signed_on};
  return t;
}

void NoteEntryTime(CaseState& s, const TimedSteps& before, const v1::Event& e) {
  const Instant occurred = Instant::FromProto(e.occurred_at());
  // Migrated history is judged on its business time; so is an event with
  // no recorded time (only hand-made test events lack one).
  const bool has_recorded = e.recorded_at().seconds() != 0 || e.recorded_at().nanos() != 0;
  const Instant recorded =
      has_recorded && !e.has_migration() ? Instant::FromProto(e.recorded_at()) : occurred;
  const TimedSteps after = TimedStepsOf(s);
  // A corrected day is the step's business date; the step was recorded
  // when it was, and its deadline is still judged on that time too.
  if (!e.payload().has_event_corrected()) {
    if (after.received != before.received) s.recorded_at[TimedStep::kReceived] = recorded;
    for (size_t i = 0; i < after.days.size(); ++i) {
      if (after.days[i] == before.days[i]) continue;
      if (after.days[i])
        s.recorded_at[kDayed[i]] = recorded;
      else
        s.recorded_at.erase(kDayed[i]);
    }
    if (auto step = Redoes(e.payload().kind_case())) s.recorded_at[*step] = recorded;
  }
  if (e.simulated_clock()) s.simulated_clock = true;
  if (e.has_migration()) ++s.migrated_events;
  if (e.has_late_entry())
    s.late_entries.push_back(LateEntryRecord{e.stream_version(), StepName(e.payload()), e.actor(),
                                             occurred, recorded, e.late_entry().reason(),
                                             e.late_entry().window_minutes()});
}

}  // namespace aidtrail::domain
