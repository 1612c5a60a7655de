// The routes of the aidtrail API over the running parts: the command
// pipeline (writes), the view set (reads), the log (health) and metrics.
#pragma once

#include <atomic>
#include <functional>

#include "api/metrics.h"
#include "api/notice/signing.h"
#include "api/router.h"
#include "api/visibility.h"
#include "ingest/personal_vault.h"
#include "ingest/pipeline.h"
#include "projections/view_set.h"

namespace aidtrail::api {

struct App {
  // nullptr on a read replica (ServerConfig.read_only): commands are refused.
  ingest::Pipeline* pipeline;
  projections::ViewSet& views;
  store::EventLog& log;
  Metrics& metrics;
  std::atomic<bool>& ready;          // projections caught up since start
  VisibilityWaiter& visible;         // a command is answered once the views show it
  ingest::PersonalVault& vault;      // subject keys, to open personal data for staff
  notice::OperatorKey operator_key;  // signs the public notices
  std::string openapi;               // the OpenAPI document served at /openapi.json
  std::string writer_url;            // where a read replica sends commands
};

// The refusal of a write on a read replica, naming where writes go.
Error ReadOnlyError(const App& app);

// POST /v1/commands/<kind> for every command in the catalogue.
void AddCommandRoutes(Router& router, App& app);
// Case, supervision, ledger, fairness, service and audit reads.
void AddViewRoutes(Router& router, App& app);
// The public notice: page, data formats, signing key (no token).
void AddNoticeRoutes(Router& router, App& app);
// GET /v1/cases/{case_id}/personal: recorded reads of personal data.
void AddPersonalRoute(Router& router, App& app);
// GET /v1/cases/{case_id}/documents[/{version}]: the centre's documents.
void AddDocumentRoutes(Router& router, App& app);
// /healthz, /readyz, /metrics, /openapi.json.
void AddOpsRoutes(Router& router, App& app);

// Every route of the API (what `aidtrail serve` runs and the OpenAPI
// document describes).
void AddAllRoutes(Router& router, App& app);

// The route name of a command kind: its field name in aidtrail.v1.Command.
std::string CommandRouteName(v1::Command::KindCase kind);

}  // namespace aidtrail::api
