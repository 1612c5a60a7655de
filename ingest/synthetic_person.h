// Plausible synthetic personal data for the demo district's people: Chinese
// names, 18-digit resident ID numbers of Jiangmen (4407..) with a valid
// check character, mobile numbers and addresses in Pengjiang district.
// Nobody real: names, dates and numbers are drawn at random.
#pragma once

#include <random>
#include <string>
#include <string_view>

#include "aidtrail/v1/common.pb.h"
#include "events/core/civil_date.h"

namespace aidtrail::ingest {

struct PersonTraits {
  int age = 30;         // whole years on `on`
  bool female = false;  // the ID number's sequence digit is even for women
  CivilDate on;         // the day the person is recorded
};

// Draws one person from `rng`; the same draws give the same person.
v1::PersonalData SyntheticPerson(std::mt19937& rng, const PersonTraits& traits);

// The check character of a resident ID number for its first 17 digits
// (GB 11643-1999, ISO 7064 MOD 11-2): '0'-'9' or 'X'.
// REQUIRES: first17 is 17 ASCII digits.
char IdCheckCharacter(std::string_view first17);

}  // namespace aidtrail::ingest
