#include "events/store/verify.h"

#include <set>

namespace aidtrail::store {

Result<VerifyReport> VerifyLog(store::EventLog& log) {
  VerifyReport report;
  store::CommitValidator validator;
  std::set<std::string> broken;
  ScanOptions options;
  options.on_malformed = [&](const store::LogRecord& r, const Error&) {
    if (report.foreign_records.size() < 100)
      report.foreign_records.push_back("partition " + std::to_string(r.position.partition) +
                                       " offset " + std::to_string(r.position.offset));
  };
  auto stats = ScanLog(
      log, validator,
      [&](const ScannedCommit& s) {
        if (s.verdict == store::Verdict::kValid) return;
        const std::string& stream = s.commit.stream_id();
        if (s.verdict == store::Verdict::kMalformed && !broken.count(stream)) {
          // Locate the first event that does not continue the chain.
          const store::StreamHead head = validator.Head(stream);
          std::string prev = head.hash;
          uint64_t version = head.version + 1;
          for (const v1::Event& e : s.commit.events()) {
            if (auto br = CheckLink(e, prev, version)) {
              report.breaks.push_back(*br);
              break;
            }
            prev = e.hash();
            ++version;
          }
          broken.insert(stream);
        }
        // After a break, later commits of the stream are void as well; they
        // are counted, not reported again.
        ++report.void_reasons[broken.count(stream) && s.verdict != store::Verdict::kMalformed
                                  ? "after_break"
                                  : store::VerdictName(s.verdict)];
      },
      options);
  if (!stats.ok()) return stats.error();
  report.stats = *stats;
  report.streams = validator.streams();
  return report;
}

std::string FormatReport(const VerifyReport& r) {
  std::string out;
  out += "记录 " + std::to_string(r.stats.records) + " 条，有效提交 " +
         std::to_string(r.stats.valid) + " 个，涉及 " + std::to_string(r.streams) +
         " 个案卷/记录。\n";
  out += "records " + std::to_string(r.stats.records) + ", valid commits " +
         std::to_string(r.stats.valid) + ", streams " + std::to_string(r.streams) + "\n";
  for (const auto& [reason, n] : r.void_reasons)
    out += "无效提交（" + reason + "）: " + std::to_string(n) + " / void commits (" + reason +
           "): " + std::to_string(n) + "\n";
  for (const auto& pos : r.foreign_records)
    out += "非本系统记录，已跳过 / foreign record skipped: " + pos + "\n";
  if (r.intact()) {
    out += "哈希链完整，未发现篡改。 / Every hash chain holds.\n";
  } else {
    for (const auto& b : r.breaks)
      out += "哈希链断裂 / BROKEN: " + b.stream_id + " 第 " + std::to_string(b.stream_version) +
             " 版 (version " + std::to_string(b.stream_version) + "): " + b.reason + "\n";
  }
  return out;
}

}  // namespace aidtrail::store
