// One closed loop, checked as a property: thousands of random case histories
// are driven through the real deciders (a command the rules refuse is simply
// not recorded), and after every step of a closed case the subsidy gate and
// the case summary a supervisor reads must agree — the gate approves exactly
// when every loop step in the summary is satisfied, and refuses exactly when
// the supervision queue would list the case. Seeded: AIDTRAIL_PROPERTY_SEED
// replays a failure, whose seed is printed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "events/domain/closed_loop.h"
#include "events/domain/model.h"
#include "ingest/generator.h"
#include "projections/case_queries.h"

namespace aidtrail {
namespace {

constexpr int64_t kDay = 86400;

class History {
 public:
  History(domain::Model& model, uint32_t seed, int n)
      : model_(model), rng_(seed), stream_("case/P-" + std::to_string(n)) {
    at_ = 1735952400 + int64_t(rng_() % 300) * kDay;  // a day in 2025, 09:00 CST
  }

  bool Roll(int percent) { return int(rng_() % 100) < percent; }
  void Wait(int lo, int hi) { at_ += int64_t(lo + int(rng_() % uint32_t(hi - lo + 1))) * kDay; }

  // Decides and, if the rules accept it, records the command.
  bool Do(v1::Role role, const std::string& actor, v1::Command c) {
    c.set_stream_id(stream_);
    c.set_command_id(stream_ + "#" + std::to_string(++seq_));
    c.mutable_occurred_at()->set_seconds(at_);
    c.mutable_actor()->set_id(actor);
    c.mutable_actor()->set_role(role);
    if (c.actor().agency().empty()) c.mutable_actor()->set_agency("jm-pengjiang-lac");
    // Recorded as it happens: on time, never a late entry.
    auto d = model_.Decide(c, Instant{at_ * 1'000'000});
    if (!d.ok()) return false;
    for (auto& e : domain::ToEvents(c, *d, model_.Version(stream_))) {
      e.mutable_recorded_at()->set_seconds(at_);
      model_.Apply(e);
    }
    return true;
  }
  const domain::CaseState& State() const { return *model_.Case(stream_); }
  std::string Lawyer() const { return State().lawyer_id; }
  std::string SomeSupervisor() { return Roll(50) ? "sup-1" : "sup-2"; }
  // Mostly the case's lawyer, now and then another one (whom the rules refuse).
  std::string LawyerOrOther() {
    return Roll(92) ? Lawyer() : "L" + std::to_string(1 + rng_() % 12);
  }

  // The property, at this moment: gate and summary agree.
  void Check(int* approved, int* refused) {
    const domain::CaseState& s = State();
    if (s.stage != domain::Stage::kClosed || !s.subsidies.empty()) return;
    const Instant now{at_ * 1'000'000};
    v1::CaseSummary summary;
    projections::Evaluate(summary, s, model_.policy(), now);
    bool all_satisfied = true, any_needs_action = false;
    std::string steps;
    for (const auto& l : summary.loop()) {
      const auto status = domain::ParseLoopStatus(l.status());
      ASSERT_TRUE(status) << l.status();
      EXPECT_NE(*status, domain::LoopStatus::kPending)
          << "a closed case waits for nothing: " << l.step();
      all_satisfied &= domain::Satisfied(*status);
      any_needs_action |= projections::StepNeedsAction(l);
      steps += l.step() + "=" + l.status() + " ";
    }
    v1::Command c;
    c.set_stream_id(stream_);
    c.set_command_id(stream_ + "#gate" + std::to_string(seq_));
    c.mutable_occurred_at()->set_seconds(at_);
    c.mutable_actor()->set_id("sup-1");
    c.mutable_actor()->set_role(v1::ROLE_SUPERVISOR);
    c.mutable_approve_subsidy()->set_subsidy_id("SUB");
    const auto d = model_.Decide(c, now);
    EXPECT_EQ(d.ok(), all_satisfied)
        << stream_ << ": " << steps << (d.ok() ? "" : d.error().ToString());
    EXPECT_EQ(d.ok(), !any_needs_action) << stream_ << ": " << steps;
    if (!d.ok()) {
      EXPECT_EQ(d.error().code, "subsidy.loop_not_closed") << d.error().ToString();
    }
    ++*(d.ok() ? approved : refused);
  }

  void Run(int* approved, int* refused);

 private:
  void Review(const std::string& id, v1::QualityGrade grade, const std::string& reviewer) {
    v1::Command c;
    auto* q = c.mutable_record_quality_review();
    q->set_review_id(id);
    q->set_kind(v1::REVIEW_KIND_PEER_REVIEW);
    q->set_grade(grade);
    q->add_reviewers(reviewer);
    Do(v1::ROLE_SUPERVISOR, "sup-1", c);
  }

  domain::Model& model_;
  std::mt19937 rng_;
  std::string stream_;
  int64_t at_ = 0;
  int seq_ = 0;
};

void History::Run(int* approved, int* refused) {
  const bool notified = Roll(35);
  v1::Command c;
  if (notified) {
    auto* x = c.mutable_receive_notification();
    x->set_authority_kind(v1::AUTHORITY_KIND_COURT);
    x->set_authority("pengjiang-court");
    x->set_ground(v1::NOTIFICATION_GROUND_FULL_COVERAGE);
    x->set_criminal_stage(static_cast<v1::CriminalStage>(1 + rng_() % 3));
    x->mutable_suspect()->set_subject_id("S-" + stream_.substr(5));
    x->mutable_suspect()->set_age(30);
    x->set_authority_region("440703");
    c.mutable_actor()->set_agency("pengjiang-court");
    if (!Do(v1::ROLE_PARTNER, "court-1", c)) return;
  } else {
    auto* x = c.mutable_submit_application();
    x->set_channel(v1::CHANNEL_WINDOW);
    const int k = int(rng_() % 3);
    x->set_category(k == 0   ? v1::CASE_CATEGORY_CIVIL
                    : k == 1 ? v1::CASE_CATEGORY_ADMINISTRATIVE
                             : v1::CASE_CATEGORY_NON_LITIGATION);
    x->set_matter("family");
    x->mutable_applicant()->set_subject_id("S-" + stream_.substr(5));
    x->mutable_applicant()->set_age(40);
    x->set_infringement_region("440703");
    x->set_domicile_region("440703");
    if (!Do(v1::ROLE_INTAKE, "clerk-1", c)) return;
    const bool commitment = Roll(25);
    if (commitment) {
      c.Clear();
      c.mutable_sign_commitment()->add_matters("家庭经济困难");
      Do(v1::ROLE_INTAKE, "clerk-1", c);
    }
    Wait(0, 10);  // now and then past the 7 days
    c.Clear();
    auto* ev = c.mutable_review()->mutable_approve()->mutable_evidence();
    ev->set_household_size(3);
    ev->set_monthly_income_per_member_fen(80000);
    if (!Do(v1::ROLE_REVIEWER, "rev-1", c)) return;
    if (commitment && Roll(80)) {
      c.Clear();
      c.mutable_verify_commitment()->set_truthful(Roll(97));
      c.mutable_verify_commitment()->set_findings("核查");
      Do(v1::ROLE_REVIEWER, "rev-1", c);
    }
  }
  Wait(0, 5);  // now and then past the 3 days
  c.Clear();
  c.mutable_assign_lawyer();
  if (!Do(v1::ROLE_ASSIGNER, "asg-1", c)) return;
  // Art. 36 and the entrustment agreement: in time, late or never.
  if (State().notification && Roll(90)) {
    Wait(0, 4);
    c.Clear();
    c.mutable_inform_authority()->set_letter_ref("函");
    Do(v1::ROLE_ASSIGNER, "asg-1", c);
  }
  if (Roll(90)) {
    Wait(0, 8);
    c.Clear();
    c.mutable_sign_entrustment()->set_signed_by("recipient");
    Do(v1::ROLE_LAWYER, LawyerOrOther(), c);
  }
  for (auto step : {v1::DELAYED_STEP_REVIEW, v1::DELAYED_STEP_ASSIGNMENT,
                    v1::DELAYED_STEP_AUTHORITY_INFORMED, v1::DELAYED_STEP_ENTRUSTMENT})
    if (Roll(50)) {
      c.Clear();
      c.mutable_justify_delay()->set_step(step);
      c.mutable_justify_delay()->set_reason("情况说明");
      Do(v1::ROLE_SUPERVISOR, SomeSupervisor(), c);
    }
  const int hearings = int(rng_() % 3);
  for (int h = 0; h < hearings; ++h) {
    const std::string id = "H" + std::to_string(h);
    Wait(1, 10);
    c.Clear();
    c.mutable_schedule_hearing()->set_hearing_id(id);
    c.mutable_schedule_hearing()->mutable_scheduled_for()->set_seconds(at_ + 20 * kDay);
    const bool by_supervisor = Roll(30);
    c.mutable_schedule_hearing()->set_sampled_for_attendance(by_supervisor && Roll(80));
    if (by_supervisor)
      Do(v1::ROLE_SUPERVISOR, SomeSupervisor(), c);
    else
      Do(v1::ROLE_LAWYER, LawyerOrOther(), c);
    Wait(1, 25);
    if (Roll(75)) {
      c.Clear();
      c.mutable_record_hearing()->set_hearing_id(id);
      Do(v1::ROLE_LAWYER, LawyerOrOther(), c);
    }
    if (Roll(70)) {
      c.Clear();
      auto* a = c.mutable_attend_hearing();
      a->set_hearing_id(id);
      a->set_grade(v1::ATTENDANCE_GRADE_GOOD);
      a->set_assessment("旁听评价");
      const std::string sup = SomeSupervisor();
      if (Roll(10)) a->set_supervisor_id(sup == "sup-1" ? "sup-2" : "sup-1");  // refused
      Do(v1::ROLE_SUPERVISOR, sup, c);
    }
  }
  if (Roll(12)) {
    c.Clear();
    c.mutable_file_complaint()->set_complaint_id("C1");
    c.mutable_file_complaint()->set_summary("未及时告知进展");
    Do(v1::ROLE_INTAKE, "clerk-1", c);
  }
  if (Roll(10)) Review("Q0", v1::QUALITY_GRADE_GOOD, "peer-1");  // during handling: not counted
  Wait(5, 30);
  c.Clear();
  c.mutable_close_case()->set_outcome(v1::CASE_OUTCOME_WON);
  c.mutable_close_case()->set_criminal_stage(State().criminal_stage);
  if (!Do(v1::ROLE_LAWYER, Lawyer(), c)) return;
  Check(approved, refused);

  // After closure, the supervision steps in a random order, checking the
  // property after each.
  std::vector<int> order = {0, 1, 2, 3, 4, 5, 6};
  std::shuffle(order.begin(), order.end(), rng_);
  for (int step : order) {
    Wait(0, 12);
    c.Clear();
    switch (step) {
      case 0:
        if (!Roll(92)) break;
        c.mutable_submit_closing_files()->set_documents(10);
        Do(v1::ROLE_LAWYER, Lawyer(), c);
        Wait(0, 5);
        c.Clear();
        c.mutable_review_closing_files()->set_accepted(Roll(90));
        c.mutable_review_closing_files()->set_note("补正");
        Do(v1::ROLE_SUPERVISOR, SomeSupervisor(), c);
        break;
      case 1:
        if (!Roll(85)) break;
        c.mutable_record_follow_up()->set_method(v1::CONTACT_METHOD_PHONE);
        c.mutable_record_follow_up()->set_satisfaction(v1::SATISFACTION_SATISFIED);
        Do(v1::ROLE_SUPERVISOR, SomeSupervisor(), c);
        break;
      case 2:
        if (!Roll(85)) break;
        c.mutable_record_authority_opinion()->set_authority("pengjiang-court");
        c.mutable_record_authority_opinion()->set_rating(v1::OPINION_RATING_POSITIVE);
        Do(v1::ROLE_SUPERVISOR, SomeSupervisor(), c);
        break;
      case 3:
        if (!Roll(80)) break;
        c.mutable_resolve_complaint()->set_complaint_id("C1");
        c.mutable_resolve_complaint()->set_action("已处理");
        Do(v1::ROLE_SUPERVISOR, SomeSupervisor(), c);
        break;
      case 4:
        if (!Roll(90)) break;
        // Now and then by the case's own lawyer, whom the rules refuse.
        Review("Q1", Roll(15) ? v1::QUALITY_GRADE_FAIL : v1::QUALITY_GRADE_PASS,
               Roll(8) ? Lawyer() : "peer-" + std::to_string(rng_() % 9));
        break;
      case 5: {  // a rectification: required, completed, confirmed or sent back
        if (!Roll(30)) break;
        c.mutable_require_rectification()->set_rectification_id("R1");
        c.mutable_require_rectification()->add_items("补充会见笔录");
        c.mutable_require_rectification()->set_due_date("2099-12-31");
        if (!Do(v1::ROLE_SUPERVISOR, "sup-1", c)) break;
        Check(approved, refused);
        for (int round = 0; round < 2; ++round) {
          c.Clear();
          c.mutable_complete_rectification()->set_rectification_id("R1");
          if (!Roll(80) || !Do(v1::ROLE_LAWYER, LawyerOrOther(), c)) break;
          Check(approved, refused);
          if (!Roll(80)) break;
          c.Clear();
          c.mutable_confirm_rectification()->set_rectification_id("R1");
          c.mutable_confirm_rectification()->set_accepted(Roll(75));
          c.mutable_confirm_rectification()->set_note("仍需补正");
          Do(v1::ROLE_SUPERVISOR, SomeSupervisor(), c);
          Check(approved, refused);
        }
        break;
      }
      default:  // a later review that passes
        if (Roll(50)) Review("Q2", v1::QUALITY_GRADE_GOOD, "peer-2");
    }
    Check(approved, refused);
  }
}

uint32_t BaseSeed() {
  if (const char* s = std::getenv("AIDTRAIL_PROPERTY_SEED"))
    return uint32_t(std::strtoul(s, nullptr, 10));
  return 20250101;
}

TEST(ClosedLoopProperty, GateApprovesExactlyWhenTheSummaryShowsEveryStep) {
  domain::Model model;
  // The district's policy, firms and lawyers, as the demo generator sets them up.
  ingest::DistrictGenerator setup(
      {.year = 2025, .cases = 0, .lawyers = 12, .consultations = 0, .duty_services = 0});
  while (auto c = setup.Next()) {
    const Instant at{c->occurred_at().seconds() * 1'000'000};
    auto d = model.Decide(*c, at);
    ASSERT_TRUE(d.ok()) << d.error().ToString();
    for (auto& e : domain::ToEvents(*c, *d, model.Version(c->stream_id()))) {
      *e.mutable_recorded_at() = c->occurred_at();
      model.Apply(e);
    }
  }
  const uint32_t seed = BaseSeed();
  constexpr int kCases = 3000;
  int approved = 0, refused = 0;
  for (int n = 0; n < kCases; ++n) {
    const uint32_t case_seed = seed + uint32_t(n);
    SCOPED_TRACE("AIDTRAIL_PROPERTY_SEED=" + std::to_string(seed) + " (case " + std::to_string(n) +
                 ", its seed " + std::to_string(case_seed) + ")");
    History h(model, case_seed, n);
    h.Run(&approved, &refused);
    if (::testing::Test::HasFailure()) {
      std::printf("closed-loop property failed; replay with AIDTRAIL_PROPERTY_SEED=%u\n", seed);
      return;
    }
  }
  std::printf("%d cases, %d checks: gate approved %d, refused %d (seed %u)\n", kCases,
              approved + refused, approved, refused, seed);
  // Both answers are exercised, or the property says nothing.
  EXPECT_GT(approved, kCases / 10);
  EXPECT_GT(refused, kCases);
}

}  // namespace
}  // namespace aidtrail
