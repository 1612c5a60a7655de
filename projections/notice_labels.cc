#include "projections/notice_labels.h"

#include "events/domain/matters.h"

namespace aidtrail::projections {

const std::vector<Label>& CategoryLabels() {
  static const std::vector<Label> v = {
      {"CASE_CATEGORY_CRIMINAL", "刑事", "Criminal"},
      {"CASE_CATEGORY_CIVIL", "民事", "Civil"},
      {"CASE_CATEGORY_ADMINISTRATIVE", "行政", "Administrative"},
      {"CASE_CATEGORY_NON_LITIGATION", "非诉讼", "Non-litigation"}};
  return v;
}

const std::vector<Label>& ChannelLabels() {
  static const std::vector<Label> v = {
      {"CHANNEL_WINDOW", "窗口申请", "Window"},
      {"CHANNEL_ONLINE", "网上申请", "Online"},
      {"CHANNEL_HOTLINE_12348", "12348热线", "12348 hotline"},
      {"CHANNEL_WORKSTATION", "工作站、联络点", "Workstation / contact point"},
      {"CHANNEL_POST", "邮寄", "Post"},
      {"CHANNEL_HOME_VISIT", "预约上门", "Home visit"},
      {"CHANNEL_DETENTION_FORWARD", "羁押场所转交", "Forwarded by a detention facility"},
      {"CHANNEL_TRANSFER_IN", "市域通办转入", "Transferred in (city-wide)"},
      {"CHANNEL_NOTIFICATION", "通知辩护/代理", "Notification by an authority"}};
  return v;
}

const std::vector<Label>& KeyGroupLabels() {
  static const std::vector<Label> v = {
      {"KEY_GROUP_MIGRANT_WORKER", "农民工", "Migrant workers"},
      {"KEY_GROUP_DISABLED", "残疾人", "Disabled people"},
      {"KEY_GROUP_ELDERLY", "老年人", "Elderly people"},
      {"KEY_GROUP_MINOR", "未成年人", "Minors"},
      {"KEY_GROUP_WOMAN", "妇女", "Women"},
      {"KEY_GROUP_MILITARY_FAMILY", "军人军属", "Military families"}};
  return v;
}

const std::vector<Label>& MatterTypeLabels() {
  static const std::vector<Label> v = [] {
    std::vector<Label> out;
    for (v1::MatterType t : domain::AllMatterTypes())
      out.push_back({v1::MatterType_Name(t), domain::MatterLabelZh(t), domain::MatterCode(t)});
    out.push_back({v1::MatterType_Name(v1::MATTER_TYPE_UNSPECIFIED), "未分类", "unclassified"});
    return out;
  }();
  return v;
}

const std::vector<Label>& DutyStationLabels() {
  static const std::vector<Label> v = {
      {"DUTY_STATION_COURT", "法院工作站", "Court"},
      {"DUTY_STATION_PROCURATORATE", "检察院工作站", "Procuratorate"},
      {"DUTY_STATION_DETENTION_CENTRE", "看守所工作站", "Detention centre"},
      {"DUTY_STATION_ARBITRATION", "劳动人事争议仲裁院工作站", "Labour arbitration"},
      {"DUTY_STATION_CENTRE", "法律援助中心", "Legal aid centre"}};
  return v;
}

const std::vector<Label>& ConsultationChannelLabels() {
  static const std::vector<Label> v = {
      {"CONSULTATION_CHANNEL_WALK_IN", "来访咨询", "Walk-in"},
      {"CONSULTATION_CHANNEL_PHONE_12348", "12348电话咨询", "12348 phone"},
      {"CONSULTATION_CHANNEL_ONLINE", "网络咨询", "Online"}};
  return v;
}

const std::vector<Label>& BudgetLineLabels() {
  static const std::vector<Label> v = {
      {"BUDGET_LINE_CASE_SUBSIDY", "办案补贴", "Case subsidies"},
      {"BUDGET_LINE_DUTY_SUBSIDY", "值班律师补贴", "Duty-lawyer subsidies"},
      {"BUDGET_LINE_CONSULTATION_SUBSIDY", "咨询补贴", "Consultation subsidies"},
      {"BUDGET_LINE_WORKING_COSTS", "工作经费", "Working costs"}};
  return v;
}

const std::vector<Label>& QualityGradeLabels() {
  static const std::vector<Label> v = {{"QUALITY_GRADE_EXCELLENT", "优秀", "Excellent"},
                                       {"QUALITY_GRADE_GOOD", "良好", "Good"},
                                       {"QUALITY_GRADE_PASS", "合格", "Pass"},
                                       {"QUALITY_GRADE_FAIL", "不合格", "Fail"}};
  return v;
}

const std::vector<Label>& CriminalStageLabels() {
  static const std::vector<Label> v = {
      {"CRIMINAL_STAGE_UNSPECIFIED", "", ""},
      {"CRIMINAL_STAGE_INVESTIGATION", "侦查阶段", "Investigation"},
      {"CRIMINAL_STAGE_PROSECUTION_REVIEW", "审查起诉阶段", "Prosecution review"},
      {"CRIMINAL_STAGE_TRIAL", "审判阶段", "Trial"},
      {"CRIMINAL_STAGE_DEATH_REVIEW", "死刑复核阶段", "Death-penalty review"}};
  return v;
}

Label LabelOf(const std::vector<Label>& labels, const std::string& key) {
  for (const auto& l : labels)
    if (l.key == key) return l;
  return {key, key, key};
}

}  // namespace aidtrail::projections
