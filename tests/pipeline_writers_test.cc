// Two writers on one log, in one process, with the log's timing in the
// test's hands: a writer's decision may read shared state (the rotation,
// budgets, policy) that a commit of its own on another partition changed,
// and that commit may turn out void there while this one lands valid. The
// log must then still tell the truth: every valid rotation assignment is
// the one a reader of the valid log alone would make.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>

#include "events/domain/model.h"
#include "events/store/embedded_log.h"
#include "events/store/log_scan.h"
#include "ingest/pipeline.h"
#include "tests/support/forwarding_log.h"
#include "tests/support/server_district.h"
#include "tests/support/temp_dir.h"

namespace aidtrail {
namespace {

constexpr int kPartitions = 4;
constexpr int64_t kStart = 1709514000LL * 1'000'000;  // 2024-03-04T01:00:00Z

// Holds one writer's appends to one partition until released, as a slow
// broker would; everything else passes straight through.
class GatedLog final : public testing::ForwardingLog {
 public:
  explicit GatedLog(store::EventLog& inner) : ForwardingLog(inner) {}

  void Hold(std::string writer, int32_t partition) {
    std::lock_guard lock(mu_);
    writer_ = std::move(writer);
    partition_ = partition;
  }
  // Forwards what was held, in order, and stops holding.
  void Release() {
    std::deque<std::pair<v1::CommitRecord, store::AppendCallback>> held;
    {
      std::lock_guard lock(mu_);
      held.swap(held_);
      writer_.clear();
    }
    for (auto& [c, done] : held) inner_.AppendAsync(std::move(c), std::move(done));
  }
  [[nodiscard]] size_t held() const {
    std::lock_guard lock(mu_);
    return held_.size();
  }

  void AppendAsync(v1::CommitRecord commit, store::AppendCallback done) override {
    {
      std::lock_guard lock(mu_);
      if (!writer_.empty() && commit.writer_id() == writer_ &&
          store::PartitionOf(commit.stream_id(), partitions()) == partition_) {
        held_.emplace_back(std::move(commit), std::move(done));
        return;
      }
    }
    inner_.AppendAsync(std::move(commit), std::move(done));
  }

 private:
  mutable std::mutex mu_;
  std::string writer_;
  int32_t partition_ = -1;
  std::deque<std::pair<v1::CommitRecord, store::AppendCallback>> held_;
};

v1::Actor ActorOf(v1::Role role, const std::string& id) {
  v1::Actor a;
  a.set_id(id);
  a.set_role(role);
  a.set_agency("jm-pengjiang-lac");
  return a;
}

// A simulated clock shared by both writers, a second per reading.
struct TestClock {
  std::mutex mu;
  int64_t now = kStart;
  Instant operator()() {
    std::lock_guard lock(mu);
    return Instant{now += 1'000'000};
  }
};

class Writers : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::EmbeddedLog::Open({.dir = dir_.str(), .partitions = kPartitions});
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    inner_ = std::move(opened).value();
    gate_.emplace(*inner_);
  }

  std::unique_ptr<ingest::Pipeline> OpenWriter(const std::string& name) {
    ingest::PipelineOptions o;
    o.writer_id = name;
    o.follow = true;
    o.takeover_after = std::chrono::milliseconds(0);
    o.clock = [this] { return clock_(); };
    o.simulated_clock = true;
    auto p = ingest::Pipeline::Open(*gate_, std::move(o));
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    return p.ok() ? std::move(p).value() : nullptr;
  }

  v1::Command Stamped(v1::Command c, v1::Role role, const std::string& actor) {
    *c.mutable_actor() = ActorOf(role, actor);
    std::lock_guard lock(clock_.mu);
    c.mutable_occurred_at()->set_seconds(clock_.now / 1'000'000);
    return c;
  }

  // A civil case of the district, applied for and approved.
  void OpenCase(ingest::Pipeline& w, const std::string& id) {
    auto apply = Stamped(testing::CivilApplication(id, ""), v1::ROLE_INTAKE, "clerk-1");
    ASSERT_TRUE(w.Execute(apply).ok());
    auto review = Stamped(testing::ApproveExempt(id, ""), v1::ROLE_REVIEWER, "rev-1");
    auto r = w.Execute(review);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }

  v1::Command AssignByRotation(const std::string& id) {
    v1::Command c;
    c.set_command_id(id + "/assign");
    c.set_stream_id("case/" + id);
    c.mutable_assign_lawyer();
    return Stamped(c, v1::ROLE_ASSIGNER, "asg-1");
  }

  // Two case ids whose streams are on different partitions.
  static std::pair<std::string, std::string> OnTwoPartitions() {
    const auto partition = [](const std::string& id) {
      return store::PartitionOf("case/" + id, kPartitions);
    };
    for (int i = 1;; ++i) {
      const std::string y = "Y-" + std::to_string(i);
      if (partition(y) != partition("X-1")) return {"X-1", y};
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<store::EmbeddedLog> inner_;
  std::optional<GatedLog> gate_;
  TestClock clock_;
};

// Writer A decides X's assignment (its commit held on X's partition), then
// Y's on another partition. Writer B claims the log in between, so A's X
// lands after B's claim and is void. Whatever A answered for Y, the log
// must not hold a valid assignment of Y that counted the void one of X.
TEST_F(Writers, NoValidDecisionReadsAVoidCommitOnAnotherPartition) {
  auto a = OpenWriter("a");
  ASSERT_TRUE(a);
  for (v1::Command c : testing::DistrictCommands()) {
    auto r = a->Execute(Stamped(std::move(c), v1::ROLE_ADMIN, "fin-1"));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  const auto [x, y] = OnTwoPartitions();
  OpenCase(*a, x);
  OpenCase(*a, y);
  auto b = OpenWriter("b");
  ASSERT_TRUE(b);

  gate_->Hold(a->identity(), store::PartitionOf("case/" + x, kPartitions));
  std::promise<Result<ingest::CommandResult>> px, py;
  a->ExecuteAsync(AssignByRotation(x),
                  [&](Result<ingest::CommandResult> r) { px.set_value(std::move(r)); });
  a->ExecuteAsync(AssignByRotation(y),
                  [&](Result<ingest::CommandResult> r) { py.set_value(std::move(r)); });
  ASSERT_EQ(gate_->held(), 1u) << "A's assignment of " << x << " should be held by the log";
  // B takes the log over while A's first commit is still on its way.
  auto other = Stamped(testing::CivilApplication("B-1", ""), v1::ROLE_INTAKE, "clerk-2");
  auto rb = b->Execute(other);
  ASSERT_TRUE(rb.ok()) << rb.error().ToString();
  gate_->Release();

  auto fx = px.get_future(), fy = py.get_future();
  ASSERT_EQ(fx.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_EQ(fy.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const auto rx = fx.get(), ry = fy.get();
  ASSERT_FALSE(rx.ok()) << x << "'s assignment landed after B's claim and must be void";
  EXPECT_EQ(rx.error().code, "stream.write_conflict");
  a.reset();
  b.reset();

  // Replay the valid log; at each valid assignment by rotation, a fresh
  // model of the valid commits before it must pick the same lawyer.
  domain::Model model;
  store::CommitValidator v;
  int assignments = 0;
  auto stats = store::ScanLog(*inner_, v, [&](const store::ScannedCommit& s) {
    if (s.verdict != store::Verdict::kValid) return;
    for (const v1::Event& e : s.commit.events()) {
      if (e.payload().has_lawyer_assigned()) {
        ++assignments;
        const std::string id(s.commit.stream_id().substr(5));
        const auto& t = e.recorded_at();
        v1::Command c = AssignByRotation(id);
        c.mutable_occurred_at()->set_seconds(t.seconds());
        auto again = model.Decide(c, Instant{t.seconds() * 1'000'000 + t.nanos() / 1000});
        ASSERT_TRUE(again.ok()) << again.error().ToString();
        ASSERT_FALSE(again->events.empty());
        EXPECT_EQ(again->events.front().lawyer_assigned().lawyer_id(),
                  e.payload().lawyer_assigned().lawyer_id())
            << s.commit.stream_id() << " was assigned from a state the valid log does not hold";
      }
      model.Apply(e);
    }
  });
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_EQ(ry.ok() ? 1 : 0, assignments) << "Y's answer and the log disagree";
}

}  // namespace
}  // namespace aidtrail
