// The demo-year generator drives the real pipeline: the rules accept its
// commands except where it deliberately leaves a supervision step missing.
#include "ingest/generator.h"

#include <gtest/gtest.h>

#include <map>

#include "events/core/person_refs.h"
#include "events/domain/subsidy_formula.h"
#include "events/store/embedded_log.h"
#include "ingest/personal_vault.h"
#include "ingest/pipeline.h"
#include "tests/support/temp_dir.h"

namespace aidtrail {
namespace {

TEST(DistrictGenerator, ItsYearPassesTheRules) {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = dir.str(), .partitions = 4});
  ASSERT_TRUE(log.ok());
  ingest::DistrictGenerator gen(
      {.seed = 7, .cases = 300, .consultations = 50, .duty_services = 40});
  auto pipeline = ingest::Pipeline::Open(**log, ingest::SimulatedPipelineOptions(gen));
  ASSERT_TRUE(pipeline.ok());
  std::map<std::string, int> rejected;
  int accepted = 0, late = 0, simulated = 0, events = 0, adjusted_after_payment = 0;
  std::map<std::string, int> corrected;    // field -> corrections recorded
  std::map<v1::SubsidyShare, int> shares;  // subsidy lines by the share paid
  int multi_stage = 0, graded_up = 0;
  while (auto c = gen.Next()) {
    auto r = (*pipeline)->Execute(*c);
    if (r.ok()) {
      ++accepted;
      gen.Observe(r->events);
      for (const auto& e : r->events) {
        ++events;
        late += e.has_late_entry();
        simulated += e.simulated_clock();
        if (e.payload().has_event_corrected()) ++corrected[e.payload().event_corrected().field()];
        if (e.payload().has_subsidy_approved()) {
          // Every approved amount is its lines, each line its inputs.
          const auto& a = e.payload().subsidy_approved();
          int64_t sum = 0;
          for (const auto& l : a.lines()) {
            ++shares[l.share()];
            graded_up += l.grade_permille() > 1000;
            EXPECT_EQ(l.amount_fen(),
                      domain::SubsidyLineAmount(l.base_fen(), l.region_permille(),
                                                l.grade_permille(), l.share_permille()))
                << e.stream_id();
            sum += l.amount_fen();
          }
          EXPECT_EQ(sum, a.amount_fen()) << e.stream_id();
          multi_stage += a.lines_size() > 1;
        }
        adjusted_after_payment +=
            e.payload().has_subsidy_adjusted() && e.payload().subsidy_adjusted().after_payment();
      }
    } else {
      ++rejected[r.error().code];
    }
  }
  for (const auto& [code, n] : rejected) std::printf("rejected %-40s %d\n", code.c_str(), n);
  std::printf("accepted %d\n", accepted);
  // The only rejections are the deliberate ones: subsidies asked for while a
  // loop step is missing (a follow-up visit, the authority's opinion, a
  // sampled hearing's attendance, a late step's justification), and the
  // payment that then finds no approved subsidy.
  for (const auto& [code, n] : rejected)
    EXPECT_TRUE(code == "subsidy.loop_not_closed" || code == "subsidy.not_found")
        << code << ": " << n << " times";
  EXPECT_GT(rejected["subsidy.loop_not_closed"], 0);
  EXPECT_GT(accepted, 300 * 8);
  // Written on the generator's simulated clock, and saying so; with some
  // declared late entries for the supervisors' filter to find.
  EXPECT_EQ(simulated, events);
  EXPECT_GT(late, 10);
  // And corrections of each kind the demo shows: a category, an amount
  // recovered, and a closing stage found wrong after payment.
  EXPECT_GT(corrected["category"], 0);
  EXPECT_GT(corrected["amount_recovered_fen"], 0);
  EXPECT_GT(corrected["criminal_stage"], 0);
  EXPECT_GT(adjusted_after_payment, 0);
  // The subsidy formula at work: stages paid one by one, a quality
  // adjustment, and terminated cases paid for the work done.
  EXPECT_GT(shares[v1::SUBSIDY_SHARE_COMPLETED], 100);
  EXPECT_GT(shares[v1::SUBSIDY_SHARE_TERMINATED], 0);
  EXPECT_GT(multi_stage, 0);
  EXPECT_GT(graded_up, 0);
}

std::vector<v1::Command> AllCommands(ingest::GeneratorOptions o,
                                     std::vector<int64_t>* recorded = nullptr) {
  ingest::DistrictGenerator gen(o);
  std::vector<v1::Command> out;
  while (auto c = gen.Next()) {
    out.push_back(std::move(*c));
    if (recorded) recorded->push_back(gen.RecordedAt().micros / 1'000'000);
  }
  return out;
}

TEST(DistrictGenerator, AYearInProgressStopsAtItsMomentWithTheSameCommandsBefore) {
  const ingest::GeneratorOptions whole{
      .seed = 9, .year = 2024, .cases = 120, .consultations = 20, .duty_services = 20};
  ingest::GeneratorOptions part = whole;
  part.until = 1719792000;  // 2024-07-01T00:00:00Z
  // The moment is the simulated writer's clock: a late entry dated before
  // it but recorded after it is still to come.
  std::vector<int64_t> all_recorded, cut_recorded;
  const auto all = AllCommands(whole, &all_recorded);
  const auto cut = AllCommands(part, &cut_recorded);
  ASSERT_GT(cut.size(), all.size() / 4);
  ASSERT_LT(cut.size(), all.size());
  for (size_t i = 0; i < cut.size(); ++i) {
    EXPECT_LE(cut_recorded[i], part.until) << cut[i].command_id();
    EXPECT_LE(cut[i].occurred_at().seconds(), cut_recorded[i]) << cut[i].command_id();
    EXPECT_EQ(cut[i].command_id(), all[i].command_id()) << "command " << i;
  }
  // Nothing before the moment is left out.
  EXPECT_GT(all_recorded[cut.size()], part.until);
}

TEST(DistrictGenerator, PersonalDataIsDeterministicAndChangesNothingElse) {
  const ingest::GeneratorOptions off{
      .seed = 3, .cases = 40, .consultations = 5, .duty_services = 10};
  ingest::GeneratorOptions on = off;
  on.personal_data = true;
  const auto a = AllCommands(on), b = AllCommands(on), plain = AllCommands(off);
  ASSERT_EQ(a.size(), plain.size());
  ASSERT_EQ(a.size(), b.size());
  size_t people = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].SerializeAsString(), b[i].SerializeAsString()) << "command " << i;
    v1::Command stripped = a[i];
    stripped.clear_personal();
    EXPECT_EQ(stripped.SerializeAsString(), plain[i].SerializeAsString()) << "command " << i;
    people += a[i].personal_size();
    for (const auto& [subject, data] : a[i].personal()) {
      EXPECT_EQ(subject.find(data.id_number()), std::string::npos) << "subject ids are opaque";
      EXPECT_FALSE(data.name().empty());
    }
  }
  EXPECT_EQ(people, 40u + 10u) << "every applicant or suspect, and every duty-service person";
}

// With personal data on and a key vault, the year still passes the rules,
// and every person in the log carries data that opens with their key.
TEST(DistrictGenerator, ItsPeopleAreSealedIntoTheLog) {
  testing::TempDir dir;
  auto log = store::EmbeddedLog::Open({.dir = (dir.path() / "log").string(), .partitions = 2});
  ASSERT_TRUE(log.ok());
  auto vault = ingest::PersonalVault::Open({.dir = (dir.path() / "keys").string(), .sync = false});
  ASSERT_TRUE(vault.ok());
  ingest::DistrictGenerator gen(
      {.seed = 5, .cases = 60, .consultations = 5, .duty_services = 10, .personal_data = true});
  auto pipeline = ingest::Pipeline::Open(
      **log, ingest::SimulatedPipelineOptions(gen, {.seal_personal = (*vault)->Sealer()}));
  ASSERT_TRUE(pipeline.ok());
  int sealed = 0;
  while (auto c = gen.Next()) {
    const std::map<std::string, v1::PersonalData> clear(c->personal().begin(), c->personal().end());
    auto r = (*pipeline)->Execute(*c);
    if (!r.ok()) {
      EXPECT_TRUE(r.error().code.starts_with("subsidy.")) << r.error().ToString();
      continue;
    }
    gen.Observe(r->events);
    for (v1::Event e : r->events)
      ForEachPersonRef(*e.mutable_payload(), [&](v1::PersonRef& p) {
        auto opened = (*vault)->Open(p.subject_id(), p.sealed_personal());
        ASSERT_TRUE(opened.ok()) << p.subject_id() << ": " << opened.error().ToString();
        EXPECT_EQ(opened->SerializeAsString(), clear.at(p.subject_id()).SerializeAsString());
        ++sealed;
      });
  }
  EXPECT_EQ(sealed, 60 + 10);
}

}  // namespace
}  // namespace aidtrail
