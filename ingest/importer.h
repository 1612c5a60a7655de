// Importers for historical cases and partner feeds. Every row goes through
// the command pipeline like any clerk's command — the same rules, the same
// log — as one atomic batch. A rejected row is written to the reject report
// with its reason; nothing is dropped silently, and re-running an import
// adds nothing twice (batch ids are derived from the rows).
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "ingest/pipeline.h"

namespace aidtrail::ingest {

struct ImportStats {
  uint64_t rows = 0;
  uint64_t imported = 0;
  uint64_t already_imported = 0;  // re-run of the same row
  uint64_t rejected = 0;
};

// Every imported command is marked a migration (Command.migration: its
// batch, `run_by`, the source file): history recorded now and dated when it
// happened, which the business-time rules accept as such, never as a late
// entry. `run_by` names whoever ran the import.

// JSONL: one aidtrail.v1.ImportBatch per line in the protobuf JSON mapping.
Result<ImportStats> ImportJsonl(Pipeline& pipeline, std::istream& in,
                                const std::string& source_name, std::ostream& rejects,
                                const std::string& run_by = "import");

// CSV (UTF-8, header row, RFC 4180 quoting) of historical cases; see
// ingest/README.md for the columns. Each row becomes application, review,
// assignment and closure commands as far as the row goes.
Result<ImportStats> ImportCasesCsv(Pipeline& pipeline, std::istream& in, std::ostream& rejects,
                                   const std::string& run_by = "import",
                                   const std::string& source_name = "csv");

// The reject report's header; a UTF-8 BOM first so spreadsheet programs
// read the Chinese reasons correctly.
void WriteRejectHeader(std::ostream& rejects);

}  // namespace aidtrail::ingest
