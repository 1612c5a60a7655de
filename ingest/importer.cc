#include "ingest/importer.h"

#include <csv.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <vector>

#include "events/core/hash_chain.h"
#include "events/domain/identifiers.h"

namespace aidtrail::ingest {
namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void Reject(std::ostream& out, uint64_t row, const std::string& id, const Error& e) {
  out << row << ',' << CsvField(id) << ',' << CsvField(e.code) << ',' << CsvField(e.message_zh)
      << ',' << CsvField(e.message) << ',' << CsvField(e.field) << '\n';
}

void Count(ImportStats& stats, std::ostream& rejects, uint64_t row, const std::string& id,
           const Result<CommandResult>& r) {
  if (!r.ok()) {
    ++stats.rejected;
    Reject(rejects, row, id, r.error());
  } else if (r->replayed) {
    ++stats.already_imported;
  } else {
    ++stats.imported;
  }
}

Error RowError(const std::string& code, const std::string& en, const std::string& zh,
               const std::string& field) {
  return MakeError(ErrorKind::kInvalidArgument, code, en, zh, field);
}

// "2023-05-04T09:30:00+08:00", or "2023-05-04 09:30[:00]" / "2023-05-04" in China Standard Time.
Result<google::protobuf::Timestamp> ParseTime(const std::string& text, const std::string& field) {
  google::protobuf::Timestamp ts;
  if (google::protobuf::util::TimeUtil::FromString(text, &ts)) return ts;
  std::string t = text;
  if (t.size() == 10) t += " 09:00";
  if (t.size() == 16) t += ":00";
  if (t.size() == 19 && t[10] == ' ') {
    t[10] = 'T';
    if (google::protobuf::util::TimeUtil::FromString(t + "+08:00", &ts)) return ts;
  }
  return RowError("import.time",
                  field + ": '" + text + "' is not a date and time (use 2023-05-04 09:30)",
                  field + "：“" + text + "”不是有效的日期时间（示例：2023-05-04 09:30）", field);
}

// Enum values by their short name: "civil" -> CASE_CATEGORY_CIVIL.
template <typename E>
Result<E> ParseEnum(const google::protobuf::EnumDescriptor* d, const std::string& prefix,
                    const std::string& text, const std::string& field) {
  std::string name = prefix;
  for (char c : text) name += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
  const auto* v = d->FindValueByName(name);
  if (v == nullptr || v->number() == 0) {
    std::string allowed;
    for (int i = 1; i < d->value_count(); ++i) {
      std::string n = d->value(i)->name().substr(prefix.size());
      std::transform(n.begin(), n.end(), n.begin(),
                     [](unsigned char c) { return char(std::tolower(c)); });
      allowed += (i > 1 ? ", " : "") + n;
    }
    return RowError("import.value", field + ": '" + text + "' is not one of " + allowed,
                    field + "：“" + text + "”不是可选值（" + allowed + "）", field);
  }
  return static_cast<E>(v->number());
}

// "a; b;c" -> {"a", "b", "c"}; empty items dropped.
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ';')) {
    const auto b = item.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    out.push_back(item.substr(b, item.find_last_not_of(' ') - b + 1));
  }
  return out;
}

// History, not a late entry: the batch, who ran it, from which file.
void MarkMigration(std::vector<v1::Command>& commands, const std::string& batch,
                   const std::string& run_by, const std::string& source) {
  for (v1::Command& c : commands) {
    c.clear_late_entry();
    auto* m = c.mutable_migration();
    m->set_batch_id(batch);
    m->set_run_by(run_by);
    m->set_source(source);
  }
}

// The id of a JSONL line without a batch_id. A file name that fits the
// command-id grammar keeps the id earlier versions gave it, so re-running an
// old import still adds nothing twice; any other name (spaces, Chinese) is
// reduced to the grammar and made distinct by a digest of the full name.
std::string DefaultBatchId(const std::string& source, uint64_t row) {
  std::string id = "import:" + source + ":" + std::to_string(row);
  if (domain::IsCommandId(id)) return id;
  std::string name;
  for (char c : source) name += (c > 0x20 && c < 0x7f && c != ':') ? c : '_';
  if (name.size() > 48) name = name.substr(name.size() - 48);
  return "import:" + name + "~" + ToHex(Sha256(source)).substr(0, 12) + ":" + std::to_string(row);
}

}  // namespace

void WriteRejectHeader(std::ostream& rejects) {
  rejects << "\xEF\xBB\xBF"
          << "row,id,code,reason_zh,reason_en,field\n";
}

Result<ImportStats> ImportJsonl(Pipeline& pipeline, std::istream& in,
                                const std::string& source_name, std::ostream& rejects,
                                const std::string& run_by) {
  ImportStats stats;
  std::string line;
  uint64_t row = 0;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field is an error, not silently lost
  while (std::getline(in, line)) {
    ++row;
    if (line.empty() || line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++stats.rows;
    v1::ImportBatch batch;
    const auto status = google::protobuf::util::JsonStringToMessage(line, &batch, options);
    if (!status.ok()) {
      ++stats.rejected;
      Reject(rejects, row, "",
             RowError("import.json", "line is not a valid import batch: " + status.ToString(),
                      "该行不是有效的导入数据：" + std::string(status.message()), ""));
      continue;
    }
    std::string id = batch.batch_id().empty() ? DefaultBatchId(source_name, row) : batch.batch_id();
    std::vector<v1::Command> commands(batch.commands().begin(), batch.commands().end());
    if (commands.empty()) {
      ++stats.rejected;
      Reject(rejects, row, id,
             RowError("import.empty", "the batch has no commands", "该行没有任何指令", "commands"));
      continue;
    }
    for (size_t i = 0; i < commands.size(); ++i)
      if (commands[i].command_id().empty())
        commands[i].set_command_id(id + "/" + std::to_string(i));
    MarkMigration(commands, id, run_by, source_name);
    Count(stats, rejects, row, id, pipeline.ExecuteBatch(id, std::move(commands)));
  }
  return stats;
}

namespace {

struct CsvRows {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> current;
};

void OnField(void* data, size_t len, void* ctx) {
  static_cast<CsvRows*>(ctx)->current.emplace_back(static_cast<const char*>(data), len);
}
void OnRow(int, void* ctx) {
  auto* r = static_cast<CsvRows*>(ctx);
  r->rows.push_back(std::move(r->current));
  r->current.clear();
}

class Row {
 public:
  Row(const std::map<std::string, size_t>& columns, const std::vector<std::string>& values)
      : columns_(columns), values_(values) {}
  [[nodiscard]] std::string Get(const std::string& name) const {
    auto it = columns_.find(name);
    if (it == columns_.end() || it->second >= values_.size()) return "";
    std::string v = values_[it->second];
    const auto b = v.find_first_not_of(" \t"), e = v.find_last_not_of(" \t");
    return b == std::string::npos ? "" : v.substr(b, e - b + 1);
  }

 private:
  const std::map<std::string, size_t>& columns_;
  const std::vector<std::string>& values_;
};

v1::Command Cmd(const std::string& case_id, const std::string& step,
                const google::protobuf::Timestamp& at, const std::string& actor, v1::Role role) {
  v1::Command c;
  c.set_command_id("import:" + case_id + ":" + step);
  c.set_stream_id("case/" + case_id);
  *c.mutable_occurred_at() = at;
  c.mutable_actor()->set_id(actor);
  c.mutable_actor()->set_role(role);
  c.mutable_actor()->set_agency("import");
  return c;
}

// The commands one CSV row stands for, in order.
Result<std::vector<v1::Command>> RowCommands(const Row& r) {
  std::vector<v1::Command> out;
  const std::string id = r.Get("case_id");
  if (id.empty()) return RowError("import.case_id", "case_id is empty", "案件编号为空", "case_id");
  const std::string actor = r.Get("actor_id").empty() ? "import" : r.Get("actor_id");
  auto received = ParseTime(r.Get("received_at"), "received_at");
  if (!received.ok()) return received.error();
  auto channel =
      ParseEnum<v1::Channel>(v1::Channel_descriptor(), "CHANNEL_", r.Get("channel"), "channel");
  if (!channel.ok()) return channel.error();
  auto category = ParseEnum<v1::CaseCategory>(v1::CaseCategory_descriptor(), "CASE_CATEGORY_",
                                              r.Get("category"), "category");
  if (!category.ok()) return category.error();

  v1::Command submit = Cmd(id, "application", *received, actor, v1::ROLE_INTAKE);
  auto* a = submit.mutable_submit_application();
  a->set_channel(*channel);
  a->set_category(*category);
  a->set_matter(r.Get("matter"));
  a->mutable_applicant()->set_subject_id(r.Get("subject_id"));
  if (!r.Get("age").empty()) {
    try {
      a->mutable_applicant()->set_age(std::stoi(r.Get("age")));
    } catch (...) {
      return RowError("import.age", "age is not a number", "年龄不是数字", "age");
    }
  }
  // The facts exemption grounds rest on: "migrant_worker;disabled",
  // "social_assistance" (enumeration names without their prefix).
  for (const std::string& g : SplitList(r.Get("key_groups"))) {
    auto k = ParseEnum<v1::KeyGroup>(v1::KeyGroup_descriptor(), "KEY_GROUP_", g, "key_groups");
    if (!k.ok()) return k.error();
    a->mutable_applicant()->add_key_groups(*k);
  }
  for (const std::string& e : SplitList(r.Get("entitlements"))) {
    auto k =
        ParseEnum<v1::Entitlement>(v1::Entitlement_descriptor(), "ENTITLEMENT_", e, "entitlements");
    if (!k.ok()) return k.error();
    a->mutable_applicant()->add_entitlements(*k);
  }
  // 共同受援人: "S-2;S-3", their subject ids (the rules refuse repeats).
  for (const std::string& co : SplitList(r.Get("co_applicants")))
    a->add_co_applicants()->set_subject_id(co);
  a->set_infringement_region(r.Get("infringement_region"));
  a->set_domicile_region(r.Get("domicile_region"));
  if (!r.Get("criminal_stage").empty()) {
    auto st = ParseEnum<v1::CriminalStage>(v1::CriminalStage_descriptor(), "CRIMINAL_STAGE_",
                                           r.Get("criminal_stage"), "criminal_stage");
    if (!st.ok()) return st.error();
    a->set_criminal_stage(*st);
  }
  out.push_back(std::move(submit));

  const std::string decision = r.Get("decision");
  if (decision.empty()) return out;
  auto decided = ParseTime(r.Get("decided_at"), "decided_at");
  if (!decided.ok()) return decided.error();
  v1::Command review = Cmd(id, "review", *decided, actor, v1::ROLE_REVIEWER);
  if (decision == "approve") {
    auto* ap = review.mutable_review()->mutable_approve();
    if (!r.Get("ground").empty()) {
      auto g = ParseEnum<v1::EligibilityGround>(v1::EligibilityGround_descriptor(),
                                                "ELIGIBILITY_GROUND_", r.Get("ground"), "ground");
      if (!g.ok()) return g.error();
      ap->set_ground(*g);
    } else {
      try {
        ap->mutable_evidence()->set_household_size(std::stoi(r.Get("household_size")));
        ap->mutable_evidence()->set_monthly_income_per_member_fen(std::stoll(r.Get("income_fen")));
      } catch (...) {
        return RowError("import.evidence",
                        "an approval needs a ground, or household_size and income_fen",
                        "给予援助须填写免审情形，或家庭人口数和月人均收入（分）", "ground");
      }
    }
  } else if (decision == "refuse") {
    auto* rf = review.mutable_review()->mutable_refuse();
    auto reason = ParseEnum<v1::RefusalReason>(v1::RefusalReason_descriptor(), "REFUSAL_REASON_",
                                               r.Get("refusal_reason"), "refusal_reason");
    if (!reason.ok()) return reason.error();
    rf->set_reason(*reason);
    rf->set_written_reasons(r.Get("written_reasons"));
  } else {
    return RowError("import.decision", "decision must be approve, refuse or empty",
                    "审查决定须为 approve、refuse 或留空", "decision");
  }
  out.push_back(std::move(review));
  if (decision == "refuse" || r.Get("lawyer_id").empty()) return out;

  auto assigned = ParseTime(r.Get("assigned_at"), "assigned_at");
  if (!assigned.ok()) return assigned.error();
  v1::Command assign = Cmd(id, "assignment", *assigned, actor, v1::ROLE_ASSIGNER);
  assign.mutable_assign_lawyer()->set_named_lawyer_id(r.Get("lawyer_id"));
  out.push_back(std::move(assign));
  if (r.Get("closed_at").empty()) return out;

  auto closed = ParseTime(r.Get("closed_at"), "closed_at");
  if (!closed.ok()) return closed.error();
  auto outcome = ParseEnum<v1::CaseOutcome>(v1::CaseOutcome_descriptor(), "CASE_OUTCOME_",
                                            r.Get("outcome"), "outcome");
  if (!outcome.ok()) return outcome.error();
  v1::Command close = Cmd(id, "closure", *closed, r.Get("lawyer_id"), v1::ROLE_LAWYER);
  close.mutable_close_case()->set_outcome(*outcome);
  close.mutable_close_case()->set_criminal_stage(a->criminal_stage());
  out.push_back(std::move(close));
  return out;
}

}  // namespace

Result<ImportStats> ImportCasesCsv(Pipeline& pipeline, std::istream& in, std::ostream& rejects,
                                   const std::string& run_by, const std::string& source_name) {
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // Excel's BOM
  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_APPEND_NULL);
  CsvRows parsed;
  const size_t used = csv_parse(&parser, text.data(), text.size(), OnField, OnRow, &parsed);
  const bool failed = used != text.size() || csv_fini(&parser, OnField, OnRow, &parsed) != 0;
  const std::string parse_error = failed ? csv_strerror(csv_error(&parser)) : "";
  csv_free(&parser);
  if (failed) {
    const uint64_t line =
        1 +
        uint64_t(std::count(text.begin(), text.begin() + long(std::min(used, text.size())), '\n'));
    return MakeError(ErrorKind::kInvalidArgument, "import.csv",
                     "CSV cannot be read near line " + std::to_string(line) + ": " + parse_error,
                     "CSV 文件第 " + std::to_string(line) + " 行附近格式有误（" + parse_error +
                         "），请检查引号");
  }
  if (parsed.rows.empty())
    return MakeError(ErrorKind::kInvalidArgument, "import.csv_empty", "the CSV file is empty",
                     "CSV 文件为空");
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < parsed.rows[0].size(); ++i) columns[parsed.rows[0][i]] = i;
  for (const char* required : {"case_id", "received_at", "channel", "category"})
    if (!columns.count(required))
      return MakeError(ErrorKind::kInvalidArgument, "import.csv_header",
                       std::string("missing column ") + required,
                       std::string("缺少必需的列：") + required);
  ImportStats stats;
  for (size_t i = 1; i < parsed.rows.size(); ++i) {
    const Row row(columns, parsed.rows[i]);
    ++stats.rows;
    const std::string id = row.Get("case_id");
    auto commands = RowCommands(row);
    if (!commands.ok()) {
      ++stats.rejected;
      Reject(rejects, i + 1, id, commands.error());
      continue;
    }
    MarkMigration(*commands, "import:" + id, run_by, source_name);
    Count(stats, rejects, i + 1, id,
          pipeline.ExecuteBatch("import:" + id, std::move(commands).value()));
  }
  return stats;
}

}  // namespace aidtrail::ingest
