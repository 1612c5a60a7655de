// `aidtrail verify`: walks the whole log with log-order validation and
// reports, per stream, the first link of the hash chain that does not hold
// (by stream and version), plus commits that are void for ordinary reasons
// (lost races, duplicates) and records that are not ours.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "events/core/hash_chain.h"
#include "events/store/log_scan.h"

namespace aidtrail::store {

struct VerifyReport {
  ScanStats stats;
  std::vector<ChainBreak> breaks;                // first break of each broken stream
  std::map<std::string, uint64_t> void_reasons;  // verdict name -> count
  std::vector<std::string>
      foreign_records;  // positions of records that are not commits (first 100)
  uint64_t streams = 0;
  [[nodiscard]] bool intact() const { return breaks.empty(); }
};

Result<VerifyReport> VerifyLog(store::EventLog& log);

// A report a person can read: Chinese first, then English.
std::string FormatReport(const VerifyReport& report);

}  // namespace aidtrail::store
