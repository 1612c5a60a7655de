#include "events/domain/deadlines.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "events/domain/test_policy.h"

namespace aidtrail::domain {
namespace {

using testing::D;
using testing::Policy2024;

// A case built by folding events at given times, and a clock we move.
class CaseClock : public ::testing::Test {
 protected:
  void Fold(const char* at, v1::EventPayload p) {
    v1::Event e;
    e.set_stream_id("case/T");
    e.set_stream_version(state_.version + 1);
    EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(at, e.mutable_occurred_at()));
    *e.mutable_payload() = std::move(p);
    EvolveCase(state_, e);
  }
  static Instant At(const char* at) {
    google::protobuf::Timestamp ts;
    EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(at, &ts));
    return Instant::FromProto(ts);
  }
  const Deadline* Find(DeadlineKind k, const char* now) {
    found_ = CaseDeadlines(state_, policy_, At(now));
    for (const Deadline& d : found_)
      if (d.kind == k) return &d;
    return nullptr;
  }
  static v1::EventPayload Application() {
    v1::EventPayload p;
    p.mutable_application_received()->set_channel(v1::CHANNEL_WINDOW);
    p.mutable_application_received()->set_category(v1::CASE_CATEGORY_CIVIL);
    return p;
  }
  static v1::EventPayload Approved() {
    v1::EventPayload p;
    p.mutable_application_approved()->set_basis(v1::APPROVAL_BASIS_EXEMPT);
    return p;
  }
  static v1::EventPayload Assigned() {
    v1::EventPayload p;
    p.mutable_lawyer_assigned()->set_lawyer_id("L1");
    return p;
  }

  PolicyState policy_ = Policy2024();
  CaseState state_;
  std::vector<Deadline> found_;
};

TEST_F(CaseClock, ReviewTurnsMissedWithoutAnyNewEvent) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  const Deadline* d = Find(DeadlineKind::kReview, "2024-03-11T23:59:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->due.ToString(), "2024-03-11");
  EXPECT_EQ(d->status, DeadlineStatus::kPending);
  d = Find(DeadlineKind::kReview, "2024-03-12T00:00:01+08:00");
  EXPECT_EQ(d->status, DeadlineStatus::kMissed);
}

TEST_F(CaseClock, ReviewMetOnTheLastDayAndMissedAfter) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-11T17:00:00+08:00", Approved());
  EXPECT_EQ(Find(DeadlineKind::kReview, "2024-06-01T00:00:00+08:00")->status, DeadlineStatus::kMet);

  CaseState late;
  std::swap(state_, late);
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-12T09:00:00+08:00", Approved());
  EXPECT_EQ(Find(DeadlineKind::kReview, "2024-06-01T00:00:00+08:00")->status,
            DeadlineStatus::kMissed);
}

// A corrected business day moves the step's date, not when it was recorded:
// a decision recorded late stays a late entry on its deadline however its
// day is corrected, and one recorded in time stays met when a correction
// comes weeks later.
TEST_F(CaseClock, ACorrectedDayIsJudgedOnWhenTheStepWasRecorded) {
  const auto correct_decision_day = [](const char* day) {
    v1::EventPayload p;
    auto* c = p.mutable_event_corrected();
    c->mutable_corrected()->set_stream_version(2);
    c->set_field("occurred_on");
    c->set_corrected_value(day);
    c->set_reason("决定书日期录入错误");
    return p;
  };
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-14T09:00:00+08:00", Approved());
  EXPECT_EQ(Find(DeadlineKind::kReview, "2024-06-01T00:00:00+08:00")->status,
            DeadlineStatus::kMissed);
  Fold("2024-03-20T09:00:00+08:00", correct_decision_day("2024-03-08"));
  EXPECT_EQ(state_.decided_on->ToString(), "2024-03-08");
  EXPECT_EQ(Find(DeadlineKind::kReview, "2024-06-01T00:00:00+08:00")->status,
            DeadlineStatus::kMetLateEntry);

  CaseState fresh;
  std::swap(state_, fresh);
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-06T09:00:00+08:00", Approved());
  Fold("2024-04-01T09:00:00+08:00", correct_decision_day("2024-03-05"));
  EXPECT_EQ(state_.decided_on->ToString(), "2024-03-05");
  EXPECT_EQ(Find(DeadlineKind::kReview, "2024-06-01T00:00:00+08:00")->status, DeadlineStatus::kMet);
}

// A deadline is judged under the policy in force while it ran: publishing a
// calendar (or counting rule) later never rewrites the verdict of a step
// already recorded, while a deadline still open follows the new one.
TEST_F(CaseClock, ANewCalendarDoesNotRewriteAPastVerdict) {
  const auto publish = [&](const char* recorded, const char* holiday) {
    v1::Event e;
    e.set_stream_id("policy");
    e.set_stream_version(policy_.version() + 1);
    EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(recorded, e.mutable_recorded_at()));
    *e.mutable_occurred_at() = e.recorded_at();
    auto* cal = e.mutable_payload()->mutable_holiday_calendar_set();
    cal->set_year(2024);
    cal->add_holidays(holiday);
    policy_.Apply(e);
  };
  // Received Monday 4 March: the review is due Monday 11 March; decided on
  // the 12th, recorded that day: missed.
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-12T09:00:00+08:00", Approved());
  const Deadline* d = Find(DeadlineKind::kReview, "2024-03-30T00:00:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->status, DeadlineStatus::kMissed);

  // A week later a calendar makes the 11th a holiday. Judged under it the
  // review would be due on the 12th and met; it stays missed.
  publish("2024-03-20T09:00:00+08:00", "2024-03-11");
  d = Find(DeadlineKind::kReview, "2024-03-30T00:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-03-11");
  EXPECT_EQ(d->status, DeadlineStatus::kMissed);

  // An application still under review when the calendar is published
  // follows it: received Monday 25 March, due Monday 1 April, and a
  // calendar recorded before the decision makes the 1st a holiday.
  CaseState fresh;
  std::swap(state_, fresh);
  Fold("2024-03-25T09:00:00+08:00", Application());
  publish("2024-03-28T09:00:00+08:00", "2024-04-01");
  d = Find(DeadlineKind::kReview, "2024-03-29T00:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-04-02");
  EXPECT_EQ(d->status, DeadlineStatus::kPending);
  Fold("2024-04-02T09:00:00+08:00", Approved());
  d = Find(DeadlineKind::kReview, "2024-05-01T00:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-04-02");
  EXPECT_EQ(d->status, DeadlineStatus::kMet);
}

// The same holds for a counting rule: counting the entrustment agreement in
// calendar days from 20 March leaves the verdict of an agreement signed on
// the 13th as it was (met, due the 13th in working days), while an agreement
// still owed follows the new rule.
TEST_F(CaseClock, ANewCountingRuleDoesNotRewriteAPastVerdict) {
  v1::EventPayload signed_p;
  signed_p.mutable_entrustment_signed()->set_lawyer_id("L1");
  const auto sign = [&](const char* at) {
    v1::Event e;
    e.set_stream_id("case/T");
    e.set_stream_version(state_.version + 1);
    EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(at, e.mutable_occurred_at()));
    *e.mutable_recorded_at() = e.occurred_at();
    *e.mutable_payload() = signed_p;
    EvolveCase(state_, e);
  };
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-05T09:00:00+08:00", Approved());
  Fold("2024-03-06T09:00:00+08:00", Assigned());
  sign("2024-03-13T09:00:00+08:00");
  const Deadline* d = Find(DeadlineKind::kEntrustment, "2024-03-30T00:00:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->due.ToString(), "2024-03-13");
  EXPECT_EQ(d->status, DeadlineStatus::kMet);

  v1::Event rules;
  rules.set_stream_id("policy");
  rules.set_stream_version(policy_.version() + 1);
  ASSERT_TRUE(google::protobuf::util::TimeUtil::FromString("2024-03-20T09:00:00+08:00",
                                                           rules.mutable_recorded_at()));
  *rules.mutable_occurred_at() = rules.recorded_at();
  auto* r = rules.mutable_payload()->mutable_deadline_rules_set();
  *r = StatutoryDeadlineRules();
  (*r->mutable_counting_by_kind())["entrustment"] = v1::DAY_COUNTING_CALENDAR;
  policy_.Apply(rules);
  d = Find(DeadlineKind::kEntrustment, "2024-03-30T00:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-03-13");
  EXPECT_EQ(d->status, DeadlineStatus::kMet);

  // Assigned Tuesday 26 March, still owed: 5 calendar days end on Sunday
  // the 31st, moved to Monday 1 April (in working days it would be the 2nd).
  CaseState fresh;
  std::swap(state_, fresh);
  Fold("2024-03-22T09:00:00+08:00", Application());
  Fold("2024-03-25T09:00:00+08:00", Approved());
  Fold("2024-03-26T09:00:00+08:00", Assigned());
  d = Find(DeadlineKind::kEntrustment, "2024-03-27T00:00:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->due.ToString(), "2024-04-01");
  EXPECT_EQ(d->status, DeadlineStatus::kPending);
}

// A period that reaches a year whose holiday calendar is not loaded is
// counted as if that year had no holidays, and says so.
TEST_F(CaseClock, AYearWithoutACalendarIsReported) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-05T09:00:00+08:00", Approved());
  Fold("2024-03-06T09:00:00+08:00", Assigned());
  const Deadline* d = Find(DeadlineKind::kEntrustment, "2024-03-07T00:00:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(d->uncalendared_year.has_value());

  // Assigned Friday 27 December: the 5 working days run into 2025, whose
  // calendar is not loaded, so 1 January counts as a working day.
  CaseState fresh;
  std::swap(state_, fresh);
  Fold("2024-12-20T09:00:00+08:00", Application());
  Fold("2024-12-23T09:00:00+08:00", Approved());
  Fold("2024-12-27T09:00:00+08:00", Assigned());
  d = Find(DeadlineKind::kEntrustment, "2024-12-28T00:00:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->due.ToString(), "2025-01-03");
  ASSERT_TRUE(d->uncalendared_year.has_value());
  EXPECT_EQ(*d->uncalendared_year, 2025);
  // The assignment's own 3 days ended in 2024: nothing to report.
  d = Find(DeadlineKind::kAssignAfterApproval, "2024-12-28T00:00:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(d->uncalendared_year.has_value());
}

TEST_F(CaseClock, MaterialsPauseTheReviewClock) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  v1::EventPayload req, sup;
  req.mutable_materials_requested()->add_items("ID");
  sup.mutable_materials_supplied()->add_items("ID");
  Fold("2024-03-05T09:00:00+08:00", req);
  Fold("2024-03-08T09:00:00+08:00", sup);
  const Deadline* d = Find(DeadlineKind::kReview, "2024-03-13T09:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-03-14");
  EXPECT_EQ(d->status, DeadlineStatus::kPending);
}

TEST_F(CaseClock, WhileMaterialsAreAwaitedTheDueDateKeepsMoving) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  v1::EventPayload req;
  req.mutable_materials_requested()->add_items("ID");
  Fold("2024-03-05T09:00:00+08:00", req);
  // Still paused: the open pause runs to the request day only, so this is
  // a lower bound; the review is not reported missed while paused.
  const Deadline* d = Find(DeadlineKind::kReview, "2024-03-20T09:00:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->status, DeadlineStatus::kPending);
}

TEST_F(CaseClock, AssignWithinThreeDaysOfApproval) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-05T09:00:00+08:00", Approved());
  const Deadline* d = Find(DeadlineKind::kAssignAfterApproval, "2024-03-08T09:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-03-08");
  EXPECT_EQ(d->status, DeadlineStatus::kPending);
  EXPECT_EQ(Find(DeadlineKind::kAssignAfterApproval, "2024-03-09T09:00:00+08:00")->status,
            DeadlineStatus::kMissed);
  Fold("2024-03-08T16:00:00+08:00", Assigned());
  EXPECT_EQ(Find(DeadlineKind::kAssignAfterApproval, "2024-03-20T09:00:00+08:00")->status,
            DeadlineStatus::kMet);
}

TEST_F(CaseClock, NotificationAssignsWithinThreeDaysAndHasNoReview) {
  v1::EventPayload n;
  n.mutable_criminal_notification_received()->set_ground(v1::NOTIFICATION_GROUND_MINOR);
  Fold("2024-09-27T10:00:00+08:00", n);
  EXPECT_EQ(Find(DeadlineKind::kReview, "2024-09-27T11:00:00+08:00"), nullptr);
  // 27 Sep + 3 = 30 Sep, a working day.
  const Deadline* d = Find(DeadlineKind::kAssignAfterNotification, "2024-09-27T11:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-09-30");
}

TEST_F(CaseClock, DetentionForwardingWithin24Hours) {
  v1::EventPayload p = Application();
  p.mutable_application_received()->set_channel(v1::CHANNEL_DETENTION_FORWARD);
  ASSERT_TRUE(google::protobuf::util::TimeUtil::FromString(
      "2024-03-03T08:00:00+08:00",
      p.mutable_application_received()->mutable_detainee_requested_at()));
  Fold("2024-03-04T09:00:00+08:00", p);  // 25 hours later
  const Deadline* d = Find(DeadlineKind::kDetentionForward, "2024-03-04T10:00:00+08:00");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->status, DeadlineStatus::kMissed);

  CaseState on_time;
  std::swap(state_, on_time);
  Fold("2024-03-04T07:59:00+08:00", p);
  EXPECT_EQ(Find(DeadlineKind::kDetentionForward, "2024-03-04T10:00:00+08:00")->status,
            DeadlineStatus::kMet);
}

TEST_F(CaseClock, ObjectionDecidedWithinFiveDays) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  v1::EventPayload refused, filed, decided;
  refused.mutable_application_refused()->set_reason(v1::REFUSAL_REASON_OTHER);
  filed.mutable_objection_filed()->set_target(v1::OBJECTION_TARGET_REFUSAL);
  decided.mutable_objection_decided()->set_outcome(v1::OBJECTION_OUTCOME_UPHELD);
  Fold("2024-03-06T09:00:00+08:00", refused);
  Fold("2024-03-07T09:00:00+08:00", filed);
  const Deadline* d = Find(DeadlineKind::kObjection, "2024-03-12T09:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-03-12");
  EXPECT_EQ(d->status, DeadlineStatus::kPending);
  EXPECT_EQ(Find(DeadlineKind::kObjection, "2024-03-13T09:00:00+08:00")->status,
            DeadlineStatus::kMissed);
  Fold("2024-03-12T15:00:00+08:00", decided);
  EXPECT_EQ(Find(DeadlineKind::kObjection, "2024-03-30T09:00:00+08:00")->status,
            DeadlineStatus::kMet);
}

TEST_F(CaseClock, AWithdrawnApplicationHasNoPendingReview) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  v1::EventPayload w;
  w.mutable_application_withdrawn()->set_reason(v1::WITHDRAWAL_REASON_APPLICANT_REQUEST);
  Fold("2024-03-05T09:00:00+08:00", w);
  EXPECT_EQ(Find(DeadlineKind::kReview, "2024-04-01T09:00:00+08:00"), nullptr);
}

TEST_F(CaseClock, ClosingFilesDueThirtyDaysAfterClosure) {
  Fold("2024-03-04T09:00:00+08:00", Application());
  Fold("2024-03-05T09:00:00+08:00", Approved());
  Fold("2024-03-06T09:00:00+08:00", Assigned());
  v1::EventPayload closed;
  closed.mutable_case_closed()->set_outcome(v1::CASE_OUTCOME_WON);
  Fold("2024-09-01T09:00:00+08:00", closed);
  // 1 Sep + 30 = 1 Oct, National Day -> 8 Oct.
  const Deadline* d = Find(DeadlineKind::kClosingFiles, "2024-09-02T09:00:00+08:00");
  EXPECT_EQ(d->due.ToString(), "2024-10-08");
}

}  // namespace
}  // namespace aidtrail::domain
