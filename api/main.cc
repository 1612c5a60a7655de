// The aidtrail command: `verify` checks the log's hash chains, `import`
// loads historical cases through the command pipeline. (`serve` arrives
// with the HTTP API.)
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "events/store/embedded_log.h"
#include "ingest/importer.h"
#include "ingest/verify.h"

namespace {

using namespace aidtrail;

struct LogFlags {
  std::string data = "./aidtrail-data";
  int partitions = 8;
};

void AddLogFlags(CLI::App* cmd, LogFlags& f) {
  cmd->add_option("--data", f.data, "data directory of the embedded log")->capture_default_str();
  cmd->add_option("--partitions", f.partitions, "partitions when the log is created")->capture_default_str();
}

Result<std::unique_ptr<store::EventLog>> OpenLog(const LogFlags& f) {
  auto log = store::EmbeddedLog::Open({.dir = f.data, .partitions = f.partitions});
  if (!log.ok()) return log.error();
  return std::unique_ptr<store::EventLog>(std::move(log).value());
}

int Fail(const Error& e) {
  std::cerr << "错误 / error: " << e.message_zh << "\n  " << e.message << " [" << e.code << "]\n";
  return 1;
}

int Verify(const LogFlags& f) {
  auto log = OpenLog(f);
  if (!log.ok()) return Fail(log.error());
  auto report = ingest::VerifyLog(**log);
  if (!report.ok()) return Fail(report.error());
  std::cout << ingest::FormatReport(*report);
  return report->intact() ? 0 : 3;
}

int Import(const LogFlags& f, const std::string& file, std::string format, const std::string& rejects_path) {
  if (format.empty()) format = file.size() > 4 && file.substr(file.size() - 4) == ".csv" ? "csv" : "jsonl";
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(MakeError(ErrorKind::kNotFound, "import.file", "cannot open " + file, "无法打开文件 " + file));
  std::ofstream rejects(rejects_path, std::ios::binary);
  if (!rejects)
    return Fail(MakeError(ErrorKind::kUnavailable, "import.rejects", "cannot write " + rejects_path,
                          "无法写入拒收报告 " + rejects_path));
  ingest::WriteRejectHeader(rejects);
  auto log = OpenLog(f);
  if (!log.ok()) return Fail(log.error());
  auto pipeline = ingest::Pipeline::Open(**log, {.writer_id = "import"});
  if (!pipeline.ok()) return Fail(pipeline.error());
  auto stats = format == "csv" ? ingest::ImportCasesCsv(**pipeline, in, rejects)
                               : ingest::ImportJsonl(**pipeline, in, file, rejects);
  if (!stats.ok()) return Fail(stats.error());
  std::cout << "共 " << stats->rows << " 行：导入 " << stats->imported << "，此前已导入 " << stats->already_imported
            << "，拒收 " << stats->rejected << "（原因见 " << rejects_path << "）\n"
            << "rows " << stats->rows << ": imported " << stats->imported << ", already imported "
            << stats->already_imported << ", rejected " << stats->rejected << " (see " << rejects_path << ")\n";
  return stats->rejected == 0 ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aidtrail: legal-aid case supervision on an immutable event log"};
  app.require_subcommand(1);
  LogFlags flags;

  auto* verify = app.add_subcommand("verify", "check every hash chain in the log; exit 3 if one is broken");
  AddLogFlags(verify, flags);

  std::string file, format, rejects = "rejects.csv";
  auto* import = app.add_subcommand("import", "import historical cases (CSV) or command batches (JSONL)");
  AddLogFlags(import, flags);
  import->add_option("file", file, "the file to import")->required();
  import->add_option("--format", format, "csv or jsonl (default: by extension)")->check(CLI::IsMember({"csv", "jsonl"}));
  import->add_option("--rejects", rejects, "where rejected rows and their reasons are written")->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (verify->parsed()) return Verify(flags);
  return Import(flags, file, format, rejects);
}
