#include "events/domain/matters.h"

#include <array>

namespace aidtrail::domain {
namespace {

struct Matter {
  v1::MatterType type;
  const char* code;
  const char* label_zh;
};

constexpr std::array<Matter, 18> kMatters = {{
    {v1::MATTER_TYPE_WAGES, "wage-arrears", "欠薪/劳动报酬"},
    {v1::MATTER_TYPE_WORK_INJURY, "work-injury", "工伤"},
    {v1::MATTER_TYPE_PERSONAL_INJURY, "personal-injury", "人身损害"},
    {v1::MATTER_TYPE_MEDICAL_ACCIDENT, "medical-accident", "医疗事故"},
    {v1::MATTER_TYPE_SOCIAL_SECURITY, "social-security", "社会保障"},
    {v1::MATTER_TYPE_LABOUR_DISPUTE, "labour-dispute", "劳动争议"},
    {v1::MATTER_TYPE_MARRIAGE_FAMILY, "family", "婚姻家庭"},
    {v1::MATTER_TYPE_SUPPORT_MAINTENANCE, "support", "赡养抚养扶养"},
    {v1::MATTER_TYPE_BEREAVEMENT_PENSION, "pension", "抚恤金"},
    {v1::MATTER_TYPE_CONTRACT, "contract", "合同纠纷"},
    {v1::MATTER_TYPE_TORT, "tort", "其他侵权"},
    {v1::MATTER_TYPE_TRAFFIC_ACCIDENT, "traffic-accident", "交通事故"},
    {v1::MATTER_TYPE_PROPERTY, "property", "房屋土地"},
    {v1::MATTER_TYPE_STATE_COMPENSATION, "state-compensation", "国家赔偿"},
    {v1::MATTER_TYPE_CRIMINAL_DEFENCE, "defence", "刑事辩护"},
    {v1::MATTER_TYPE_CRIMINAL_VICTIM, "victim", "刑事被害人"},
    {v1::MATTER_TYPE_ADMINISTRATIVE, "administrative", "行政争议"},
    {v1::MATTER_TYPE_OTHER, "other", "其他"},
}};

const Matter* Find(v1::MatterType t) {
  for (const Matter& m : kMatters)
    if (m.type == t) return &m;
  return nullptr;
}

}  // namespace

v1::MatterType MatterTypeFromText(std::string_view text) {
  for (const Matter& m : kMatters)
    if (text == m.code || text == m.label_zh) return m.type;
  return v1::MATTER_TYPE_UNSPECIFIED;
}

v1::MatterType MatterTypeOf(const v1::ApplicationReceived& a) {
  return a.matter_type() != v1::MATTER_TYPE_UNSPECIFIED ? a.matter_type()
                                                        : MatterTypeFromText(a.matter());
}

const char* MatterCode(v1::MatterType t) {
  const Matter* m = Find(t);
  return m ? m->code : "";
}

const char* MatterLabelZh(v1::MatterType t) {
  const Matter* m = Find(t);
  return m ? m->label_zh : "未分类";
}

std::vector<v1::MatterType> AllMatterTypes() {
  std::vector<v1::MatterType> out;
  for (const Matter& m : kMatters) out.push_back(m.type);
  return out;
}

std::string MatterChoices() {
  std::string out;
  for (const Matter& m : kMatters) {
    if (!out.empty()) out += ", ";
    out += std::string(m.code) + "（" + m.label_zh + "）";
  }
  return out;
}

}  // namespace aidtrail::domain
