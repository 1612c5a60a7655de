// Every view the server runs, in dependency order (the ledger, fairness and
// notice views read the case summaries written earlier in the same batch).
#pragma once

#include <memory>
#include <vector>

#include "projections/audit_view.h"
#include "projections/case_views.h"
#include "projections/entry_view.h"
#include "projections/ledger_views.h"
#include "projections/service_views.h"

namespace aidtrail::projections {

inline std::vector<std::unique_ptr<View>> AllViews() {
  std::vector<std::unique_ptr<View>> v;
  v.push_back(std::make_unique<TimelineView>());
  v.push_back(std::make_unique<CaseSummaryView>());
  v.push_back(std::make_unique<LedgerView>());
  v.push_back(std::make_unique<FairnessView>());
  v.push_back(std::make_unique<NoticeView>());
  v.push_back(std::make_unique<ServiceView>());
  v.push_back(std::make_unique<AuditView>());
  v.push_back(std::make_unique<EntryView>());
  return v;
}

}  // namespace aidtrail::projections
