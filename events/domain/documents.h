// The centre's formal documents (法律文书): which recorded step each kind
// states, who issues it, to whom, and the register that numbers them per
// year and kind. Rendering them is the API's (api/document/); what a
// document says comes from the case's events only.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "aidtrail/v1/envelope.pb.h"
#include "aidtrail/v1/writer_state.pb.h"

namespace aidtrail::domain {

struct DocumentSpec {
  v1::DocumentKind kind;
  const char* slug;       // in URLs and file names: "grant-decision"
  const char* title_zh;   // 给予法律援助决定书
  const char* title_en;   // Decision to grant legal aid
  const char* code_char;  // the number's kind character: 决 in 江蓬法援决字〔2025〕第3号
  // The steps it can state; the latest of them on the case is its basis.
  std::vector<v1::EventPayload::KindCase> basis;
  std::vector<v1::Role> issuers;
  const char* addressee;  // "applicant", "firm" or "authority"
};

// Every kind, in the order a case meets them.
const std::vector<DocumentSpec>& DocumentSpecs();
// nullptr for DOCUMENT_KIND_UNSPECIFIED or an unknown value.
const DocumentSpec* FindDocumentSpec(v1::DocumentKind kind);
const DocumentSpec* FindDocumentSpec(const std::string& slug);

// 江蓬法援决字〔2025〕第3号; `code` empty gives 法援.
std::string DocumentNumber(const std::string& code, const DocumentSpec& spec, int year, int serial);

// The last serial issued per year and kind, folded from DocumentIssued on
// any case stream. The fold is a maximum, so it commutes across partitions.
// Thread safety: none (one writer owns it, inside its Model).
class DocumentRegister {
 public:
  // Returns whether the event changed the register.
  bool Apply(const v1::Event& event);
  [[nodiscard]] int Last(int year, v1::DocumentKind kind) const;

  void Export(v1::SharedStateSnapshot& out) const;
  void Import(const v1::SharedStateSnapshot& in);

 private:
  std::map<std::pair<int, int>, int> last_;  // (year, kind) -> serial
};

}  // namespace aidtrail::domain
