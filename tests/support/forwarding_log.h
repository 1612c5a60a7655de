// An EventLog that passes every call to another; test logs that change
// one behaviour (FaultyLog, a log that holds appends back) derive from it
// and override that call only.
#pragma once

#include "events/store/event_log.h"

namespace aidtrail::testing {

class ForwardingLog : public store::EventLog {
 public:
  explicit ForwardingLog(store::EventLog& inner) : inner_(inner) {}

  [[nodiscard]] int32_t partitions() const override { return inner_.partitions(); }
  void AppendAsync(v1::CommitRecord commit, store::AppendCallback done) override {
    inner_.AppendAsync(std::move(commit), std::move(done));
  }
  Result<std::vector<store::LogRecord>> Read(int32_t p, int64_t from, size_t max,
                                             std::chrono::milliseconds wait) override {
    return inner_.Read(p, from, max, wait);
  }
  Result<int64_t> EndOffset(int32_t p) override { return inner_.EndOffset(p); }

 protected:
  store::EventLog& inner_;
};

}  // namespace aidtrail::testing
