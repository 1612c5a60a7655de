// Tracks appends and their outcomes, and checks them against what is really
// in the topic: an acknowledged commit is there exactly once, at the
// position it was acknowledged with; a commit reported as certainly not
// written is absent; one with an unknown outcome is there at most once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "events/store/event_log.h"

namespace aidtrail::testing {

// Error codes that mean "certainly not in the log".
bool CertainlyNotWritten(const Error& e);

class AppendTracker {
 public:
  struct Outcome {
    std::string commit_id;
    std::string stream_id;
    std::optional<Result<store::Position>> result;  // empty while pending
    std::chrono::steady_clock::time_point sent_at;
    std::chrono::steady_clock::time_point completed_at;
  };

  // Registers an append of `commit` and returns the callback to pass along.
  store::AppendCallback Track(const v1::CommitRecord& commit);

  // True once every tracked append has completed, false on timeout.
  bool WaitAll(std::chrono::milliseconds timeout);
  // True once at least `n` appends have completed.
  bool WaitCompleted(size_t n, std::chrono::milliseconds timeout);

  [[nodiscard]] std::vector<Outcome> outcomes() const;
  [[nodiscard]] size_t completed() const;
  [[nodiscard]] size_t succeeded() const;
  // "n ok, n not written (codes...), n unknown"
  [[nodiscard]] std::string Summary() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<Outcome> outcomes_;
  size_t completed_ = 0;
};

// Reads partitions [0, partitions) back with an independent consumer and
// checks `outcomes` against them. Returns every violation found (empty when
// all hold); `copies` (if given) receives commit_id -> number of copies.
std::vector<std::string> CheckAgainstTopic(const std::string& bootstrap, const std::string& topic, int32_t partitions,
                                           const std::vector<AppendTracker::Outcome>& outcomes,
                                           std::map<std::string, int>* copies = nullptr);

}  // namespace aidtrail::testing
