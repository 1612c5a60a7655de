#include "api/notice/proofs.h"

#include "events/core/hash_chain.h"
#include "events/core/merkle.h"
#include "events/store/event_log.h"

namespace aidtrail::api::notice {

namespace {

Error Failed(const std::string& code, const std::string& en, const std::string& zh) {
  return MakeError(ErrorKind::kCorruption, code, en, zh);
}

Result<std::string> Unhex(const std::string& hex) {
  auto bytes = FromHex(hex);
  if (!bytes) return Failed("proof.malformed", "not hex: " + hex, "证明中有非十六进制字符：" + hex);
  return std::move(*bytes);
}

Result<std::vector<std::string>> Path(const Proof& proof) {
  std::vector<std::string> out;
  for (const auto& h : proof.path()) {
    auto b = Unhex(h);
    if (!b.ok()) return b.error();
    out.push_back(std::move(b).value());
  }
  return out;
}

const v1::NoticePartitionHead* Head(const v1::PublicNotice& n, int32_t partition) {
  for (const auto& h : n.checkpoint().partitions())
    if (h.partition() == partition) return &h;
  return nullptr;
}

}  // namespace

Status CheckPaymentInclusion(const v1::PublicNotice& notice, const Proof& proof,
                             const std::string& case_stream, const std::string& payment_event_id) {
  const std::string p = std::to_string(proof.partition());
  const auto* head = Head(notice, proof.partition());
  if (head == nullptr)
    return Failed("proof.partition", "the notice has no partition " + p,
                  "公示的检查点中没有分区 " + p);
  if (proof.size() != head->size())
    return Failed("proof.size",
                  "the proof is for tree size " + std::to_string(proof.size()) +
                      ", the notice signed " + std::to_string(head->size()),
                  "包含证明针对的树大小（" + std::to_string(proof.size()) + "）与公示签署的（" +
                      std::to_string(head->size()) + "）不同");
  // The record must be what the proof claims and must be the payment.
  const std::string leaf = merkle::LeafHash(proof.record());
  auto claimed = Unhex(proof.leaf_hash());
  if (!claimed.ok()) return claimed.error();
  if (leaf != *claimed)
    return Failed("proof.record", "the record served does not hash to the proof's leaf",
                  "服务器提供的日志记录与包含证明的叶哈希不符");
  store::LogRecord record;
  record.position = {proof.partition(), int64_t(proof.offset())};
  record.key = case_stream;  // the commit must be on the case's stream
  record.value = proof.record();
  auto commit = store::DecodeCommit(record);
  bool is_payment = false;
  if (commit.ok())
    for (const auto& e : commit->events())
      is_payment |= e.event_id() == payment_event_id && e.stream_id() == case_stream &&
                    e.payload().has_subsidy_paid();
  if (!is_payment)
    return Failed("proof.not_the_payment",
                  "the record served does not hold payment " + payment_event_id,
                  "服务器提供的日志记录中没有这笔支付（" + payment_event_id + "）");
  auto path = Path(proof);
  if (!path.ok()) return path.error();
  auto root = Unhex(head->root_hex());
  if (!root.ok()) return root.error();
  // Against the signed root, never the root the server names.
  if (!merkle::VerifyInclusion(proof.offset(), head->size(), leaf, *path, *root))
    return Failed("proof.inclusion",
                  "the inclusion proof does not lead to the signed root of partition " + p,
                  "包含证明不成立：无法由该记录推导出公示所签分区 " + p + " 的默克尔根");
  return Status::Ok();
}

Status CheckConsistency(const v1::PublicNotice& older, const v1::PublicNotice& newer,
                        const std::vector<Proof>& proofs) {
  for (const auto& now : newer.checkpoint().partitions()) {
    const std::string p = std::to_string(now.partition());
    const auto* before = Head(older, now.partition());
    const uint64_t old_size = before ? before->size() : 0;
    if (old_size > now.size())
      return Failed("proof.shrunk", "partition " + p + " is shorter in the later notice",
                    "分区 " + p + " 在后一份公示中反而更短：日志被截断");
    if (old_size == 0) continue;  // an empty tree is a prefix of every tree
    if (old_size == now.size()) {
      if (before->root_hex() != now.root_hex())
        return Failed("proof.consistency", "partition " + p + " has the same size but another root",
                      "分区 " + p + " 大小相同而默克尔根不同：日志被改写");
      continue;
    }
    const Proof* proof = nullptr;
    for (const auto& x : proofs)
      if (x.partition() == now.partition() && x.old_size() == old_size && x.size() == now.size())
        proof = &x;
    if (proof == nullptr)
      return Failed("proof.missing", "no consistency proof for partition " + p,
                    "缺少分区 " + p + " 的一致性证明");
    auto path = Path(*proof);
    if (!path.ok()) return path.error();
    auto old_root = Unhex(before->root_hex());
    auto new_root = Unhex(now.root_hex());
    if (!old_root.ok()) return old_root.error();
    if (!new_root.ok()) return new_root.error();
    if (!merkle::VerifyConsistency(old_size, now.size(), *old_root, *new_root, *path))
      return Failed(
          "proof.consistency",
          "the consistency proof of partition " + p + " does not join the two signed roots",
          "一致性证明不成立：分区 " + p +
              " 的证明无法连接两份公示所签的默克尔根（日志可能被改写）");
  }
  return Status::Ok();
}

}  // namespace aidtrail::api::notice
