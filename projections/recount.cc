#include "projections/recount.h"

#include <vector>

#include "aidtrail/v1/views.pb.h"
#include "events/domain/case_state.h"
#include "events/domain/streams.h"
#include "projections/case_views.h"

namespace aidtrail::projections {
namespace {

bool ChangesCounts(const v1::EventCorrected& c) {
  return c.field() == "category" || c.field() == "matter" || c.field() == "matter_type" ||
         c.field() == "quality_grade" || c.field() == "amount_recovered_fen" ||
         c.field() == "occurred_on";
}

// Folds the facts the counters use. Category through the case's own fold
// (one rule for what a corrected category is); grades and amounts per
// corrected event.
class FactsFold {
 public:
  void Add(const v1::Event& e) {
    domain::EvolveCase(state_, e);
    facts_.category = state_.category;
    facts_.channel = state_.channel;
    facts_.matter_type = state_.matter_type;
    if (!e.payload().has_event_corrected()) return;
    const auto& c = e.payload().event_corrected();
    const uint64_t target = c.corrected().stream_version();
    if (c.field() == "quality_grade") {
      v1::QualityGrade g;
      if (v1::QualityGrade_Parse(c.corrected_value(), &g)) facts_.grades[target] = g;
    } else if (c.field() == "occurred_on") {
      if (auto day = CivilDate::Parse(c.corrected_value()); day.ok()) facts_.days[target] = *day;
    } else if (c.field() == "amount_recovered_fen") {
      facts_.recovered_fen[target] = std::stoll(c.corrected_value());  // checked by the decider
    }
  }
  [[nodiscard]] const CountedFacts& facts() const { return facts_; }

 private:
  domain::CaseState state_;
  CountedFacts facts_;
};

// The case's events before `version`, in order.
std::vector<v1::Event> EarlierEvents(const Batch& batch, const std::string& stream,
                                     uint64_t version) {
  std::vector<v1::Event> out;
  FoldTimeline(batch.store(), stream, [&](const v1::Event& e) {
    if (e.stream_version() < version) out.push_back(e);
  });
  for (uint64_t v = out.empty() ? 1 : out.back().stream_version() + 1; v < version; ++v) {
    v1::Event e;
    if (auto bytes = batch.Get(kTimeline, TimelineKey(stream, v));
        bytes && e.ParseFromString(*bytes))
      out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

v1::QualityGrade GradeOf(const v1::Event& e, const CountedFacts& facts) {
  const auto it = facts.grades.find(e.stream_version());
  return it != facts.grades.end() ? it->second : e.payload().quality_reviewed().grade();
}

int64_t RecoveredFenOf(const v1::Event& e, const CountedFacts& facts) {
  const auto it = facts.recovered_fen.find(e.stream_version());
  return it != facts.recovered_fen.end() ? it->second
                                         : e.payload().case_closed().amount_recovered_fen();
}

CivilDate BusinessDay(const v1::Event& e, const CountedFacts& facts) {
  const auto it = facts.days.find(e.stream_version());
  return it != facts.days.end() ? it->second : CivilDate::Of(Instant::FromProto(e.occurred_at()));
}

CountedFacts CurrentFacts(const Batch& batch, const std::string& stream) {
  CountedFacts f;
  if (domain::KindOfStream(stream) != domain::StreamKind::kCase) return f;
  v1::CaseSummary s;
  if (auto b = batch.Get(kCases, stream); b && s.ParseFromString(*b)) {
    f.category = s.category();
    f.channel = s.channel();
    f.matter_type = s.matter_type();
  }
  return f;
}

void Recount(const store::ScannedCommit& commit, const Batch& batch, const Counter& count) {
  const std::string& stream = commit.commit.stream_id();
  for (const v1::Event& e : commit.commit.events()) {
    if (!e.payload().has_event_corrected() || !ChangesCounts(e.payload().event_corrected()))
      continue;
    const std::vector<v1::Event> earlier = EarlierEvents(batch, stream, e.stream_version());
    FactsFold fold;
    for (const v1::Event& x : earlier) fold.Add(x);
    const CountedFacts before = fold.facts();
    fold.Add(e);
    const CountedFacts& after = fold.facts();
    for (const v1::Event& x : earlier) {
      count(x, before, -1);
      count(x, after, +1);
    }
  }
}

}  // namespace aidtrail::projections
