#include "tests/support/commands.h"

#include "events/core/hash_chain.h"

namespace aidtrail::testing {
namespace {

v1::Command Base(const std::string& stream, const std::string& command_id, v1::Role role) {
  v1::Command c;
  c.set_command_id(command_id);
  c.set_stream_id(stream);
  c.mutable_occurred_at()->set_seconds(1709514000);  // 2024-03-04 09:00 CST
  c.mutable_late_entry()->set_reason(
      "测试：登记过去日期的事项");  // a past day, declared as a clerk would
  c.mutable_actor()->set_id("clerk-1");
  c.mutable_actor()->set_role(role);
  c.mutable_actor()->set_agency("pengjiang-lac");
  return c;
}

}  // namespace

v1::Command SubmitApplication(const std::string& case_id, const std::string& command_id) {
  v1::Command c = Base("case/" + case_id, command_id, v1::ROLE_INTAKE);
  auto* a = c.mutable_submit_application();
  a->set_channel(v1::CHANNEL_WINDOW);
  a->set_category(v1::CASE_CATEGORY_CIVIL);
  a->set_matter("wage-arrears");
  a->mutable_applicant()->set_subject_id("S-" + case_id);
  a->mutable_applicant()->set_age(72);  // green channel: two events per commit
  return c;
}

v1::Command FileComplaint(const std::string& case_id, const std::string& command_id) {
  v1::Command c = Base("case/" + case_id, command_id, v1::ROLE_INTAKE);
  c.mutable_occurred_at()->set_seconds(1709600400);
  auto* f = c.mutable_file_complaint();
  f->set_complaint_id(command_id);
  f->set_against("centre");
  f->set_summary("waiting time");
  return c;
}

v1::Command RecordConsultation(const std::string& service_id, const std::string& command_id) {
  v1::Command c = Base("service/" + service_id, command_id, v1::ROLE_INTAKE);
  auto* r = c.mutable_record_consultation();
  r->set_channel(v1::CONSULTATION_CHANNEL_WALK_IN);
  r->set_category(v1::CASE_CATEGORY_CIVIL);
  r->set_topic("labour contract");
  return c;
}

v1::CommitRecord SealedCommit(const std::string& commit_id, const std::string& stream,
                              uint64_t version, const std::string& prev_hash, int events) {
  v1::CommitRecord c;
  c.set_commit_id(commit_id);
  c.set_stream_id(stream);
  c.set_expected_version(version);
  c.set_writer_id("test");
  std::string prev = prev_hash;
  for (int i = 0; i < events; ++i) {
    v1::Event* e = c.add_events();
    e->set_event_id(commit_id + "/" + std::to_string(i));
    e->set_stream_id(stream);
    e->set_stream_version(version + uint64_t(i) + 1);
    e->mutable_occurred_at()->set_seconds(1709514000);
    e->mutable_recorded_at()->set_seconds(1709514000);
    e->set_command_id(commit_id);
    auto* r = e->mutable_payload()->mutable_consultation_recorded();
    r->set_channel(v1::CONSULTATION_CHANNEL_PHONE_12348);
    r->set_topic(std::string(200, 'x'));  // about 300 bytes an event, like a real one
    SealEvent(*e, prev);
    prev = e->hash();
  }
  return c;
}

}  // namespace aidtrail::testing
