#include "tests/support/server_district.h"

namespace aidtrail::testing {

void RegisterDistrict(ApiClient& api) {
  for (const v1::Command& c : DistrictCommands()) api.Accept("admin", c);
}

std::vector<v1::Command> DistrictCommands() {
  std::vector<v1::Command> out;
  auto admin = [&](v1::Command c) {
    c.set_command_id("district/" + std::to_string(out.size() + 1));
    out.push_back(std::move(c));
  };
  v1::Command c;
  c.set_stream_id("policy");
  {
    auto* h = c.mutable_set_hardship_standard();
    h->set_region("440700");
    h->set_year(2024);
    h->set_monthly_per_capita_income_fen(420000);
    h->set_normal_percent(50);
    h->set_special_percent(100);
    admin(c);
  }
  for (auto [key, category, stage, fen] :
       {std::tuple{"civil", v1::CASE_CATEGORY_CIVIL, v1::CRIMINAL_STAGE_UNSPECIFIED,
                   kCivilSubsidyFen},
        std::tuple{"criminal/trial", v1::CASE_CATEGORY_CRIMINAL, v1::CRIMINAL_STAGE_TRIAL,
                   int64_t{150000}}}) {
    auto* s = c.mutable_set_subsidy_standard();
    s->set_key(key);
    s->set_category(category);
    s->set_criminal_stage(stage);
    s->set_amount_fen(fen);
    s->set_effective_from("2024-01-01");
    admin(c);
  }
  {
    auto* e = c.mutable_set_exemption_list();
    e->set_effective_from("2024-01-01");
    e->add_grounds(v1::ELIGIBILITY_GROUND_PERSONAL_INJURY);
    e->add_grounds(v1::ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY);
    e->add_grounds(v1::ELIGIBILITY_GROUND_ELDERLY_NO_FIXED_INCOME);
    admin(c);
  }
  {
    auto* j = c.mutable_set_jurisdiction();
    j->set_centre_region("440703");
    j->set_city_region("440700");
    for (const char* r : {"440703", "440704", "440705", "440781", "440783", "440784", "440785"})
      j->add_city_regions(r);
    admin(c);
  }
  c.Clear();
  c.set_stream_id("firm/F1");
  c.mutable_register_firm()->set_name("蓬江明法律师事务所");
  c.mutable_register_firm()->set_licence_no("24407-0001");
  c.mutable_register_firm()->set_region("440703");
  admin(c);
  for (auto [id, name, since] :
       {std::tuple{"L1", "陈志远", 2010}, std::tuple{"L2", "李晓彤", 2015}}) {
    c.Clear();
    c.set_stream_id(std::string("lawyer/") + id);
    auto* l = c.mutable_register_lawyer();
    l->set_name(name);
    l->set_firm_id("F1");
    l->set_licence_no(std::string("1440720") + id);
    l->set_practice_since_year(since);
    l->set_criminal_defence_since_year(since);
    l->set_familiar_with_minors(true);
    l->add_specialties(v1::CASE_CATEGORY_CRIMINAL);
    l->add_specialties(v1::CASE_CATEGORY_CIVIL);
    admin(c);
  }
  c.Clear();
  c.set_stream_id("budget/2024");
  auto* b = c.mutable_appropriate_budget();
  b->set_fiscal_year(2024);
  b->set_line(v1::BUDGET_LINE_CASE_SUBSIDY);
  b->set_amount_fen(kCaseSubsidyBudgetFen);
  b->set_document_ref("江财预〔2024〕1号");
  admin(c);
  return out;
}

v1::Command CivilApplication(const std::string& id, const std::string& at) {
  auto c = NewCommand(id + "/apply", "case/" + id, at);
  auto* a = c.mutable_submit_application();
  a->set_channel(v1::CHANNEL_WINDOW);
  a->set_category(v1::CASE_CATEGORY_CIVIL);
  a->set_matter("personal-injury");
  a->mutable_applicant()->set_subject_id("S-" + id);
  a->mutable_applicant()->set_age(35);
  a->set_infringement_region("440703");
  return c;
}

v1::Command ApproveExempt(const std::string& id, const std::string& at) {
  auto c = NewCommand(id + "/review", "case/" + id, at);
  c.mutable_review()->mutable_approve()->set_ground(v1::ELIGIBILITY_GROUND_PERSONAL_INJURY);
  return c;
}

v1::Command AssignNamed(const std::string& id, const std::string& lawyer, const std::string& at) {
  auto c = NewCommand(id + "/assign", "case/" + id, at);
  c.mutable_assign_lawyer()->set_named_lawyer_id(lawyer);
  return c;
}

v1::Command CloseWon(const std::string& id, const std::string& at) {
  auto c = NewCommand(id + "/close", "case/" + id, at);
  c.mutable_close_case()->set_outcome(v1::CASE_OUTCOME_WON);
  return c;
}

v1::Command SignEntrustment(const std::string& id, const std::string& at) {
  auto c = NewCommand(id + "/entrustment", "case/" + id, at);
  c.mutable_sign_entrustment()->set_signed_by("recipient");
  c.mutable_sign_entrustment()->set_agreement_ref("委托协议-" + id);
  return c;
}

v1::Command SubmitClosingFiles(const std::string& id, const std::string& at) {
  auto c = NewCommand(id + "/files", "case/" + id, at);
  c.mutable_submit_closing_files()->set_documents(12);
  return c;
}

v1::Command AcceptClosingFiles(const std::string& id, const std::string& at) {
  auto c = NewCommand(id + "/files-reviewed", "case/" + id, at);
  c.mutable_review_closing_files()->set_accepted(true);
  return c;
}

void CloseCivilCase(ApiClient& api, const std::string& id) {
  api.Accept("intake", CivilApplication(id, "2024-03-04T09:00:00+08:00"));
  api.Accept("reviewer", ApproveExempt(id, "2024-03-05T09:00:00+08:00"));
  api.Accept("assigner", AssignNamed(id, "L1", "2024-03-06T09:00:00+08:00"));
  api.Accept("lawyer", SignEntrustment(id, "2024-03-07T09:00:00+08:00"));
  api.Accept("lawyer", CloseWon(id, "2024-05-01T09:00:00+08:00"));
  api.Accept("lawyer", SubmitClosingFiles(id, "2024-05-10T09:00:00+08:00"));
  api.Accept("supervisor", AcceptClosingFiles(id, "2024-05-15T09:00:00+08:00"));
}

}  // namespace aidtrail::testing
