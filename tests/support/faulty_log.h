// An EventLog wrapper that injects append failures on a seeded schedule:
// some appends are dropped (never written, reported failed), some are written
// but reported failed (the ambiguous case a timed-out produce creates).
#pragma once

#include <mutex>
#include <random>

#include "tests/support/forwarding_log.h"

namespace aidtrail::testing {

class FaultyLog final : public ForwardingLog {
 public:
  FaultyLog(store::EventLog& inner, unsigned seed, double drop_rate, double lie_rate)
      : ForwardingLog(inner), rng_(seed), drop_(drop_rate), lie_(lie_rate) {}

  void AppendAsync(v1::CommitRecord commit, store::AppendCallback done) override {
    double roll = 0;
    {
      std::lock_guard lock(mu_);
      roll = std::uniform_real_distribution<double>(0, 1)(rng_);
    }
    if (roll < drop_) {
      done(MakeError(ErrorKind::kUnavailable, "fault.dropped", "injected: not written",
                     "注入故障：未写入"));
      return;
    }
    const bool lie = roll < drop_ + lie_;
    inner_.AppendAsync(std::move(commit), [lie, done = std::move(done)](Result<store::Position> r) {
      if (lie && r.ok())
        done(MakeError(ErrorKind::kUnavailable, "fault.unknown",
                       "injected: written, reported failed", "注入故障：结果未知"));
      else
        done(std::move(r));
    });
  }

 private:
  std::mutex mu_;
  std::mt19937 rng_;
  double drop_, lie_;
};

}  // namespace aidtrail::testing
