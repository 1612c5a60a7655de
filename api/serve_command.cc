#include "api/serve_command.h"

#include <google/protobuf/util/time_util.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "api/auth.h"
#include "api/serve.h"
#include "events/core/civil_date.h"

extern char** environ;

namespace aidtrail::api {

namespace {

int Fail(const Error& e) {
  std::cerr << "错误 / error: " << e.message_zh << "\n  " << e.message << " [" << e.code << "]\n";
  return 1;
}

std::map<std::string, std::string> Environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv(*e);
    if (kv.rfind("AIDTRAIL_", 0) != 0) continue;
    const auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

// "supervisor" or "ROLE_SUPERVISOR" -> the role.
std::optional<v1::Role> ParseRole(std::string text) {
  for (auto& ch : text) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  if (text.rfind("ROLE_", 0) != 0) text = "ROLE_" + text;
  v1::Role r;
  if (!v1::Role_Parse(text, &r) || r == v1::ROLE_UNSPECIFIED || r == v1::ROLE_SYSTEM)
    return std::nullopt;
  return r;
}

}  // namespace

ServeCommand::ServeCommand(CLI::App& app) {
  serve_ = app.add_subcommand(
      "serve", "run the HTTP API: command pipeline, projections and server in one process");
  serve_
      ->add_option("--config", config_file_,
                   "configuration file (JSON); flags and AIDTRAIL_* variables override it")
      ->envname("AIDTRAIL_CONFIG");
  serve_->add_option("--listen", listen_,
                     "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)");
  serve_->add_option("--data", data_,
                     "data directory: embedded log, views, keys (default ./aidtrail-data)");
  serve_->add_option("--kafka", kafka_, "use an Apache Kafka topic as the log (bootstrap servers)");
  serve_->add_option("--topic", topic_, "the Kafka topic of the log (default aidtrail.log)");
  serve_->add_option("--partitions", partitions_, "partitions when the log is created (default 8)");
  serve_->add_option("--threads", threads_, "HTTP worker threads (default 2)");
  serve_->add_option("--port-file", port_file_, "write the bound port to this file once listening");
  serve_->add_flag(
      "--read-only", read_only_,
      "a read replica: fold the log into this server's views and serve reads; refuse commands");
  serve_->add_option("--writer-url", writer_url_,
                     "where clients send commands (named in a read replica's refusals)");
  serve_->add_option("--writer-name", writer_name_,
                     "this server's name in the log (default server)");
  serve_->add_option(
      "--takeover-after-ms", takeover_after_ms_,
      "with --kafka: refuse commands this long after another writer was seen writing, "
      "instead of taking the log over (default 2000)");

  token_ = app.add_subcommand(
      "token",
      "issue a bearer token: its hash is added to the configuration, the token printed once");
  token_
      ->add_option("--config", config_file_,
                   "configuration file to add the grant to (created if absent)")
      ->required();
  token_
      ->add_option("--role", role_,
                   "intake, reviewer, assigner, lawyer, supervisor, auditor, partner, admin or "
                   "judicial_bureau")
      ->required();
  token_
      ->add_option("--actor", actor_,
                   "the actor id recorded for this token's commands (a lawyer's id for lawyers)")
      ->required();
  token_->add_option("--agency", agency_, "the holder's agency")->default_val("jm-pengjiang-lac");
  token_->add_option("--expires", expires_,
                     "last day the token is valid, YYYY-MM-DD (default: no expiry)");
  token_->add_option("--note", note_, "who holds the token");
  token_->add_option("--out", token_out_,
                     "write the token to this file (mode 600) instead of printing it");
}

int ServeCommand::Run() { return serve_->parsed() ? RunServe() : RunToken(); }

int ServeCommand::RunServe() {
  auto base = DefaultConfig();
  if (!config_file_.empty()) {
    auto file = ReadConfigFile(config_file_);
    if (!file.ok()) return Fail(file.error());
    base = std::move(file).value();
  }
  auto given = [&](const char* name) { return serve_->count(name) > 0; };
  if (given("--listen")) flags_.listen = listen_;
  if (given("--data")) flags_.data = data_;
  if (given("--kafka")) flags_.kafka = kafka_;
  if (given("--topic")) flags_.topic = topic_;
  if (given("--partitions")) flags_.partitions = partitions_;
  if (given("--threads")) flags_.threads = threads_;
  if (given("--read-only")) flags_.read_only = read_only_;
  if (given("--writer-url")) flags_.writer_url = writer_url_;
  if (given("--writer-name")) flags_.writer_name = writer_name_;
  if (given("--takeover-after-ms")) flags_.takeover_after_ms = takeover_after_ms_;
  auto config = ResolveConfig(std::move(base), flags_, Environment());
  if (!config.ok()) return Fail(config.error());
  return Serve({.config = std::move(config).value(), .port_file = port_file_});
}

int ServeCommand::RunToken() {
  const auto role = ParseRole(role_);
  if (!role)
    return Fail(MakeError(
        ErrorKind::kInvalidArgument, "token.role", "unknown role " + role_,
        "未知角色 " + role_ +
            "；可选 intake、reviewer、assigner、lawyer、supervisor、auditor、partner、admin、"
            "judicial_bureau",
        "role"));
  // The bureau decides objections to the centre's decisions, so it must
  // never inherit the centre's agency by default.
  if (*role == v1::ROLE_JUDICIAL_BUREAU && token_->count("--agency") == 0)
    return Fail(MakeError(ErrorKind::kInvalidArgument, "token.agency",
                          "a judicial_bureau token needs --agency naming the bureau",
                          "司法局令牌须用 --agency 注明所属司法行政机关", "agency"));
  ServerConfig config = DefaultConfig();
  if (std::filesystem::exists(config_file_)) {
    auto file = ReadConfigFile(config_file_);
    if (!file.ok()) return Fail(file.error());
    config = std::move(file).value();
  }
  const std::string token = NewToken();
  auto* grant = config.add_tokens();
  grant->set_sha256(TokenHash(token));
  grant->set_role(*role);
  grant->set_actor_id(actor_);
  grant->set_agency(agency_);
  grant->set_note(note_);
  if (!expires_.empty()) {
    auto day = CivilDate::Parse(expires_);
    if (!day.ok())
      return Fail(MakeError(ErrorKind::kInvalidArgument, "token.expires",
                            "--expires must be YYYY-MM-DD", "--expires 应为日期，格式 YYYY-MM-DD",
                            "expires"));
    // Valid through the named day, China Standard Time.
    const int64_t end_micros = (int64_t(day->days()) + 1) * 86'400'000'000LL - 8 * 3'600'000'000LL;
    *grant->mutable_expires_at() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(end_micros);
  }
  if (auto s = WriteConfigFile(config_file_, config); !s.ok()) return Fail(s.error());
  ::chmod(config_file_.c_str(), 0600);
  if (token_out_.empty()) {
    std::cout << token << "\n";
  } else {
    std::ofstream(token_out_, std::ios::trunc) << token << "\n";
    ::chmod(token_out_.c_str(), 0600);
  }
  std::cerr << "令牌已签发（配置中只保存其哈希）/ token issued (only its hash is kept in "
            << config_file_ << ")\n";
  return 0;
}

}  // namespace aidtrail::api
