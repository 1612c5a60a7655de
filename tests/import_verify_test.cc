// Imports through the pipeline with reject reports, and `verify` finding a
// tampered byte by stream and version.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <sstream>

#include "events/store/embedded_log.h"
#include "events/store/log_scan.h"
#include "events/store/verify.h"
#include "ingest/importer.h"
#include "tests/support/commands.h"
#include "tests/support/temp_dir.h"

namespace aidtrail {
namespace {

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = store::EmbeddedLog::Open({.dir = dir_.str(), .partitions = 4});
    ASSERT_TRUE(log.ok());
    log_ = std::move(log).value();
    auto p = ingest::Pipeline::Open(*log_, {});
    ASSERT_TRUE(p.ok());
    pipeline_ = std::move(p).value();
  }
  // Policy, a firm and a lawyer, as an administrator would set them up.
  void SetUpDistrict() {
    std::istringstream in(
        R"({"batchId":"setup-policy","commands":[{"streamId":"policy","occurredAt":"2023-01-02T09:00:00+08:00","actor":{"id":"admin","role":"ROLE_ADMIN"},"setExemptionList":{"effectiveFrom":"2023-01-01","grounds":["ELIGIBILITY_GROUND_MIGRANT_WAGES_OR_INJURY"]}}]}
{"batchId":"setup-firm","commands":[{"streamId":"firm/F1","occurredAt":"2023-01-02T09:00:00+08:00","actor":{"id":"admin","role":"ROLE_ADMIN"},"registerFirm":{"name":"蓬江明法律师事务所","licenceNo":"1"}}]}
{"batchId":"setup-lawyer","commands":[{"streamId":"lawyer/L1","occurredAt":"2023-01-02T09:00:00+08:00","actor":{"id":"admin","role":"ROLE_ADMIN"},"registerLawyer":{"name":"陈志远","firmId":"F1","licenceNo":"2","practiceSinceYear":2010,"specialties":["CASE_CATEGORY_CIVIL"]}}]}
)");
    std::ostringstream rejects;
    auto stats = ingest::ImportJsonl(*pipeline_, in, "setup", rejects);
    ASSERT_TRUE(stats.ok());
    ASSERT_EQ(stats->imported, 3u) << rejects.str();
  }

  testing::TempDir dir_;
  std::unique_ptr<store::EmbeddedLog> log_;
  std::unique_ptr<ingest::Pipeline> pipeline_;
};

TEST_F(ImportTest, JsonlRejectsSayWhyAndReRunsAddNothing) {
  SetUpDistrict();
  const std::string file =
      R"({"batchId":"a1","commands":[{"streamId":"case/A1","occurredAt":"2023-03-01T09:00:00+08:00","actor":{"id":"c","role":"ROLE_INTAKE"},"submitApplication":{"channel":"CHANNEL_WINDOW","category":"CASE_CATEGORY_CIVIL","matterType":"MATTER_TYPE_CONTRACT","applicant":{"subjectId":"S1"}}}]}
this is not json
{"batchId":"a2","commands":[{"streamId":"case/A2","occurredAt":"2023-03-01T09:00:00+08:00","actor":{"id":"c","role":"ROLE_LAWYER"},"submitApplication":{"channel":"CHANNEL_WINDOW","category":"CASE_CATEGORY_CIVIL","applicant":{"subjectId":"S2"}}}]}
{"batchId":"a3","commands":[{"streamId":"case/A3","occurredAt":"2023-03-01T09:00:00+08:00","actor":{"id":"c","role":"ROLE_INTAKE"},"submitApplication":{"channel":"CHANNEL_WINDOW","categori":"CASE_CATEGORY_CIVIL"}}]}
)";
  std::istringstream in(file);
  std::ostringstream rejects;
  auto stats = ingest::ImportJsonl(*pipeline_, in, "batch.jsonl", rejects);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->rows, 4u);
  EXPECT_EQ(stats->imported, 1u);
  EXPECT_EQ(stats->rejected, 3u);
  const std::string report = rejects.str();
  EXPECT_NE(report.find("2,,import.json"), std::string::npos) << report;
  EXPECT_NE(report.find("3,a2,command.role_forbidden"), std::string::npos) << report;
  EXPECT_NE(report.find("4,,import.json"), std::string::npos)
      << "a misspelt field must not be ignored: " << report;

  std::istringstream again(file);
  std::ostringstream rejects2;
  auto stats2 = ingest::ImportJsonl(*pipeline_, again, "batch.jsonl", rejects2);
  ASSERT_TRUE(stats2.ok());
  EXPECT_EQ(stats2->imported, 0u);
  EXPECT_EQ(stats2->already_imported, 1u);
}

TEST_F(ImportTest, CsvRowsAreAtomicAndRejectsNameTheField) {
  SetUpDistrict();
  const std::string csv =
      "\xEF\xBB\xBF"
      "case_id,received_at,channel,category,matter,subject_id,age,key_groups,infringement_region,"
      "decision,decided_at,ground,"
      "household_size,income_fen,refusal_reason,written_reasons,lawyer_id,assigned_at,closed_at,"
      "outcome\n"
      "H-1,2023-03-01 09:00,window,civil,wage-arrears,S-1,45,migrant_worker; woman,440703,approve,"
      "2023-03-03 10:00,migrant_wages_or_injury,,,,,L1,2023-03-04 10:00,2023-06-01 10:00,"
      "mediated\n"
      "H-2,2023-03-01 09:00,fax,civil,x,S-2,45,,440703,,,,,,,,,,,\n"
      "H-3,2023-02-30 09:00,window,civil,x,S-3,45,,440703,,,,,,,,,,,\n"
      "H-4,2023-03-01 09:00,window,civil,contract,S-4,45,,440703,approve,2023-03-03 "
      "10:00,personal_injury,,,,,,,,\n"
      "H-5,2023-03-01 09:00,online,civil,合同纠纷,S-5,30,,440703,refuse,2023-03-05 "
      "10:00,,,,"
      "not_legal_aid_matter,\"不属于法律援助事项, 请向法院起诉\",,,,\n"
      // A wage claim by someone not recorded as a migrant worker: the ground
      // has no facts behind it.
      "H-6,2023-03-01 09:00,window,civil,wage-arrears,S-6,45,,440703,approve,2023-03-03 10:00,"
      "migrant_wages_or_injury,,,,,,,,\n"
      "H-7,2023-03-01 09:00,window,civil,老板欠薪,S-7,45,,440703,,,,,,,,,,,\n";
  std::istringstream in(csv);
  std::ostringstream rejects;
  auto stats = ingest::ImportCasesCsv(*pipeline_, in, rejects);
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_EQ(stats->rows, 7u);
  EXPECT_EQ(stats->imported, 2u) << rejects.str();
  EXPECT_EQ(stats->rejected, 5u);
  const std::string report = rejects.str();
  EXPECT_NE(report.find("3,H-2,import.value"), std::string::npos) << report;
  EXPECT_NE(report.find("4,H-3,import.time"), std::string::npos) << report;
  EXPECT_NE(report.find("5,H-4,eligibility.not_exempt"), std::string::npos) << report;
  EXPECT_NE(report.find("7,H-6,eligibility.ground_unsupported"), std::string::npos) << report;
  EXPECT_NE(report.find("8,H-7,application.matter_type"), std::string::npos) << report;
  EXPECT_NE(report.find("第2步"), std::string::npos) << "a failing step is named: " << report;
  // H-1: application, its green-channel flag (a migrant worker), approval,
  // assignment, closure.
  EXPECT_EQ(pipeline_->Version("case/H-1"), 5u);
  EXPECT_EQ(pipeline_->Version("case/H-5"), 2u);
  // H-4 failed at its review: nothing of it was recorded.
  EXPECT_EQ(pipeline_->Version("case/H-4"), 0u);

  std::istringstream again(csv);
  std::ostringstream rejects2;
  auto stats2 = ingest::ImportCasesCsv(*pipeline_, again, rejects2);
  ASSERT_TRUE(stats2.ok());
  EXPECT_EQ(stats2->already_imported, 2u);
  EXPECT_EQ(stats2->imported, 0u);
}

// Co-applicants (共同受援人) come in as subject ids; the applicant named
// again among them is refused by the intake rule, row and reason named.
TEST_F(ImportTest, CsvCoApplicantsAreRecordedAndRepeatsRefused) {
  SetUpDistrict();
  const std::string csv =
      "case_id,received_at,channel,category,matter,subject_id,age,co_applicants\n"
      "G-1,2023-03-01 09:00,window,civil,wage-arrears,S-1,45,S-1b; S-1c\n"
      "G-2,2023-03-01 09:00,window,civil,wage-arrears,S-2,45,S-2b;S-2\n";
  std::istringstream in(csv);
  std::ostringstream rejects;
  auto stats = ingest::ImportCasesCsv(*pipeline_, in, rejects);
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_EQ(stats->imported, 1u) << rejects.str();
  EXPECT_NE(rejects.str().find("3,G-2,application.co_applicant_repeated"), std::string::npos)
      << rejects.str();
  int co = -1;
  store::CommitValidator v;
  ASSERT_TRUE(store::ScanLog(*log_, v, [&](const store::ScannedCommit& s) {
                for (const auto& e : s.commit.events())
                  if (e.stream_id() == "case/G-1" && e.payload().has_application_received())
                    co = e.payload().application_received().co_applicants_size();
              }).ok());
  EXPECT_EQ(co, 2);
}

TEST_F(ImportTest, BrokenCsvQuotingIsReportedWithTheLine) {
  std::istringstream in(
      "case_id,received_at,channel,category\nA,2023-03-01,window,\"civil\nB,2023-03-01,window,"
      "civil\"x\n");
  std::ostringstream rejects;
  auto stats = ingest::ImportCasesCsv(*pipeline_, in, rejects);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, "import.csv");
}

TEST(Verify, FindsATamperedByteByStreamAndVersion) {
  testing::TempDir dir;
  {
    auto log = store::EmbeddedLog::Open({.dir = dir.str(), .partitions = 2});
    ASSERT_TRUE(log.ok());
    auto p = ingest::Pipeline::Open(**log, {});
    ASSERT_TRUE(p.ok());
    ASSERT_TRUE((*p)->Execute(testing::SubmitApplication("T", "t-1")).ok());
    for (int i = 2; i <= 5; ++i)
      ASSERT_TRUE((*p)->Execute(testing::FileComplaint("T", "t-" + std::to_string(i))).ok());
    auto report = store::VerifyLog(**log);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->intact());
    EXPECT_EQ(report->stats.valid, 5u);
  }
  {
    // Someone edits the stored record of complaint t-3 (version 4) on disk.
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir.str(),
                                  {{rocksdb::kDefaultColumnFamilyName, {}}, {"log", {}}}, &handles,
                                  &raw)
                    .ok());
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[1]));
    bool edited = false;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string v = it->value().ToString();
      const auto at = v.find("t-3/0");
      if (at == std::string::npos) continue;
      const auto summary = v.find("waiting time", at);
      ASSERT_NE(summary, std::string::npos);
      v[summary] = 'W';
      ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), handles[1], it->key(), v).ok());
      edited = true;
      break;
    }
    ASSERT_TRUE(edited);
    it.reset();
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  auto log = store::EmbeddedLog::Open({.dir = dir.str(), .partitions = 2});
  ASSERT_TRUE(log.ok());
  auto report = store::VerifyLog(**log);
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->intact());
  ASSERT_EQ(report->breaks.size(), 1u);
  EXPECT_EQ(report->breaks[0].stream_id, "case/T");
  EXPECT_EQ(report->breaks[0].stream_version, 4u);
  EXPECT_EQ(report->void_reasons["malformed"], 1u);
  EXPECT_EQ(report->void_reasons["after_break"], 2u);  // t-4 and t-5 no longer link
  EXPECT_NE(store::FormatReport(*report).find("哈希链断裂"), std::string::npos);
}

}  // namespace
}  // namespace aidtrail
