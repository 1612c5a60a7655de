#include "api/proof_command.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "api/http/client.h"
#include "api/notice/proofs.h"
#include "api/notice/render.h"
#include "api/notice/signing.h"
#include "events/store/event_log.h"
#include "projections/notice.h"

namespace aidtrail::api {

namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return MakeError(ErrorKind::kNotFound, "file", "cannot read " + path, "无法读取文件 " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<v1::PublicNotice> LoadNotice(const std::string& path, const std::string& key) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.error();
  auto n = notice::ParseNoticeJson(*text);
  if (!n.ok()) return n.error();
  if (auto s = notice::VerifySignature(*n, key); !s.ok()) return s.error();
  // The signature covers the digest; the digest must cover the figures shown.
  if (projections::FiguresDigestHex(*n) != n->figures_digest_hex())
    return MakeError(ErrorKind::kCorruption, "notice.figures_digest",
                     path + ": the figures do not match the signed digest",
                     path + "：公示中的数字与签名的数据摘要不符（数字被改动过）");
  return n;
}

// GETs `target` and parses the JSON answer into `out`.
Status Fetch(const std::string& server, const std::string& token, const std::string& target,
             google::protobuf::Message& out) {
  auto res = http::Get(server + target, token);
  if (!res.ok()) return res.error();
  if (res->status != 200)
    return MakeError(ErrorKind::kUnavailable, "client.status",
                     target + " answered " + std::to_string(res->status) + ": " + res->body,
                     target + " 返回 " + std::to_string(res->status) + "：" + res->body);
  google::protobuf::util::JsonParseOptions o;
  o.ignore_unknown_fields = false;
  if (!google::protobuf::util::JsonStringToMessage(res->body, &out, o).ok())
    return MakeError(ErrorKind::kCorruption, "client.body",
                     target + " answered something that is not its schema",
                     target + " 的返回内容不符合接口格式");
  return Status::Ok();
}

int Report(bool ok, const std::string& zh, const std::string& en, const Status& s) {
  if (ok) {
    std::cout << "通过 / passed: " << zh << " / " << en << "\n";
    return 0;
  }
  std::cout << "未通过 / FAILED: " << zh << " / " << en << "\n  " << s.error().message_zh << "\n  "
            << s.error().message << " [" << s.error().code << "]\n";
  return 1;
}

}  // namespace

ProofCommand::ProofCommand(CLI::App& app) {
  cmd_ = app.add_subcommand(
      "check-proofs",
      "check a server's consistency and payment inclusion proofs against signed notices");
  cmd_->add_option("--server", server_, "the server, e.g. http://127.0.0.1:8080")->required();
  cmd_->add_option("--token-file", token_file_, "an auditor's token (payment proofs need one)");
  cmd_->add_option("--notice", notice_, "a notice (JSON) as published")->required();
  cmd_->add_option("--previous", previous_,
                   "an earlier notice (JSON): check the later log extends its log");
  cmd_->add_option("--payment", payments_,
                   "CASE_ID/SUBSIDY_ID of a payment to find in the notice's log");
  cmd_->add_option("--key", key_file_,
                   "the operator's public key file (default: the key the notice names)");
}

int ProofCommand::Run() {
  std::string key, token;
  if (!key_file_.empty()) {
    auto k = notice::ReadPublicKey(key_file_);
    if (!k.ok()) return Report(false, "读取公钥", "read the key", k.error()), 2;
    key = *k;
  }
  if (!token_file_.empty()) {
    auto t = ReadFile(token_file_);
    if (!t.ok()) return Report(false, "读取令牌", "read the token", t.error()), 2;
    token = *t;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
      token.pop_back();
  }
  auto now = LoadNotice(notice_, key);
  if (!now.ok()) return Report(false, "公示签名", "notice signature", now.error()), 3;
  int failures = 0;
  if (!previous_.empty()) {
    auto before = LoadNotice(previous_, key);
    if (!before.ok())
      return Report(false, "前一份公示签名", "previous notice signature", before.error()), 3;
    std::vector<Proof> proofs;
    Status fetched;
    for (const auto& head : now->checkpoint().partitions()) {
      uint64_t old_size = 0;
      for (const auto& b : before->checkpoint().partitions())
        if (b.partition() == head.partition()) old_size = b.size();
      if (old_size == 0 || old_size >= head.size()) continue;
      Proof p;
      fetched = Fetch(server_, token,
                      "/v1/audit/consistency?partition=" + std::to_string(head.partition()) +
                          "&old_size=" + std::to_string(old_size) +
                          "&size=" + std::to_string(head.size()),
                      p);
      if (!fetched.ok()) break;
      proofs.push_back(std::move(p));
    }
    const Status s = fetched.ok() ? notice::CheckConsistency(*before, *now, proofs) : fetched;
    failures += Report(s.ok(), "后一份公示的日志是前一份的延续（一致性证明）",
                       "the later notice's log extends the earlier one's (consistency)", s);
  }
  for (const auto& payment : payments_) {
    const size_t slash = payment.find('/');
    if (slash == std::string::npos) {
      std::cerr << "--payment 应为 案件编号/补贴编号 / must be CASE_ID/SUBSIDY_ID: " << payment
                << "\n";
      return 2;
    }
    const std::string case_id = payment.substr(0, slash), subsidy = payment.substr(slash + 1);
    const std::string stream = "case/" + case_id;
    v1::PaymentTrace trace;
    Proof proof;
    Status s =
        Fetch(server_, token, "/v1/cases/" + case_id + "/subsidies/" + subsidy + "/trace", trace);
    if (s.ok()) {
      const int32_t partition = store::PartitionOf(stream, now->checkpoint().partitions_size());
      uint64_t size = 0;
      for (const auto& h : now->checkpoint().partitions())
        if (h.partition() == partition) size = h.size();
      s = Fetch(server_, token,
                "/v1/audit/payments/" + case_id + "/" + subsidy +
                    "/inclusion?size=" + std::to_string(size),
                proof);
    }
    if (s.ok()) s = notice::CheckPaymentInclusion(*now, proof, stream, trace.payment().event_id());
    failures += Report(s.ok(), "支付 " + payment + " 在公示所依据的日志中（包含证明）",
                       "payment " + payment + " is in the notice's log (inclusion)", s);
  }
  return failures == 0 ? 0 : 3;
}

}  // namespace aidtrail::api
