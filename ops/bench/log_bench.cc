// Durable append throughput of the event log beside its raw baselines,
// measured in the same run on the same disk (and, with --kafka, the same
// broker):
//   embedded: EmbeddedLog::Append vs explicit group commit — one writer
//             batching as many commits per synced WriteBatch as there are
//             writers (and 256) — and vs each writer syncing its own Write,
//   kafka:    KafkaLog::Append vs a raw idempotent librdkafka producer.
// Commits are typical: 3 events of about 300 bytes each. Every writer thread
// waits for each acknowledgement, as a command handler does.
#include <librdkafka/rdkafka.h>
#include <rocksdb/db.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "events/core/hash_chain.h"
#include "events/store/embedded_log.h"
#include "events/store/kafka_log.h"
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

// The group-commit baseline: one writer putting `group` commits into each
// synced WriteBatch, as a log that shares every sync among `group` waiting
// writers would at best.
Measurement RunGroupCommit(const std::string& dir, int group, double seconds) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(o, dir, &raw).ok()) Die("cannot open raw RocksDB");
  std::unique_ptr<rocksdb::DB> db(raw);
  uint64_t key = 0;
  Measurement m = RunWriters(1, seconds, 3 * group, [&](int, uint64_t n) {
    rocksdb::WriteBatch b;
    for (int i = 0; i < group; ++i, ++key) {
      const std::string value = TypicalCommit("case/g" + std::to_string(i), n).SerializeAsString();
      b.Put(rocksdb::Slice(reinterpret_cast<const char*>(&key), sizeof key), value);
    }
    rocksdb::WriteOptions w;
    w.sync = true;
    if (!db->Write(w, &b).ok()) Die("raw write failed");
  });
  m.ops *= uint64_t(group);  // commits, not batches
  return m;
}

Measurement RunKafkaLog(const std::string& bootstrap, const std::string& topic, int threads,
                        double seconds) {
  store::KafkaLogOptions o;
  o.bootstrap = bootstrap;
  o.topic = topic;
  auto log = store::KafkaLog::Open(o);
  if (!log.ok()) Die(log.error().ToString());
  return RunWriters(threads, seconds, 3, [&](int t, uint64_t n) {
    auto r = (*log)->Append(TypicalCommit("case/k" + std::to_string(t), n));
    if (!r.ok()) Die(r.error().ToString());
  });
}

// The same bytes through a plain idempotent producer (acks=all), each
// writer waiting for its delivery report, to a topic made the same way.
Measurement RunRawKafka(const std::string& bootstrap, const std::string& topic, int threads,
                        double seconds) {
  {
    store::KafkaLogOptions o;  // creates the topic with the same settings
    o.bootstrap = bootstrap;
    o.topic = topic;
    if (auto log = store::KafkaLog::Open(o); !log.ok()) Die(log.error().ToString());
  }
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (auto [k, v] : {std::pair{"bootstrap.servers", bootstrap.c_str()},
                      {"enable.idempotence", "true"},
                      {"acks", "all"},
                      {"linger.ms", "0"}})
    if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) Die(err);
  rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void*) {
    static_cast<std::promise<bool>*>(m->_private)->set_value(m->err == RD_KAFKA_RESP_ERR_NO_ERROR);
  });
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) Die(err);
  std::atomic<bool> polling{true};
  std::thread poller([&] {
    while (polling) rd_kafka_poll(rk, 10);
  });
  auto m = RunWriters(threads, seconds, 3, [&](int t, uint64_t n) {
    const v1::CommitRecord c = TypicalCommit("case/k" + std::to_string(t), n);
    const std::string value = c.SerializeAsString();
    std::promise<bool> done;
    auto f = done.get_future();
    const int32_t partition = store::PartitionOf(c.stream_id(), 8);
    if (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                          RD_KAFKA_V_KEY(c.stream_id().data(), c.stream_id().size()),
                          RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(&done),
                          RD_KAFKA_V_END) != 0)
      Die("produce failed");
    if (!f.get()) Die("delivery failed");
  });
  polling = false;
  poller.join();
  rd_kafka_flush(rk, 10000);
  rd_kafka_destroy(rk);
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
  std::string kafka;
  app.add_option("--kafka", kafka,
                 "also measure the Kafka backend against this broker (bootstrap servers)");
  double postgres = 0;
  app.add_option("--postgres-events-per-s", postgres,
                 "the PostgreSQL events table's rate measured in this run (ops/bench/pg_bench.sh), "
                 "to print beside ours");
  CLI11_PARSE(app, argc, argv);

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const Measurement group = RunGroupCommit(dir + "/group", threads, seconds);
  const Measurement group256 = RunGroupCommit(dir + "/group256", 256, seconds);
  const Measurement raw = RunRawRocks(dir + "/raw", threads, seconds);
  const Measurement ours = RunEmbedded(dir + "/log", threads, seconds);
  std::filesystem::remove_all(dir);
  std::printf("%d writers, each waiting for its commit; ratios to the first row\n", threads);
  PrintHeader();
  const std::string g = "group commit, " + std::to_string(threads) + " per sync";
  PrintRow(g, group, group);
  PrintRow("group commit, 256 per sync", group256, group);
  PrintRow("raw RocksDB Write(sync) each", raw, group);
  PrintRow("EmbeddedLog::Append", ours, group);
  const std::string w = std::to_string(threads) + " writers";
  SummaryRow("embedded durable appends, " + w, ours.EventsPerSecond(), "events/s",
             "one writer, " + g, group.EventsPerSecond());
  SummaryRow("embedded durable appends, " + w, ours.EventsPerSecond(), "events/s",
             "one writer, 256 per sync", group256.EventsPerSecond());
  if (postgres > 0)
    SummaryRow("embedded durable appends, " + w, ours.EventsPerSecond(), "events/s",
               "PostgreSQL events table, same clients", postgres);
  if (!kafka.empty()) {
    const std::string suffix =
        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const Measurement raw_k = RunRawKafka(kafka, "bench.raw." + suffix, threads, seconds);
    const Measurement ours_k = RunKafkaLog(kafka, "bench.log." + suffix, threads, seconds);
    PrintRow("raw librdkafka, idempotent, acks=all", raw_k, raw_k);
    PrintRow("KafkaLog::Append", ours_k, raw_k);
    SummaryRow("Kafka durable appends, " + std::to_string(threads) + " writers",
               ours_k.EventsPerSecond(), "events/s", "raw idempotent librdkafka producer",
               raw_k.EventsPerSecond());
  }
  return 0;
}
