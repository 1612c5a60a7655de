// The seed of a randomised test, in one place: AIDTRAIL_TEST_SEED repeats
// a run, otherwise each run draws a fresh seed. A seeded test prints its
// seed with every failure (SCOPED_TRACE(testing::SeedNote(seed))).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

namespace aidtrail::testing {

inline uint32_t TestSeed() {
  if (const char* s = std::getenv("AIDTRAIL_TEST_SEED"))
    return uint32_t(std::strtoul(s, nullptr, 10));
  return std::random_device{}();
}

inline std::string SeedNote(uint32_t seed) {
  return "seed " + std::to_string(seed) + " (AIDTRAIL_TEST_SEED=" + std::to_string(seed) +
         " repeats this run)";
}

}  // namespace aidtrail::testing
