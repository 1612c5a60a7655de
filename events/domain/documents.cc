#include "events/domain/documents.h"

#include <algorithm>

namespace aidtrail::domain {

namespace {
using P = v1::EventPayload;
}  // namespace

const std::vector<DocumentSpec>& DocumentSpecs() {
  static const std::vector<DocumentSpec> specs = {
      {v1::DOCUMENT_KIND_MATERIALS_NOTICE,
       "materials-notice",
       "补充材料通知书",
       "Notice to supply materials",
       "补",
       {P::kMaterialsRequested},
       {v1::ROLE_INTAKE, v1::ROLE_REVIEWER},
       "applicant"},
      {v1::DOCUMENT_KIND_GRANT_DECISION,
       "grant-decision",
       "给予法律援助决定书",
       "Decision to grant legal aid",
       "决",
       {P::kApplicationApproved},
       {v1::ROLE_REVIEWER},
       "applicant"},
      {v1::DOCUMENT_KIND_REFUSAL_DECISION,
       "refusal-decision",
       "不予法律援助决定书",
       "Decision to refuse legal aid",
       "不",
       {P::kApplicationRefused},
       {v1::ROLE_REVIEWER},
       "applicant"},
      // To the firm of the lawyer now assigned: after a replacement the new
      // lawyer's firm receives its own.
      {v1::DOCUMENT_KIND_ASSIGNMENT_NOTICE,
       "assignment-notice",
       "指派通知书",
       "Assignment notice to the law firm",
       "指",
       {P::kLawyerAssigned, P::kLawyerReplaced},
       {v1::ROLE_ASSIGNER},
       "firm"},
      // Art. 36: the court, procuratorate or police that notified the case
      // learns which lawyer acts.
      {v1::DOCUMENT_KIND_AUTHORITY_LETTER,
       "authority-letter",
       "法律援助律师告知函",
       "Letter to the notifying authority naming the lawyer",
       "函",
       {P::kLawyerAssigned, P::kLawyerReplaced},
       {v1::ROLE_ASSIGNER},
       "authority"},
      {v1::DOCUMENT_KIND_REPLACEMENT_NOTICE,
       "replacement-notice",
       "更换法律援助人员通知书",
       "Notice of a change of legal aid lawyer",
       "换",
       {P::kLawyerReplaced},
       {v1::ROLE_ASSIGNER},
       "applicant"},
      {v1::DOCUMENT_KIND_TERMINATION_DECISION,
       "termination-decision",
       "终止法律援助决定书",
       "Decision to terminate legal aid",
       "终",
       {P::kAidTerminated},
       {v1::ROLE_REVIEWER, v1::ROLE_SUPERVISOR},
       "applicant"},
  };
  return specs;
}

const DocumentSpec* FindDocumentSpec(v1::DocumentKind kind) {
  for (const auto& s : DocumentSpecs())
    if (s.kind == kind) return &s;
  return nullptr;
}

const DocumentSpec* FindDocumentSpec(const std::string& slug) {
  for (const auto& s : DocumentSpecs())
    if (slug == s.slug) return &s;
  return nullptr;
}

std::string DocumentNumber(const std::string& code, const DocumentSpec& spec, int year,
                           int serial) {
  return (code.empty() ? std::string("法援") : code) + spec.code_char + "字〔" +
         std::to_string(year) + "〕第" + std::to_string(serial) + "号";
}

bool DocumentRegister::Apply(const v1::Event& event) {
  if (!event.payload().has_document_issued()) return false;
  const auto& d = event.payload().document_issued();
  int& last = last_[{d.year(), int(d.kind())}];
  last = std::max(last, d.serial());
  return true;
}

int DocumentRegister::Last(int year, v1::DocumentKind kind) const {
  const auto it = last_.find({year, int(kind)});
  return it == last_.end() ? 0 : it->second;
}

void DocumentRegister::Export(v1::SharedStateSnapshot& out) const {
  for (const auto& [key, last] : last_) {
    auto* s = out.add_document_serials();
    s->set_year(key.first);
    s->set_kind(key.second);
    s->set_last(last);
  }
}

void DocumentRegister::Import(const v1::SharedStateSnapshot& in) {
  last_.clear();
  for (const auto& s : in.document_serials()) last_[{s.year(), s.kind()}] = s.last();
}

}  // namespace aidtrail::domain
