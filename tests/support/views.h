// The production view set, for tests.
#pragma once

#include "projections/all_views.h"

namespace aidtrail::testing {
using projections::AllViews;
}  // namespace aidtrail::testing
