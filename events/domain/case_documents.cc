// Issuing the centre's documents: each states the latest recorded step of
// its kind, is issued once for that step by the role that took it, and
// takes the next number of its year and kind (documents.h).
#include <algorithm>

#include "events/domain/case_rules.h"
#include "events/domain/documents.h"

namespace aidtrail::domain::case_rules {
namespace {

// The latest of the steps `spec` can state, or 0.
uint64_t BasisVersion(const CaseState& s, const DocumentSpec& spec) {
  uint64_t v = 0;
  for (const auto k : spec.basis) {
    const auto it = s.last_version_of.find(int(k));
    if (it != s.last_version_of.end()) v = std::max(v, it->second);
  }
  return v;
}

std::string MissingStepZh(v1::DocumentKind kind) {
  switch (kind) {
    case v1::DOCUMENT_KIND_MATERIALS_NOTICE:
      return "本案没有登记补充材料要求";
    case v1::DOCUMENT_KIND_GRANT_DECISION:
      return "本案没有给予法律援助的审查决定";
    case v1::DOCUMENT_KIND_REFUSAL_DECISION:
      return "本案没有不予法律援助的审查决定";
    case v1::DOCUMENT_KIND_ASSIGNMENT_NOTICE:
    case v1::DOCUMENT_KIND_AUTHORITY_LETTER:
      return "本案尚未指派律师";
    case v1::DOCUMENT_KIND_REPLACEMENT_NOTICE:
      return "本案没有更换律师";
    case v1::DOCUMENT_KIND_TERMINATION_DECISION:
      return "本案没有终止法律援助的决定";
    default:
      return "";
  }
}

}  // namespace

Result<Decision> Documents(const Input& in) {
  const CaseState& s = in.state;
  const auto kind = in.cmd.issue_document().kind();
  const DocumentSpec* spec = FindDocumentSpec(kind);
  if (spec == nullptr)
    return InputError("document.kind", "choose which document to issue", "请选择要出具的文书种类",
                      "issue_document.kind");
  if (!s.Exists())
    return NotFoundError("case.not_found", "no case '" + in.cmd.stream_id() + "' has been recorded",
                         "未找到案件“" + in.cmd.stream_id() + "”");
  const v1::Role role = in.cmd.actor().role();
  if (std::find(spec->issuers.begin(), spec->issuers.end(), role) == spec->issuers.end())
    return MakeError(
        ErrorKind::kForbidden, "document.role",
        std::string("a ") + spec->title_en + " is issued by the role that took the step",
        std::string(spec->title_zh) + "应由作出该决定或办理该事项的岗位出具");
  const uint64_t basis = BasisVersion(s, *spec);
  if (basis == 0)
    return RuleError("document.no_basis",
                     std::string("nothing on the case for a ") + spec->title_en + " to state",
                     MissingStepZh(kind) + "，不能出具" + spec->title_zh);
  if (kind == v1::DOCUMENT_KIND_AUTHORITY_LETTER && !s.notification)
    return RuleError("document.not_notified",
                     "only a case notified by a court, procuratorate or police has an authority "
                     "to write to",
                     "本案不是办案机关通知辩护的案件，无需出具告知函");
  if (auto it = s.documents.find({int(kind), basis}); it != s.documents.end())
    return ConflictError(
        "document.issued",
        "this step's " + std::string(spec->title_en) + " was already issued as " + it->second,
        std::string("该事项的") + spec->title_zh + "已出具，文书编号" + it->second);
  const int year = in.day.year();
  const int serial = in.ctx.documents.Last(year, kind) + 1;
  v1::EventPayload e;
  auto* out = e.mutable_document_issued();
  out->set_kind(kind);
  out->set_year(year);
  out->set_serial(serial);
  out->set_number(
      DocumentNumber(in.ctx.policy.Jurisdiction(in.day).document_code(), *spec, year, serial));
  out->set_basis_version(basis);
  const std::string to = spec->addressee;
  if (to == "firm")
    out->set_addressee("firm:" + s.firm_id);
  else if (to == "authority")
    out->set_addressee("authority:" + s.notifying_authority);
  else
    out->set_addressee(to);
  const bool names_lawyer = kind == v1::DOCUMENT_KIND_ASSIGNMENT_NOTICE ||
                            kind == v1::DOCUMENT_KIND_AUTHORITY_LETTER ||
                            kind == v1::DOCUMENT_KIND_REPLACEMENT_NOTICE;
  if (names_lawyer) {
    out->set_lawyer_id(s.lawyer_id);
    out->set_firm_id(s.firm_id);
  }
  return One(std::move(e));
}

}  // namespace aidtrail::domain::case_rules
