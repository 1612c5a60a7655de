#include "events/domain/access.h"

#include <algorithm>
#include <set>

#include "events/domain/streams.h"

namespace aidtrail::domain {
namespace {

// The fields of PersonalData, by name: a read names which of them it showed.
bool IsPersonalField(const std::string& name) {
  return v1::PersonalData::descriptor()->FindFieldByName(name) != nullptr;
}

}  // namespace

Result<Decision> DecideAccess(const v1::Command& c, const CaseState* state) {
  if (c.kind_case() != v1::Command::kRecordPersonalDataAccess)
    return InputError("access.command",
                      "only reads of personal data are recorded on an access stream",
                      "个人信息查阅记录只能登记查阅事项", "stream_id");
  v1::PersonalDataAccessed x = c.record_personal_data_access();
  const std::string case_stream = "case/" + std::string(StreamKey(c.stream_id()));
  if (x.case_stream_id().empty()) x.set_case_stream_id(case_stream);
  if (x.case_stream_id() != case_stream)
    return InputError("access.case_mismatch",
                      "case_stream_id '" + x.case_stream_id() + "' is not the case of stream '" +
                          c.stream_id() + "'",
                      "查阅记录“" + c.stream_id() + "”与所填案件“" + x.case_stream_id() + "”不一致",
                      "record_personal_data_access.case_stream_id");
  if (state == nullptr || !state->Exists())
    return NotFoundError("access.unknown_case", "no case '" + case_stream + "' has been recorded",
                         "未找到案件“" + case_stream + "”，无法登记对其个人信息的查阅");
  if (x.subject_id().empty())
    return InputError("access.no_subject", "name whose personal data was read (subject_id)",
                      "请填写被查阅个人信息的当事人编号", "record_personal_data_access.subject_id");
  if (std::find(state->subject_ids.begin(), state->subject_ids.end(), x.subject_id()) ==
      state->subject_ids.end())
    return RuleError("access.unknown_subject",
                     "'" + x.subject_id() + "' is not a person of " + case_stream,
                     "当事人“" + x.subject_id() + "”不是本案当事人，不能以本案名义查阅其个人信息",
                     "record_personal_data_access.subject_id");
  if (x.purpose().empty())
    return InputError("access.no_purpose", "say why the personal data is read (purpose)",
                      "查阅个人信息须写明用途", "record_personal_data_access.purpose");
  if (x.fields().empty())
    return InputError("access.no_fields", "name the fields read: name, id_number, phone or address",
                      "请注明查阅了哪些信息（姓名、身份证号、电话、住址）",
                      "record_personal_data_access.fields");
  std::set<std::string> seen;
  for (const std::string& f : x.fields()) {
    if (!IsPersonalField(f))
      return InputError(
          "access.unknown_field",
          "'" + f + "' is not a personal data field (name, id_number, phone, address)",
          "“" + f + "”不是个人信息项（应为 name、id_number、phone 或 address）",
          "record_personal_data_access.fields");
    if (!seen.insert(f).second)
      return InputError("access.duplicate_field", "field '" + f + "' is named twice",
                        "信息项“" + f + "”重复", "record_personal_data_access.fields");
  }
  // A lawyer sees the people of the cases assigned to them, no others.
  if (c.actor().role() == v1::ROLE_LAWYER && c.actor().id() != state->lawyer_id)
    return MakeError(ErrorKind::kForbidden, "access.not_own_case",
                     "a lawyer may read personal data only on a case assigned to them",
                     "律师只能查阅本人承办案件当事人的个人信息");
  Decision d;
  *d.events.emplace_back().mutable_personal_data_accessed() = std::move(x);
  return d;
}

}  // namespace aidtrail::domain
