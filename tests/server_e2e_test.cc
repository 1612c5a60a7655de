// `aidtrail serve` end to end over HTTP, on the embedded log and on Kafka:
// each test starts the real binary on a fresh data directory (or a fresh
// topic), registers the district as an administrator, then works cases
// with the token of each role and reads back what supervisors and auditors
// see.
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "events/core/civil_date.h"
#include "tests/support/api_client.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/kafka_tools.h"
#include "tests/support/server_district.h"
#include "tests/support/server_process.h"

namespace aidtrail {
namespace {

using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
using testing::ApiClient;
using testing::At;
using testing::NewCommand;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> Ids(const api::CaseList& list) {
  std::vector<std::string> out;
  for (const auto& c : list.cases()) out.push_back(c.case_id());
  return out;
}

const v1::DeadlineView* FindDeadline(const v1::CaseSummary& s, const std::string& kind) {
  for (const auto& d : s.deadlines())
    if (d.kind() == kind) return &d;
  return nullptr;
}

std::string StepStatus(const v1::CaseSummary& s, const std::string& step) {
  for (const auto& l : s.loop())
    if (l.step() == step) return l.status();
  return "(absent)";
}

// The payload kinds of a timeline, in order.
std::vector<std::string> Kinds(const api::Timeline& t) {
  std::vector<std::string> out;
  for (const auto& e : t.events()) {
    const auto* field = v1::EventPayload::descriptor()->FindFieldByNumber(
        static_cast<int>(e.payload().kind_case()));
    out.push_back(field ? field->name() : "?");
  }
  return out;
}

class ServerE2E : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    testing::ServeOptions o;
    if (GetParam() == "kafka") {
      o.kafka = testing::SharedBroker().bootstrap();
      o.topic = testing::UniqueTopic("server-e2e");
    }
    server_ = std::make_unique<testing::ServerProcess>(o);
    api_ = std::make_unique<ApiClient>(*server_);
    testing::RegisterDistrict(*api_);
  }

  void TearDown() override {
    api_.reset();  // our keep-alive connection should not hold the server up
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << "exit code after SIGTERM";
    }
  }

  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<ApiClient> api_;
};

TEST_P(ServerE2E, CivilCaseFromApplicationToPayment) {
  ApiClient& api = *api_;
  const std::string id = "2024-0001", stream = "case/2024-0001";

  auto apply = testing::CivilApplication(id, "2024-03-04T09:00:00+08:00");
  apply.mutable_submit_application()->mutable_applicant()->set_sealed_personal("sealed:name,id");
  const auto applied = api.Accept("intake", apply);
  EXPECT_EQ(applied.stream_id(), stream);
  EXPECT_EQ(applied.first_version(), 1u);
  EXPECT_EQ(applied.last_version(), 1u);
  EXPECT_FALSE(applied.replayed());
  ASSERT_EQ(applied.events_size(), 1);
  // The actor is the token's holder; the body cannot name one.
  EXPECT_EQ(applied.events(0).actor().id(), "clerk-1");
  EXPECT_EQ(applied.events(0).actor().role(), v1::ROLE_INTAKE);
  EXPECT_EQ(applied.events(0).actor().agency(), "jm-pengjiang-lac");
  EXPECT_EQ(applied.events(0).command_id(), id + "/apply");

  const auto approved =
      api.Accept("reviewer", testing::ApproveExempt(id, "2024-03-05T09:00:00+08:00"));
  ASSERT_EQ(approved.events_size(), 1);
  EXPECT_EQ(approved.events(0).payload().application_approved().basis(), v1::APPROVAL_BASIS_EXEMPT);
  EXPECT_EQ(approved.events(0).policy_version().rfind("policy@", 0), 0u)
      << "a decision names the policy it applied";

  const auto assigned =
      api.Accept("assigner", testing::AssignNamed(id, "L1", "2024-03-06T09:00:00+08:00"));
  ASSERT_EQ(assigned.events_size(), 1);
  const auto& la = assigned.events(0).payload().lawyer_assigned();
  EXPECT_EQ(la.lawyer_id(), "L1");
  EXPECT_EQ(la.firm_id(), "F1");
  EXPECT_EQ(la.method(), v1::ASSIGNMENT_METHOD_APPLICANT_CHOICE);

  auto notify = NewCommand(id + "/notify", stream, "2024-03-06T10:00:00+08:00");
  notify.mutable_notify_assignment()->add_notified("applicant");
  notify.mutable_notify_assignment()->add_notified("lawyer");
  api.Accept("assigner", notify);
  const auto entrusted =
      api.Accept("lawyer", testing::SignEntrustment(id, "2024-03-07T09:00:00+08:00"));
  ASSERT_EQ(entrusted.events_size(), 1);
  EXPECT_EQ(entrusted.events(0).payload().entrustment_signed().lawyer_id(), "L1")
      << "the rules name the lawyer now assigned";

  auto schedule = NewCommand(id + "/schedule", stream, "2024-03-20T09:00:00+08:00");
  auto* hs = schedule.mutable_schedule_hearing();
  hs->set_hearing_id("H1");
  *hs->mutable_scheduled_for() = At("2024-04-29T09:30:00+08:00");
  hs->set_court("pj-court");
  hs->set_sampled_for_attendance(true);  // a supervisor will sit in
  api.Accept("supervisor", schedule);
  auto held = NewCommand(id + "/hearing", stream, "2024-04-29T12:00:00+08:00");
  held.mutable_record_hearing()->set_hearing_id("H1");
  api.Accept("lawyer", held);
  auto attended = NewCommand(id + "/attended", stream, "2024-04-29T13:00:00+08:00");
  attended.mutable_attend_hearing()->set_hearing_id("H1");
  attended.mutable_attend_hearing()->set_grade(v1::ATTENDANCE_GRADE_GOOD);
  attended.mutable_attend_hearing()->set_assessment("质证充分，辩论意见清楚");
  api.Accept("supervisor", attended);

  auto close = testing::CloseWon(id, "2024-05-01T09:00:00+08:00");
  close.mutable_close_case()->set_amount_recovered_fen(3000000);
  api.Accept("lawyer", close);
  api.Accept("lawyer", testing::SubmitClosingFiles(id, "2024-05-10T09:00:00+08:00"));
  const auto files_reviewed =
      api.Accept("supervisor", testing::AcceptClosingFiles(id, "2024-05-15T09:00:00+08:00"));

  auto visit = NewCommand(id + "/follow-up", stream, "2024-05-20T09:00:00+08:00");
  visit.mutable_record_follow_up()->set_method(v1::CONTACT_METHOD_PHONE);
  visit.mutable_record_follow_up()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  const auto visited = api.Accept("supervisor", visit);
  auto opinion = NewCommand(id + "/opinion", stream, "2024-05-21T09:00:00+08:00");
  opinion.mutable_record_authority_opinion()->set_authority("pj-court");
  opinion.mutable_record_authority_opinion()->set_rating(v1::OPINION_RATING_POSITIVE);
  const auto opined = api.Accept("supervisor", opinion);
  auto quality = NewCommand(id + "/quality", stream, "2024-06-01T09:00:00+08:00");
  auto* q = quality.mutable_record_quality_review();
  q->set_review_id("Q1");
  q->set_kind(v1::REVIEW_KIND_PEER_REVIEW);
  q->set_round(v1::REVIEW_ROUND_ROUTINE);
  q->set_grade(v1::QUALITY_GRADE_GOOD);
  q->add_reviewers("peer-1");
  const auto reviewed = api.Accept("supervisor", quality);

  auto approve = NewCommand(id + "/subsidy", stream, "2024-06-05T09:00:00+08:00");
  approve.mutable_approve_subsidy()->set_subsidy_id("SUB-1");
  const auto subsidy = api.Accept("supervisor", approve);
  ASSERT_EQ(subsidy.events_size(), 1);
  const auto& sa = subsidy.events(0).payload().subsidy_approved();
  EXPECT_EQ(sa.amount_fen(), testing::kCivilSubsidyFen);
  EXPECT_EQ(sa.fiscal_year(), 2024);
  EXPECT_EQ(sa.standard_key(), "civil");
  EXPECT_EQ(sa.lawyer_id(), "L1");
  // The evidence is the closed loop: files accepted, follow-up, quality
  // review, the handling authority's opinion, the entrustment agreement.
  std::vector<uint64_t> evidence;
  for (const auto& ref : sa.evidence()) evidence.push_back(ref.stream_version());
  EXPECT_EQ(evidence, (std::vector<uint64_t>{files_reviewed.last_version(), visited.last_version(),
                                             reviewed.last_version(), opined.last_version(),
                                             entrusted.last_version()}));

  auto pay = NewCommand(id + "/pay", stream, "2024-06-10T09:00:00+08:00");
  pay.mutable_pay_subsidy()->set_subsidy_id("SUB-1");
  pay.mutable_pay_subsidy()->set_payment_ref("国库支付-2024-0610-01");
  const auto paid = api.Accept("admin", pay);
  ASSERT_EQ(paid.events_size(), 1);
  EXPECT_EQ(paid.events(0).payload().subsidy_paid().amount_fen(), testing::kCivilSubsidyFen);

  server_->WaitCaughtUp();

  // The summary: closed, paid, every deadline met, every loop step present.
  // The steps were dated in 2024 and recorded today, as declared late
  // entries: each deadline is met on its business date but recorded after
  // its last day, which a supervisor sees as met_late_entry, not met.
  const auto s = api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor");
  EXPECT_EQ(s.case_id(), stream);
  EXPECT_EQ(s.version(), paid.last_version());
  EXPECT_EQ(s.stage(), "closed");
  EXPECT_EQ(s.stage_zh(), "已结案");
  EXPECT_EQ(s.category(), v1::CASE_CATEGORY_CIVIL);
  EXPECT_EQ(s.channel(), v1::CHANNEL_WINDOW);
  EXPECT_EQ(s.agency(), "jm-pengjiang-lac");
  EXPECT_EQ(s.lawyer_id(), "L1");
  EXPECT_EQ(s.firm_id(), "F1");
  EXPECT_EQ(s.received_on(), "2024-03-04");
  EXPECT_EQ(s.decided_on(), "2024-03-05");
  EXPECT_EQ(s.assigned_on(), "2024-03-06");
  EXPECT_EQ(s.closed_on(), "2024-05-01");
  EXPECT_EQ(s.basis(), v1::APPROVAL_BASIS_EXEMPT);
  EXPECT_EQ(s.quality_grade(), v1::QUALITY_GRADE_GOOD);
  EXPECT_EQ(s.subsidy_approved_fen(), testing::kCivilSubsidyFen);
  EXPECT_EQ(s.subsidy_paid_fen(), testing::kCivilSubsidyFen);
  std::vector<std::string> kinds;
  for (const auto& d : s.deadlines()) {
    kinds.push_back(d.kind());
    EXPECT_EQ(d.status(), "met_late_entry")
        << d.kind() << " due " << d.due() << " done " << d.done_on();
    EXPECT_GT(d.recorded_on(), d.due()) << d.kind();
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"review", "assign_after_approval", "entrustment",
                                             "closing_files", "closing_review"}));
  EXPECT_GE(s.loop_size(), 8);
  for (const auto& l : s.loop())
    EXPECT_TRUE(l.status() == "present" || l.status() == "not_required" ||
                (l.status() == "late_entry" && l.step().ends_with("_in_time")))
        << l.step() << " is " << l.status();
  EXPECT_GE(s.late_entries_size(), 8) << "every dated step was a declared late entry";
  EXPECT_EQ(s.late_entries(0).step(), "application_received");
  EXPECT_EQ(s.late_entries(0).actor_id(), "clerk-1");
  EXPECT_EQ(s.late_entries(0).reason(), testing::kPastDayReason);
  EXPECT_GT(s.late_entries(0).late_by_minutes(), 24 * 60);
  EXPECT_FALSE(s.simulated_clock());
  EXPECT_EQ(StepStatus(s, "hearing_attendance"), "present");

  // The timeline: every event in order, each chained to the one before,
  // each with the actor of the token that sent it; sealed personal data is
  // left out of it.
  const auto t = api.Read<api::Timeline>("/v1/cases/" + id + "/timeline", "supervisor");
  EXPECT_EQ(t.stream_id(), stream);
  ASSERT_EQ(uint64_t(t.events_size()), paid.last_version());
  EXPECT_EQ(
      Kinds(t),
      (std::vector<std::string>{
          "application_received", "application_approved", "lawyer_assigned", "assignment_notified",
          "entrustment_signed", "hearing_scheduled", "hearing_held", "hearing_attended",
          "case_closed", "closing_files_submitted", "closing_files_reviewed", "follow_up_visited",
          "authority_opinion_received", "quality_reviewed", "subsidy_approved", "subsidy_paid"}));
  std::vector<std::string> actors;
  for (int i = 0; i < t.events_size(); ++i) {
    const auto& e = t.events(i);
    EXPECT_EQ(e.stream_version(), uint64_t(i + 1));
    EXPECT_EQ(e.hash().size(), 32u) << "v" << e.stream_version();
    if (i == 0) {
      EXPECT_TRUE(e.prev_hash().empty());
    } else {
      EXPECT_EQ(e.prev_hash(), t.events(i - 1).hash()) << "chain broken at v" << e.stream_version();
    }
    actors.push_back(e.actor().id());
  }
  EXPECT_EQ(actors, (std::vector<std::string>{"clerk-1", "rev-1", "asg-1", "asg-1", "L1", "sup-1",
                                              "L1", "sup-1", "L1", "L1", "sup-1", "sup-1", "sup-1",
                                              "sup-1", "sup-1", "fin-1"}));
  const auto& applicant = t.events(0).payload().application_received().applicant();
  EXPECT_EQ(applicant.subject_id(), "S-" + id);
  EXPECT_TRUE(applicant.sealed_personal().empty()) << "the timeline must not carry sealed data";
  EXPECT_TRUE(MessageDifferencer::Equals(t.events(t.events_size() - 1), paid.events(0)))
      << "the timeline holds exactly what the command recorded";

  // The auditor's trace ties the payment to the case, its evidence and the
  // policy that fixed the amount.
  const auto trace =
      api.Read<v1::PaymentTrace>("/v1/cases/" + id + "/subsidies/SUB-1/trace", "auditor");
  EXPECT_EQ(trace.case_id(), stream);
  EXPECT_EQ(trace.subsidy_id(), "SUB-1");
  EXPECT_EQ(trace.lawyer_id(), "L1");
  EXPECT_EQ(trace.firm_id(), "F1");
  EXPECT_EQ(trace.amount_fen(), testing::kCivilSubsidyFen);
  EXPECT_EQ(trace.fiscal_year(), 2024);
  EXPECT_EQ(trace.standard_key(), "civil");
  EXPECT_EQ(trace.category(), v1::CASE_CATEGORY_CIVIL);
  EXPECT_EQ(trace.policy_version(), subsidy.events(0).policy_version());
  EXPECT_EQ(trace.payment_ref(), "国库支付-2024-0610-01");
  EXPECT_EQ(trace.approval().stream_version(), subsidy.last_version());
  EXPECT_EQ(trace.payment().stream_version(), paid.last_version());
  std::vector<uint64_t> traced;
  for (const auto& ref : trace.evidence()) {
    EXPECT_EQ(ref.stream_id(), stream);
    traced.push_back(ref.stream_version());
  }
  EXPECT_EQ(traced, evidence);

  const auto ledger = api.Read<api::Ledger>("/v1/ledger/2024", "auditor");
  EXPECT_EQ(ledger.total_approved_fen(), testing::kCivilSubsidyFen);
  EXPECT_EQ(ledger.total_paid_fen(), testing::kCivilSubsidyFen);
  EXPECT_EQ(ledger.case_subsidy_remaining_fen(),
            testing::kCaseSubsidyBudgetFen - testing::kCivilSubsidyFen);
  const auto payments = api.Read<api::Payments>("/v1/payments/2024", "auditor");
  ASSERT_EQ(payments.payments_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(payments.payments(0), trace));

  // The assigned lawyer reads the case; another lawyer cannot tell it exists.
  EXPECT_EQ(api.Get("/v1/cases/" + id, "lawyer").status, 200);
  const auto hidden = api.Get("/v1/cases/" + id, "lawyer2");
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(testing::ErrorOf(hidden).code(), "case.not_found");
  EXPECT_EQ(api.Get("/v1/cases/" + id + "/timeline", "lawyer2").status, 404);
  EXPECT_EQ(api.Read<api::CaseList>("/v1/cases", "lawyer2").cases_size(), 0);
  EXPECT_EQ(Ids(api.Read<api::CaseList>("/v1/cases", "lawyer")), std::vector<std::string>{stream});
}

TEST_P(ServerE2E, CriminalNotificationFromAPartner) {
  ApiClient& api = *api_;
  const std::string id = "2024-N-0001", stream = "case/" + id;
  // No occurredAt: the server records the time it received the notification.
  auto n = NewCommand(id + "/notify", stream);
  auto* rn = n.mutable_receive_notification();
  rn->set_authority_kind(v1::AUTHORITY_KIND_COURT);
  rn->set_authority("pj-court");
  rn->set_ground(v1::NOTIFICATION_GROUND_MINOR);
  rn->set_criminal_stage(v1::CRIMINAL_STAGE_TRIAL);
  rn->mutable_suspect()->set_subject_id("S-N1");
  rn->mutable_suspect()->set_age(16);
  rn->set_charge("theft");
  rn->set_detained(true);
  const int64_t before = NowMicros();
  const auto r = api.Accept("partner", n);
  const int64_t after = NowMicros();
  // A minor: the green channel flags the case beside the notification.
  ASSERT_EQ(r.events_size(), 2) << r.DebugString();
  EXPECT_TRUE(r.events(0).payload().has_criminal_notification_received());
  ASSERT_TRUE(r.events(1).payload().has_priority_flagged());
  EXPECT_EQ(r.events(1).payload().priority_flagged().key_groups(0), v1::KEY_GROUP_MINOR);
  EXPECT_EQ(r.events(0).actor().role(), v1::ROLE_PARTNER);
  EXPECT_EQ(r.events(0).actor().id(), "pj-court");
  const int64_t at = TimeUtil::TimestampToMicroseconds(r.events(0).occurred_at());
  EXPECT_GE(at, before);
  EXPECT_LE(at, after);

  // A notified case is assigned without review.
  auto review = testing::ApproveExempt(id, "");
  const auto refused = api.Send("reviewer", review);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error.code(), "case.no_review_for_notification");
  EXPECT_NE(refused.error.message_zh().find("指派律师"), std::string::npos)
      << refused.error.message_zh();

  auto assign = NewCommand(id + "/assign", stream);
  assign.mutable_assign_lawyer();  // rotation
  const auto assigned = api.Accept("assigner", assign);
  ASSERT_EQ(assigned.events_size(), 1);
  const auto& la = assigned.events(0).payload().lawyer_assigned();
  EXPECT_EQ(la.method(), v1::ASSIGNMENT_METHOD_ROTATION);
  EXPECT_EQ(la.eligible_lawyers(), 2);
  EXPECT_TRUE(la.priority());
  ASSERT_TRUE(la.lawyer_id() == "L1" || la.lawyer_id() == "L2") << la.lawyer_id();

  server_->WaitCaughtUp();
  const auto s = api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor");
  EXPECT_EQ(s.stage(), "in_handling");
  EXPECT_TRUE(s.notification());
  EXPECT_TRUE(s.priority());
  EXPECT_EQ(s.category(), v1::CASE_CATEGORY_CRIMINAL);
  ASSERT_EQ(s.key_groups_size(), 1);
  EXPECT_EQ(s.key_groups(0), v1::KEY_GROUP_MINOR);
  EXPECT_EQ(s.lawyer_id(), la.lawyer_id());
  const auto* d = FindDeadline(s, "assign_after_notification");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->status(), "met");
  EXPECT_EQ(FindDeadline(s, "review"), nullptr) << "a notification has no review deadline";
  // Art. 36: the court is still to be told which lawyer, and the agreement
  // is still to be signed: both pending, and the queue will show them late.
  ASSERT_NE(FindDeadline(s, "inform_authority"), nullptr);
  EXPECT_EQ(FindDeadline(s, "inform_authority")->status(), "pending");
  EXPECT_EQ(StepStatus(s, "authority_informed_in_time"), "pending");
  auto inform = NewCommand(id + "/inform", stream);
  inform.mutable_inform_authority()->set_letter_ref("江法援函〔2024〕9号");
  const auto informed = api.Accept("assigner", inform);
  ASSERT_EQ(informed.events_size(), 1);
  EXPECT_EQ(informed.events(0).payload().authority_informed().lawyer_id(), la.lawyer_id());
  auto again = inform;
  again.set_command_id(id + "/inform-again");
  EXPECT_EQ(api.Send("assigner", again).status, 409) << "the authority is told once per lawyer";
  server_->WaitCaughtUp();
  const auto told = api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor");
  EXPECT_EQ(FindDeadline(told, "inform_authority")->status(), "met");
  EXPECT_EQ(StepStatus(told, "authority_informed_in_time"), "present");

  // Partners notify; they do not read case files.
  EXPECT_EQ(api.Get("/v1/cases/" + id, "partner").status, 403);
  const std::string own = la.lawyer_id() == "L1" ? "lawyer" : "lawyer2";
  const std::string other = own == "lawyer" ? "lawyer2" : "lawyer";
  EXPECT_EQ(api.Get("/v1/cases/" + id, own).status, 200);
  EXPECT_EQ(api.Get("/v1/cases/" + id, other).status, 404);
}

TEST_P(ServerE2E, RefusalObjectionAndDecision) {
  ApiClient& api = *api_;
  const std::string id = "2024-0201", stream = "case/" + id;
  api.Accept("intake", testing::CivilApplication(id, "2024-03-04T09:00:00+08:00"));

  // An objection lies only against a refusal that happened.
  auto early = NewCommand(id + "/objection-early", stream, "2024-03-05T09:00:00+08:00");
  early.mutable_file_objection()->set_target(v1::OBJECTION_TARGET_REFUSAL);
  early.mutable_file_objection()->set_grounds("提前异议");
  const auto premature = api.Send("intake", early);
  EXPECT_EQ(premature.status, 422) << premature.body;
  EXPECT_EQ(premature.error.code(), "case.objection_target");

  auto refuse = NewCommand(id + "/refuse", stream, "2024-03-06T09:00:00+08:00");
  refuse.mutable_review()->mutable_refuse()->set_reason(v1::REFUSAL_REASON_NOT_LEGAL_AID_MATTER);
  refuse.mutable_review()->mutable_refuse()->set_written_reasons("申请事项不属于法律援助范围");
  const auto refused = api.Accept("reviewer", refuse);
  ASSERT_EQ(refused.events_size(), 1);
  EXPECT_EQ(refused.events(0).payload().application_refused().written_reasons(),
            "申请事项不属于法律援助范围");
  server_->WaitCaughtUp();
  EXPECT_EQ(api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor").stage(), "refused");

  auto object = NewCommand(id + "/objection", stream, "2024-03-08T09:00:00+08:00");
  object.mutable_file_objection()->set_target(v1::OBJECTION_TARGET_REFUSAL);
  object.mutable_file_objection()->set_grounds("申请事项属于追索劳动报酬");
  api.Accept("intake", object);
  server_->WaitCaughtUp();
  auto s = api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor");
  EXPECT_EQ(s.stage(), "objection");
  const auto* pending = FindDeadline(s, "objection");
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->due(), "2024-03-13") << "Art. 49: five days to decide";

  auto decide = NewCommand(id + "/objection-decided", stream, "2024-03-12T09:00:00+08:00");
  decide.mutable_decide_objection()->set_outcome(v1::OBJECTION_OUTCOME_CORRECTION_ORDERED);
  decide.mutable_decide_objection()->set_reasons("属于法律援助事项，责令重新审查");
  // Art. 49: the judicial bureau decides; the centre's supervisor may not.
  EXPECT_EQ(api.Send("supervisor", decide).status, 403);
  api.Accept("bureau", decide);
  // After a correction order the centre reviews again, and may approve.
  api.Accept("reviewer", testing::ApproveExempt(id, "2024-03-13T09:00:00+08:00"));

  server_->WaitCaughtUp();
  s = api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor");
  EXPECT_EQ(s.stage(), "approved");
  const auto* objection = FindDeadline(s, "objection");
  ASSERT_NE(objection, nullptr);
  EXPECT_EQ(objection->status(), "met_late_entry") << "decided in time, recorded long after";
  EXPECT_EQ(objection->done_on(), "2024-03-12");
  const auto t = api.Read<api::Timeline>("/v1/cases/" + id + "/timeline", "supervisor");
  EXPECT_EQ(Kinds(t), (std::vector<std::string>{"application_received", "application_refused",
                                                "objection_filed", "objection_decided",
                                                "application_approved"}));
  EXPECT_EQ(t.events(3).actor().role(), v1::ROLE_JUDICIAL_BUREAU);
  EXPECT_EQ(t.events(3).actor().agency(), "jm-pengjiang-sfj");
}

TEST_P(ServerE2E, TransferInFromAnotherCentreOfTheCity) {
  ApiClient& api = *api_;
  const std::string id = "2024-0301", stream = "case/" + id;
  auto transfer = testing::CivilApplication(id, "2024-03-04T09:00:00+08:00");
  auto* a = transfer.mutable_submit_application();
  a->set_channel(v1::CHANNEL_TRANSFER_IN);
  a->set_infringement_region("440705");
  a->mutable_transfer_source()->set_from_centre("xinhui-lac");
  a->mutable_transfer_source()->set_from_region("440705");
  a->mutable_transfer_source()->set_their_case_ref("XH-2024-17");
  const auto received = api.Accept("intake", transfer);
  ASSERT_EQ(received.events_size(), 1);
  EXPECT_EQ(received.events(0).payload().application_received().transfer_source().their_case_ref(),
            "XH-2024-17");
  // City-wide handling: the infringement in Xinhui is within this centre's reach.
  api.Accept("reviewer", testing::ApproveExempt(id, "2024-03-05T09:00:00+08:00"));

  server_->WaitCaughtUp();
  const auto s = api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor");
  EXPECT_EQ(s.channel(), v1::CHANNEL_TRANSFER_IN);
  EXPECT_EQ(s.stage(), "approved");
  const auto listed = api.Read<api::CaseList>("/v1/cases?stage=approved", "supervisor");
  EXPECT_EQ(Ids(listed), std::vector<std::string>{stream});

  // A centre outside the city cannot transfer a case in.
  auto outside = testing::CivilApplication("2024-0302", "2024-03-04T09:00:00+08:00");
  outside.mutable_submit_application()->set_channel(v1::CHANNEL_TRANSFER_IN);
  outside.mutable_submit_application()->mutable_transfer_source()->set_from_centre("tianhe-lac");
  outside.mutable_submit_application()->mutable_transfer_source()->set_from_region("440106");
  const auto refused = api.Send("intake", outside);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error.code(), "application.transfer_outside_city");
  EXPECT_NE(refused.error.message_zh().find("市域通办"), std::string::npos)
      << refused.error.message_zh();
  EXPECT_EQ(api.Get("/v1/cases/2024-0302", "supervisor").status, 404);
}

TEST_P(ServerE2E, OverdueCaseReachesTheSupervisionQueue) {
  ApiClient& api = *api_;
  // Received in September 2024 and never decided: the 7-day review period
  // has long run out, with no new event.
  const std::string late = "case/2024-0401", fresh = "case/2024-0402";
  api.Accept("intake", testing::CivilApplication("2024-0401", "2024-09-02T09:00:00+08:00"));
  api.Accept("intake", testing::CivilApplication("2024-0402", ""));  // received now
  server_->WaitCaughtUp();

  const auto s = api.Read<v1::CaseSummary>("/v1/cases/2024-0401", "supervisor");
  const auto* review = FindDeadline(s, "review");
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(review->due(), "2024-09-09");
  EXPECT_EQ(review->status(), "missed");
  EXPECT_TRUE(review->done_on().empty());
  EXPECT_EQ(StepStatus(s, "review_in_time"), "late");

  EXPECT_EQ(Ids(api.Read<api::CaseList>("/v1/cases?overdue=review", "supervisor")),
            std::vector<std::string>{late});
  EXPECT_EQ(Ids(api.Read<api::CaseList>("/v1/cases?overdue=any", "supervisor")),
            std::vector<std::string>{late});
  // Deadlines are evaluated at the time asked about: on 5 September the
  // review was still pending.
  EXPECT_TRUE(
      Ids(api.Read<api::CaseList>("/v1/cases?overdue=review&as_of=2024-09-05", "supervisor"))
          .empty());

  const auto queue = api.Read<api::SupervisionQueue>("/v1/supervision/queue", "supervisor");
  EXPECT_EQ(Ids(queue.overdue()), std::vector<std::string>{late});
  const auto fresh_summary = api.Read<v1::CaseSummary>("/v1/cases/2024-0402", "supervisor");
  ASSERT_NE(FindDeadline(fresh_summary, "review"), nullptr);
  EXPECT_EQ(FindDeadline(fresh_summary, "review")->status(), "pending");

  // Deciding late leaves the miss on record but takes the case off the list.
  api.Accept("reviewer", testing::ApproveExempt("2024-0401", ""));
  server_->WaitCaughtUp();
  const auto after = api.Read<v1::CaseSummary>("/v1/cases/2024-0401", "supervisor");
  ASSERT_NE(FindDeadline(after, "review"), nullptr);
  EXPECT_EQ(FindDeadline(after, "review")->status(), "missed");
  EXPECT_FALSE(FindDeadline(after, "review")->done_on().empty());
  EXPECT_TRUE(Ids(api.Read<api::CaseList>("/v1/cases?overdue=review", "supervisor")).empty());
}

TEST_P(ServerE2E, SubsidyRefusedWhileTheFollowUpVisitIsMissing) {
  ApiClient& api = *api_;
  const std::string id = "2024-0501", stream = "case/" + id;
  testing::CloseCivilCase(api, id);
  auto opinion = NewCommand(id + "/opinion", stream, "2024-05-20T09:00:00+08:00");
  opinion.mutable_record_authority_opinion()->set_authority("pj-court");
  opinion.mutable_record_authority_opinion()->set_rating(v1::OPINION_RATING_POSITIVE);
  api.Accept("supervisor", opinion);
  auto quality = NewCommand(id + "/quality", stream, "2024-06-01T09:00:00+08:00");
  auto* q = quality.mutable_record_quality_review();
  q->set_review_id("Q1");
  q->set_kind(v1::REVIEW_KIND_QUALITY_EVALUATION);
  q->set_grade(v1::QUALITY_GRADE_PASS);
  q->add_reviewers("peer-1");
  api.Accept("supervisor", quality);
  server_->WaitCaughtUp();
  EXPECT_EQ(Ids(api.Read<api::CaseList>("/v1/cases?missing_step=follow_up", "supervisor")),
            std::vector<std::string>{stream});
  const auto sizes = api.PartitionSizes();

  auto approve = NewCommand(id + "/subsidy", stream, "2024-06-05T09:00:00+08:00");
  approve.mutable_approve_subsidy()->set_subsidy_id("SUB-1");
  const auto refused = api.Send("supervisor", approve);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error.code(), "subsidy.loop_not_closed");
  EXPECT_NE(refused.error.message_zh().find("回访受援人（缺失）"), std::string::npos)
      << refused.error.message_zh();
  EXPECT_NE(refused.error.message().find("follow-up visit (missing)"), std::string::npos);
  // Nothing approved, so nothing can be paid.
  auto pay = NewCommand(id + "/pay", stream, "2024-06-10T09:00:00+08:00");
  pay.mutable_pay_subsidy()->set_subsidy_id("SUB-1");
  pay.mutable_pay_subsidy()->set_payment_ref("V-1");
  const auto unpaid = api.Send("admin", pay);
  EXPECT_EQ(unpaid.status, 404) << unpaid.body;
  EXPECT_EQ(unpaid.error.code(), "subsidy.not_found");
  EXPECT_EQ(api.PartitionSizes(), sizes) << "a refusal writes nothing";

  // Once the visit is recorded, the same approval goes through.
  auto visit = NewCommand(id + "/follow-up", stream, "2024-06-03T09:00:00+08:00");
  visit.mutable_record_follow_up()->set_method(v1::CONTACT_METHOD_IN_PERSON);
  visit.mutable_record_follow_up()->set_satisfaction(v1::SATISFACTION_VERY_SATISFIED);
  api.Accept("supervisor", visit);
  const auto approved = api.Accept("supervisor", approve);
  EXPECT_EQ(approved.events_size(), 1);
  api.Accept("admin", pay);
  server_->WaitCaughtUp();
  const auto s = api.Read<v1::CaseSummary>("/v1/cases/" + id, "auditor");
  EXPECT_EQ(s.subsidy_paid_fen(), testing::kCivilSubsidyFen);
  EXPECT_EQ(StepStatus(s, "follow_up"), "present");
}

TEST_P(ServerE2E, RetriesAreIdempotentAndStaleVersionsConflict) {
  ApiClient& api = *api_;
  const std::string id = "2024-0601";
  const auto apply = testing::CivilApplication(id, "2024-03-04T09:00:00+08:00");
  const auto first = api.Send("intake", apply);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.response.replayed());
  const auto sizes = api.PartitionSizes();

  // The same command again (a client that lost the answer): the first
  // result, marked replayed, and nothing new in the log.
  const auto retry = api.Send("intake", apply);
  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_TRUE(retry.response.replayed());
  EXPECT_EQ(retry.response.stream_id(), first.response.stream_id());
  EXPECT_EQ(retry.response.first_version(), first.response.first_version());
  EXPECT_EQ(retry.response.last_version(), first.response.last_version());
  EXPECT_TRUE(MessageDifferencer::Equals(retry.response.position(), first.response.position()));
  ASSERT_EQ(retry.response.events_size(), first.response.events_size());
  for (int i = 0; i < retry.response.events_size(); ++i)
    EXPECT_TRUE(MessageDifferencer::Equals(retry.response.events(i), first.response.events(i)))
        << "event " << i << " differs on replay";
  EXPECT_EQ(api.PartitionSizes(), sizes);

  // A client that loaded version 0 and missed the application: conflict.
  auto stale = testing::ApproveExempt(id, "2024-03-05T09:00:00+08:00");
  stale.set_expected_version(0);
  const auto conflict = api.Send("reviewer", stale);
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_EQ(conflict.error.code(), "stream.version_conflict");
  EXPECT_FALSE(conflict.error.message_zh().empty());
  // A refusal is not remembered as a result: the retry is judged afresh.
  EXPECT_EQ(api.Send("reviewer", stale).status, 409);
  EXPECT_EQ(api.PartitionSizes(), sizes);

  auto current = stale;
  current.set_expected_version(1);
  const auto approved = api.Accept("reviewer", current);
  EXPECT_EQ(approved.first_version(), 2u);
  // Now the stale version is stale twice over.
  auto again = testing::AssignNamed(id, "L1", "2024-03-06T09:00:00+08:00");
  again.set_expected_version(1);
  EXPECT_EQ(api.Send("assigner", again).status, 409);
}

// Business time against the server's real clock: a step dated in the
// future is refused, one dated days back without a declaration too; a
// declared late entry is recorded, shown on the case with who and how late,
// found by the filter and in the supervision queue; only `aidtrail import`
// may mark history a migration.
TEST_P(ServerE2E, LateEntriesAreDeclaredShownAndFound) {
  ApiClient& api = *api_;
  const std::string id = "2024-0701", stream = "case/" + id;
  const auto stamp = [](int64_t micros) {
    return TimeUtil::ToString(TimeUtil::MicrosecondsToTimestamp(micros));
  };
  constexpr int64_t kHour = 3'600'000'000LL;

  auto future = testing::CivilApplication(id, stamp(NowMicros() + kHour));
  future.clear_late_entry();
  const auto refused_future = api.Send("intake", future);
  EXPECT_EQ(refused_future.status, 422) << refused_future.body;
  EXPECT_EQ(refused_future.error.code(), "time.in_future");
  EXPECT_EQ(refused_future.error.field(), "occurred_at");

  auto undeclared = testing::CivilApplication(id, stamp(NowMicros() - 72 * kHour));
  undeclared.clear_late_entry();
  const auto refused_late = api.Send("intake", undeclared);
  EXPECT_EQ(refused_late.status, 422) << refused_late.body;
  EXPECT_EQ(refused_late.error.code(), "time.late_entry_undeclared");
  EXPECT_EQ(refused_late.error.field(), "late_entry.reason");
  EXPECT_NE(refused_late.error.message_zh().find("补录"), std::string::npos)
      << refused_late.error.message_zh();

  auto migration = undeclared;
  migration.mutable_migration()->set_batch_id("b");
  migration.mutable_migration()->set_run_by("me");
  const auto refused_migration = api.Send("intake", migration);
  EXPECT_EQ(refused_migration.status, 400) << refused_migration.body;
  EXPECT_EQ(refused_migration.error.code(), "request.migration_in_body");

  auto declared = undeclared;
  declared.mutable_late_entry()->set_reason("窗口停电，纸质登记后补录");
  const auto recorded = api.Accept("intake", declared);
  ASSERT_EQ(recorded.events_size(), 1);
  EXPECT_EQ(recorded.events(0).late_entry().reason(), "窗口停电，纸质登记后补录");
  EXPECT_EQ(recorded.events(0).late_entry().window_minutes(), 24 * 60);
  // On time, from the same clerk: no mark.
  api.Accept("intake", testing::CivilApplication("2024-0702", ""));

  server_->WaitCaughtUp();
  const auto s = api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor");
  ASSERT_EQ(s.late_entries_size(), 1);
  EXPECT_EQ(s.late_entries(0).step(), "application_received");
  EXPECT_EQ(s.late_entries(0).actor_id(), "clerk-1");
  EXPECT_EQ(s.late_entries(0).role(), v1::ROLE_INTAKE);
  EXPECT_NEAR(double(s.late_entries(0).late_by_minutes()), 72 * 60, 2);
  EXPECT_EQ(Ids(api.Read<api::CaseList>("/v1/cases?late_entry=true", "supervisor")),
            std::vector<std::string>{stream});
  const auto queue = api.Read<api::SupervisionQueue>("/v1/supervision/queue", "supervisor");
  EXPECT_EQ(Ids(queue.late_entries()), std::vector<std::string>{stream});
  EXPECT_EQ(api.Get("/v1/cases?late_entry=maybe", "supervisor").status, 400);
  const auto health = api.Read<api::Health>("/healthz", "");
  EXPECT_FALSE(health.simulated_clock());
  EXPECT_EQ(health.late_entries(), 1);

  // Corrections correct: the summary takes the corrected category, and the
  // timeline shows the correction beside the value it replaced.
  auto correct = NewCommand(id + "/correct", stream);
  auto* c = correct.mutable_correct_event();
  c->mutable_corrected()->set_stream_id(stream);
  c->mutable_corrected()->set_stream_version(1);
  c->set_field("category");
  c->set_corrected_value("CASE_CATEGORY_ADMINISTRATIVE");
  c->set_reason("案件类别登记错误");
  EXPECT_EQ(api.Send("lawyer", correct).status, 403);
  api.Accept("reviewer", correct);
  server_->WaitCaughtUp();
  EXPECT_EQ(api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor").category(),
            v1::CASE_CATEGORY_ADMINISTRATIVE);
  const auto t = api.Read<api::Timeline>("/v1/cases/" + id + "/timeline", "supervisor");
  ASSERT_EQ(t.corrections_size(), 1);
  EXPECT_EQ(t.corrections(0).corrects_version(), 1u);
  EXPECT_EQ(t.corrections(0).original_value(), "CASE_CATEGORY_CIVIL");
  EXPECT_EQ(t.corrections(0).corrected_value(), "CASE_CATEGORY_ADMINISTRATIVE");
  EXPECT_EQ(t.corrections(0).actor_id(), "rev-1");
  EXPECT_EQ(t.events(0).payload().application_received().category(), v1::CASE_CATEGORY_CIVIL)
      << "the original stays as recorded";
  // A supervisor finds the corrected case, and what was corrected by whom.
  EXPECT_EQ(Ids(api.Read<api::CaseList>("/v1/cases?corrected=true", "supervisor")),
            std::vector<std::string>{stream});
  EXPECT_EQ(Ids(api.Read<api::SupervisionQueue>("/v1/supervision/queue", "supervisor").corrected()),
            std::vector<std::string>{stream});
  const auto corrected = api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor");
  ASSERT_EQ(corrected.corrections_size(), 1);
  EXPECT_EQ(corrected.corrections(0).field(), "category");
  EXPECT_EQ(corrected.corrections(0).field_zh(), "案件类别");
  EXPECT_EQ(corrected.corrections(0).actor_id(), "rev-1");
  EXPECT_EQ(corrected.corrections(0).reason(), "案件类别登记错误");
  EXPECT_EQ(api.Get("/v1/cases?corrected=yes", "supervisor").status, 400);

  // A receipt day corrected one day earlier: the summary takes it, the
  // timeline shows the day it replaces; a day after the receipt was
  // recorded is refused with its reason.
  const std::string received = corrected.received_on();
  auto day = NewCommand(id + "/correct-day", stream);
  auto* d = day.mutable_correct_event();
  d->mutable_corrected()->set_stream_id(stream);
  d->mutable_corrected()->set_stream_version(1);
  d->set_field("occurred_on");
  d->set_corrected_value((*CivilDate::Parse(received) + -1).ToString());
  d->set_reason("申请前一日已邮寄送达");
  api.Accept("reviewer", day);
  auto later = day;
  later.set_command_id(id + "/correct-day-2");
  later.mutable_correct_event()->set_corrected_value("2099-01-01");
  const auto refused_day = api.Send("reviewer", later);
  EXPECT_EQ(refused_day.error.code(), "correction.date_after_recorded") << refused_day.body;
  server_->WaitCaughtUp();
  EXPECT_EQ(api.Read<v1::CaseSummary>("/v1/cases/" + id, "supervisor").received_on(),
            (*CivilDate::Parse(received) + -1).ToString());
  const auto t2 = api.Read<api::Timeline>("/v1/cases/" + id + "/timeline", "supervisor");
  ASSERT_EQ(t2.corrections_size(), 2);
  EXPECT_EQ(t2.corrections(1).field(), "occurred_on");
  EXPECT_EQ(t2.corrections(1).original_value(), received);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerE2E, ::testing::Values("embedded", "kafka"),
                         [](const auto& test) { return test.param; });

}  // namespace
}  // namespace aidtrail
