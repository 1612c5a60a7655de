#include "api/json_print.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/strutil.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace aidtrail::api {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The printer's escaping: quote, backslash, control characters, and the
// characters it keeps out of HTML and JavaScript (<, >, U+2028, U+2029).
void AppendString(const std::string& s, std::string& out) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '<':
        out += "\\u003c";
        continue;
      case '>':
        out += "\\u003e";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    // U+2028 and U+2029: E2 80 A8 / E2 80 A9.
    if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
      i += 2;
      continue;
    }
    out += static_cast<char>(c);
  }
  out += '"';
}

void AppendDouble(double v, std::string& out) {
  if (v != v) {
    out += "\"NaN\"";
  } else if (v == std::numeric_limits<double>::infinity()) {
    out += "\"Infinity\"";
  } else if (v == -std::numeric_limits<double>::infinity()) {
    out += "\"-Infinity\"";
  } else {
    out += google::protobuf::SimpleDtoa(v);
  }
}

bool AppendMessage(const Message& m, bool proto_names, std::string& out);

// One value of `f` (the i-th when repeated, i < 0 when singular).
bool AppendValue(const Message& m, const FieldDescriptor* f, int i, bool proto_names,
                 std::string& out) {
  const Reflection* r = m.GetReflection();
  const bool rep = i >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      out += std::to_string(rep ? r->GetRepeatedInt32(m, f, i) : r->GetInt32(m, f));
      return true;
    case FieldDescriptor::CPPTYPE_UINT32:
      out += std::to_string(rep ? r->GetRepeatedUInt32(m, f, i) : r->GetUInt32(m, f));
      return true;
    case FieldDescriptor::CPPTYPE_INT64:
      out += '"' + std::to_string(rep ? r->GetRepeatedInt64(m, f, i) : r->GetInt64(m, f)) + '"';
      return true;
    case FieldDescriptor::CPPTYPE_UINT64:
      out += '"' + std::to_string(rep ? r->GetRepeatedUInt64(m, f, i) : r->GetUInt64(m, f)) + '"';
      return true;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendDouble(rep ? r->GetRepeatedDouble(m, f, i) : r->GetDouble(m, f), out);
      return true;
    case FieldDescriptor::CPPTYPE_FLOAT:
      return false;  // none in our schemas; the library prints floats its own way
    case FieldDescriptor::CPPTYPE_BOOL:
      out += (rep ? r->GetRepeatedBool(m, f, i) : r->GetBool(m, f)) ? "true" : "false";
      return true;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int v = rep ? r->GetRepeatedEnumValue(m, f, i) : r->GetEnumValue(m, f);
      if (const auto* e = f->enum_type()->FindValueByNumber(v))
        AppendString(e->name(), out);
      else
        out += std::to_string(v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s = rep ? r->GetRepeatedStringReference(m, f, i, &scratch)
                                 : r->GetStringReference(m, f, &scratch);
      if (f->type() == FieldDescriptor::TYPE_BYTES) {
        std::string b64;
        google::protobuf::Base64Escape(s, &b64);
        AppendString(b64, out);
      } else {
        AppendString(s, out);
      }
      return true;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return AppendMessage(rep ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f), proto_names,
                           out);
  }
  return false;
}

// A map entry's key, as the printer writes it: always a string.
bool AppendMapKey(const Message& entry, const FieldDescriptor* key, std::string& out) {
  const Reflection* r = entry.GetReflection();
  switch (key->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      AppendString(r->GetString(entry, key), out);
      return true;
    case FieldDescriptor::CPPTYPE_INT32:
      out += '"' + std::to_string(r->GetInt32(entry, key)) + '"';
      return true;
    case FieldDescriptor::CPPTYPE_INT64:
      out += '"' + std::to_string(r->GetInt64(entry, key)) + '"';
      return true;
    case FieldDescriptor::CPPTYPE_UINT32:
      out += '"' + std::to_string(r->GetUInt32(entry, key)) + '"';
      return true;
    case FieldDescriptor::CPPTYPE_UINT64:
      out += '"' + std::to_string(r->GetUInt64(entry, key)) + '"';
      return true;
    case FieldDescriptor::CPPTYPE_BOOL:
      out += r->GetBool(entry, key) ? "\"true\"" : "\"false\"";
      return true;
    default:
      return false;
  }
}

// The n-th field of `d` by number, from a table made once per type.
const FieldDescriptor* ByNumber(const google::protobuf::Descriptor* d, int n) {
  static std::mutex mu;
  static std::unordered_map<const google::protobuf::Descriptor*,
                            std::vector<const FieldDescriptor*>>
      tables;
  std::lock_guard lock(mu);
  auto& t = tables[d];
  if (t.empty()) {
    for (int i = 0; i < d->field_count(); ++i) t.push_back(d->field(i));
    std::sort(t.begin(), t.end(),
              [](const auto* a, const auto* b) { return a->number() < b->number(); });
  }
  return t[size_t(n)];
}

bool AppendMessage(const Message& m, bool proto_names, std::string& out) {
  const auto* d = m.GetDescriptor();
  if (d->file()->package() == "google.protobuf") {
    if (d->full_name() != "google.protobuf.Timestamp") return false;
    const auto& ts = static_cast<const google::protobuf::Timestamp&>(m);
    AppendString(google::protobuf::util::TimeUtil::ToString(ts), out);
    return true;
  }
  const Reflection* r = m.GetReflection();
  out += '{';
  bool first = true;
  // In field-number order, as the library prints (it reads the binary
  // form) — except that it writes a set singular Timestamp after all the
  // other fields, in number order again.
  for (const bool timestamps : {false, true}) {
    for (int n = 0; n < d->field_count(); ++n) {
      const FieldDescriptor* f = ByNumber(d, n);
      const bool repeated = f->is_repeated();
      const bool timestamp = !repeated && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                             f->message_type()->full_name() == "google.protobuf.Timestamp";
      if (timestamp != timestamps) continue;
      // Primitives are printed at their defaults; an unset message or oneof
      // member is not.
      if (!repeated &&
          (f->containing_oneof() != nullptr || f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) &&
          !r->HasField(m, f))
        continue;
      if (!first) out += ',';
      first = false;
      AppendString(proto_names ? f->name() : f->json_name(), out);
      out += ':';
      if (f->is_map()) {
        out += '{';
        const auto* key = f->message_type()->map_key();
        const auto* value = f->message_type()->map_value();
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          if (i > 0) out += ',';
          const Message& entry = r->GetRepeatedMessage(m, f, i);
          if (!AppendMapKey(entry, key, out)) return false;
          out += ':';
          if (!AppendValue(entry, value, -1, proto_names, out)) return false;
        }
        out += '}';
      } else if (repeated) {
        out += '[';
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          if (i > 0) out += ',';
          if (!AppendValue(m, f, i, proto_names, out)) return false;
        }
        out += ']';
      } else if (!AppendValue(m, f, -1, proto_names, out)) {
        return false;
      }
    }
  }
  out += '}';
  return true;
}

}  // namespace

bool PrintJson(const Message& message, bool proto_names, std::string& out) {
  return AppendMessage(message, proto_names, out);
}

}  // namespace aidtrail::api
