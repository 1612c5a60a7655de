// Verifying a published notice against the log (`aidtrail verify-notice`):
// the operator's signature over the checkpoint and figures digest; the
// digest against the figures printed; every partition's Merkle root and the
// combined root, recomputed from the log's records up to the checkpoint;
// and every figure, recomputed by folding fresh views from exactly those
// records. Each failure is named, Chinese first.
#pragma once

#include <string>
#include <vector>

#include "aidtrail/v1/notice.pb.h"
#include "events/store/event_log.h"

namespace aidtrail::api::notice {

struct VerifyFailure {
  std::string
      code;  // "signature", "figures_digest", "merkle_root", "combined_root", "figure", "log"
  std::string message_zh;
  std::string message;
};

struct VerifyReport {
  std::vector<VerifyFailure> failures;
  std::vector<std::string> checked_zh;  // what passed, for the printout
  [[nodiscard]] bool ok() const { return failures.empty(); }
  [[nodiscard]] std::string Format() const;
};

struct VerifyOptions {
  std::string trusted_public_key;  // raw 32 bytes; empty: the key the notice names
  std::string scratch_dir;         // fresh views are folded here (must not exist or be empty)
  size_t max_figures_listed = 20;
};

// Errors only when the log cannot be read at all; everything the notice
// gets wrong is a failure in the report.
Result<VerifyReport> VerifyNotice(const v1::PublicNotice& notice, store::EventLog& log,
                                  const VerifyOptions& options);

}  // namespace aidtrail::api::notice
