#include "events/domain/identifiers.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <string>

#include "events/domain/decision.h"
#include "events/domain/streams.h"

namespace aidtrail::domain {
namespace {

namespace pb = google::protobuf;

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// How an id is shown in a message: control characters and very long values
// would make the message itself unreadable, and a cut through a multi-byte
// character would make it invalid UTF-8, so anything but printable ASCII
// shows as '?'.
std::string Shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 40) out += "…（共" + std::to_string(s.size()) + "字节）";
  return out;
}

enum class Grammar { kKey, kStream, kKeyOrStream, kCommandId };

// Which grammar a string field of a command follows, by its name; nullopt
// for free text (notes, reasons, names of things).
std::optional<Grammar> GrammarOf(const pb::FieldDescriptor& f) {
  const std::string_view name = f.name();
  if (name == "stream_id" || name == "case_stream_id") return Grammar::kStream;
  if (name == "case_id") return Grammar::kKeyOrStream;
  if (name == "command_id" || name == "correlation_id" || name == "batch_id" ||
      name == "event_id" || name == "causation_id")
    return Grammar::kCommandId;
  if (name == "station_code") return Grammar::kKey;
  if (name.size() > 3 && name.substr(name.size() - 3) == "_id") return Grammar::kKey;
  // Actor.id
  if (name == "id" && f.containing_type() == v1::Actor::descriptor()) return Grammar::kKey;
  return std::nullopt;
}

bool Matches(Grammar g, std::string_view v) {
  switch (g) {
    case Grammar::kKey:
      return IsKey(v);
    case Grammar::kStream:
      return IsStreamId(v);
    case Grammar::kKeyOrStream:
      return IsKey(v) || IsStreamId(v);
    case Grammar::kCommandId:
      return IsCommandId(v);
  }
  return false;
}

const char* RuleEn(Grammar g) {
  switch (g) {
    case Grammar::kKey:
    case Grammar::kKeyOrStream:
      return "up to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit";
    case Grammar::kStream:
      return "policy, or case/, lawyer/, firm/, service/, budget/ or access/ followed by up to 64 "
             "ASCII letters, digits, '.', '_' or '-'";
    case Grammar::kCommandId:
      return "1 to 128 printable ASCII characters without spaces";
  }
  return "";
}

const char* RuleZh(Grammar g) {
  switch (g) {
    case Grammar::kKey:
    case Grammar::kKeyOrStream:
      return "编号只能由英文字母、数字和“.”“_”“-”组成，以字母或数字开头，最长64个字符";
    case Grammar::kStream:
      return "记录编号应为 policy，或 case/、lawyer/、firm/、service/、budget/、access/ "
             "后接最长64个英文字母、数字或“.”“_”“-”";
    case Grammar::kCommandId:
      return "指令编号应为1至128个可打印英文字符，不含空格";
  }
  return "";
}

Error Refused(Grammar g, const std::string& path, std::string_view value) {
  return InputError("command.bad_identifier",
                    path + " '" + Shown(value) + "' is not a valid identifier: " + RuleEn(g),
                    "“" + path + "”的值“" + Shown(value) + "”不是有效编号：" + RuleZh(g), path);
}

Status CheckMessage(const pb::Message& m, const std::string& prefix) {
  const pb::Reflection* r = m.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    const std::string path = prefix.empty() ? std::string(f->name()) : prefix + "." + f->name();
    if (f->is_map()) continue;  // personal data, keyed by subject ids checked on the refs
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i)
          if (Status s = CheckMessage(r->GetRepeatedMessage(m, f, i), path); !s) return s;
      } else if (Status s = CheckMessage(r->GetMessage(m, f), path); !s) {
        return s;
      }
      continue;
    }
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING ||
        f->type() == pb::FieldDescriptor::TYPE_BYTES)
      continue;
    const std::optional<Grammar> g = GrammarOf(*f);
    if (!g) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        const std::string v = r->GetRepeatedString(m, f, i);
        if (!Matches(*g, v)) return Refused(*g, path, v);
      }
    } else {
      const std::string v = r->GetString(m, f);
      if (!v.empty() && !Matches(*g, v)) return Refused(*g, path, v);
    }
  }
  return {};
}

}  // namespace

bool IsKey(std::string_view s) {
  if (s.empty() || s.size() > kMaxKeyLength || !IsAlnum(s.front())) return false;
  for (char c : s)
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

bool IsStreamId(std::string_view s) {
  if (s == "policy") return true;
  const StreamKind kind = KindOfStream(s);
  return kind != StreamKind::kUnknown && kind != StreamKind::kPolicy && IsKey(StreamKey(s));
}

bool IsCommandId(std::string_view s) {
  if (s.empty() || s.size() > kMaxCommandIdLength) return false;
  for (char c : s)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

Status CheckCommandId(std::string_view id, std::string_view field) {
  if (IsCommandId(id)) return {};
  return Refused(Grammar::kCommandId, std::string(field), id);
}

Status CheckIdentifiers(const v1::Command& c) {
  // The stream id first: it names the record everything else belongs to.
  // (A missing one is the envelope's error: command.wrong_stream.)
  if (!c.stream_id().empty() && !IsStreamId(c.stream_id()))
    return Refused(Grammar::kStream, "stream_id", c.stream_id());
  return CheckMessage(c, "");
}

}  // namespace aidtrail::domain
