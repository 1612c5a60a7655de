#include "ingest/generator.h"

#include <algorithm>
#include <array>
#include <functional>

#include "events/core/civil_date.h"
#include "ingest/synthetic_person.h"

namespace aidtrail::ingest {
namespace {

constexpr int64_t kDay = 86400;
constexpr char kCentre[] = "jm-pengjiang-lac";
constexpr char kBureau[] = "jm-pengjiang-sfj";  // 司法局: decides objections
const std::array<const char*, 7> kRegions = {"440703", "440704", "440705", "440781",
                                             "440783", "440784", "440785"};

// A person's data draws from a generator of its own (seeded by the
// generator's seed, what the person is, and which one), so that adding
// personal data changes none of the draws that shape the year.
v1::PersonalData PersonFor(uint32_t seed, uint32_t kind, uint32_t n, int age, bool female,
                           int64_t at) {
  std::seed_seq seq{seed, kind, n};
  std::mt19937 rng(seq);
  return SyntheticPerson(
      rng, {.age = age, .female = female, .on = CivilDate::Of(Instant{at * 1'000'000})});
}
constexpr uint32_t kApplicant = 1, kSuspect = 2, kDutyServicePerson = 3;

int64_t YearStart(int year) {
  // Seconds at 00:00 China Standard Time on 1 January `year`.
  int64_t days = 0;
  for (int y = 1970; y < year; ++y)
    days += (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365;
  return days * kDay - 8 * 3600;
}

}  // namespace

// One scheduled command. Cases schedule their next step only when the
// previous one has been emitted, so memory stays proportional to the cases
// in progress, not to the year.
struct DistrictGenerator::Step {
  int64_t at = 0;        // when it is recorded (the simulated writer clock)
  int64_t occurred = 0;  // when it happened, if earlier: a declared late entry
  uint64_t seq = 0;
  v1::Command command;
  std::function<void(int64_t at)> then;  // schedules what follows
  bool lawyer_of_record = false;         // issued by the case's assigned lawyer
  bool corrects_closure = false;         // a correction of the case's closure (version on emit)

  // It happened at its time but is recorded `delay` later, declared as a
  // late entry (补录) with its reason, as a clerk would.
  void RecordLate(int64_t delay, const char* reason) {
    occurred = at;
    at += delay;
    command.mutable_late_entry()->set_reason(reason);
  }
};

bool DistrictGenerator::Later::operator()(const std::shared_ptr<Step>& a,
                                          const std::shared_ptr<Step>& b) const {
  return a->at != b->at ? a->at > b->at : a->seq > b->seq;
}

DistrictGenerator::DistrictGenerator(GeneratorOptions options)
    : o_(std::move(options)), rng_(o_.seed) {
  Setup();
  for (int n = 1; n <= o_.cases; ++n) ScheduleCase(n);
  const int64_t start = YearStart(o_.year);
  std::uniform_int_distribution<int64_t> when(start + 2 * kDay, start + 364 * kDay);
  for (int i = 0; i < o_.consultations; ++i) {
    auto s = std::make_shared<Step>();
    s->at = when(rng_) + 9 * 3600 + int64_t(rng_() % 28800);
    v1::Command& c = s->command;
    c.set_stream_id("service/CON-" + std::to_string(o_.year) + "-" + std::to_string(i + 1));
    c.mutable_actor()->set_id("clerk-" + std::to_string(1 + rng_() % 3));
    c.mutable_actor()->set_role(v1::ROLE_INTAKE);
    auto* r = c.mutable_record_consultation();
    r->set_channel(rng_() % 10 < 7 ? v1::CONSULTATION_CHANNEL_WALK_IN
                                   : v1::CONSULTATION_CHANNEL_PHONE_12348);
    r->set_category(rng_() % 4 == 0 ? v1::CASE_CATEGORY_CRIMINAL : v1::CASE_CATEGORY_CIVIL);
    r->set_topic(rng_() % 2 ? "labour" : "family");
    // One in three is answered by a lawyer on duty at the centre, who is
    // paid per consultation (chosen by number: the draws stay the same).
    if (i % 5 == 1) r->set_documents_drafted(1);  // 代写法律文书
    if (i % 3 == 0) {
      r->set_lawyer_id("L" + std::to_string(1 + i / 3 % std::max(1, o_.lawyers / 3)));
      SchedulePay(c.stream_id(), s->at);
    }
    Schedule(s);
  }
  for (int i = 0; i < o_.duty_services; ++i) {
    auto s = std::make_shared<Step>();
    s->at = when(rng_) + 10 * 3600;
    v1::Command& c = s->command;
    c.set_stream_id("service/DUTY-" + std::to_string(o_.year) + "-" + std::to_string(i + 1));
    const std::string lawyer =
        "L" + std::to_string(1 + rng_() % uint32_t(std::max(1, o_.lawyers / 3)));
    c.mutable_actor()->set_id(lawyer);
    c.mutable_actor()->set_role(v1::ROLE_LAWYER);
    auto* d = c.mutable_record_duty_service();
    d->set_lawyer_id(lawyer);
    d->set_station(rng_() % 3 == 0 ? v1::DUTY_STATION_DETENTION_CENTRE
                                   : v1::DUTY_STATION_PROCURATORATE);
    d->set_mode(v1::SERVICE_MODE_ON_SITE);
    d->set_kind(rng_() % 2 ? v1::DUTY_SERVICE_KIND_PLEA_AGREEMENT
                           : v1::DUTY_SERVICE_KIND_LEGAL_ADVICE);
    d->set_category(v1::CASE_CATEGORY_CRIMINAL);
    // One person per service and year: a subject id names one person for good.
    d->mutable_person()->set_subject_id("DS-" + std::to_string(o_.year) + "-" +
                                        std::to_string(i + 1));
    if (o_.personal_data) {
      // Duty-service people are mostly men held or charged; no age is recorded.
      const uint32_t k = uint32_t(i + 1);
      (*c.mutable_personal())[d->person().subject_id()] =
          PersonFor(o_.seed, kDutyServicePerson, k, 20 + int(k * 7 % 40), k % 8 == 0, s->at);
    }
    Schedule(s);
  }
  // The duty days those services were given on: about three people a day,
  // at the detention centre or the procuratorate, a quarter of them half
  // days; each paid by its standard (the detention centre's is higher).
  std::mt19937 duty_rng(o_.seed * 104729u + 17u);
  for (int i = 0; i < DutyDays(); ++i) {
    auto s = std::make_shared<Step>();
    // The last is 20 November, so every year has a day approved in it and
    // paid in the next.
    const int64_t drawn = start + int64_t(2 + duty_rng() % 362) * kDay;
    const int64_t day = i + 1 == DutyDays()
                            ? int64_t(CivilDate::FromYmd(o_.year, 11, 20).days()) * kDay - 8 * 3600
                            : drawn;
    s->at = day + 17 * 3600 + 30 * 60;
    v1::Command& c = s->command;
    c.set_stream_id("service/DAY-" + std::to_string(o_.year) + "-" + std::to_string(i + 1));
    const std::string lawyer =
        "L" + std::to_string(1 + duty_rng() % uint32_t(std::max(1, o_.lawyers / 3)));
    c.mutable_actor()->set_id(lawyer);
    c.mutable_actor()->set_role(v1::ROLE_LAWYER);
    auto* d = c.mutable_record_duty_session();
    d->set_lawyer_id(lawyer);
    d->set_station(duty_rng() % 3 == 0 ? v1::DUTY_STATION_DETENTION_CENTRE
                                       : v1::DUTY_STATION_PROCURATORATE);
    d->set_date(CivilDate::Of(Instant{s->at * 1'000'000}).ToString());
    d->set_half_day(duty_rng() % 4 == 0);
    SchedulePay(c.stream_id(), s->at);
    Schedule(s);
  }
}

int DistrictGenerator::DutyDays() const { return (o_.duty_services + 2) / 3; }

// A service record's pay, in the centre's monthly round: a supervisor
// approves the month's days and consultations on the 5th of the next month,
// finance pays them on the 10th of the month after (November's are
// approved in December and paid in January).
void DistrictGenerator::SchedulePay(const std::string& stream, int64_t recorded) {
  const std::string day = CivilDate::Of(Instant{recorded * 1'000'000}).ToString();
  const int year = std::stoi(day.substr(0, 4)), month = std::stoi(day.substr(5, 2));
  const auto at = [](int y, int m, unsigned d, int hour) {
    while (m > 12) m -= 12, ++y;
    return int64_t(CivilDate::FromYmd(y, unsigned(m), d).days()) * kDay - 8 * 3600 + hour * 3600;
  };
  auto approve = std::make_shared<Step>();
  approve->at = at(year, month + 1, 5, 10);
  approve->command.set_stream_id(stream);
  approve->command.mutable_actor()->set_id("sup-1");
  approve->command.mutable_actor()->set_role(v1::ROLE_SUPERVISOR);
  approve->command.mutable_approve_service_pay();
  Schedule(approve);
  auto pay = std::make_shared<Step>();
  pay->at = at(year, month + 2, 10, 15);
  pay->command.set_stream_id(stream);
  pay->command.mutable_actor()->set_id("fin-1");
  pay->command.mutable_actor()->set_role(v1::ROLE_ADMIN);
  pay->command.mutable_pay_service_pay()->set_payment_ref("国库-" + stream.substr(8));
  Schedule(pay);
}

DistrictGenerator::~DistrictGenerator() = default;

void DistrictGenerator::Schedule(std::shared_ptr<Step> step) {
  step->seq = ++seq_;
  queue_.push(std::move(step));
}

std::optional<v1::Command> DistrictGenerator::Next() {
  if (setup_next_ < setup_.size()) {
    recorded_at_ = setup_[setup_next_].occurred_at().seconds();
    return setup_[setup_next_++];
  }
  if (queue_.empty()) return std::nullopt;
  if (o_.until > 0 && queue_.top()->at > o_.until)
    return std::nullopt;  // the rest is still to come
  std::shared_ptr<Step> s = queue_.top();
  queue_.pop();
  v1::Command c = std::move(s->command);
  c.mutable_occurred_at()->set_seconds(s->occurred ? s->occurred : s->at);
  recorded_at_ = s->at;
  if (c.command_id().empty()) c.set_command_id(c.stream_id() + "#" + std::to_string(s->seq));
  if (c.actor().agency().empty()) c.mutable_actor()->set_agency(kCentre);
  if (s->lawyer_of_record) {
    auto it = lawyer_of_.find(c.stream_id());
    c.mutable_actor()->set_id(it == lawyer_of_.end() ? "unassigned" : it->second);
  }
  if (s->corrects_closure) {
    auto it = closure_of_.find(c.stream_id());
    c.mutable_correct_event()->mutable_corrected()->set_stream_version(
        it == closure_of_.end() ? 0 : it->second);
  }
  if (s->then) s->then(s->at);
  return c;
}

void DistrictGenerator::Observe(const std::vector<v1::Event>& events) {
  for (const v1::Event& e : events) {
    if (e.payload().has_lawyer_assigned())
      lawyer_of_[e.stream_id()] = e.payload().lawyer_assigned().lawyer_id();
    if (e.payload().has_lawyer_replaced())
      lawyer_of_[e.stream_id()] = e.payload().lawyer_replaced().lawyer_id();
    if (e.payload().has_case_closed()) closure_of_[e.stream_id()] = e.stream_version();
  }
}

void DistrictGenerator::Setup() {
  const int64_t t0 = YearStart(o_.year) + kDay + 9 * 3600;  // 2 January, 09:00
  auto admin = [&](const std::string& stream) -> v1::Command& {
    v1::Command& c = setup_.emplace_back();
    c.set_command_id("setup-" + std::to_string(o_.year) + "-" + std::to_string(setup_.size()));
    c.set_stream_id(stream);
    c.mutable_occurred_at()->set_seconds(t0);
    c.mutable_actor()->set_id("admin");
    c.mutable_actor()->set_role(v1::ROLE_ADMIN);
    c.mutable_actor()->set_agency(kCentre);
    return c;
  };
  auto* h = admin("policy").mutable_set_hardship_standard();
  h->set_region("440700");
  h->set_year(o_.year);
  h->set_monthly_per_capita_income_fen(420000);
  h->set_normal_percent(50);
  h->set_special_percent(100);
  const std::string from = std::to_string(o_.year) + "-01-01";
  struct Std {
    const char* key;
    v1::CaseCategory cat;
    v1::CriminalStage stage;
    int64_t fen;
  };
  for (const Std& s :
       {Std{"civil", v1::CASE_CATEGORY_CIVIL, v1::CRIMINAL_STAGE_UNSPECIFIED, 200000},
        Std{"administrative", v1::CASE_CATEGORY_ADMINISTRATIVE, v1::CRIMINAL_STAGE_UNSPECIFIED,
            200000},
        Std{"non-litigation", v1::CASE_CATEGORY_NON_LITIGATION, v1::CRIMINAL_STAGE_UNSPECIFIED,
            100000},
        Std{"criminal/investigation", v1::CASE_CATEGORY_CRIMINAL, v1::CRIMINAL_STAGE_INVESTIGATION,
            80000},
        Std{"criminal/prosecution-review", v1::CASE_CATEGORY_CRIMINAL,
            v1::CRIMINAL_STAGE_PROSECUTION_REVIEW, 100000},
        Std{"criminal/trial", v1::CASE_CATEGORY_CRIMINAL, v1::CRIMINAL_STAGE_TRIAL, 150000},
        Std{"criminal/death-review", v1::CASE_CATEGORY_CRIMINAL, v1::CRIMINAL_STAGE_DEATH_REVIEW,
            300000}}) {
    auto* x = admin("policy").mutable_set_subsidy_standard();
    x->set_key(s.key);
    x->set_category(s.cat);
    x->set_criminal_stage(s.stage);
    x->set_amount_fen(s.fen);
    x->set_effective_from(from);
  }
  // Duty days and consultations (illustrative amounts, not an official
  // schedule): a day anywhere, more at the detention centre, half days at
  // half, a consultation per session.
  for (const auto& [key, fen] :
       std::vector<std::pair<std::string, int64_t>>{{"duty-day", 30000},
                                                    {"duty-day/detention-centre", 40000},
                                                    {"duty-half-day", 15000},
                                                    {"duty-half-day/detention-centre", 20000},
                                                    {"consultation", 5000}}) {
    auto* x = admin("policy").mutable_set_subsidy_standard();
    x->set_key(key);
    x->set_amount_fen(fen);
    x->set_effective_from(from);
  }
  // The rest of the subsidy formula, Guangdong's structure with
  // illustrative figures: the centre's regional factor, the quality
  // adjustment, and the shares of unfinished work.
  {
    auto* m = admin("policy").mutable_set_subsidy_method();
    m->set_effective_from(from);
    m->set_source("示例数据：依《广东省法律援助补贴办法》的结构设定，非正式标准");
    auto* r = m->add_region_factors();
    r->set_region_prefix("4407");
    r->set_permille(1050);
    r->set_label("江门市");
    for (const auto& [grade, permille] :
         std::vector<std::pair<v1::QualityGrade, int32_t>>{{v1::QUALITY_GRADE_EXCELLENT, 1100},
                                                           {v1::QUALITY_GRADE_GOOD, 1000},
                                                           {v1::QUALITY_GRADE_PASS, 900}}) {
      auto* g = m->add_grade_factors();
      g->set_grade(grade);
      g->set_permille(permille);
    }
    m->set_replaced_permille(500);
    m->set_terminated_permille(300);
  }
  auto* ex = admin("policy").mutable_set_exemption_list();
  ex->set_effective_from(from);
  for (int g = v1::ELIGIBILITY_GROUND_MINOR_NO_FIXED_INCOME;
       g <= v1::ELIGIBILITY_GROUND_MILITARY_FAMILY_INFRINGED; ++g)
    ex->add_grounds(static_cast<v1::EligibilityGround>(g));
  auto* cal = admin("policy").mutable_set_holiday_calendar();
  cal->set_year(o_.year);
  cal->add_holidays(std::to_string(o_.year) + "-01-01");
  for (int d = 1; d <= 7; ++d)
    cal->add_holidays(std::to_string(o_.year) + "-10-0" + std::to_string(d));
  auto* j = admin("policy").mutable_set_jurisdiction();
  j->set_centre_region("440703");
  j->set_centre_name("江门市蓬江区法律援助处");
  j->set_document_code("江蓬法援");
  j->set_city_region("440700");
  for (const char* r : kRegions) j->add_city_regions(r);

  for (int f = 1; f <= o_.firms; ++f) {
    auto* x = admin("firm/F" + std::to_string(f)).mutable_register_firm();
    x->set_name("江门第" + std::to_string(f) + "律师事务所");
    x->set_licence_no("24407-" + std::to_string(1000 + f));
    x->set_region(kRegions[size_t(f) % kRegions.size()]);
  }
  for (int l = 1; l <= o_.lawyers; ++l) {
    auto* x = admin("lawyer/L" + std::to_string(l)).mutable_register_lawyer();
    x->set_name("律师" + std::to_string(l));
    x->set_firm_id("F" + std::to_string(1 + (l - 1) % o_.firms));
    x->set_licence_no("14407" + std::to_string(100000 + l));
    x->set_practice_since_year(o_.year - 1 - int(rng_() % 20));
    if (l % 5 != 0) x->add_specialties(v1::CASE_CATEGORY_CRIMINAL);
    if (l % 3 != 1) x->add_specialties(v1::CASE_CATEGORY_CIVIL);
    if (l % 4 == 0) {
      x->add_specialties(v1::CASE_CATEGORY_ADMINISTRATIVE);
      x->add_specialties(v1::CASE_CATEGORY_NON_LITIGATION);
      x->add_teams("labour");
    }
    if (l == 1) x->add_specialties(v1::CASE_CATEGORY_NON_LITIGATION);
    // Chosen by number, not drawn, so the rest of the year stays the same
    // draw: criminal lawyers began defence work 0-3 years into practice;
    // odd-numbered lawyers are familiar with minors.
    if (l % 5 != 0) x->set_criminal_defence_since_year(x->practice_since_year() + l % 4);
    x->set_familiar_with_minors(l % 2 == 1);
  }
  for (int y : {o_.year, o_.year + 1}) {
    struct Line {
      v1::BudgetLine line;
      int64_t per_case_fen;
    };
    for (const Line& b :
         {Line{v1::BUDGET_LINE_CASE_SUBSIDY, 200000}, Line{v1::BUDGET_LINE_DUTY_SUBSIDY, 30000},
          Line{v1::BUDGET_LINE_CONSULTATION_SUBSIDY, 10000},
          Line{v1::BUDGET_LINE_WORKING_COSTS, 40000}}) {
      auto* x = admin("budget/" + std::to_string(y)).mutable_appropriate_budget();
      x->set_fiscal_year(y);
      x->set_line(b.line);
      // Duty and consultation lines also cover every day and consultation
      // the year pays at the highest rate, so no payment runs out of budget.
      const int64_t services = b.line == v1::BUDGET_LINE_DUTY_SUBSIDY ? 40000 * int64_t(DutyDays())
                               : b.line == v1::BUDGET_LINE_CONSULTATION_SUBSIDY
                                   ? 5000 * int64_t(o_.consultations / 3 + 1)
                                   : 0;
      x->set_amount_fen(b.per_case_fen * std::max(o_.cases, 10) + services);
      x->set_document_ref("江财预〔" + std::to_string(y) + "〕1号");
    }
  }
}

void DistrictGenerator::ScheduleCase(int n) {
  // Each case draws from its own generator so that its path does not depend
  // on the order in which steps of different cases are emitted.
  auto rng = std::make_shared<std::mt19937>(o_.seed * 7919u + uint32_t(n));
  auto roll = [rng](int percent) { return int((*rng)() % 100) < percent; };
  auto days = [rng](int lo, int hi) {
    return int64_t(lo + int((*rng)() % uint32_t(hi - lo + 1))) * kDay;
  };
  const std::string stream =
      "case/" + o_.prefix + "-" + std::to_string(o_.year) + "-" + std::to_string(n);
  const int64_t arrival = YearStart(o_.year) + int64_t(2 + (*rng)() % 330) * kDay + 9 * 3600 +
                          int64_t((*rng)() % 25200);

  auto make = [stream](v1::Role role, const std::string& actor) {
    auto s = std::make_shared<Step>();
    s->command.set_stream_id(stream);
    s->command.mutable_actor()->set_id(actor);
    s->command.mutable_actor()->set_role(role);
    return s;
  };
  // Steps are chained: `chain(step, next)` runs `next(at)` once `step` is emitted.
  const int pick = int((*rng)() % 1000);
  const v1::CaseCategory category = pick < 750   ? v1::CASE_CATEGORY_CRIMINAL
                                    : pick < 970 ? v1::CASE_CATEGORY_CIVIL
                                    : pick < 975 ? v1::CASE_CATEGORY_ADMINISTRATIVE
                                                 : v1::CASE_CATEGORY_NON_LITIGATION;
  const bool notification = category == v1::CASE_CATEGORY_CRIMINAL && roll(90);
  bool migrant = false;  // a migrant worker's wage claim: the Art. 42 ground's facts
  const auto stage = static_cast<v1::CriminalStage>(1 + (*rng)() % 3);
  auto first = notification ? make(v1::ROLE_PARTNER, "court-1")
                            : make(v1::ROLE_INTAKE, "clerk-" + std::to_string(1 + n % 3));
  first->at = arrival;
  const int age = roll(10)  ? 60 + int((*rng)() % 25)
                  : roll(6) ? 14 + int((*rng)() % 4)
                            : 20 + int((*rng)() % 40);
  if (notification) {
    first->command.mutable_actor()->set_agency("pengjiang-court");
    auto* x = first->command.mutable_receive_notification();
    x->set_authority_kind(roll(50) ? v1::AUTHORITY_KIND_COURT : v1::AUTHORITY_KIND_PROCURATORATE);
    x->set_authority("pengjiang-court");
    x->set_ground(age < 18  ? v1::NOTIFICATION_GROUND_MINOR
                  : roll(2) ? v1::NOTIFICATION_GROUND_LIFE_OR_DEATH
                            : v1::NOTIFICATION_GROUND_FULL_COVERAGE);
    x->set_criminal_stage(stage);
    x->mutable_suspect()->set_subject_id("SUB-" + stream.substr(5));
    x->mutable_suspect()->set_age(age);
    x->set_authority_region("440703");
    x->set_detained(roll(70));
    if (o_.personal_data)
      (*first->command.mutable_personal())[x->suspect().subject_id()] =
          PersonFor(o_.seed, kSuspect, uint32_t(n), age, n % 10 == 0, arrival);
  } else {
    auto* x = first->command.mutable_submit_application();
    const int ch = int((*rng)() % 100);
    x->set_channel(ch < 45   ? v1::CHANNEL_WINDOW
                   : ch < 60 ? v1::CHANNEL_ONLINE
                   : ch < 70 ? v1::CHANNEL_HOTLINE_12348
                   : ch < 85 ? v1::CHANNEL_WORKSTATION
                   : ch < 90 ? v1::CHANNEL_POST
                             : v1::CHANNEL_TRANSFER_IN);
    if (category == v1::CASE_CATEGORY_CRIMINAL) x->set_channel(v1::CHANNEL_DETENTION_FORWARD);
    x->set_category(category);
    migrant = category == v1::CASE_CATEGORY_CIVIL && roll(30);
    // The matter from the vocabulary, with the clerk's words beside it;
    // civil matters by case number (no draw), so the year stays the same.
    static constexpr std::pair<v1::MatterType, const char*> kCivil[] = {
        {v1::MATTER_TYPE_MARRIAGE_FAMILY, "离婚及子女抚养纠纷"},
        {v1::MATTER_TYPE_SUPPORT_MAINTENANCE, "追索赡养费"},
        {v1::MATTER_TYPE_PERSONAL_INJURY, "人身损害赔偿"},
        {v1::MATTER_TYPE_TRAFFIC_ACCIDENT, "交通事故损害赔偿"},
        {v1::MATTER_TYPE_LABOUR_DISPUTE, "解除劳动合同经济补偿"},
        {v1::MATTER_TYPE_CONTRACT, "民间借贷合同纠纷"},
        {v1::MATTER_TYPE_WORK_INJURY, "工伤待遇"}};
    const auto& civil = kCivil[size_t(n) % std::size(kCivil)];
    const auto [type, words] = migrant ? std::pair{v1::MATTER_TYPE_WAGES, "追索拖欠工资"}
                               : category == v1::CASE_CATEGORY_CRIMINAL
                                   ? std::pair{v1::MATTER_TYPE_CRIMINAL_DEFENCE, "刑事辩护"}
                               : category == v1::CASE_CATEGORY_ADMINISTRATIVE
                                   ? std::pair{v1::MATTER_TYPE_ADMINISTRATIVE, "不服工伤认定决定"}
                                   : civil;
    x->set_matter_type(type);
    x->set_matter(words);
    if (migrant) {
      x->add_grounds_claimed(v1::ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY);
      x->mutable_applicant()->add_key_groups(v1::KEY_GROUP_MIGRANT_WORKER);
    }
    x->mutable_applicant()->set_subject_id("SUB-" + stream.substr(5));
    x->mutable_applicant()->set_age(age);
    // Some wage claims are brought by several workers of one employer
    // (共同受援人), by case number so the year stays the same draw.
    if (migrant && n % 3 == 0)
      for (int k = 1; k <= 1 + n % 4; ++k) {
        auto* co = x->add_co_applicants();
        co->set_subject_id("SUB-" + stream.substr(5) + "-C" + std::to_string(k));
        co->set_age(25 + (n + k) % 30);
        co->add_key_groups(v1::KEY_GROUP_MIGRANT_WORKER);
      }
    if (roll(40)) x->mutable_applicant()->add_key_groups(v1::KEY_GROUP_WOMAN);
    x->set_infringement_region(kRegions[(*rng)() % kRegions.size()]);
    x->set_domicile_region("440703");
    if (category == v1::CASE_CATEGORY_CRIMINAL) {
      x->set_criminal_stage(stage);
      x->mutable_detainee_requested_at()->set_seconds(
          arrival - (roll(90) ? int64_t(3600 * 6) : int64_t(3600 * 30)));
    }
    if (x->channel() == v1::CHANNEL_TRANSFER_IN) {
      x->mutable_transfer_source()->set_from_centre("xinhui-lac");
      x->mutable_transfer_source()->set_from_region("440705");
    }
    if (o_.personal_data) {
      const auto& groups = x->applicant().key_groups();
      const bool woman =
          std::find(groups.begin(), groups.end(), v1::KEY_GROUP_WOMAN) != groups.end();
      (*first->command.mutable_personal())[x->applicant().subject_id()] =
          PersonFor(o_.seed, kApplicant, uint32_t(n), age, woman, arrival);
    }
  }

  // 15% of applicants name a lawyer (点援制); the rest go by rotation.
  const bool named = !notification && roll(15);
  const int named_l = [&] {
    for (int tries = 0; tries < 50; ++tries) {
      const int l = 1 + int((*rng)() % uint32_t(o_.lawyers));
      const bool fits = category == v1::CASE_CATEGORY_CRIMINAL ? l % 5 != 0
                        : category == v1::CASE_CATEGORY_CIVIL  ? l % 3 != 1
                                                               : (l % 4 == 0 || l == 1);
      // A minor names a lawyer familiar with minors (the rules refuse others).
      if (fits && (age >= 18 || l % 2 == 1)) return l;
    }
    return 1;
  }();

  // The lawyer's own steps are issued by whoever the rules assigned; the
  // id is filled in when the step is emitted (see Observe).
  auto by_lawyer = [make]() {
    auto s = make(v1::ROLE_LAWYER, "");
    s->lawyer_of_record = true;
    return s;
  };
  auto sup = [make]() { return make(v1::ROLE_SUPERVISOR, "sup-1"); };
  // The centre's document for a step, issued by the role that took it
  // soon after (no draw: the year's other draws stay as they were).
  auto issue = [make, this](v1::DocumentKind kind, v1::Role role, const char* actor, int64_t at) {
    auto d = make(role, actor);
    d->at = at;
    d->command.mutable_issue_document()->set_kind(kind);
    Schedule(d);
  };
  // A correction (更正) of the case, pointing at `version` (0: its closure,
  // filled in when emitted). Chosen by case number, not by a draw, so
  // every other draw of the year stays as it was.
  auto correct = [make, stream](v1::Role role, const char* actor, int64_t at, uint64_t version,
                                const char* field, const std::string& value, const char* reason) {
    auto s = make(role, actor);
    s->at = at;
    s->corrects_closure = version == 0;
    auto* x = s->command.mutable_correct_event();
    x->mutable_corrected()->set_stream_id(stream);
    x->mutable_corrected()->set_stream_version(version);
    x->set_field(field);
    x->set_corrected_value(value);
    x->set_reason(reason);
    return s;
  };

  // A written reason for a late step the case number picks (no draw).
  auto justify_by_number = [=, this](int64_t at, v1::DelayedStep step) {
    auto j = sup();
    j->at = at + kDay;
    j->command.mutable_justify_delay()->set_step(step);
    j->command.mutable_justify_delay()->set_reason(step == v1::DELAYED_STEP_ENTRUSTMENT
                                                       ? "受援人住院治疗，委托协议顺延签订"
                                                       : "办案机关公函地址变更，告知顺延");
    Schedule(j);
  };

  // Art. 36 and the entrustment agreement: chosen by case number, not by a
  // draw, so every other draw of the year stays as it was. A step made late
  // is late whatever the calendar (the authority told 12 days after the
  // assignment, the agreement 15 days after it: past any holiday's
  // extension) and still before the case ends; half of the late ones get a
  // supervisor's written reason.
  auto owed_per_lawyer = [=, this](int64_t assigned, bool assigned_late, int64_t ends) {
    const std::string year = std::to_string(o_.year);
    if (notification) {
      const bool late = n % 37 == 8 && ends > assigned + 13 * kDay;
      auto inform = make(v1::ROLE_ASSIGNER, "asg-1");
      inform->at = assigned + (late ? 12 * kDay : 2 * 3600);
      auto* x = inform->command.mutable_inform_authority();
      x->set_letter_ref("江法援函〔" + year + "〕" + std::to_string(n) + "号");
      x->set_method(v1::CONTACT_METHOD_ONLINE);
      Schedule(inform);
      // Assigned late, the authority is told late too, and the same
      // written reason covers it.
      if (assigned_late || (late && n % 74 == 8))
        justify_by_number(inform->at, v1::DELAYED_STEP_AUTHORITY_INFORMED);
    }
    const bool late = n % 31 == 5 && ends > assigned + 16 * kDay;
    auto sign = by_lawyer();
    sign->at = assigned + (late ? 15 * kDay : (1 + n % 3) * kDay);
    auto* x = sign->command.mutable_sign_entrustment();
    x->set_agreement_ref("委托协议-" + stream.substr(5));
    x->set_signed_by(notification && n % 4 == 0 ? "close_relative" : "recipient");
    Schedule(sign);
    if (late && n % 62 == 5) justify_by_number(sign->at, v1::DELAYED_STEP_ENTRUSTMENT);
  };

  // Closure and the closed loop, from the time the case was assigned.
  auto handle = [=, this](int64_t assigned, bool assigned_late) {
    const bool litigation = category != v1::CASE_CATEGORY_NON_LITIGATION;
    int64_t t = assigned;
    if (roll(3)) {  // Art. 48: aid ends early
      auto term = make(v1::ROLE_REVIEWER, "rev-1");
      term->at = t + days(10, 40);
      term->command.mutable_terminate_aid()->set_ground(v1::TERMINATION_GROUND_OWN_LAWYER);
      term->command.mutable_terminate_aid()->set_reasons("受援人自行委托律师");
      Schedule(term);
      issue(v1::DOCUMENT_KIND_TERMINATION_DECISION, v1::ROLE_REVIEWER, "rev-1", term->at + 3600);
      owed_per_lawyer(assigned, assigned_late, term->at);
      // The work done before the termination (the entrustment signed) is
      // paid at the method's share; by case number, not a draw.
      if (n % 2 == 0) {
        auto approve = sup();
        approve->at = term->at + 20 * kDay;
        approve->command.mutable_approve_subsidy()->set_subsidy_id("SUB1");
        Schedule(approve);
        auto pay = make(v1::ROLE_ADMIN, "fin-1");
        pay->at = approve->at + 10 * kDay;
        pay->command.mutable_pay_subsidy()->set_subsidy_id("SUB1");
        pay->command.mutable_pay_subsidy()->set_payment_ref("国库-" + stream.substr(5));
        Schedule(pay);
      }
      return;
    }
    // A lawyer who cannot go on is replaced four days in (by case number):
    // the new lawyer signs again, the authority of a notified case is told
    // again, and the recipient and the new firm get their notices.
    if (n % 29 == 6) {
      auto rep = make(v1::ROLE_ASSIGNER, "asg-1");
      rep->at = assigned + 4 * kDay;
      rep->command.mutable_replace_lawyer()->set_reason(v1::REPLACEMENT_REASON_LAWYER_UNABLE);
      rep->command.mutable_replace_lawyer()->set_note("原承办律师因病长期休假");
      Schedule(rep);
      issue(v1::DOCUMENT_KIND_REPLACEMENT_NOTICE, v1::ROLE_ASSIGNER, "asg-1", rep->at + 1800);
      issue(v1::DOCUMENT_KIND_ASSIGNMENT_NOTICE, v1::ROLE_ASSIGNER, "asg-1", rep->at + 2400);
      auto sign = by_lawyer();
      sign->at = rep->at + kDay;
      sign->command.mutable_sign_entrustment()->set_agreement_ref("委托协议-" + stream.substr(5) +
                                                                  "-2");
      sign->command.mutable_sign_entrustment()->set_signed_by("recipient");
      Schedule(sign);
      // (A case whose first letter went out late, after the handover, has
      // told the authority of the new lawyer with it.)
      if (notification && n % 37 != 8) {
        auto inform = make(v1::ROLE_ASSIGNER, "asg-1");
        inform->at = rep->at + 3600;
        inform->command.mutable_inform_authority()->set_method(v1::CONTACT_METHOD_ONLINE);
        Schedule(inform);
        issue(v1::DOCUMENT_KIND_AUTHORITY_LETTER, v1::ROLE_ASSIGNER, "asg-1", rep->at + 3000);
      }
      t = rep->at;
    }
    if (litigation && roll(80)) {
      const bool sampled = roll(15);
      auto sched = sampled ? sup() : by_lawyer();
      sched->at = t + days(5, 20);
      auto* h = sched->command.mutable_schedule_hearing();
      h->set_hearing_id("H1");
      h->mutable_scheduled_for()->set_seconds(t + days(30, 60));
      h->set_court("pengjiang-court");
      h->set_sampled_for_attendance(sampled);
      Schedule(sched);
      auto held = by_lawyer();
      held->at = h->scheduled_for().seconds() + 3 * 3600;
      held->command.mutable_record_hearing()->set_hearing_id("H1");
      const int64_t held_at = held->at;
      if (n % 23 == 7) held->RecordLate(5 * kDay, "庭审在外地，返回后补录");
      Schedule(held);
      // The supervisor who sat in records the attendance in their own name;
      // until then the sampled hearing holds up the subsidy.
      if (sampled && roll(90)) {
        auto att = sup();
        att->at = held_at + 600;
        auto* a = att->command.mutable_attend_hearing();
        a->set_hearing_id("H1");
        a->set_grade(roll(70) ? v1::ATTENDANCE_GRADE_GOOD : v1::ATTENDANCE_GRADE_ADEQUATE);
        a->set_assessment("庭审准备充分");
        Schedule(att);
      }
      t = held_at;
    }
    auto close = by_lawyer();
    close->at = t + days(7, 60);
    auto* c = close->command.mutable_close_case();
    const int o = int((*rng)() % 100);
    c->set_outcome(
        category == v1::CASE_CATEGORY_CRIMINAL
            ? (o < 60 ? v1::CASE_OUTCOME_DEFENCE_ADOPTED : v1::CASE_OUTCOME_DEFENCE_NOT_ADOPTED)
            : (o < 40   ? v1::CASE_OUTCOME_WON
               : o < 70 ? v1::CASE_OUTCOME_MEDIATED
                        : v1::CASE_OUTCOME_PARTIALLY_WON));
    // Some defences go on to trial: each stage is paid (by case number).
    const v1::CriminalStage closed_stage =
        n % 7 == 3 && stage < v1::CRIMINAL_STAGE_TRIAL ? v1::CRIMINAL_STAGE_TRIAL : stage;
    if (category == v1::CASE_CATEGORY_CRIMINAL) c->set_criminal_stage(closed_stage);
    if (category == v1::CASE_CATEGORY_CIVIL && roll(30))
      c->set_amount_recovered_fen(2000000 + int64_t((*rng)() % 2000000));
    Schedule(close);
    const int64_t closed = close->at;
    owed_per_lawyer(assigned, assigned_late, closed);
    // A few corrections a supervisor finds with ?corrected=true: a civil
    // case that was an administrative one, and wages recovered that the
    // enforcement turned out larger.
    if (category == v1::CASE_CATEGORY_CIVIL && n % 17 == 6)
      Schedule(correct(v1::ROLE_REVIEWER, "rev-1", closed + 2 * kDay, 1, "category",
                       "CASE_CATEGORY_ADMINISTRATIVE", "案件类别登记错误，应为行政案件"));
    if (c->amount_recovered_fen() > 0 && n % 7 == 3)
      Schedule(correct(v1::ROLE_REVIEWER, "rev-1", closed + 10 * kDay, 0, "amount_recovered_fen",
                       std::to_string(c->amount_recovered_fen() + 500000),
                       "执行回款后核实，挽回金额应为执行到位金额"));
    auto files = by_lawyer();
    files->at = closed + (roll(95) ? days(3, 25) : days(32, 45));
    files->command.mutable_submit_closing_files()->set_documents(8 + int((*rng)() % 12));
    if (n % 29 == 11) files->RecordLate(9 * kDay, "结案材料纸质提交，事后补录");
    Schedule(files);
    auto review = sup();
    review->at = files->at + days(2, 15);
    review->command.mutable_review_closing_files()->set_accepted(true);
    Schedule(review);
    const bool follow_up = roll(85);
    if (follow_up) {
      auto fu = sup();
      fu->at = closed + days(3, 20);
      fu->command.mutable_record_follow_up()->set_method(v1::CONTACT_METHOD_PHONE);
      fu->command.mutable_record_follow_up()->set_satisfaction(roll(90) ? v1::SATISFACTION_SATISFIED
                                                                        : v1::SATISFACTION_NEUTRAL);
      if (n % 19 == 4) fu->RecordLate(6 * kDay, "电话回访记录在纸面，系统恢复后补录");
      Schedule(fu);
    }
    // Every litigated case needs the handling authority's opinion before
    // its subsidy; a few are still missing it (the queue shows them).
    if (litigation && roll(93)) {
      auto op = sup();
      op->at = closed + days(5, 25);
      op->command.mutable_record_authority_opinion()->set_authority(
          category == v1::CASE_CATEGORY_CRIMINAL ? "pengjiang-procuratorate" : "pengjiang-court");
      op->command.mutable_record_authority_opinion()->set_rating(v1::OPINION_RATING_POSITIVE);
      Schedule(op);
    }
    const bool reviewed = roll(92);
    int64_t last = review->at;
    if (reviewed) {
      auto qr = sup();
      qr->at = review->at + days(1, 20);
      auto* q = qr->command.mutable_record_quality_review();
      q->set_review_id("Q1");
      q->set_kind(roll(70) ? v1::REVIEW_KIND_QUALITY_EVALUATION : v1::REVIEW_KIND_PEER_REVIEW);
      q->set_round(v1::REVIEW_ROUND_ROUTINE);
      const int g = int((*rng)() % 100);
      q->set_grade(g < 14   ? v1::QUALITY_GRADE_EXCELLENT
                   : g < 34 ? v1::QUALITY_GRADE_GOOD
                   : g < 97 ? v1::QUALITY_GRADE_PASS
                            : v1::QUALITY_GRADE_FAIL);
      q->add_reviewers("peer-" + std::to_string(1 + (*rng)() % 12));
      Schedule(qr);
      last = qr->at;
      if (q->grade() == v1::QUALITY_GRADE_FAIL) {
        auto rr = sup();
        rr->at = qr->at + 3600;
        auto* r = rr->command.mutable_require_rectification();
        r->set_rectification_id("R1");
        r->set_review_id("Q1");
        r->add_items("补充会见笔录");
        r->set_due_date("2099-12-31");
        Schedule(rr);
        auto done = by_lawyer();
        done->at = qr->at + days(5, 20);
        done->command.mutable_complete_rectification()->set_rectification_id("R1");
        Schedule(done);
        // A supervisor, not the lawyer, confirms the rectification closed.
        auto confirm = sup();
        confirm->at = done->at + days(1, 3);
        confirm->command.mutable_confirm_rectification()->set_rectification_id("R1");
        confirm->command.mutable_confirm_rectification()->set_accepted(true);
        Schedule(confirm);
        auto again = sup();
        again->at = confirm->at + 3600;
        auto* q2 = again->command.mutable_record_quality_review();
        q2->set_review_id("Q2");
        q2->set_kind(v1::REVIEW_KIND_QUALITY_EVALUATION);
        q2->set_round(v1::REVIEW_ROUND_ROUTINE);
        q2->set_grade(v1::QUALITY_GRADE_PASS);
        q2->add_reviewers("peer-1");
        Schedule(again);
        last = again->at;
      }
    }
    // Subsidy: approved when the loop is closed; an approval attempted
    // without the follow-up visit is refused by the rules (and counted).
    if (reviewed) {
      auto approve = sup();
      approve->at = std::max(last, closed + days(21, 21)) + days(1, 10);
      approve->command.mutable_approve_subsidy()->set_subsidy_id("SUB1");
      Schedule(approve);
      if (follow_up) {
        auto pay = make(v1::ROLE_ADMIN, "fin-1");
        pay->at = approve->at + days(3, 20);
        pay->command.mutable_pay_subsidy()->set_subsidy_id("SUB1");
        pay->command.mutable_pay_subsidy()->set_payment_ref("国库-" + stream.substr(5));
        Schedule(pay);
        // A closing stage entered wrong and found after payment: the
        // difference is recorded as payable to the lawyer or to recover.
        // A case that went on to trial was in fact closed where it began
        // (to recover); any other was closed one stage later (payable).
        if (category == v1::CASE_CATEGORY_CRIMINAL && n % 41 == 9)
          Schedule(correct(v1::ROLE_SUPERVISOR, "sup-1", pay->at + 15 * kDay, 0, "criminal_stage",
                           v1::CriminalStage_Name(closed_stage > stage ? stage
                                                  : stage == v1::CRIMINAL_STAGE_TRIAL
                                                      ? v1::CRIMINAL_STAGE_DEATH_REVIEW
                                                      : v1::CRIMINAL_STAGE_TRIAL),
                           "结案阶段录入错误，以判决书载明的诉讼阶段为准"));
      }
    }
  };

  // Most late steps get a supervisor's written reason (情况说明), without
  // which the case's subsidy stays blocked; the rest stay in the queue.
  auto justify = [=, this](int64_t at, v1::DelayedStep step) {
    if (!roll(80)) return;
    auto j = sup();
    j->at = at + days(1, 3);
    j->command.mutable_justify_delay()->set_step(step);
    j->command.mutable_justify_delay()->set_reason(step == v1::DELAYED_STEP_REVIEW
                                                       ? "申请材料需向有关单位核实，审查顺延"
                                                       : "承办律师集中开庭，协调指派顺延");
    Schedule(j);
  };
  auto assign = [=, this](int64_t from, bool late, bool late_review) {
    auto a = make(v1::ROLE_ASSIGNER, "asg-1");
    // Late means late even past the October holiday's extension (3 + 7
    // days), so every justification finds its deadline missed.
    a->at = from + (late ? days(11, 13) : days(0, 2)) + 3600;
    auto* al = a->command.mutable_assign_lawyer();
    if (named) al->set_named_lawyer_id("L" + std::to_string(named_l));
    a->then = [=](int64_t assigned) {
      issue(v1::DOCUMENT_KIND_ASSIGNMENT_NOTICE, v1::ROLE_ASSIGNER, "asg-1", assigned + 1800);
      if (notification)
        issue(v1::DOCUMENT_KIND_AUTHORITY_LETTER, v1::ROLE_ASSIGNER, "asg-1", assigned + 2400);
      if (late) justify(assigned, v1::DELAYED_STEP_ASSIGNMENT);
      if (late_review) justify(assigned, v1::DELAYED_STEP_REVIEW);
      handle(assigned, late);
    };
    Schedule(a);
  };

  if (notification) {
    first->then = [=](int64_t at) { assign(at, roll(5), false); };
    Schedule(first);
    return;
  }
  first->then = [=, this](int64_t at) {
    int64_t t = at;
    if (roll(10)) {
      auto req = make(v1::ROLE_REVIEWER, "rev-1");
      req->at = t + days(1, 2);
      req->command.mutable_request_materials()->add_items("收入证明");
      Schedule(req);
      issue(v1::DOCUMENT_KIND_MATERIALS_NOTICE, v1::ROLE_REVIEWER, "rev-1", req->at + 1800);
      auto sup_m = make(v1::ROLE_INTAKE, "clerk-1");
      sup_m->at = req->at + days(2, 10);
      sup_m->command.mutable_supply_materials()->add_items("收入证明");
      Schedule(sup_m);
      t = sup_m->at;
    }
    auto rev = make(v1::ROLE_REVIEWER, "rev-1");
    const bool late_review = !roll(95);
    rev->at = t + (late_review ? days(15, 19) : days(1, 6));  // 7 + 7 days at most
    const bool refuse = roll(8);
    if (refuse) {
      auto* r = rev->command.mutable_review()->mutable_refuse();
      r->set_reason(v1::REFUSAL_REASON_NOT_LEGAL_AID_MATTER);
      r->set_written_reasons("申请事项不属于法律援助范围");
      rev->then = [=, this](int64_t decided) {
        issue(v1::DOCUMENT_KIND_REFUSAL_DECISION, v1::ROLE_REVIEWER, "rev-1", decided + 3600);
        if (!roll(25)) return;
        auto obj = make(v1::ROLE_INTAKE, "clerk-1");
        obj->at = decided + days(2, 10);
        obj->command.mutable_file_objection()->set_target(v1::OBJECTION_TARGET_REFUSAL);
        obj->command.mutable_file_objection()->set_grounds("申请人认为属于法律援助事项");
        Schedule(obj);
        // Art. 49: the judicial bureau decides, not the centre that refused.
        auto dec = make(v1::ROLE_JUDICIAL_BUREAU, "sfj-1");
        dec->command.mutable_actor()->set_agency(kBureau);
        dec->at = obj->at + (roll(85) ? days(1, 5) : days(7, 9));
        dec->command.mutable_decide_objection()->set_outcome(v1::OBJECTION_OUTCOME_UPHELD);
        dec->command.mutable_decide_objection()->set_reasons("原决定正确");
        Schedule(dec);
      };
    } else {
      auto* ap = rev->command.mutable_review()->mutable_approve();
      // The roll comes first so that the demo year stays the same draw.
      if (category == v1::CASE_CATEGORY_CIVIL && roll(35) && migrant) {
        ap->set_ground(v1::ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY);
      } else {
        ap->mutable_evidence()->set_household_size(1 + int((*rng)() % 5));
        ap->mutable_evidence()->set_monthly_income_per_member_fen(60000 +
                                                                  int64_t((*rng)() % 140000));
      }
      rev->then = [=](int64_t decided) {
        issue(v1::DOCUMENT_KIND_GRANT_DECISION, v1::ROLE_REVIEWER, "rev-1", decided + 1800);
        assign(decided, roll(5), late_review);
      };
    }
    Schedule(rev);
  };
  Schedule(first);
}

PipelineOptions SimulatedPipelineOptions(const DistrictGenerator& generator, PipelineOptions base) {
  base.clock = [&generator] { return generator.RecordedAt(); };
  base.simulated_clock = true;
  return base;
}

}  // namespace aidtrail::ingest
