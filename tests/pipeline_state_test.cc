// The writer's state on disk (ingest/writer_store.h): a writer restarted
// from its checkpoint, with a cache of a handful of streams, decides
// exactly as one that folded the whole log into memory — through clean
// stops, stops that lose the newest checkpoints (a crash), and a store
// that belongs to another log.
//
// Seeded: AIDTRAIL_TEST_SEED repeats a run; the seed is printed on failure.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "events/store/embedded_log.h"
#include "ingest/generator.h"
#include "ingest/pipeline.h"
#include "tests/support/seed.h"
#include "tests/support/temp_dir.h"

namespace aidtrail {
namespace {

ingest::GeneratorOptions District(uint32_t seed) {
  return {.seed = seed,
          .year = 2024,
          .cases = 120,
          .lawyers = 10,
          .firms = 3,
          .consultations = 30,
          .duty_services = 30};
}

std::unique_ptr<store::EmbeddedLog> OpenLog(const std::filesystem::path& dir) {
  auto log = store::EmbeddedLog::Open({.dir = dir.string(), .partitions = 4, .sync = false});
  if (!log.ok()) throw std::runtime_error(log.error().ToString());
  return std::move(log).value();
}

// What a command's answer says, comparable across writers: its error code,
// or the hash of the last event it recorded (which covers every field of
// every event before it in the stream's chain).
std::string Outcome(const Result<ingest::CommandResult>& r) {
  if (!r.ok()) return "error " + r.error().code;
  return "ok " + r->stream_id + "@" + std::to_string(r->last_version) + " " +
         r->events.back().hash();
}

TEST(WriterState, RestartsFromCheckpointsDecideAsAFullFold) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE(testing::SeedNote(seed));
  std::mt19937 rng(seed);
  testing::TempDir dir;

  // The reference: one writer, everything in memory, never restarted.
  ingest::DistrictGenerator ref_gen(District(seed));
  auto ref_log = OpenLog(dir.path() / "ref");
  auto ref = ingest::Pipeline::Open(*ref_log, ingest::SimulatedPipelineOptions(ref_gen));
  ASSERT_TRUE(ref.ok());

  // The same district through a writer with a store, a cache of 3
  // streams and a checkpoint every 7 commits, restarted at random; some
  // restarts first put back an older copy of the store, as a crash that
  // lost the newest checkpoints would leave it.
  ingest::DistrictGenerator gen(District(seed));
  auto log = OpenLog(dir.path() / "log");
  const auto state = dir.path() / "writer";
  const auto saved = dir.path() / "writer-saved";
  ingest::PipelineOptions options = ingest::SimulatedPipelineOptions(gen);
  options.state_dir = state.string();
  options.log_identity = "embedded";
  options.resident_streams = 3;
  options.checkpoint_commits = 7;
  options.checkpoint_interval = std::chrono::hours(1);
  auto writer = ingest::Pipeline::Open(*log, options);
  ASSERT_TRUE(writer.ok());

  uint64_t commands = 0, accepted = 0, restarts = 0, crashes = 0, tail_reads = 0;
  uint64_t next_restart = 20 + rng() % 150;
  bool have_saved = false;
  while (auto c = gen.Next()) {
    auto rc = ref_gen.Next();
    ASSERT_TRUE(rc.has_value());
    ASSERT_EQ(rc->command_id(), c->command_id());
    auto expected = (*ref)->Execute(*rc);
    if (expected.ok()) ref_gen.Observe(expected->events);
    auto got = (*writer)->Execute(*c);
    if (got.ok()) gen.Observe(got->events);
    ASSERT_EQ(Outcome(got), Outcome(expected)) << "command " << commands << " " << c->command_id();
    accepted += got.ok();
    ++commands;
    if (commands == next_restart) {
      writer->reset();  // a clean stop checkpoints
      if (have_saved && rng() % 2 == 0) {
        std::filesystem::remove_all(state);
        std::filesystem::copy(saved, state, std::filesystem::copy_options::recursive);
        ++crashes;
      } else {
        std::filesystem::remove_all(saved);
        std::filesystem::copy(state, saved, std::filesystem::copy_options::recursive);
        have_saved = true;
      }
      auto reopened = ingest::Pipeline::Open(*log, options);
      ASSERT_TRUE(reopened.ok()) << reopened.error().ToString();
      writer = std::move(reopened);
      const auto s = (*writer)->stats();
      EXPECT_TRUE(s.started_from_checkpoint);
      tail_reads += s.records_read_at_start;
      ++restarts;
      next_restart = commands + 20 + rng() % 150;
    }
    // The cache stays bounded: trimmed to 3 at each checkpoint, it grows
    // by at most two streams (a read's access stream and its case) per
    // commit until the next. The district has hundreds of streams.
    ASSERT_LE((*writer)->stats().resident_streams, 3u + 2u * 7u);
  }
  EXPECT_GT(accepted, 500u);
  EXPECT_GE(restarts, 5u);
  EXPECT_GT(crashes, 0u) << "no restart lost a checkpoint; the run tested less than it should";
  EXPECT_GT(tail_reads, 0u) << "a restart after a lost checkpoint must read the log after it";

  // A retry after a restart is recognised and answered with its events.
  writer->reset();
  auto again = ingest::Pipeline::Open(*log, options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->stats().records_read_at_start, 0u)
      << "a clean stop leaves nothing to re-read";
  ingest::DistrictGenerator replay(District(seed));
  auto first = replay.Next();
  ASSERT_TRUE(first.has_value());
  auto r = (*again)->Execute(*first);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->replayed);
  EXPECT_FALSE(r->events.empty());
}

TEST(WriterState, AStoreOfAnotherLogIsRefoldedFromTheStart) {
  testing::TempDir dir;
  ingest::DistrictGenerator gen(District(7));
  auto log = OpenLog(dir.path() / "log");
  ingest::PipelineOptions options = ingest::SimulatedPipelineOptions(gen);
  options.state_dir = (dir.path() / "writer").string();
  options.log_identity = "kafka:first";
  std::string stream;
  uint64_t version = 0;
  {
    auto writer = ingest::Pipeline::Open(*log, options);
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 300; ++i) {
      auto c = gen.Next();
      ASSERT_TRUE(c.has_value());
      auto r = (*writer)->Execute(*c);
      if (!r.ok()) continue;
      gen.Observe(r->events);
      stream = r->stream_id;
    }
    version = (*writer)->Version(stream);
    ASSERT_GT(version, 0u);
  }
  // Same directory, another topic: the checkpoint does not apply.
  options.log_identity = "kafka:second";
  auto other = ingest::Pipeline::Open(*log, options);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE((*other)->stats().started_from_checkpoint);
  EXPECT_GT((*other)->stats().records_read_at_start, 0u);
  EXPECT_EQ((*other)->Version(stream), version);
  other->reset();

  // A log that no longer holds the record the checkpoint ends with (here:
  // a fresh log in place of the old one) is refolded too, not trusted.
  auto fresh = OpenLog(dir.path() / "fresh");
  auto on_fresh = ingest::Pipeline::Open(*fresh, options);
  ASSERT_TRUE(on_fresh.ok());
  EXPECT_FALSE((*on_fresh)->stats().started_from_checkpoint);
  EXPECT_EQ((*on_fresh)->Version(stream), 0u);
}

}  // namespace
}  // namespace aidtrail
