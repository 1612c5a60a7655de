#include "tests/support/test_commits.h"

#include "aidtrail/v1/commands.pb.h"
#include "events/core/hash_chain.h"
#include "events/domain/decision.h"
#include "events/domain/model.h"

namespace aidtrail::testing {

CommitMaker::CommitMaker(std::string run) : run_(std::move(run)) {}

v1::CommitRecord CommitMaker::Next(const std::string& stream_id, int events, size_t padding) {
  const std::string command_id = run_ + "/" + std::to_string(++seq_);
  v1::Command command;
  command.set_command_id(command_id);
  command.set_stream_id(stream_id);
  command.mutable_occurred_at()->set_seconds(1709514000 + int64_t(seq_) * 60);
  command.mutable_actor()->set_id("clerk-1");
  command.mutable_actor()->set_role(v1::ROLE_INTAKE);
  command.mutable_actor()->set_agency("pengjiang-lac");
  command.set_correlation_id(command_id);

  domain::Decision decision;
  decision.policy_version = "policy@1";
  for (int i = 0; i < events; ++i) {
    auto* c = decision.events.emplace_back().mutable_consultation_recorded();
    c->set_channel(v1::CONSULTATION_CHANNEL_WALK_IN);
    c->set_category(v1::CASE_CATEGORY_CIVIL);
    c->set_topic("wage arrears " + std::to_string(seq_) + "." + std::to_string(i) + std::string(padding, 'x'));
  }

  store::StreamHead& head = heads_[stream_id];
  v1::CommitRecord commit;
  commit.set_commit_id(command_id);
  commit.set_stream_id(stream_id);
  commit.set_expected_version(head.version);
  commit.set_writer_id("test-writer");
  for (v1::Event& e : domain::ToEvents(command, decision, head.version)) {
    e.mutable_recorded_at()->set_seconds(command.occurred_at().seconds() + 1);
    SealEvent(e, head.hash);
    head.hash = e.hash();
    head.version = e.stream_version();
    *commit.add_events() = std::move(e);
  }
  return commit;
}

}  // namespace aidtrail::testing
