#include "projections/ledger_views.h"

#include "aidtrail/v1/views.pb.h"
#include "events/core/civil_date.h"
#include "events/domain/matters.h"
#include "events/domain/streams.h"
#include "projections/case_views.h"
#include "projections/recount.h"

namespace aidtrail::projections {
namespace {

std::string Name(v1::CaseCategory c) { return v1::CaseCategory_Name(c); }

v1::EventRef Ref(const v1::Event& e) {
  v1::EventRef r;
  r.set_stream_id(e.stream_id());
  r.set_stream_version(e.stream_version());
  r.set_event_id(e.event_id());
  return r;
}

}  // namespace

std::string CounterKey(std::initializer_list<std::string> parts, int32_t partition) {
  std::string k;
  for (const auto& p : parts) k += p + std::string(1, '\0');
  return k + PartitionTag(partition);
}

namespace {
std::pair<std::string, std::string> YearQuarterOf(CivilDate d) {
  const int month = std::stoi(d.ToString().substr(5, 2));
  return {std::to_string(d.year()), "Q" + std::to_string((month - 1) / 3 + 1)};
}
// Of the event's business day as corrected: for the counters that follow
// corrections.
std::pair<std::string, std::string> YearQuarter(const v1::Event& e, const CountedFacts& f) {
  return YearQuarterOf(BusinessDay(e, f));
}
}  // namespace

std::pair<std::string, std::string> YearQuarter(const v1::Event& e) {
  return YearQuarterOf(CivilDate::Of(Instant::FromProto(e.occurred_at())));
}

// The ledger's counters keyed by the case's category: approvals, their
// adjustments and payments, in the quarter of the event.
static void CountByCategory(const v1::Event& e, const CountedFacts& f, int64_t sign, int32_t p,
                            Batch& batch) {
  const auto& x = e.payload();
  const auto [year, quarter] = YearQuarter(e, f);
  const std::string cat = Name(f.category);
  const auto add = [&](const std::string& metric, int32_t fiscal_year, int64_t n) {
    batch.Add(kLedger, CounterKey({metric, std::to_string(fiscal_year), quarter, cat}, p),
              sign * n);
  };
  switch (x.kind_case()) {
    case v1::EventPayload::kSubsidyApproved:
      add("approved", x.subsidy_approved().fiscal_year(), x.subsidy_approved().amount_fen());
      add("approved_count", x.subsidy_approved().fiscal_year(), 1);
      break;
    case v1::EventPayload::kSubsidyAdjusted:
      // The committed amount follows the corrected record: the difference
      // is counted in the year the adjustment is recorded, so the
      // approved total is what the corrected cases imply.
      add("approved", x.subsidy_adjusted().fiscal_year(), x.subsidy_adjusted().difference_fen());
      break;
    case v1::EventPayload::kSubsidyPaid:
      add("paid", x.subsidy_paid().fiscal_year(), x.subsidy_paid().amount_fen());
      add("paid_count", x.subsidy_paid().fiscal_year(), 1);
      break;
    default:
      break;
  }
}

void LedgerView::Apply(const store::ScannedCommit& commit, Batch& batch) {
  const int32_t p = commit.position.partition;
  const CountedFacts facts = CurrentFacts(batch, commit.commit.stream_id());
  for (const v1::Event& e : commit.commit.events()) {
    const auto& x = e.payload();
    const auto [year, quarter] = YearQuarter(e);
    switch (x.kind_case()) {
      case v1::EventPayload::kBudgetAppropriated: {
        const auto& b = x.budget_appropriated();
        batch.Add(kLedger,
                  CounterKey({"budget", std::to_string(b.fiscal_year()),
                              v1::BudgetLine_Name(b.line()), "appropriated"},
                             p),
                  b.amount_fen());
        break;
      }
      case v1::EventPayload::kBudgetAdjusted: {
        const auto& b = x.budget_adjusted();
        batch.Add(kLedger,
                  CounterKey({"budget", std::to_string(b.fiscal_year()),
                              v1::BudgetLine_Name(b.line()), "adjusted"},
                             p),
                  b.delta_fen());
        break;
      }
      case v1::EventPayload::kAidCostRepaid: {
        // Art. 64 money paid back: income of the year received, by quarter.
        const auto& r = x.aid_cost_repaid();
        batch.Add(kLedger, CounterKey({"recovered", std::to_string(r.fiscal_year()), quarter}, p),
                  r.amount_fen());
        break;
      }
      case v1::EventPayload::kExpenditureRecorded: {
        const auto& b = x.expenditure_recorded();
        batch.Add(kLedger,
                  CounterKey({"spent", std::to_string(b.fiscal_year()),
                              v1::BudgetLine_Name(b.line()), quarter},
                             p),
                  b.amount_fen());
        batch.Add(kLedger,
                  CounterKey({"spent_count", std::to_string(b.fiscal_year()),
                              v1::BudgetLine_Name(b.line()), quarter},
                             p),
                  1);
        break;
      }
      case v1::EventPayload::kServicePayApproved: {
        // Duty days and consultations: approved on their own line, traced
        // to the record they pay.
        const auto& a = x.service_pay_approved();
        const std::string line = v1::BudgetLine_Name(a.line());
        batch.Add(kLedger,
                  CounterKey({"svc_approved", std::to_string(a.fiscal_year()), line, quarter}, p),
                  a.amount_fen());
        v1::ServicePayTrace t;
        t.set_service_id(e.stream_id());
        t.set_line(a.line());
        t.set_lawyer_id(a.lawyer_id());
        t.set_firm_id(a.firm_id());
        t.set_amount_fen(a.amount_fen());
        t.set_standard_key(a.standard_key());
        t.set_standard_effective_from(a.standard_effective_from());
        t.set_policy_version(e.policy_version());
        t.set_service_day(a.service_day());
        t.set_approved_fiscal_year(a.fiscal_year());
        v1::Event record;
        if (auto b = batch.Get(kTimeline, TimelineKey(e.stream_id(), 1));
            b && record.ParseFromString(*b))
          *t.mutable_record() = Ref(record);
        *t.mutable_approval() = Ref(e);
        batch.Put(kServicePayments, e.stream_id(), t.SerializeAsString());
        break;
      }
      case v1::EventPayload::kServicePayPaid: {
        // Spending of the line in the payment's quarter, like any other
        // expenditure; settled toward the approval's own year.
        const auto& pd = x.service_pay_paid();
        const std::string line = v1::BudgetLine_Name(pd.line());
        const std::string fy = std::to_string(pd.fiscal_year());
        batch.Add(kLedger, CounterKey({"spent", fy, line, quarter}, p), pd.amount_fen());
        batch.Add(kLedger, CounterKey({"spent_count", fy, line, quarter}, p), 1);
        batch.Add(
            kLedger,
            CounterKey(
                {"svc_settled", fy, line, quarter, std::to_string(pd.approved_fiscal_year())}, p),
            pd.amount_fen());
        v1::ServicePayTrace t;
        if (auto b = batch.Get(kServicePayments, e.stream_id()); !b || !t.ParseFromString(*b))
          break;
        *t.mutable_payment() = Ref(e);
        t.set_payment_ref(pd.payment_ref());
        t.set_fiscal_year(pd.fiscal_year());
        batch.Put(kServicePayments, e.stream_id(), t.SerializeAsString());
        break;
      }
      case v1::EventPayload::kSubsidyApproved: {
        const auto& a = x.subsidy_approved();
        v1::PaymentTrace t;
        t.set_case_id(e.stream_id());
        t.set_subsidy_id(a.subsidy_id());
        t.set_lawyer_id(a.lawyer_id());
        t.set_firm_id(a.firm_id());
        t.set_amount_fen(a.amount_fen());
        t.set_standard_key(a.standard_key());
        t.set_policy_version(e.policy_version());
        *t.mutable_evidence() = a.evidence();
        *t.mutable_approval() = Ref(e);
        t.set_category(facts.category);
        t.set_approved_fiscal_year(a.fiscal_year());
        t.set_adjusted_amount_fen(a.amount_fen());
        *t.mutable_lines() = a.lines();  // how the amount was computed
        t.set_method_effective_from(a.method_effective_from());
        batch.Put(kPayments, e.stream_id() + std::string(1, '\0') + a.subsidy_id(),
                  t.SerializeAsString());
        break;
      }
      case v1::EventPayload::kSubsidyPaid: {
        const auto& pd = x.subsidy_paid();
        const std::string key = e.stream_id() + std::string(1, '\0') + pd.subsidy_id();
        v1::PaymentTrace t;
        if (auto b = batch.Get(kPayments, key)) t.ParseFromString(*b);
        t.set_fiscal_year(pd.fiscal_year());
        t.set_payment_ref(pd.payment_ref());
        *t.mutable_payment() = Ref(e);
        t.set_paid_fen(pd.amount_fen());
        t.set_outstanding_fen(t.adjusted_amount_fen() - pd.amount_fen());
        batch.Put(kPayments, key, t.SerializeAsString());
        // Paid toward which year's approvals: "approved, unpaid" is owed by
        // the approval's year, not the payment's.
        batch.Add(kLedger,
                  CounterKey({"settled", std::to_string(pd.fiscal_year()), quarter,
                              std::to_string(t.approved_fiscal_year())},
                             p),
                  pd.amount_fen());
        batch.Add(kLedger,
                  CounterKey({"paid_firm", std::to_string(pd.fiscal_year()), t.firm_id()}, p),
                  pd.amount_fen());
        break;
      }
      case v1::EventPayload::kSubsidyAdjusted: {
        // The trace shows the correction that changed the amount, and what
        // is still owed either way once paid.
        const auto& a = x.subsidy_adjusted();
        const std::string key = e.stream_id() + std::string(1, '\0') + a.subsidy_id();
        v1::PaymentTrace t;
        if (auto b = batch.Get(kPayments, key); !b || !t.ParseFromString(*b)) break;
        *t.add_adjustments() = Ref(e);
        t.set_adjusted_amount_fen(a.amount_fen());
        if (t.has_payment()) t.set_outstanding_fen(a.amount_fen() - t.paid_fen());
        batch.Put(kPayments, key, t.SerializeAsString());
        break;
      }
      default:
        break;
    }
  }
  const auto count = [&](const v1::Event& e, const CountedFacts& f, int64_t sign) {
    CountByCategory(e, f, sign, p, batch);
  };
  for (const v1::Event& e : commit.commit.events()) count(e, facts, 1);
  // After a correction the payment traces name the case's category as the
  // counters do.
  Recount(commit, batch, [&](const v1::Event& e, const CountedFacts& f, int64_t sign) {
    count(e, f, sign);
    if (sign < 0 || !e.payload().has_subsidy_approved()) return;
    const std::string key =
        e.stream_id() + std::string(1, '\0') + e.payload().subsidy_approved().subsidy_id();
    v1::PaymentTrace t;
    if (auto bytes = batch.Get(kPayments, key); bytes && t.ParseFromString(*bytes)) {
      t.set_category(f.category);
      batch.Put(kPayments, key, t.SerializeAsString());
    }
  });
}

void FairnessView::Apply(const store::ScannedCommit& commit, Batch& batch) {
  const int32_t p = commit.position.partition;
  const auto count = [&](const v1::Event& e, const CountedFacts& f, int64_t sign) {
    const auto& x = e.payload();
    if (!x.has_lawyer_assigned() && !x.has_lawyer_replaced()) return;
    const std::string year = YearQuarter(e, f).first;
    const std::string lawyer =
        x.has_lawyer_assigned() ? x.lawyer_assigned().lawyer_id() : x.lawyer_replaced().lawyer_id();
    const auto method =
        x.has_lawyer_assigned() ? x.lawyer_assigned().method() : x.lawyer_replaced().method();
    batch.Add(kFairness,
              CounterKey({year, lawyer, Name(f.category), v1::AssignmentMethod_Name(method)}, p),
              sign);
  };
  const CountedFacts facts = CurrentFacts(batch, commit.commit.stream_id());
  for (const v1::Event& e : commit.commit.events()) count(e, facts, 1);
  Recount(commit, batch, count);
}

void NoticeView::Apply(const store::ScannedCommit& commit, Batch& batch) {
  const int32_t p = commit.position.partition;
  const auto counter = [&](const v1::Event& e, const CountedFacts& f, int64_t sign) {
    const auto& x = e.payload();
    const auto [year, quarter] = YearQuarter(e, f);
    auto count = [&](const std::string& metric, const std::string& dim, const std::string& value,
                     int64_t n = 1) {
      batch.Add(kNotice, CounterKey({year, quarter, metric, dim, value}, p), sign * n);
    };
    const std::string category = Name(f.category);
    switch (x.kind_case()) {
      case v1::EventPayload::kApplicationReceived:
      case v1::EventPayload::kCriminalNotificationReceived:
        count("received", "category", category);
        // 受援人次: the applicant (or suspect) and the co-applicants.
        count("persons", "category", category,
              x.has_application_received() ? 1 + x.application_received().co_applicants_size() : 1);
        count("received", "channel", v1::Channel_Name(f.channel));
        count("received", "matter_type",
              v1::MatterType_Name(!x.has_application_received() ? v1::MATTER_TYPE_CRIMINAL_DEFENCE
                                  : f.matter_type != v1::MATTER_TYPE_UNSPECIFIED
                                      ? f.matter_type
                                      : domain::MatterTypeOf(x.application_received())));
        if (x.has_application_received() &&
            x.application_received().channel() == v1::CHANNEL_TRANSFER_IN)
          count("received", "transfer", "in");
        break;
      case v1::EventPayload::kPriorityFlagged:
        for (int g : x.priority_flagged().key_groups())
          count("received", "key_group", v1::KeyGroup_Name(static_cast<v1::KeyGroup>(g)));
        break;
      case v1::EventPayload::kApplicationApproved:
        count("approved", "category", category);
        break;
      case v1::EventPayload::kApplicationRefused:
        count("refused", "category", category);
        break;
      case v1::EventPayload::kCaseClosed:
        count("closed", "category", category);
        if (const int64_t recovered = RecoveredFenOf(e, f); recovered > 0) {
          count("recovered", "category", category);
          count("recovered_fen", "category", category, recovered);
        }
        break;
      case v1::EventPayload::kAidTerminated:
        count("terminated", "category", category);
        break;
      case v1::EventPayload::kCaseTransferredOut:
        count("transferred", "direction", "out");
        break;
      case v1::EventPayload::kQualityReviewed:
        count("quality_review", "grade", v1::QualityGrade_Name(GradeOf(e, f)));
        break;
      case v1::EventPayload::kDutyServiceRecorded:
        count("duty_service", "station", v1::DutyStation_Name(x.duty_service_recorded().station()));
        break;
      case v1::EventPayload::kDutySessionRecorded:
        count("duty_session", "station", v1::DutyStation_Name(x.duty_session_recorded().station()));
        break;
      case v1::EventPayload::kConsultationRecorded:
        count("consultation", "channel",
              v1::ConsultationChannel_Name(x.consultation_recorded().channel()));
        if (const int drafted = x.consultation_recorded().documents_drafted(); drafted > 0)
          count("documents_drafted", "all", "all", drafted);
        break;
      default:
        break;
    }
  };
  const CountedFacts facts = CurrentFacts(batch, commit.commit.stream_id());
  for (const v1::Event& e : commit.commit.events()) counter(e, facts, 1);
  Recount(commit, batch, counter);
}

}  // namespace aidtrail::projections
