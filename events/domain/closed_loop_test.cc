// The table of required steps (events/README.md, "The closed loop"), pinned
// per category and stage on folded case states.
#include "events/domain/closed_loop.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "events/domain/test_policy.h"

namespace aidtrail::domain {
namespace {

using testing::Policy2024;

class Folded {
 public:
  Folded& Add(const char* at, v1::EventPayload p) {
    v1::Event e;
    e.set_stream_version(++version_);
    google::protobuf::util::TimeUtil::FromString(at, e.mutable_occurred_at());
    *e.mutable_payload() = std::move(p);
    EvolveCase(state_, e);
    return *this;
  }
  std::optional<LoopStatus> Status(LoopStep step, const char* now) const {
    google::protobuf::Timestamp ts;
    google::protobuf::util::TimeUtil::FromString(now, &ts);
    for (const auto& s : ClosedLoop(state_, Policy2024(), Instant::FromProto(ts)))
      if (s.step == step) return s.status;
    return std::nullopt;
  }

 private:
  CaseState state_;
  uint64_t version_ = 0;
};

v1::EventPayload Application(v1::CaseCategory category) {
  v1::EventPayload p;
  p.mutable_application_received()->set_category(category);
  return p;
}
v1::EventPayload Approved() {
  v1::EventPayload p;
  p.mutable_application_approved()->set_basis(v1::APPROVAL_BASIS_EXEMPT);
  return p;
}
v1::EventPayload Assigned() {
  v1::EventPayload p;
  p.mutable_lawyer_assigned()->set_lawyer_id("L1");
  return p;
}
v1::EventPayload Closed() {
  v1::EventPayload p;
  p.mutable_case_closed()->set_outcome(v1::CASE_OUTCOME_WON);
  return p;
}
v1::EventPayload Reviewed(v1::QualityGrade grade) {
  v1::EventPayload p;
  p.mutable_quality_reviewed()->set_grade(grade);
  return p;
}
v1::EventPayload Hearing(bool sampled) {
  v1::EventPayload p;
  p.mutable_hearing_scheduled()->set_hearing_id("H1");
  p.mutable_hearing_scheduled()->set_sampled_for_attendance(sampled);
  return p;
}

Folded Handled(v1::CaseCategory category, const char* decided = "2024-03-05T09:00:00+08:00") {
  Folded f;
  f.Add("2024-03-04T09:00:00+08:00", Application(category))
      .Add(decided, Approved())
      .Add(decided, Assigned());
  return f;
}

constexpr const char* kLater = "2024-08-01T09:00:00+08:00";

TEST(ClosedLoop, TheAuthorityIsAskedWhereOneHandlesTheCase) {
  for (auto c : {v1::CASE_CATEGORY_CIVIL, v1::CASE_CATEGORY_ADMINISTRATIVE}) {
    auto f = Handled(c);
    f.Add("2024-05-01T09:00:00+08:00", Closed());
    EXPECT_EQ(f.Status(LoopStep::kAuthorityOpinion, kLater), LoopStatus::kMissing);
  }
  auto f = Handled(v1::CASE_CATEGORY_NON_LITIGATION);
  f.Add("2024-05-01T09:00:00+08:00", Closed());
  EXPECT_EQ(f.Status(LoopStep::kAuthorityOpinion, kLater), LoopStatus::kNotRequired);
}

TEST(ClosedLoop, ANotifiedCaseHasNoReviewStepButItsAssignmentCounts) {
  Folded f;
  v1::EventPayload n;
  n.mutable_criminal_notification_received()->set_criminal_stage(v1::CRIMINAL_STAGE_TRIAL);
  f.Add("2024-03-04T09:00:00+08:00", n).Add("2024-03-12T09:00:00+08:00", Assigned());
  EXPECT_EQ(f.Status(LoopStep::kReviewInTime, kLater), std::nullopt);
  EXPECT_EQ(f.Status(LoopStep::kAssignmentInTime, kLater), LoopStatus::kLate);
  EXPECT_EQ(f.Status(LoopStep::kAuthorityOpinion, kLater), LoopStatus::kPending);
}

TEST(ClosedLoop, ALateReviewIsJustifiedOnlyByASupervisorsReason) {
  auto f = Handled(v1::CASE_CATEGORY_CIVIL, "2024-03-14T09:00:00+08:00");
  EXPECT_EQ(f.Status(LoopStep::kReviewInTime, kLater), LoopStatus::kLate);
  v1::EventPayload j;
  j.mutable_delay_justified()->set_step(v1::DELAYED_STEP_REVIEW);
  f.Add("2024-03-20T09:00:00+08:00", j);
  EXPECT_EQ(f.Status(LoopStep::kReviewInTime, kLater), LoopStatus::kJustified);
  EXPECT_TRUE(Satisfied(LoopStatus::kJustified));
}

TEST(ClosedLoop, StepsWaitWhileHandlingAndAreMissingOnceClosed) {
  auto f = Handled(v1::CASE_CATEGORY_CIVIL);
  f.Add("2024-04-01T09:00:00+08:00", Hearing(true));
  EXPECT_EQ(f.Status(LoopStep::kFollowUp, kLater), LoopStatus::kPending);
  EXPECT_EQ(f.Status(LoopStep::kHearingAttendance, kLater), LoopStatus::kPending);
  v1::EventPayload held;
  held.mutable_hearing_held()->set_hearing_id("H1");
  f.Add("2024-04-29T09:00:00+08:00", held);  // the lawyer's word: attendance is now due
  EXPECT_EQ(f.Status(LoopStep::kHearingAttendance, kLater), LoopStatus::kMissing);
  f.Add("2024-05-01T09:00:00+08:00", Closed());
  EXPECT_EQ(f.Status(LoopStep::kFollowUp, kLater), LoopStatus::kMissing);
  EXPECT_EQ(f.Status(LoopStep::kClosingFiles, kLater), LoopStatus::kLate);  // 30 days passed
  v1::EventPayload attended;
  attended.mutable_hearing_attended()->set_hearing_id("H1");
  f.Add("2024-05-02T09:00:00+08:00", attended);
  EXPECT_EQ(f.Status(LoopStep::kHearingAttendance, kLater), LoopStatus::kPresent);
}

TEST(ClosedLoop, OnlyAReviewAfterClosureCountsAndAFailedOneFails) {
  auto f = Handled(v1::CASE_CATEGORY_CIVIL);
  f.Add("2024-04-20T09:00:00+08:00", Reviewed(v1::QUALITY_GRADE_EXCELLENT));
  f.Add("2024-05-01T09:00:00+08:00", Closed());
  EXPECT_EQ(f.Status(LoopStep::kQualityReview, kLater), LoopStatus::kMissing);
  f.Add("2024-06-01T09:00:00+08:00", Reviewed(v1::QUALITY_GRADE_FAIL));
  EXPECT_EQ(f.Status(LoopStep::kQualityReview, kLater), LoopStatus::kFailed);
  f.Add("2024-06-20T09:00:00+08:00", Reviewed(v1::QUALITY_GRADE_PASS));
  EXPECT_EQ(f.Status(LoopStep::kQualityReview, kLater), LoopStatus::kPresent);
}

TEST(ClosedLoop, StatusNamesReadBack) {
  for (auto s : {LoopStatus::kPresent, LoopStatus::kJustified, LoopStatus::kNotRequired,
                 LoopStatus::kPending, LoopStatus::kMissing, LoopStatus::kLate, LoopStatus::kFailed,
                 LoopStatus::kLateEntry}) {
    EXPECT_EQ(ParseLoopStatus(LoopStatusName(s)), s);
    EXPECT_FALSE(Satisfied(s) && NeedsAction(s)) << LoopStatusName(s);
  }
  EXPECT_EQ(ParseLoopStatus("done"), std::nullopt);
}

}  // namespace
}  // namespace aidtrail::domain
