#include "events/domain/roster.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace aidtrail::domain {
namespace {

v1::Event Ev(const std::string& stream, uint64_t version, v1::EventPayload p) {
  v1::Event e;
  e.set_stream_id(stream);
  e.set_stream_version(version);
  *e.mutable_payload() = std::move(p);
  return e;
}

Roster Lawyers(int n) {
  Roster r;
  v1::EventPayload firm;
  firm.mutable_firm_registered()->set_name("F");
  r.Apply(Ev("firm/F", 1, firm));
  for (int i = 0; i < n; ++i) {
    v1::EventPayload p;
    auto* l = p.mutable_lawyer_registered();
    l->set_name("lawyer " + std::to_string(i));
    l->set_firm_id("F");
    l->set_practice_since_year(2015);
    l->add_specialties(v1::CASE_CATEGORY_CIVIL);
    r.Apply(Ev("lawyer/L" + std::to_string(10 + i), 1, p));
  }
  return r;
}

// A civil case in 2024 with no special need: plain rotation.
AssignmentNeed CivilNeed() {
  return {.category = v1::CASE_CATEGORY_CIVIL,
          .life_or_death = false,
          .minor = false,
          .team = "",
          .exclude = "",
          .year = 2024,
          .rejected = {}};
}

// Rotation spreads work evenly: over many assignments no lawyer gets more
// than one case above any other.
TEST(Rotation, SpreadsCasesEvenly) {
  Roster r = Lawyers(7);
  std::map<std::string, int> load;
  const AssignmentNeed need = CivilNeed();
  for (int i = 0; i < 100; ++i) {
    auto choice = r.Choose("", need);
    ASSERT_TRUE(choice.ok()) << choice.error().ToString();
    ++load[choice->lawyer_id];
    v1::EventPayload p;
    p.mutable_lawyer_assigned()->set_lawyer_id(choice->lawyer_id);
    r.Apply(Ev("case/C" + std::to_string(i), 1, p));
  }
  int lo = 1000, hi = 0;
  for (const auto& [id, n] : load) {
    lo = std::min(lo, n);
    hi = std::max(hi, n);
  }
  EXPECT_EQ(load.size(), 7u);
  EXPECT_LE(hi - lo, 1);
}

// Applicants' choices do not break the rotation order for the others.
TEST(Rotation, ChosenLawyersGoToTheBackOfTheQueue) {
  Roster r = Lawyers(3);
  const AssignmentNeed need = CivilNeed();
  v1::EventPayload p;
  p.mutable_lawyer_assigned()->set_lawyer_id("L10");
  r.Apply(Ev("case/X", 1, p));
  EXPECT_EQ(r.Choose("", need)->lawyer_id, "L11");
}

TEST(Rotation, SeededRandomSuspensionsNeverYieldASuspendedLawyer) {
  const unsigned seed = 4242;
  std::mt19937 rng(seed);
  Roster r = Lawyers(6);
  std::map<std::string, bool> suspended;
  std::map<std::string, uint64_t> versions;
  const AssignmentNeed need = CivilNeed();
  for (int i = 0; i < 300; ++i) {
    const std::string id = "L" + std::to_string(10 + rng() % 6);
    v1::EventPayload p;
    if (suspended[id])
      p.mutable_lawyer_reinstated();
    else
      p.mutable_lawyer_suspended()->set_reason("x");
    suspended[id] = !suspended[id];
    r.Apply(Ev("lawyer/" + id, ++versions[id] + 1, p));
    auto choice = r.Choose("", need);
    bool any_active = false;
    for (const auto& [l, s] : suspended) any_active |= !s;
    if (suspended.size() < 6) any_active = true;
    if (!choice.ok()) {
      EXPECT_FALSE(any_active) << "seed " << seed << " step " << i;
      continue;
    }
    EXPECT_FALSE(suspended[choice->lawyer_id]) << "seed " << seed << " step " << i;
  }
}

}  // namespace
}  // namespace aidtrail::domain
