// Several writers on one Kafka topic: three `aidtrail serve` processes
// share a topic of the project's broker and take the log from each other
// at every command (--takeover-after-ms 0, the worst case). Client threads
// send conflicting commands for the same streams to all three at once;
// afterwards a fresh reader of the topic must find every acknowledged
// command exactly once and no refused one, with command ids unique and the
// rotation even. A second test SIGKILLs a writer in the middle and
// restarts it. Seeded: AIDTRAIL_TEST_SEED repeats a run; the seed is
// printed with every failure. A third test runs one writer with two read
// replicas.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "events/store/kafka_log.h"
#include "events/store/log_scan.h"
#include "tests/support/api_client.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/kafka_tools.h"
#include "tests/support/seed.h"
#include "tests/support/server_district.h"
#include "tests/support/server_process.h"

namespace aidtrail {
namespace {

using testing::ApiClient;
using testing::ServerProcess;

constexpr int kServers = 3;
constexpr int kThreadsPerServer = 2;
constexpr int kStreams = 12;
constexpr int kPartitions = 4;

struct Answer {
  std::string command_id;
  std::string stream_id;
  std::string kind;  // "apply", "review", "assign"
  int status = 0;    // 0: no answer (the server was killed)
  std::string code;
};

// What a fresh reader finds: every valid commit, by command id.
struct LogFacts {
  std::map<std::string, int> valid;     // commit id -> valid commits with it (across partitions)
  std::map<std::string, int> assigned;  // lawyer -> valid assignments
  std::map<std::string, std::map<std::string, int>> steps;  // stream -> event kind -> count
  uint64_t claims = 0;
  uint64_t void_commits = 0;
};

LogFacts ReadTopic(const std::string& bootstrap, const std::string& topic) {
  LogFacts facts;
  auto log = store::KafkaLog::Open({.bootstrap = bootstrap, .topic = topic, .create_topic = false});
  if (!log.ok()) {
    ADD_FAILURE() << "cannot open the topic: " << log.error().ToString();
    return facts;
  }
  store::CommitValidator validator;
  auto stats = store::ScanLog(**log, validator, [&](const store::ScannedCommit& s) {
    if (s.verdict != store::Verdict::kValid) return;
    ++facts.valid[s.commit.commit_id()];
    for (const auto& e : s.commit.events()) {
      if (e.payload().has_lawyer_assigned())
        ++facts.assigned[e.payload().lawyer_assigned().lawyer_id()];
      const auto* field = v1::EventPayload::descriptor()->FindFieldByNumber(
          static_cast<int>(e.payload().kind_case()));
      if (field) ++facts.steps[s.commit.stream_id()][field->name()];
    }
  });
  EXPECT_TRUE(stats.ok()) << stats.error().ToString();
  if (stats.ok()) {
    facts.claims = stats->claims;
    facts.void_commits = stats->void_commits;
  }
  return facts;
}

// The command of step `kind` for case <id>, and the token that sends it;
// occurredAt is left to the server.
v1::Command Step(const std::string& kind, const std::string& id, std::string& token) {
  if (kind == "apply") {
    token = "intake";
    return testing::CivilApplication(id, "");
  }
  if (kind == "review") {
    token = "reviewer";
    return testing::ApproveExempt(id, "");
  }
  token = "assigner";
  v1::Command c = testing::NewCommand("", "case/" + id);
  c.mutable_assign_lawyer();  // by rotation
  return c;
}

class ServerWriters : public ::testing::Test {
 protected:
  void StartServers() {
    topic_ = testing::UniqueTopic("writers");
    for (int i = 0; i < kServers; ++i) {
      testing::ServeOptions o;
      o.kafka = testing::SharedBroker().bootstrap();
      o.topic = topic_;
      o.partitions = kPartitions;
      o.extra_args = {"--takeover-after-ms", "0", "--writer-name", "w" + std::to_string(i)};
      servers_.push_back(std::make_unique<ServerProcess>(o));
    }
    ApiClient admin(*servers_[0]);
    testing::RegisterDistrict(admin);
  }

  // One thread's share: every stream in its own seeded order, each step
  // sent under this thread's own command id, so that the servers race.
  void Client(int server, int thread, uint32_t seed, const std::string& kind) {
    std::mt19937 rng(seed + uint32_t(server * 101 + thread));
    std::vector<int> order(kStreams);
    for (int i = 0; i < kStreams; ++i) order[size_t(i)] = i;
    std::shuffle(order.begin(), order.end(), rng);
    for (int i : order) {
      const std::string id = "MW-" + std::to_string(i);
      std::string token;
      v1::Command c = Step(kind, id, token);
      // Some ids are shared between threads on different streams: an id
      // is one command, wherever it is sent.
      const bool shared_id = rng() % 5 == 0;
      c.set_command_id(shared_id ? kind + "-shared-" + std::to_string(rng() % 3)
                                 : kind + "-s" + std::to_string(server) + "t" +
                                       std::to_string(thread) + "-" + id);
      Send(server, token, c, kind);
    }
  }

  // Sends one command; a server killed under us leaves the outcome unknown (0).
  Answer Send(int server, const std::string& token, const v1::Command& c, const std::string& kind) {
    Answer a{c.command_id(), c.stream_id(), kind, 0, ""};
    try {
      ApiClient api(*servers_[size_t(server)]);
      const auto answer = api.Send(token, c);
      a.status = answer.status;
      a.code = answer.error.code();
    } catch (const std::exception&) {
      a.status = 0;
    }
    std::lock_guard lock(mu_);
    answers_.push_back(a);
    return a;
  }

  // After a round, every stream gets its step for certain: sent to one
  // server until it is accepted or refused as already done, so that the
  // next round finds every case at the same stage whatever the races did.
  void Settle(const std::string& kind) {
    for (int i = 0; i < kStreams; ++i) {
      const std::string id = "MW-" + std::to_string(i);
      for (int attempt = 0; attempt < 50; ++attempt) {
        std::string token;
        v1::Command c = Step(kind, id, token);
        c.set_command_id(kind + "-settle-" + id + "-" + std::to_string(attempt));
        Answer a = Send(0, token, c, kind);
        const bool retry = a.status == 503 || a.status == 0 || a.code == "stream.write_conflict";
        if (!retry) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }

  void Round(uint32_t seed, const std::string& kind, const std::function<void()>& during = {}) {
    std::vector<std::thread> threads;
    for (int s = 0; s < kServers; ++s)
      for (int t = 0; t < kThreadsPerServer; ++t)
        threads.emplace_back([this, s, t, seed, kind] { Client(s, t, seed, kind); });
    if (during) during();
    for (auto& t : threads) t.join();
  }

  void Check(uint32_t seed) {
    for (auto& s : servers_) {
      if (!s->running()) continue;
      EXPECT_EQ(s->Stop(), 0) << "exit code after SIGTERM\n" << s->LogTail(30);
    }
    const LogFacts facts = ReadTopic(testing::SharedBroker().bootstrap(), topic_);
    EXPECT_GT(facts.claims, 0u) << "the writers never claimed the log";
    std::set<std::string> acknowledged;
    for (const Answer& a : answers_)
      if (a.status == 201 || a.status == 200) acknowledged.insert(a.command_id);
    int accepted = 0, refused = 0, unknown = 0;
    std::map<std::string, int> by_code;
    for (const Answer& a : answers_) {
      ++by_code[std::to_string(a.status) + " " + a.code];
      const auto it = facts.valid.find(a.command_id);
      const int found = it == facts.valid.end() ? 0 : it->second;
      if (a.status == 201 || a.status == 200) {
        ++accepted;
        EXPECT_EQ(found, 1) << a.kind << " " << a.command_id << " on " << a.stream_id
                            << " answered " << a.status << " but is in the log " << found
                            << " times";
      } else if (a.status == 0) {
        ++unknown;
        EXPECT_LE(found, 1) << a.command_id;
      } else {
        ++refused;
        EXPECT_TRUE(a.status == 400 || a.status == 409 || a.status == 422 || a.status == 503)
            << a.command_id << " answered " << a.status << " " << a.code;
        // A refused id may still be in the log if another thread's command
        // with the same id was accepted; never otherwise.
        if (!acknowledged.count(a.command_id) &&
            a.command_id.find("-shared-") == std::string::npos) {
          EXPECT_EQ(found, 0) << a.kind << " " << a.command_id << " answered " << a.status << " "
                              << a.code << " but is in the log";
        }
      }
    }
    for (const auto& [id, n] : facts.valid)
      EXPECT_EQ(n, 1) << "commit id " << id << " valid " << n << " times";
    // Every case was created, approved and assigned exactly once.
    for (int i = 0; i < kStreams; ++i) {
      const std::string stream = "case/MW-" + std::to_string(i);
      const auto steps =
          facts.steps.count(stream) ? facts.steps.at(stream) : std::map<std::string, int>{};
      for (const char* step : {"application_received", "application_approved", "lawyer_assigned"}) {
        const int n = steps.count(step) ? steps.at(step) : 0;
        EXPECT_EQ(n, 1) << stream << ": " << step << " " << n << " times";
      }
    }
    // Rotation: L1 and L2 are equally eligible, so assignments alternate.
    const int l1 = facts.assigned.count("L1") ? facts.assigned.at("L1") : 0;
    const int l2 = facts.assigned.count("L2") ? facts.assigned.at("L2") : 0;
    EXPECT_LE(std::abs(l1 - l2), 1) << "rotation uneven: L1 " << l1 << ", L2 " << l2;
    std::cout << "seed " << seed << ": " << accepted << " accepted, " << refused << " refused, "
              << unknown << " unknown; " << facts.claims << " claims, " << facts.void_commits
              << " void commits; L1 " << l1 << ", L2 " << l2 << "\n";
    for (const auto& [code, n] : by_code) std::cout << "  " << code << ": " << n << "\n";
    EXPECT_GT(accepted, 0);
  }

  std::string topic_;
  std::vector<std::unique_ptr<ServerProcess>> servers_;
  std::mutex mu_;
  std::vector<Answer> answers_;
};

TEST_F(ServerWriters, ConflictingCommandsOnThreeServers) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE(testing::SeedNote(seed));
  StartServers();
  for (const char* kind : {"apply", "review", "assign"}) {
    Round(seed, kind);
    Settle(kind);
  }
  Check(seed);
}

TEST_F(ServerWriters, WriterKilledAndRestarted) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE(testing::SeedNote(seed));
  StartServers();
  std::mt19937 rng(seed);
  const int victim = int(rng() % kServers);
  Round(seed, "apply", [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 200));
    servers_[size_t(victim)]->Kill();
  });
  servers_[size_t(victim)]->Start();
  Settle("apply");
  Round(seed + 1, "review");
  Settle("review");
  Round(seed + 2, "assign");
  Settle("assign");
  Check(seed);
}

}  // namespace
}  // namespace aidtrail

namespace aidtrail {
namespace {

// One writer and two read replicas on one topic: the replicas fold the
// writer's commits into their own views and serve reads; a command sent
// to a replica is refused, names the writer, and records nothing.
TEST(ServerReplicas, OneWriterTwoReplicas) {
  const std::string topic = testing::UniqueTopic("replicas");
  testing::ServeOptions o;
  o.kafka = testing::SharedBroker().bootstrap();
  o.topic = topic;
  o.partitions = kPartitions;
  ServerProcess writer(o);
  ApiClient w(writer);
  testing::RegisterDistrict(w);
  o.extra_args = {"--read-only", "--writer-url", "http://writer.example:8080"};
  ServerProcess replica1(o), replica2(o);
  for (ServerProcess* r : {&replica1, &replica2}) {
    ApiClient api(*r);
    const auto refused =
        api.Send("intake", testing::CivilApplication("RO-" + std::to_string(r->port()), ""));
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(refused.error.code(), "server.read_only");
    EXPECT_NE(refused.error.message().find("http://writer.example:8080"), std::string::npos)
        << refused.body;
    const auto ready = api.http().Get("/readyz");
    EXPECT_NE(ready.body.find("\"role\":\"replica\""), std::string::npos) << ready.body;
  }
  w.Accept("intake", testing::CivilApplication("RW-1", ""));
  for (ServerProcess* r : {&replica1, &replica2}) {
    r->WaitCaughtUp();
    ApiClient api(*r);
    const auto s = api.Read<v1::CaseSummary>("/v1/cases/RW-1", "supervisor");
    EXPECT_EQ(s.case_id(), "case/RW-1");
    EXPECT_EQ(api.Get("/v1/cases/RO-" + std::to_string(r->port()), "supervisor").status, 404);
  }
  EXPECT_EQ(replica1.Stop(), 0);
  EXPECT_EQ(replica2.Stop(), 0);
  EXPECT_EQ(writer.Stop(), 0);
  // Only the writer's commits are in the topic.
  const LogFacts facts = ReadTopic(testing::SharedBroker().bootstrap(), topic);
  EXPECT_EQ(facts.valid.count("RW-1/apply"), 1u);
  for (const auto& [id, n] : facts.valid) EXPECT_EQ(id.rfind("RO-", 0), std::string::npos) << id;
}

}  // namespace
}  // namespace aidtrail
