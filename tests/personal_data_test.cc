// Personal data through the real pipeline: the writer seals it with the
// subject's key, clear data never reaches a log record, erasing the key
// leaves the log intact but the person unreadable, and reads of it are
// recorded on the case's access stream without touching the case.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "events/core/masking.h"
#include "events/store/embedded_log.h"
#include "events/store/verify.h"
#include "ingest/personal_vault.h"
#include "ingest/pipeline.h"
#include "projections/engine.h"
#include "tests/support/commands.h"
#include "tests/support/temp_dir.h"
#include "tests/support/views.h"

namespace aidtrail {
namespace {

constexpr char kName[] = "欧阳娜娜";
constexpr char kIdNumber[] = "440703198805162327";
constexpr char kPhone[] = "13922334455";

v1::PersonalData Person() {
  v1::PersonalData d;
  d.set_name(kName);
  d.set_id_number(kIdNumber);
  d.set_phone(kPhone);
  d.set_address("江门市蓬江区白沙大道东88号");
  return d;
}

// The application of case `id` with its applicant's clear personal data.
v1::Command ApplicationWithPerson(const std::string& id) {
  v1::Command c = testing::SubmitApplication(id, "apply-" + id);
  (*c.mutable_personal())[c.submit_application().applicant().subject_id()] = Person();
  return c;
}

class PersonalDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = store::EmbeddedLog::Open({.dir = LogDir(), .partitions = 2});
    ASSERT_TRUE(log.ok());
    log_ = std::move(log).value();
    auto vault =
        ingest::PersonalVault::Open({.dir = (dir_.path() / "keys").string(), .sync = false});
    ASSERT_TRUE(vault.ok()) << vault.error().ToString();
    vault_ = std::move(vault).value();
    auto p = ingest::Pipeline::Open(*log_, {.seal_personal = vault_->Sealer()});
    ASSERT_TRUE(p.ok());
    pipeline_ = std::move(p).value();
  }
  std::string LogDir() const { return (dir_.path() / "log").string(); }

  // Every record of the log, as the bytes stored.
  std::string AllRecordBytes() {
    std::string all;
    for (int32_t p = 0; p < log_->partitions(); ++p) {
      auto recs = log_->Read(p, 0, 100000, std::chrono::milliseconds(0));
      EXPECT_TRUE(recs.ok());
      for (const store::LogRecord& r : *recs) all += r.key + r.value;
    }
    return all;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::EmbeddedLog> log_;
  std::unique_ptr<ingest::PersonalVault> vault_;
  std::unique_ptr<ingest::Pipeline> pipeline_;
};

TEST_F(PersonalDataTest, TheRecordedEventCarriesSealedBytesThatOpenToThePerson) {
  auto r = pipeline_->Execute(ApplicationWithPerson("P1"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const v1::PersonRef& applicant = r->events.at(0).payload().application_received().applicant();
  EXPECT_EQ(applicant.subject_id(), "S-P1");
  ASSERT_FALSE(applicant.sealed_personal().empty());
  auto opened = vault_->Open(applicant.subject_id(), applicant.sealed_personal());
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->name(), kName);
  EXPECT_EQ(MaskPersonalData(*opened).id_number(), "4407**********2327");

  // What the log holds is what was acknowledged.
  const std::string bytes = AllRecordBytes();
  EXPECT_NE(bytes.find(applicant.sealed_personal()), std::string::npos);
}

TEST_F(PersonalDataTest, NoClearPersonalDataInAnyLogRecordOrLogFile) {
  ASSERT_TRUE(pipeline_->Execute(ApplicationWithPerson("P1")).ok());
  // A record without a person, so the log has more than one kind of commit.
  ASSERT_TRUE(pipeline_->Execute(testing::RecordConsultation("CO-1", "consult-1")).ok());

  const std::string bytes = AllRecordBytes();
  ASSERT_FALSE(bytes.empty());
  for (const char* clear : {kName, kIdNumber, kPhone, "白沙大道"})
    EXPECT_EQ(bytes.find(clear), std::string::npos) << clear << " is in a log record";

  // And not in the files under the log directory (WAL and tables) either.
  log_.reset();
  pipeline_.reset();
  for (const auto& f : std::filesystem::recursive_directory_iterator(LogDir())) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* clear : {kName, kIdNumber, kPhone})
      EXPECT_EQ(file.find(clear), std::string::npos) << clear << " is in " << f.path();
  }
}

TEST_F(PersonalDataTest, AnEntryForNoPersonOfTheCommandIsRefused) {
  v1::Command c = ApplicationWithPerson("P2");
  (*c.mutable_personal())["S-SOMEONE-ELSE"] = Person();
  auto r = pipeline_->Execute(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "command.personal_unmatched");
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(pipeline_->Version("case/P2"), 0u);
  EXPECT_FALSE(vault_->Erased("S-P2").value());
  EXPECT_EQ(pipeline_->stats().rejected, 1u);
}

TEST_F(PersonalDataTest, AWriterWithoutAVaultRefusesPersonalData) {
  pipeline_.reset();
  auto p = ingest::Pipeline::Open(*log_, {});
  ASSERT_TRUE(p.ok());
  auto r = (*p)->Execute(ApplicationWithPerson("P3"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "command.personal_unsealed");
  EXPECT_FALSE(r.error().message_zh.empty());
  // Without personal data the same command is fine.
  EXPECT_TRUE((*p)->Execute(testing::SubmitApplication("P3", "apply-P3")).ok());
}

TEST_F(PersonalDataTest, ABatchNamesTheStepWhosePersonalDataIsRefused) {
  std::vector<v1::Command> batch = {testing::SubmitApplication("P4", "b-1"),
                                    ApplicationWithPerson("P5")};
  batch[1].set_stream_id("case/P4");
  (*batch[1].mutable_personal())["S-NOBODY"] = Person();
  auto r = pipeline_->ExecuteBatch("batch-1", batch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "command.personal_unmatched");
  EXPECT_EQ(r.error().message_zh.rfind("第2步", 0), 0u) << r.error().message_zh;
  EXPECT_EQ(pipeline_->Version("case/P4"), 0u);
}

TEST_F(PersonalDataTest, ErasingTheKeyLeavesTheLogIntactButThePersonUnreadable) {
  auto r = pipeline_->Execute(ApplicationWithPerson("P6"));
  ASSERT_TRUE(r.ok());
  const v1::PersonRef applicant = r->events.at(0).payload().application_received().applicant();
  ASSERT_TRUE(vault_->Erase(applicant.subject_id()).ok());
  EXPECT_EQ(vault_->Open(applicant.subject_id(), applicant.sealed_personal()).error().code,
            "personal.erased");
  auto report = store::VerifyLog(*log_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact()) << "erasure touches the key, never the log";
  // The erased subject cannot be given personal data again.
  v1::Command again = testing::SubmitApplication("P7", "apply-P7");
  again.mutable_submit_application()->mutable_applicant()->set_subject_id(applicant.subject_id());
  (*again.mutable_personal())[applicant.subject_id()] = Person();
  auto refused = pipeline_->Execute(again);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "personal.erased");
}

TEST_F(PersonalDataTest, AReadIsRecordedOnTheAccessStreamAndLeavesTheCaseVersionAlone) {
  ASSERT_TRUE(pipeline_->Execute(ApplicationWithPerson("P8")).ok());
  const uint64_t case_version = pipeline_->Version("case/P8");
  v1::Command read;
  read.set_command_id("read-1");
  read.set_stream_id("access/P8");
  read.mutable_occurred_at()->set_seconds(1709600400);
  read.mutable_late_entry()->set_reason(
      "测试：登记过去日期的事项");  // a past day, declared as a clerk would
  read.mutable_actor()->set_id("rev-1");
  read.mutable_actor()->set_role(v1::ROLE_REVIEWER);
  auto* a = read.mutable_record_personal_data_access();
  a->set_subject_id("S-P8");
  a->set_purpose("电话核实申请事项");
  a->add_fields("phone");
  auto r = pipeline_->Execute(read);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->events.at(0).payload().personal_data_accessed().case_stream_id(), "case/P8");
  EXPECT_EQ(pipeline_->Version("access/P8"), 1u);
  EXPECT_EQ(pipeline_->Version("case/P8"), case_version);

  // Every view folds the new stream kind.
  auto engine = projections::Engine::Open((dir_.path() / "views").string(), testing::AllViews());
  ASSERT_TRUE(engine.ok());
  auto folded = (*engine)->CatchUp(*log_);
  ASSERT_TRUE(folded.ok()) << folded.error().ToString();
  EXPECT_EQ((*engine)->Lag(*log_).value(), 0);

  read.set_command_id("read-2");
  read.set_stream_id("access/NOPE");
  auto unknown = pipeline_->Execute(read);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "access.unknown_case");
}

}  // namespace
}  // namespace aidtrail
