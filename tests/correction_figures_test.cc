// Corrections correct the figures: after seeded corrections of categories,
// matter types, quality grades and amounts recovered on a generated district year, every
// counted figure (notice, ledger, fairness, payment traces) equals what the
// log gives when each case's events are counted under its corrected facts,
// folded in one pass or in two (before and after the corrections).
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <random>
#include <tuple>

#include "events/domain/case_state.h"
#include "events/domain/matters.h"
#include "events/store/embedded_log.h"
#include "events/store/log_scan.h"
#include "projections/ledger_queries.h"
#include "tests/support/district_log.h"
#include "tests/support/seed.h"
#include "tests/support/temp_dir.h"
#include "tests/support/views.h"

namespace aidtrail {
namespace {

constexpr char kCentre[] = "jm-pengjiang-lac";

std::string Cat(v1::CaseCategory c) { return v1::CaseCategory_Name(c); }

// A year of a case's figures, counted straight from the log under each
// case's facts as they stand at the end (corrections applied).
struct Reference {
  std::map<std::string, int64_t> received, closed, recovered_fen, grades;  // 2024
  std::map<std::string, int64_t> approved_fen, paid_fen;                   // all years, by category
  std::map<std::string, int64_t> assigned;                                 // 2024, by category
  std::map<std::string, int64_t> matter_types;                             // 2024 received
  std::map<std::string, v1::CaseCategory> trace_category;                  // case\0subsidy
};

// "2024" and "Q2" of a business day.
std::pair<std::string, std::string> YearQuarter(const std::string& day) {
  return {day.substr(0, 4), "Q" + std::to_string((std::stoi(day.substr(5, 2)) - 1) / 3 + 1)};
}

Reference Count(store::EventLog& log) {
  std::map<std::string, std::vector<v1::Event>> events;
  std::map<std::string, domain::CaseState> states;
  // (case, version, field) -> corrected value
  std::map<std::tuple<std::string, uint64_t, std::string>, std::string> corrected;
  store::CommitValidator v;
  EXPECT_TRUE(store::ScanLog(log, v, [&](const store::ScannedCommit& s) {
                if (s.verdict != store::Verdict::kValid) return;
                if (!s.commit.stream_id().starts_with("case/")) return;
                for (const auto& e : s.commit.events()) {
                  events[e.stream_id()].push_back(e);
                  domain::EvolveCase(states[e.stream_id()], e);
                  if (e.payload().has_event_corrected()) {
                    const auto& c = e.payload().event_corrected();
                    corrected[{e.stream_id(), c.corrected().stream_version(), c.field()}] =
                        c.corrected_value();
                  }
                }
              }).ok());
  Reference r;
  for (const auto& [stream, list] : events) {
    const std::string cat = Cat(states[stream].category);
    for (const auto& e : list) {
      const auto& x = e.payload();
      const auto fix = [&](const char* field) {
        return corrected.find({stream, e.stream_version(), field});
      };
      const auto day = fix("occurred_on");
      const auto [year, quarter] = YearQuarter(
          day != corrected.end() ? day->second
                                 : CivilDate::Of(Instant::FromProto(e.occurred_at())).ToString());
      const bool in_2024 = year == "2024";
      if (in_2024 && (x.has_application_received() || x.has_criminal_notification_received())) {
        ++r.received[cat];
        ++r.matter_types[v1::MatterType_Name(states[stream].notification
                                                 ? v1::MATTER_TYPE_CRIMINAL_DEFENCE
                                                 : states[stream].matter_type)];
      }
      if (x.has_case_closed() && in_2024) {
        ++r.closed[quarter + "/" + cat];  // the quarter follows a corrected closing day
        const auto amount = fix("amount_recovered_fen");
        const int64_t fen = amount != corrected.end() ? std::stoll(amount->second)
                                                      : x.case_closed().amount_recovered_fen();
        if (fen > 0) r.recovered_fen[cat] += fen;
      }
      if (x.has_quality_reviewed() && in_2024) {
        const auto grade = fix("quality_grade");
        ++r.grades[grade != corrected.end() ? grade->second
                                            : v1::QualityGrade_Name(x.quality_reviewed().grade())];
      }
      if (x.has_subsidy_approved()) {
        r.approved_fen[cat] += x.subsidy_approved().amount_fen();
        r.trace_category[stream + '\0' + x.subsidy_approved().subsidy_id()] =
            states[stream].category;
      }
      if (x.has_subsidy_adjusted()) r.approved_fen[cat] += x.subsidy_adjusted().difference_fen();
      if (x.has_subsidy_paid()) r.paid_fen[cat] += x.subsidy_paid().amount_fen();
      if (in_2024 && (x.has_lawyer_assigned() || x.has_lawyer_replaced())) ++r.assigned[cat];
    }
  }
  return r;
}

// The views' figures in the same shape.
Reference Read(const projections::ViewStore& store) {
  projections::LedgerQueries q(store);
  Reference r;
  const std::string category = "/category/";
  for (const auto& [k, n] : q.NoticeCounts(2024)) {
    const auto after = [&](const std::string& metric) -> std::string {
      const std::string key = "/" + metric + category;
      const size_t at = k.find(key);
      return at == std::string::npos ? "" : k.substr(at + key.size());
    };
    if (auto c = after("received"); !c.empty()) r.received[c] += n;
    if (const size_t at = k.find("/received/matter_type/"); at != std::string::npos)
      r.matter_types[k.substr(at + 22)] += n;
    if (auto c = after("closed"); !c.empty()) r.closed[k.substr(0, 2) + "/" + c] += n;
    if (auto c = after("recovered_fen"); !c.empty()) r.recovered_fen[c] += n;
    if (const size_t at = k.find("/quality_review/grade/"); at != std::string::npos)
      r.grades[k.substr(at + 22)] += n;
  }
  for (int year = 2024; year <= 2027; ++year) {
    const auto ledger = q.Ledger(year);
    for (const auto& [k, n] : ledger.approved_fen) r.approved_fen[k.substr(k.find('/') + 1)] += n;
    for (const auto& [k, n] : ledger.paid_fen) r.paid_fen[k.substr(k.find('/') + 1)] += n;
    for (const auto& t : q.Payments(year))
      r.trace_category[t.case_id() + '\0' + t.subsidy_id()] = t.category();
  }
  for (const auto& l : q.Fairness(2024).lawyers)
    for (const auto& [c, n] : l.by_category) r.assigned[c] += n;
  return r;
}

// Drops zero entries: a counter moved away reads as 0, an absent key too.
std::map<std::string, int64_t> NonZero(std::map<std::string, int64_t> m) {
  std::erase_if(m, [](const auto& kv) { return kv.second == 0; });
  return m;
}

void ExpectSame(const Reference& want, const Reference& got, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(NonZero(got.received), NonZero(want.received));
  EXPECT_EQ(NonZero(got.closed), NonZero(want.closed));
  EXPECT_EQ(NonZero(got.recovered_fen), NonZero(want.recovered_fen));
  EXPECT_EQ(NonZero(got.grades), NonZero(want.grades));
  EXPECT_EQ(NonZero(got.approved_fen), NonZero(want.approved_fen));
  EXPECT_EQ(NonZero(got.paid_fen), NonZero(want.paid_fen));
  EXPECT_EQ(NonZero(got.assigned), NonZero(want.assigned));
  EXPECT_EQ(NonZero(got.matter_types), NonZero(want.matter_types));
  // Traces of paid subsidies (Payments lists paid ones) name the corrected category.
  for (const auto& [key, c] : got.trace_category)
    EXPECT_EQ(c, want.trace_category.at(key)) << key.substr(0, key.find('\0'));
}

v1::Command Correction(const std::string& id, const std::string& stream, uint64_t version,
                       const std::string& field, const std::string& value) {
  v1::Command c;
  c.set_command_id(id);
  c.set_stream_id(stream);
  *c.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  c.mutable_actor()->set_id("sup-1");
  c.mutable_actor()->set_role(v1::ROLE_SUPERVISOR);
  c.mutable_actor()->set_agency(kCentre);
  auto* x = c.mutable_correct_event();
  x->mutable_corrected()->set_stream_id(stream);
  x->mutable_corrected()->set_stream_version(version);
  x->set_field(field);
  x->set_corrected_value(value);
  x->set_reason("抽查发现登记错误");
  return c;
}

TEST(CorrectionFigures, EveryFigureFollowsTheCorrectedFacts) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE(testing::SeedNote(seed));
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 4});
  ASSERT_TRUE(log.ok());
  ingest::DistrictGenerator gen({.seed = 31, .cases = 240, .consultations = 0, .duty_services = 0});
  testing::WriteDistrictYear(**log, gen);

  auto two_pass = projections::Engine::Open((dir.path() / "two").string(), testing::AllViews());
  ASSERT_TRUE(two_pass.ok());
  ASSERT_TRUE((*two_pass)->CatchUp(**log).ok());

  // The cases as recorded, to aim corrections at real events.
  std::map<std::string, domain::CaseState> states;
  store::CommitValidator v;
  ASSERT_TRUE(store::ScanLog(**log, v, [&](const store::ScannedCommit& s) {
                if (s.verdict != store::Verdict::kValid) return;
                if (!s.commit.stream_id().starts_with("case/")) return;
                for (const auto& e : s.commit.events())
                  domain::EvolveCase(states[e.stream_id()], e);
              }).ok());
  auto pipeline = ingest::Pipeline::Open(**log, {});
  ASSERT_TRUE(pipeline.ok());
  std::mt19937 rng(seed);
  int accepted = 0, paid_moved = 0, retyped = 0, n = 0;
  for (const auto& [stream, s] : states) {
    const auto roll = rng() % 4;
    std::vector<v1::Command> commands;
    const std::string id = "fix-" + std::to_string(n++);
    if (roll < 2 && s.category != v1::CASE_CATEGORY_CRIMINAL) {
      const auto to = s.category == v1::CASE_CATEGORY_CIVIL ? v1::CASE_CATEGORY_ADMINISTRATIVE
                                                            : v1::CASE_CATEGORY_CIVIL;
      commands.push_back(Correction(id, stream, 1, "category", Cat(to)));
      // Twice on some: the second moves what the first moved.
      if (rng() % 3 == 0)
        commands.push_back(Correction(id + "b", stream, 1, "category", Cat(s.category)));
    } else if (roll % 2 == 0 && s.quality_review_version > 0) {
      commands.push_back(Correction(id, stream, s.quality_review_version, "quality_grade",
                                    "QUALITY_GRADE_EXCELLENT"));
    } else if (roll % 2 == 1 && s.closed_version > 0) {
      commands.push_back(Correction(id, stream, s.closed_version, "amount_recovered_fen",
                                    std::to_string(100 * (rng() % 50000))));
    }
    // Matters re-typed, by the typed field or by a text of the vocabulary.
    if (!s.notification && rng() % 4 == 0) {
      const auto types = domain::AllMatterTypes();
      const auto to = types[rng() % types.size()];
      commands.push_back(
          rng() % 2 ? Correction(id + "m", stream, 1, "matter_type", v1::MatterType_Name(to))
                    : Correction(id + "m", stream, 1, "matter", domain::MatterLabelZh(to)));
      ++retyped;
    }
    // Closing days moved back up to 80 days, often into another quarter
    // (refused where that would precede the assignment).
    if (s.closed_on && rng() % 3 == 0)
      commands.push_back(Correction(id + "d", stream, s.closed_version, "occurred_on",
                                    (*s.closed_on + -int32_t(rng() % 80)).ToString()));
    for (auto& c : commands) {
      auto r = (*pipeline)->Execute(c);
      if (!r.ok()) {
        // Only what the rules refuse on purpose: a closing day moved before
        // the assignment.
        EXPECT_EQ(r.error().code, "correction.date_order") << r.error().ToString();
        continue;
      }
      ++accepted;
      if (c.correct_event().field() == "category" &&
          std::any_of(s.subsidies.begin(), s.subsidies.end(),
                      [](auto& x) { return x.second.paid; }))
        ++paid_moved;
    }
  }
  ASSERT_GT(accepted, 40) << "too few corrections were accepted to test anything";
  ASSERT_GT(paid_moved, 3) << "too few paid cases changed category";
  ASSERT_GT(retyped, 10) << "too few cases were re-typed";

  const Reference want = Count(**log);
  ASSERT_TRUE((*two_pass)->CatchUp(**log).ok());
  ExpectSame(want, Read((*two_pass)->store()), "folded before and after the corrections");
  auto one_pass = projections::Engine::Open((dir.path() / "one").string(), testing::AllViews());
  ASSERT_TRUE(one_pass.ok());
  ASSERT_TRUE((*one_pass)->CatchUp(**log).ok());
  ExpectSame(want, Read((*one_pass)->store()), "folded in one pass");
}

}  // namespace
}  // namespace aidtrail
