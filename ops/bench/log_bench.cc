// Durable append throughput of the event log beside its raw baseline,
// measured in the same run on the same disk (and, with --kafka, the same
// broker):
//   embedded: EmbeddedLog::Append vs raw RocksDB Write(sync) of the same bytes,
//   kafka:    KafkaLog::Append vs a raw idempotent librdkafka producer.
// Commits are typical: 3 events of about 300 bytes each. Every writer thread
// waits for each acknowledgement, as a command handler does.
#include <CLI/CLI.hpp>
#include <rocksdb/db.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "events/core/hash_chain.h"
#include "events/store/embedded_log.h"
#include "ops/bench/bench_util.h"

namespace aidtrail::bench {
namespace {

v1::CommitRecord TypicalCommit(const std::string& stream, uint64_t n) {
  v1::CommitRecord c;
  c.set_commit_id(stream + "/" + std::to_string(n));
  c.set_stream_id(stream);
  c.set_expected_version(n * 3);
  c.set_writer_id("bench");
  std::string prev;
  for (int i = 0; i < 3; ++i) {
    v1::Event* e = c.add_events();
    e->set_event_id(c.commit_id() + "/" + std::to_string(i));
    e->set_stream_id(stream);
    e->set_stream_version(n * 3 + uint64_t(i) + 1);
    e->mutable_occurred_at()->set_seconds(1709514000);
    e->mutable_recorded_at()->set_seconds(1709514000);
    e->mutable_actor()->set_id("clerk-1");
    e->mutable_actor()->set_role(v1::ROLE_INTAKE);
    auto* f = e->mutable_payload()->mutable_complaint_filed();
    f->set_complaint_id(c.commit_id());
    f->set_summary(std::string(160, 'x'));
    SealEvent(*e, prev);
    prev = e->hash();
  }
  return c;
}

Measurement RunEmbedded(const std::string& dir, int threads, double seconds) {
  auto log = store::EmbeddedLog::Open({.dir = dir, .partitions = 8});
  if (!log.ok()) Die(log.error().ToString());
  return RunWriters(threads, seconds, 3, [&](int t, uint64_t n) {
    auto r = (*log)->Append(TypicalCommit("case/b" + std::to_string(t), n));
    if (!r.ok()) Die(r.error().ToString());
  });
}

Measurement RunRawRocks(const std::string& dir, int threads, double seconds) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(o, dir, &raw).ok()) Die("cannot open raw RocksDB");
  std::unique_ptr<rocksdb::DB> db(raw);
  std::atomic<uint64_t> key{0};
  auto m = RunWriters(threads, seconds, 3, [&](int t, uint64_t n) {
    const std::string value = TypicalCommit("case/b" + std::to_string(t), n).SerializeAsString();
    rocksdb::WriteBatch b;
    const uint64_t k = key++;
    b.Put(rocksdb::Slice(reinterpret_cast<const char*>(&k), sizeof k), value);
    rocksdb::WriteOptions w;
    w.sync = true;
    if (!db->Write(w, &b).ok()) Die("raw write failed");
  });
  return m;
}

}  // namespace
}  // namespace aidtrail::bench

int main(int argc, char** argv) {
  using namespace aidtrail::bench;
  CLI::App app{"event-log append benchmark"};
  int threads = 16;
  double seconds = 5;
  std::string dir = (std::filesystem::temp_directory_path() / "aidtrail-bench").string();
  app.add_option("--threads", threads, "concurrent writers")->capture_default_str();
  app.add_option("--seconds", seconds, "duration of each measurement")->capture_default_str();
  app.add_option("--dir", dir, "scratch directory (removed)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const Measurement raw = RunRawRocks(dir + "/raw", threads, seconds);
  const Measurement ours = RunEmbedded(dir + "/log", threads, seconds);
  std::filesystem::remove_all(dir);
  PrintHeader();
  PrintRow("raw RocksDB Write(sync)", raw, raw);
  PrintRow("EmbeddedLog::Append", ours, raw);
  return 0;
}
