// Runs the data-driven decider scenarios in testdata/*.test: each scenario
// folds the district fixture, the file's background and its own given
// events into a Model, decides its command, and compares the outcome with
// the expected events or error code.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "decider_suite.pb.h"
#include "events/domain/commands.h"
#include "events/domain/deadlines.h"
#include "events/domain/model.h"

namespace aidtrail::domain {
namespace {

namespace fs = std::filesystem;
using aidtrail::testing::Given;
using aidtrail::testing::Scenario;
using aidtrail::testing::Suite;

struct Case {
  std::string file;
  Scenario scenario;
  std::vector<Given> background;
  std::string load_error;  // set when the file could not be parsed
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Suite ParseSuite(const fs::path& p, std::string* error) {
  Suite suite;
  if (!google::protobuf::TextFormat::ParseFromString(ReadFile(p), &suite))
    *error = "cannot parse " + p.string() + " (see the protobuf text-format error above)";
  return suite;
}

std::vector<Case> LoadAll() {
  std::vector<Case> out;
  const fs::path dir = AIDTRAIL_DECIDER_TESTDATA;
  std::string err;
  const Suite fixture = ParseSuite(dir / "district.fixture", &err);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::string file_err = err;
    const Suite suite = ParseSuite(f, &file_err);
    std::vector<Given> background(fixture.background().begin(), fixture.background().end());
    background.insert(background.end(), suite.background().begin(), suite.background().end());
    if (!file_err.empty()) {
      out.push_back(Case{f.stem().string(), Scenario{}, {}, file_err});
      continue;
    }
    for (const Scenario& s : suite.scenario())
      out.push_back(Case{f.stem().string(), s, background, {}});
  }
  return out;
}

const std::vector<Case>& AllCases() {
  static const std::vector<Case> cases = LoadAll();
  return cases;
}

google::protobuf::Timestamp ParseTime(const std::string& text) {
  google::protobuf::Timestamp ts;
  if (!google::protobuf::util::TimeUtil::FromString(text, &ts))
    ADD_FAILURE() << "bad time '" << text << "' (use RFC 3339, e.g. 2024-03-04T09:00:00+08:00)";
  return ts;
}

std::string Text(const google::protobuf::Message& m) {
  std::string s;
  google::protobuf::TextFormat::PrintToString(m, &s);
  return s;
}

class DeciderTable : public ::testing::TestWithParam<size_t> {};

TEST_P(DeciderTable, Scenario) {
  const Case& c = AllCases()[GetParam()];
  ASSERT_TRUE(c.load_error.empty()) << c.load_error;
  const Scenario& s = c.scenario;
  ASSERT_FALSE(s.when().stream_id().empty()) << "scenario has no command stream";

  Model model;
  std::map<std::string, uint64_t> versions;
  auto fold = [&](const Given& g) {
    v1::Event e;
    e.set_stream_id(g.stream().empty() ? s.when().stream_id() : g.stream());
    e.set_stream_version(++versions[e.stream_id()]);
    *e.mutable_occurred_at() = ParseTime(g.at());
    *e.mutable_recorded_at() = ParseTime(g.recorded_at().empty() ? g.at() : g.recorded_at());
    if (g.has_late_entry()) *e.mutable_late_entry() = g.late_entry();
    *e.mutable_actor() = g.actor();
    *e.mutable_payload() = g.event();
    model.Apply(e);
  };
  for (const Given& g : c.background) fold(g);
  for (const Given& g : s.given()) fold(g);

  v1::Command cmd = s.when();
  *cmd.mutable_occurred_at() = ParseTime(s.at());
  if (cmd.command_id().empty()) cmd.set_command_id("cmd-under-test");

  const auto recorded = ParseTime(s.recorded_at().empty() ? s.at() : s.recorded_at());
  const Result<Decision> result = model.Decide(cmd, Instant::FromProto(recorded));
  if (!s.then().error().empty()) {
    ASSERT_FALSE(result.ok()) << "expected error " << s.then().error() << ", got events";
    EXPECT_EQ(result.error().code, s.then().error()) << result.error().ToString();
    EXPECT_FALSE(result.error().message_zh.empty()) << "every rejection must say why in Chinese";
    EXPECT_FALSE(result.error().message.empty());
    return;
  }
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const Decision& d = result.value();
  ASSERT_EQ(d.events.size(), static_cast<size_t>(s.then().events_size()));
  for (size_t i = 0; i < d.events.size(); ++i) {
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(d.events[i], s.then().events(int(i))))
        << "event " << i << "\nexpected:\n"
        << Text(s.then().events(int(i))) << "got:\n"
        << Text(d.events[i]);
  }
  if (!s.then().policy_version().empty()) {
    EXPECT_EQ(d.policy_version, s.then().policy_version());
  }

  if (s.has_late_entry()) {
    ASSERT_TRUE(d.late_entry.has_value()) << "expected the events to be marked a late entry";
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*d.late_entry, s.late_entry()))
        << "expected:\n"
        << Text(s.late_entry()) << "got:\n"
        << Text(*d.late_entry);
  } else {
    EXPECT_FALSE(d.late_entry.has_value()) << "unexpected late-entry mark: " << Text(*d.late_entry);
  }

  // What was decided must fold: the next command sees it.
  for (v1::Event& e : ToEvents(cmd, d, model.Version(cmd.stream_id()))) {
    *e.mutable_recorded_at() = recorded;
    model.Apply(e);
  }
  EXPECT_EQ(model.Version(cmd.stream_id()), versions[cmd.stream_id()] + d.events.size());
  if (!s.deadlines().empty()) {
    const CaseState* state = model.Case(cmd.stream_id());
    ASSERT_NE(state, nullptr);
    std::map<std::string, std::string> got;
    for (const Deadline& dl : CaseDeadlines(*state, model.policy(), Instant::FromProto(recorded)))
      got[DeadlineKindName(dl.kind)] = DeadlineStatusName(dl.status);
    for (const auto& [kind, status] : s.deadlines())
      EXPECT_EQ(got[kind], status) << "deadline " << kind;
  }
}

std::string ScenarioName(const ::testing::TestParamInfo<size_t>& info) {
  const Case& c = AllCases()[info.param];
  std::string name = c.file + "_" + std::to_string(info.param) + "_" + c.scenario.name();
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Rules, DeciderTable, ::testing::Range<size_t>(0, AllCases().size()),
                         ScenarioName);

// Every command of the catalogue is exercised by at least one accepted and
// one rejected scenario, so no rule goes untested by accident.
TEST(DeciderTableCoverage, EveryCommandAcceptedAndRejectedSomewhere) {
  std::set<int> accepted, rejected;
  for (const Case& c : AllCases()) {
    (c.scenario.then().error().empty() ? accepted : rejected).insert(c.scenario.when().kind_case());
  }
  for (const CommandSpec& spec : AllCommands()) {
    EXPECT_TRUE(accepted.count(spec.kind))
        << "no accepted scenario for " << spec.label_zh << " (field " << spec.kind << ")";
    EXPECT_TRUE(rejected.count(spec.kind))
        << "no rejected scenario for " << spec.label_zh << " (field " << spec.kind << ")";
  }
}

}  // namespace
}  // namespace aidtrail::domain
