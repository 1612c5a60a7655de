// The centre's documents as printed pages (A4 HTML), rendered from the
// record only: the case's events up to the DocumentIssued, the names on
// the roster's streams, and the checkpoint the page was made at. Pure and
// deterministic: the same input gives the same bytes. Thread safety: none
// needed (no state).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aidtrail/v1/envelope.pb.h"
#include "events/core/result.h"

namespace aidtrail::api::document {

struct Input {
  std::string case_stream;          // "case/JM-2025-12"
  std::vector<v1::Event> timeline;  // the case's events, in order
  uint64_t document_version = 0;    // the DocumentIssued's stream version
  std::string centre_name;          // from the jurisdiction in force on the day of issue
  std::map<std::string, std::string> lawyer_names, firm_names;  // id -> registered name
  // The person the document names (the applicant, or the defendant of a
  // notified case), as the recorded read opened it; `person_masked` when
  // the reader's role sees masked values only.
  std::string person_name;
  bool person_masked = false;
  std::string access_stream;  // where the read was recorded
  uint64_t access_version = 0;
  uint64_t checkpoint_size = 0;  // the log checkpoint the page was rendered at
  std::string checkpoint_root_hex;
};

// The page; an error when `document_version` is not a DocumentIssued of
// the timeline or its basis event is missing.
Result<std::string> RenderHtml(const Input& in);

// The DocumentIssued at `version` of `timeline`, or nullptr.
const v1::Event* FindDocument(const std::vector<v1::Event>& timeline, uint64_t version);

}  // namespace aidtrail::api::document
