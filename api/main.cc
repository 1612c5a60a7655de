// The aidtrail command: `serve` runs the HTTP API, `token` issues bearer
// tokens, `verify` checks the log's hash chains, `import` loads historical
// cases through the command pipeline, `generate` writes demo data and
// `rebuild` refolds the views.
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "api/notice_command.h"
#include "api/open_log.h"
#include "api/proof_command.h"
#include "api/routes_command.h"
#include "api/serve_command.h"
#include "events/store/embedded_log.h"
#include "events/store/kafka_log.h"
#include "events/store/verify.h"
#include "ingest/generator.h"
#include "ingest/importer.h"
#include "ingest/personal_vault.h"
#include "projections/all_views.h"
#include "projections/view_set.h"

namespace {

using namespace aidtrail;

struct LogFlags {
  std::string data = "./aidtrail-data";
  int partitions = 8;
  std::string kafka;  // bootstrap servers; empty: the embedded log under --data
  std::string topic = "aidtrail.log";
};

void AddLogFlags(CLI::App* cmd, LogFlags& f) {
  cmd->add_option("--data", f.data, "data directory (embedded log in log/, views in views/)")
      ->capture_default_str();
  cmd->add_option("--partitions", f.partitions, "partitions when the log is created")
      ->capture_default_str();
  cmd->add_option("--kafka", f.kafka, "use an Apache Kafka topic as the log (bootstrap servers)");
  cmd->add_option("--topic", f.topic, "the Kafka topic of the log")->capture_default_str();
}

Result<std::unique_ptr<store::EventLog>> OpenLog(const LogFlags& f) {
  return api::OpenLog(f.data, f.kafka, f.topic, f.partitions);
}

int Fail(const Error& e) {
  std::cerr << "错误 / error: " << e.message_zh << "\n  " << e.message << " [" << e.code << "]\n";
  return 1;
}

int Verify(const LogFlags& f) {
  auto log = OpenLog(f);
  if (!log.ok()) return Fail(log.error());
  auto report = store::VerifyLog(**log);
  if (!report.ok()) return Fail(report.error());
  std::cout << store::FormatReport(*report);
  return report->intact() ? 0 : 3;
}

int Import(const LogFlags& f, const std::string& file, std::string format,
           const std::string& rejects_path, std::string run_by) {
  if (run_by.empty())
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) run_by = pw->pw_name;
  if (run_by.empty())
    return Fail(
        MakeError(ErrorKind::kInvalidArgument, "import.run_by",
                  "say who runs the import (--by NAME): it is recorded with every imported event",
                  "请注明执行导入的人员（--by 姓名）：每条导入记录都会注明", "--by"));
  if (format.empty())
    format = file.size() > 4 && file.substr(file.size() - 4) == ".csv" ? "csv" : "jsonl";
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Fail(MakeError(ErrorKind::kNotFound, "import.file", "cannot open " + file,
                          "无法打开文件 " + file));
  std::ofstream rejects(rejects_path, std::ios::binary);
  if (!rejects)
    return Fail(MakeError(ErrorKind::kUnavailable, "import.rejects", "cannot write " + rejects_path,
                          "无法写入拒收报告 " + rejects_path));
  ingest::WriteRejectHeader(rejects);
  auto log = OpenLog(f);
  if (!log.ok()) return Fail(log.error());
  auto pipeline =
      ingest::Pipeline::Open(**log, {.writer_id = "import", .follow = !f.kafka.empty()});
  if (!pipeline.ok()) return Fail(pipeline.error());
  const std::string source = std::filesystem::path(file).filename().string();
  auto stats = format == "csv" ? ingest::ImportCasesCsv(**pipeline, in, rejects, run_by, source)
                               : ingest::ImportJsonl(**pipeline, in, file, rejects, run_by);
  if (!stats.ok()) return Fail(stats.error());
  std::cout << "共 " << stats->rows << " 行：导入 " << stats->imported << "，此前已导入 "
            << stats->already_imported << "，拒收 " << stats->rejected << "（原因见 "
            << rejects_path << "）\n"
            << "rows " << stats->rows << ": imported " << stats->imported << ", already imported "
            << stats->already_imported << ", rejected " << stats->rejected << " (see "
            << rejects_path << ")\n";
  return stats->rejected == 0 ? 0 : 2;
}

// Rebuilds every view (a new generation), or only `view` when named.
int Rebuild(const LogFlags& f, const std::string& view) {
  auto log = OpenLog(f);
  if (!log.ok()) return Fail(log.error());
  auto set = projections::ViewSet::Open((std::filesystem::path(f.data) / "views").string(), **log,
                                        projections::AllViews);
  if (!set.ok()) return Fail(set.error());
  const bool tty = isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  auto last = start;
  const std::string what = view.empty() ? "views" : "view " + view;
  uint64_t shown = 0;
  const auto report = [&](const projections::RebuildProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::milliseconds(200) && p.folded < p.total) return;
    if (p.folded == shown && p.folded > 0) return;  // the final report repeats the last
    last = now;
    shown = p.folded;
    const double secs = std::chrono::duration<double>(now - start).count();
    std::fprintf(stderr, "%s重建视图 rebuilding %s: %lu / %lu records (%.1f%%), %.0f records/s%s",
                 tty ? "\r" : "", what.c_str(), static_cast<unsigned long>(p.folded),
                 static_cast<unsigned long>(p.total),
                 p.total ? 100.0 * double(p.folded) / double(p.total) : 100.0,
                 secs > 0 ? double(p.folded) / secs : 0.0, tty ? "" : "\n");
  };
  auto status = view.empty() ? (*set)->Rebuild(report) : (*set)->Rebuild(view, report);
  if (tty) std::fprintf(stderr, "\n");
  if (!status.ok()) return Fail(status.error());
  if (view.empty())
    std::cout << "视图已重建，当前版本 generation " << (*set)->generation() << " / views rebuilt\n";
  else
    std::cout << "视图 " << view << " 已重建并切换 / view " << view << " rebuilt and swapped in\n";
  return 0;
}

// The demo people's personal data is sealed with keys kept in <data>/keys.
int Generate(const LogFlags& f, const ingest::GeneratorOptions& options, int years) {
  auto log = OpenLog(f);
  if (!log.ok()) return Fail(log.error());
  auto vault =
      ingest::PersonalVault::Open({.dir = (std::filesystem::path(f.data) / "keys").string()});
  if (!vault.ok()) return Fail(vault.error());
  // The demo is written on a simulated writer clock, each step recorded
  // when it happened (or later, for the year's declared late entries); the
  // events say so, and so does every view of them.
  const ingest::DistrictGenerator* current = nullptr;
  auto pipeline =
      ingest::Pipeline::Open(**log, {.writer_id = "generator",
                                     .follow = !f.kafka.empty(),
                                     .clock = [&current] { return current->RecordedAt(); },
                                     .simulated_clock = true,
                                     .seal_personal = (*vault)->Sealer()});
  if (!pipeline.ok()) return Fail(pipeline.error());
  uint64_t accepted = 0, rejected = 0, events = 0;
  for (int y = 0; y < years; ++y) {
    ingest::GeneratorOptions o = options;
    o.year += y;
    o.seed += uint32_t(y);
    o.personal_data = true;
    ingest::DistrictGenerator gen(o);
    current = &gen;
    while (auto c = gen.Next()) {
      auto r = (*pipeline)->Execute(*c);
      if (r.ok()) {
        ++accepted;
        events += r->events.size();
        gen.Observe(r->events);
      } else {
        ++rejected;
      }
    }
  }
  std::cout << "生成演示数据：指令 " << accepted << " 条已记录（事件 " << events << " 个），"
            << rejected << " 条被规则拒绝（有意缺少监管步骤）\n"
            << "generated: " << accepted << " commands recorded (" << events << " events), "
            << rejected << " rejected by the rules on purpose\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aidtrail: legal-aid case supervision on an immutable event log"};
  app.require_subcommand(1);
  LogFlags flags;

  auto* verify =
      app.add_subcommand("verify", "check every hash chain in the log; exit 3 if one is broken");
  AddLogFlags(verify, flags);

  std::string file, format, rejects = "rejects.csv";
  auto* import =
      app.add_subcommand("import", "import historical cases (CSV) or command batches (JSONL)");
  AddLogFlags(import, flags);
  import->add_option("file", file, "the file to import")->required();
  import->add_option("--format", format, "csv or jsonl (default: by extension)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  std::string run_by;
  import->add_option("--by", run_by,
                     "who runs the import, recorded with every imported event (default: $USER)");
  import->add_option("--rejects", rejects, "where rejected rows and their reasons are written")
      ->capture_default_str();

  auto* rebuild = app.add_subcommand("rebuild",
                                     "rebuild every view from the log into a new generation, or "
                                     "only the named view, and swap it in");
  AddLogFlags(rebuild, flags);
  std::string rebuild_view;
  rebuild->add_option("view", rebuild_view,
                      "timeline, cases, ledger, fairness, notice, services, audit or entries "
                      "(default: every view)");

  ingest::GeneratorOptions gen_options;
  int years = 1;
  auto* generate = app.add_subcommand(
      "generate", "write a realistic synthetic district year into the log (demo data)");
  AddLogFlags(generate, flags);
  generate->add_option("--cases", gen_options.cases, "legal-aid cases per year")
      ->capture_default_str();
  generate->add_option("--lawyers", gen_options.lawyers, "lawyers")->capture_default_str();
  generate->add_option("--consultations", gen_options.consultations, "consultations per year")
      ->capture_default_str();
  generate
      ->add_option("--duty-services", gen_options.duty_services, "duty-lawyer services per year")
      ->capture_default_str();
  generate->add_option("--year", gen_options.year, "first year")->capture_default_str();
  generate->add_option("--years", years, "how many years")->capture_default_str();
  generate->add_option("--seed", gen_options.seed, "random seed (same seed, same data)")
      ->capture_default_str();
  bool until_now = false;
  generate->add_flag("--until-now", until_now,
                     "stop at the present moment: a year in progress, with open and overdue cases");

  api::ServeCommand serve_command(app);
  api::RoutesCommand routes_command(app);
  api::NoticeCommand notice_command(app);
  api::ProofCommand proof_command(app);

  CLI11_PARSE(app, argc, argv);
  if (serve_command.parsed()) return serve_command.Run();
  if (routes_command.parsed()) return routes_command.Run();
  if (notice_command.parsed()) return notice_command.Run();
  if (proof_command.parsed()) return proof_command.Run();
  if (generate->parsed()) {
    if (until_now)
      gen_options.until = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    return Generate(flags, gen_options, years);
  }
  if (verify->parsed()) return Verify(flags);
  if (rebuild->parsed()) return Rebuild(flags, rebuild_view);
  return Import(flags, file, format, rejects, run_by);
}
