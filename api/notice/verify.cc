#include "api/notice/verify.h"

#include "api/notice/fold.h"
#include "api/notice/signing.h"
#include "events/core/hash_chain.h"
#include "projections/audit_view.h"
#include "projections/notice.h"

namespace aidtrail::api::notice {
namespace {

void Fail(VerifyReport& r, std::string code, std::string zh, std::string en) {
  r.failures.push_back({std::move(code), std::move(zh), std::move(en)});
}

std::string Short(const std::string& hex) { return hex.substr(0, 16); }

// The combined root as the notice's own partition heads give it.
std::string CombinedRootOf(const v1::NoticeCheckpoint& c) {
  std::string text;
  for (const auto& p : c.partitions())
    text +=
        std::to_string(p.partition()) + ":" + std::to_string(p.size()) + ":" + p.root_hex() + "\n";
  return ToHex(Sha256(text));
}

}  // namespace

std::string VerifyReport::Format() const {
  std::string s;
  for (const auto& c : checked_zh) s += "通过 / passed: " + c + "\n";
  for (const auto& f : failures)
    s += "未通过 / FAILED [" + f.code + "]: " + f.message_zh + "\n    " + f.message + "\n";
  s += ok() ? "公示核验通过 / notice verified\n" : "公示核验未通过 / notice NOT verified\n";
  return s;
}

Result<VerifyReport> VerifyNotice(const v1::PublicNotice& n, store::EventLog& log,
                                  const VerifyOptions& o) {
  VerifyReport r;
  // 1. Signature over the checkpoint and the figures digest.
  if (Status s = VerifySignature(n, o.trusted_public_key); !s) {
    Fail(r, "signature", s.error().message_zh, s.error().message);
  } else {
    r.checked_zh.push_back(
        std::string("运营方签名有效（公钥 ") + n.key_id() + "）" +
        (o.trusted_public_key.empty() ? "；未指定可信公钥，仅核验了公示自带的公钥" : ""));
  }
  // 2. The digest against the figures as printed.
  const std::string digest = projections::FiguresDigestHex(n);
  if (digest != n.figures_digest_hex())
    Fail(
        r, "figures_digest",
        "数据摘要不符：公示中的数字与其所载摘要不一致（摘要 " + Short(n.figures_digest_hex()) +
            "…，按数字计算为 " + Short(digest) + "…）",
        "figures digest mismatch: the figures printed do not hash to the digest the notice states");
  else
    r.checked_zh.push_back("数据摘要与公示中的数字一致");
  // 3. The checkpoint is self-consistent and matches the log.
  const auto& cp = n.checkpoint();
  if (CombinedRootOf(cp) != cp.root_hex())
    Fail(r, "combined_root", "检查点合并根不符：合并根与各分区根不一致",
         "the combined root does not match the partition heads");
  if (cp.partitions_size() != log.partitions()) {
    Fail(r, "log",
         "日志分区数不符：公示为 " + std::to_string(cp.partitions_size()) + " 个，日志为 " +
             std::to_string(log.partitions()) + " 个",
         "the log has " + std::to_string(log.partitions()) + " partitions, the checkpoint names " +
             std::to_string(cp.partitions_size()));
    return r;
  }
  std::vector<uint64_t> sizes;
  for (const auto& p : cp.partitions()) sizes.push_back(p.size());
  auto engine = FoldPrefix(log, sizes, o.scratch_dir);
  if (!engine.ok()) {
    if (engine.error().code == "notice.log_short") {
      Fail(r, "log", engine.error().message_zh, engine.error().message);
      return r;
    }
    return engine.error();
  }
  const projections::Checkpoint actual =
      projections::AuditQueries((*engine)->store()).Current(log.partitions());
  bool roots_ok = true;
  for (int i = 0; i < cp.partitions_size(); ++i) {
    const auto& want = cp.partitions(i);
    const auto& got = actual.partitions[size_t(i)];
    if (ToHex(got.root) != want.root_hex()) {
      roots_ok = false;
      Fail(r, "merkle_root",
           "默克尔根不符：分区 " + std::to_string(want.partition()) + " 前 " +
               std::to_string(want.size()) + " 条记录重算的根为 " + Short(ToHex(got.root)) +
               "…，公示为 " + Short(want.root_hex()) + "…（日志记录已被改动）",
           "Merkle root mismatch in partition " + std::to_string(want.partition()) + " over " +
               std::to_string(want.size()) +
               " records: the log is not the log the notice was computed from");
    }
  }
  if (roots_ok && ToHex(actual.root) != cp.root_hex()) {
    roots_ok = false;
    Fail(r, "combined_root", "检查点合并根不符：重算为 " + Short(ToHex(actual.root)) + "…",
         "combined root mismatch");
  }
  if (roots_ok)
    r.checked_zh.push_back("日志检查点一致：" + std::to_string(cp.records()) +
                           " 条记录的各分区默克尔根及合并根均重算相符");
  // 4. Every figure, recomputed from exactly those records.
  v1::PublicNotice again;
  *again.mutable_period() = n.period();
  for (auto& t :
       projections::BuildTables((*engine)->store(), n.period().year(), n.period().quarter()))
    *again.add_tables() = std::move(t);
  const auto diffs = projections::CompareFigures(n, again);
  for (size_t i = 0; i < diffs.size() && i < o.max_figures_listed; ++i)
    Fail(r, "figure",
         "数字不符：" + diffs[i].label_zh() + "，公示为 " + diffs[i].before() + "，按日志重算为 " +
             diffs[i].after(),
         "figure differs: " + diffs[i].table_key() + "/" + diffs[i].row_key() + "/" +
             diffs[i].column_key() + " notice " + diffs[i].before() + ", recomputed " +
             diffs[i].after());
  if (diffs.size() > o.max_figures_listed)
    Fail(r, "figure", "另有 " + std::to_string(diffs.size() - o.max_figures_listed) + " 项数字不符",
         std::to_string(diffs.size() - o.max_figures_listed) + " more figures differ");
  const std::string recomputed = projections::FiguresDigestHex(again);
  if (recomputed != n.figures_digest_hex())
    Fail(r, "figures_digest",
         "数据摘要与按日志重算的数字不符（重算摘要 " + Short(recomputed) + "…）",
         "the figures recomputed from the log do not hash to the notice's digest");
  else if (diffs.empty())
    r.checked_zh.push_back("全部数字按日志重算相符");
  return r;
}

}  // namespace aidtrail::api::notice
