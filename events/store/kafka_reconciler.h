// Settles commits whose delivery outcome is unknown (sent, but no
// acknowledgement came back: timed out in flight, purged, fatal producer
// error). Such a commit may be in the topic or not; reporting it lost on a
// guess would make a client retry a command that in fact happened, and
// reporting it written on a guess would lose it.
//
// So the reconciler reads the commit's partition from `scan_from` (below
// which every record predates the commit) up to the end and looks for the
// commit_id:
//   - found: the append succeeded, at the position where it was found
//     (the first copy, which is the one every reader's validator accepts);
//   - not found, on a scan repeated kSettle after the broker first answered
//     again: the append failed, and a retry cannot duplicate it;
//   - broker unreachable for `patience`: the append fails with
//     "kafka.outcome_unknown" — the one answer that says it may be there.
//
// Residual risk, stated plainly: a produce request the broker received but
// had not yet processed when both scans ran could still be appended later.
// That needs a broker to hold a request for longer than kSettle after it
// answers other requests again; the per-stream validator makes even that a
// harmless duplicate if the client retries.
//
// Thread safety: Add may be called from any thread; results are delivered
// on the reconciler's own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/store/kafka_producer.h"
#include "events/store/kafka_reader.h"

namespace aidtrail::store::kafka {

class Reconciler {
 public:
  struct Options {
    std::string bootstrap;
    std::string topic;
    std::string client_id;
    std::chrono::milliseconds patience{300000};  // how long to keep trying to reach the broker
    std::chrono::milliseconds settle{5000};      // wait between the two scans that prove absence
  };
  struct Counts {
    uint64_t found = 0;
    uint64_t absent = 0;
    uint64_t unknown = 0;
  };

  explicit Reconciler(Options options);
  // Settles everything added so far; once closing, each partition gets one
  // attempt with short timeouts and what stays open is "outcome unknown".
  ~Reconciler();

  void Add(std::unique_ptr<Outgoing> commit, Error cause);
  [[nodiscard]] Counts counts() const;

 private:
  struct Pending {
    std::unique_ptr<Outgoing> commit;
    Error cause;
    std::chrono::steady_clock::time_point give_up;
  };
  void Loop();
  // Settles one partition's pending commits; returns those still open.
  std::vector<Pending> Settle(int32_t partition, std::vector<Pending> pending);
  // Visits the records of [from, to) in order.
  Status Scan(int32_t partition, int64_t from, int64_t to, const std::function<void(const LogRecord&)>& visit);
  bool Closing();
  void Finish(Pending& p, Result<Position> result);

  const Options options_;
  std::unique_ptr<PartitionReader> reader_;  // created on first use, on the reconciler thread

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool closing_ = false;
  Counts counts_;
  std::thread thread_;
};

}  // namespace aidtrail::store::kafka
