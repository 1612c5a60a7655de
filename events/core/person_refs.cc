#include "events/core/person_refs.h"

#include <vector>

namespace aidtrail {

void ForEachPersonRef(google::protobuf::Message& m,
                      const std::function<void(v1::PersonRef&)>& visit) {
  using google::protobuf::FieldDescriptor;
  if (m.GetDescriptor() == v1::PersonRef::descriptor()) {
    // Generated messages only: a DynamicMessage PersonRef is not a v1::PersonRef.
    if (auto* ref = dynamic_cast<v1::PersonRef*>(&m)) visit(*ref);
    return;
  }
  const google::protobuf::Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);  // only fields that are set
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i)
        ForEachPersonRef(*r->MutableRepeatedMessage(&m, f, i), visit);
    } else {
      ForEachPersonRef(*r->MutableMessage(&m, f), visit);
    }
  }
}

}  // namespace aidtrail
