// The matter vocabulary (v1::MatterType): one stable code and one Chinese
// label per value. Clerks and imports may give the code or the label in
// `matter`; the rules and the views read the type through MatterTypeOf, so
// an application recorded with a code and one recorded with the typed field
// count the same.
//
// Stateless; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aidtrail/v1/case_events.pb.h"

namespace aidtrail::domain {

// UNSPECIFIED when `text` is neither a code nor a label.
v1::MatterType MatterTypeFromText(std::string_view text);
// The typed field if set, else the type `matter` names.
v1::MatterType MatterTypeOf(const v1::ApplicationReceived& application);

const char* MatterCode(v1::MatterType type);
const char* MatterLabelZh(v1::MatterType type);
// Every type of the vocabulary, in its order (for tables that list them).
std::vector<v1::MatterType> AllMatterTypes();
// "wage-arrears（欠薪/劳动报酬）, …", for messages that list the choices.
std::string MatterChoices();

}  // namespace aidtrail::domain
