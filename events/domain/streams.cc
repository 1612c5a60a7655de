#include "events/domain/streams.h"

namespace aidtrail::domain {

StreamKind KindOfStream(std::string_view id) {
  if (id == "policy") return StreamKind::kPolicy;
  const auto slash = id.find('/');
  if (slash == std::string_view::npos || slash + 1 == id.size()) return StreamKind::kUnknown;
  const std::string_view prefix = id.substr(0, slash);
  if (prefix == "case") return StreamKind::kCase;
  if (prefix == "lawyer") return StreamKind::kLawyer;
  if (prefix == "firm") return StreamKind::kFirm;
  if (prefix == "service") return StreamKind::kService;
  if (prefix == "budget") return StreamKind::kBudget;
  if (prefix == "access") return StreamKind::kAccess;
  return StreamKind::kUnknown;
}

std::string_view StreamKey(std::string_view id) {
  const auto slash = id.find('/');
  return slash == std::string_view::npos ? std::string_view{} : id.substr(slash + 1);
}

const char* StreamPrefix(StreamKind kind) {
  switch (kind) {
    case StreamKind::kCase: return "case/";
    case StreamKind::kLawyer: return "lawyer/";
    case StreamKind::kFirm: return "firm/";
    case StreamKind::kService: return "service/";
    case StreamKind::kBudget: return "budget/";
    case StreamKind::kPolicy: return "policy";
    case StreamKind::kAccess: return "access/";
    case StreamKind::kUnknown: break;
  }
  return "";
}

}  // namespace aidtrail::domain
