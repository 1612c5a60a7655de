// Every view the server runs, in dependency order.
#pragma once

#include <memory>
#include <vector>

#include "projections/audit_view.h"
#include "projections/case_views.h"
#include "projections/ledger_views.h"

namespace aidtrail::testing {

inline std::vector<std::unique_ptr<projections::View>> AllViews() {
  std::vector<std::unique_ptr<projections::View>> v;
  v.push_back(std::make_unique<projections::TimelineView>());
  v.push_back(std::make_unique<projections::CaseSummaryView>());
  v.push_back(std::make_unique<projections::LedgerView>());
  v.push_back(std::make_unique<projections::FairnessView>());
  v.push_back(std::make_unique<projections::NoticeView>());
  v.push_back(std::make_unique<projections::AuditView>());
  return v;
}

}  // namespace aidtrail::testing
