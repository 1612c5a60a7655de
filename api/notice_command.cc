#include "api/notice_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "api/notice/changes.h"
#include "api/notice/render.h"
#include "api/notice/signing.h"
#include "api/notice/verify.h"
#include "api/open_log.h"
#include "events/store/embedded_log.h"
#include "events/store/kafka_log.h"
#include "projections/all_views.h"
#include "projections/notice.h"
#include "projections/view_set.h"

namespace aidtrail::api {
namespace {

int Fail(const Error& e) {
  std::cerr << "错误 / error: " << e.message_zh << "\n  " << e.message << " [" << e.code << "]\n";
  return 1;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return MakeError(ErrorKind::kNotFound, "notice.file", "cannot open " + path,
                     "无法打开文件 " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(bytes.data(), std::streamsize(bytes.size())) || !out.flush())
    return MakeError(ErrorKind::kUnavailable, "notice.write", "cannot write " + path,
                     "无法写入文件 " + path);
  return Status::Ok();
}

// A scratch directory removed on destruction.
class Scratch {
 public:
  Scratch() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("aidtrail-notice-" + std::to_string(rd()) + std::to_string(rd()));
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  [[nodiscard]] std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

NoticeCommand::NoticeCommand(CLI::App& app) {
  auto log_flags = [&](CLI::App* cmd) {
    cmd->add_option("--data", data_, "data directory (embedded log, views, operator key)")
        ->capture_default_str();
    cmd->add_option("--partitions", partitions_, "partitions when the log is created")
        ->capture_default_str();
    cmd->add_option("--kafka", kafka_, "use an Apache Kafka topic as the log (bootstrap servers)");
    cmd->add_option("--topic", topic_, "the Kafka topic of the log")->capture_default_str();
  };
  notice_ = app.add_subcommand(
      "notice", "write the signed public expenditure notice (经费使用公示) of a year or quarter");
  log_flags(notice_);
  notice_->add_option("--year", year_, "fiscal year")->required();
  notice_->add_option("--quarter", quarter_, "quarter 1-4 (default: the whole year)")
      ->check(CLI::Range(1, 4));
  notice_->add_option("--format", format_, "html, json, csv or xlsx")
      ->check(CLI::IsMember({"html", "json", "csv", "xlsx"}))
      ->capture_default_str();
  notice_->add_option("--out", out_, "the file to write")->required();
  notice_->add_option("--previous", previous_,
                      "the previously published notice of the period (JSON): list what changed");
  notice_->add_option("--office", office_, "issuing office (default 江门市蓬江区法律援助处)");
  notice_->add_option("--date", date_, "date of issue YYYY-MM-DD (default today)");

  verify_ = app.add_subcommand(
      "verify-notice",
      "verify a notice (JSON) against the log: signature, Merkle roots and every figure");
  log_flags(verify_);
  verify_->add_option("notice", notice_file_, "the notice, JSON format")->required();
  verify_->add_option("--key", key_file_,
                      "the operator's public key file (default <data>/operator.pub if present)");
}

int NoticeCommand::Run() { return notice_->parsed() ? RunNotice() : RunVerify(); }

int NoticeCommand::RunNotice() {
  auto log = OpenLog(data_, kafka_, topic_, partitions_);
  if (!log.ok()) return Fail(log.error());
  auto views = projections::ViewSet::Open((std::filesystem::path(data_) / "views").string(), **log,
                                          projections::AllViews);
  if (!views.ok()) return Fail(views.error());
  if (auto n = (*views)->CatchUp(); !n.ok()) return Fail(n.error());
  projections::NoticeRequest request;
  request.year = year_;
  request.quarter = quarter_;
  if (!office_.empty()) request.issuing_office_zh = office_;
  request.issued_date = date_;
  const auto snapshot = (*views)->Snapshot();
  auto notice = projections::BuildNotice(snapshot->store(), (*log)->partitions(), request);
  if (!notice.ok()) return Fail(notice.error());
  if (!previous_.empty()) {
    auto text = ReadFile(previous_);
    if (!text.ok()) return Fail(text.error());
    auto prev = notice::ParseNoticeJson(*text);
    if (!prev.ok()) return Fail(prev.error());
    if (Status s = notice::AddChanges(*notice, *prev, **log); !s) return Fail(s.error());
  }
  auto key = notice::LoadOrCreateOperatorKey(data_);
  if (!key.ok()) return Fail(key.error());
  notice::Sign(*notice, *key);

  Status written;
  if (format_ == "xlsx") {
    written = notice::WriteXlsx(*notice, out_);
  } else if (format_ == "json") {
    auto json = notice::RenderJson(*notice);
    if (!json.ok()) return Fail(json.error());
    written = WriteFile(out_, *json);
  } else {
    written = WriteFile(
        out_, format_ == "csv" ? notice::RenderCsv(*notice) : notice::RenderHtml(*notice));
  }
  if (!written) return Fail(written.error());
  std::cout << "已写出 " << notice->title_zh() << " → " << out_ << "（检查点 "
            << notice->checkpoint().records() << " 条记录，数据摘要 "
            << notice->figures_digest_hex().substr(0, 16) << "…，公钥 " << notice->key_id()
            << "）\n"
            << "wrote the " << format_ << " notice to " << out_ << "\n";
  return 0;
}

int NoticeCommand::RunVerify() {
  auto text = ReadFile(notice_file_);
  if (!text.ok()) return Fail(text.error());
  auto notice = notice::ParseNoticeJson(*text);
  if (!notice.ok()) return Fail(notice.error());
  notice::VerifyOptions options;
  std::string key_path = key_file_;
  if (key_path.empty() && std::filesystem::exists(std::filesystem::path(data_) / "operator.pub"))
    key_path = (std::filesystem::path(data_) / "operator.pub").string();
  if (!key_path.empty()) {
    auto pk = notice::ReadPublicKey(key_path);
    if (!pk.ok()) return Fail(pk.error());
    options.trusted_public_key = *pk;
  }
  auto log = OpenLog(data_, kafka_, topic_, partitions_);
  if (!log.ok()) return Fail(log.error());
  Scratch scratch;
  options.scratch_dir = scratch.str();
  auto report = notice::VerifyNotice(*notice, **log, options);
  if (!report.ok()) return Fail(report.error());
  std::cout << report->Format();
  return report->ok() ? 0 : 3;
}

}  // namespace aidtrail::api
