// A synthetic but realistic district year, for demo data, tests and
// benchmarks: policy, firms, lawyers and budget first, then cases arriving
// through every channel and category in the proportions of published
// Guangdong notices, each following its lifecycle — review, assignment,
// hearings, supervision, closure, subsidy — with some cases left late or
// missing a supervision step so the supervision views have work to show.
// Deterministic for a seed. Commands come out in business-time order.
// Subject ids are opaque ("SUB-<case>", "DS-<year>-<n>"), never derived from
// the synthetic ID numbers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "aidtrail/v1/commands.pb.h"
#include "aidtrail/v1/envelope.pb.h"
#include "events/core/civil_date.h"
#include "ingest/pipeline.h"

namespace aidtrail::ingest {

struct GeneratorOptions {
  uint32_t seed = 2024;
  int year = 2024;
  int cases = 500;  // legal-aid cases in the year
  int lawyers = 30;
  int firms = 8;
  int consultations = 300;  // walk-in and 12348
  int duty_services = 200;
  std::string prefix = "JM";  // case ids: <prefix>-<year>-<n>
  // Give each applicant, suspect and duty-service person synthetic personal
  // data (Command.personal). The pipeline must then have a sealer
  // (PipelineOptions::seal_personal), or it refuses those commands. Off by
  // default so that logs written without a key vault stay complete. Turning
  // it on changes no other draw: same seed, same cases.
  bool personal_data = false;
  // A year in progress: no command is issued for a moment after this one
  // (unix seconds; 0: the whole year), so cases received lately are still
  // open and some are overdue now.
  int64_t until = 0;
};

class DistrictGenerator {
 public:
  explicit DistrictGenerator(GeneratorOptions options);
  ~DistrictGenerator();
  // The next command, or nullopt when the year is done.
  std::optional<v1::Command> Next();
  // Tells the generator what a command recorded (who was assigned), so the
  // lawyer's later steps are issued by that lawyer. Optional: without it
  // those steps are rejected as not the lawyer's own case.
  void Observe(const std::vector<v1::Event>& events);
  // The simulated writer clock: when the last command from Next() is
  // recorded. Its business time is the same, or earlier for the declared
  // late entries (补录) the year contains. A pipeline writing the year uses
  // this as its clock, with PipelineOptions::simulated_clock set, so the
  // data says it was not recorded in real time (SimulatedPipelineOptions).
  [[nodiscard]] Instant RecordedAt() const { return Instant{recorded_at_ * 1'000'000}; }

 private:
  struct Step;
  struct Later {
    bool operator()(const std::shared_ptr<Step>& a, const std::shared_ptr<Step>& b) const;
  };
  void Setup();
  void ScheduleCase(int n);
  void Schedule(std::shared_ptr<Step> step);
  // Approval and payment of a duty day's or consultation's pay.
  void SchedulePay(const std::string& stream, int64_t recorded);
  // Duty days in the year: about one per three duty services.
  [[nodiscard]] int DutyDays() const;

  GeneratorOptions o_;
  std::mt19937 rng_;
  std::vector<v1::Command> setup_;
  size_t setup_next_ = 0;
  std::priority_queue<std::shared_ptr<Step>, std::vector<std::shared_ptr<Step>>, Later> queue_;
  uint64_t seq_ = 0;
  std::unordered_map<std::string, std::string> lawyer_of_;  // case stream -> lawyer of record
  std::unordered_map<std::string, uint64_t> closure_of_;    // case stream -> its closure's version
  int64_t recorded_at_ = 0;                                 // unix seconds
};

// Options for a pipeline that writes what `generator` issues: its clock is
// the generator's simulated one, and the events say so. `generator` must
// outlive the pipeline's use of the clock.
PipelineOptions SimulatedPipelineOptions(const DistrictGenerator& generator,
                                         PipelineOptions base = {});

}  // namespace aidtrail::ingest
