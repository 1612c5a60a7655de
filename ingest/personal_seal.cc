#include "ingest/personal_seal.h"

#include <map>
#include <vector>

#include "events/core/person_refs.h"

namespace aidtrail::ingest {

Status SealPersonal(v1::Command& command, const PersonalSealer& seal) {
  if (command.personal().empty()) return {};
  if (!seal)
    return MakeError(
        ErrorKind::kInvalidArgument, "command.personal_unsealed",
        "this writer has no key vault and cannot accept personal data; send the command without it "
        "or through a writer that has one",
        "本系统入口未配置个人信息密钥库，无法接收个人信息；请去掉个人信息后提交，或联系系统管理员",
        "personal");
  std::map<std::string, std::vector<v1::PersonRef*>> refs;
  ForEachPersonRef(command, [&](v1::PersonRef& p) { refs[p.subject_id()].push_back(&p); });
  // Check every entry before sealing any, so a refusal leaves no key behind.
  for (const auto& [subject, data] : command.personal())
    if (subject.empty() || !refs.contains(subject))
      return MakeError(
          ErrorKind::kInvalidArgument, "command.personal_unmatched",
          "personal data is given for subject '" + subject +
              "', who is not a person of this command",
          "个人信息对应的当事人编号“" + subject + "”不在本指令的当事人中，请核对当事人编号",
          "personal[" + subject + "]");
  std::map<std::string, std::string> sealed;
  for (const auto& [subject, data] : command.personal()) {
    Result<std::string> s = seal(subject, data);
    if (!s.ok()) return s.error();
    sealed[subject] = std::move(s).value();
  }
  for (auto& [subject, bytes] : sealed)
    for (v1::PersonRef* p : refs[subject]) p->set_sealed_personal(bytes);
  command.clear_personal();
  return {};
}

}  // namespace aidtrail::ingest
