// Child process for crash_test: appends commands through the pipeline on
// the embedded log as fast as it can from three threads, printing
// "ACK <command_id>" once each is acknowledged, until it is killed.
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/store/embedded_log.h"
#include "events/store/kafka_log.h"
#include "ingest/pipeline.h"
#include "tests/support/commands.h"

int main(int argc, char** argv) {
  using namespace aidtrail;
  if (argc != 3 && argc != 5) {
    std::fprintf(stderr, "usage: crash_child DATA_DIR RUN_PREFIX [KAFKA_BOOTSTRAP TOPIC]\n");
    return 2;
  }
  const std::string prefix = argv[2];
  Result<std::unique_ptr<store::EventLog>> log = MakeError(ErrorKind::kInvalidArgument, "", "", "");
  if (argc == 5) {
    store::KafkaLogOptions o;
    o.bootstrap = argv[3];
    o.topic = argv[4];
    o.partitions = 4;
    auto k = store::KafkaLog::Open(o);
    log = k.ok() ? Result<std::unique_ptr<store::EventLog>>(std::move(k).value())
                 : Result<std::unique_ptr<store::EventLog>>(k.error());
  } else {
    auto e = store::EmbeddedLog::Open({.dir = argv[1], .partitions = 4});
    log = e.ok() ? Result<std::unique_ptr<store::EventLog>>(std::move(e).value())
                 : Result<std::unique_ptr<store::EventLog>>(e.error());
  }
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.error().ToString().c_str());
    return 1;
  }
  auto pipeline = ingest::Pipeline::Open(**log, {});
  if (!pipeline.ok()) {
    std::fprintf(stderr, "%s\n", pipeline.error().ToString().c_str());
    return 1;
  }
  std::puts("READY");
  std::fflush(stdout);
  std::mutex out;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      const std::string case_id = prefix + "-C" + std::to_string(t);
      for (long i = 0;; ++i) {
        const std::string id = prefix + "-" + std::to_string(t) + "-" + std::to_string(i);
        v1::Command c = i == 0 ? testing::SubmitApplication(case_id, id)
                               : (i % 2) ? testing::FileComplaint(case_id, id) : testing::RecordConsultation(id, id);
        auto r = (*pipeline)->Execute(c);
        if (!r.ok()) {
          std::fprintf(stderr, "%s\n", r.error().ToString().c_str());
          continue;
        }
        std::lock_guard lock(out);
        std::printf("ACK %s\n", id.c_str());
        std::fflush(stdout);
      }
    });
  for (auto& t : threads) t.join();
}
