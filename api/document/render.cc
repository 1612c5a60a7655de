#include "api/document/render.h"

#include "api/html_escape.h"
#include "events/core/civil_date.h"
#include "events/core/hash_chain.h"
#include "events/core/types.h"
#include "events/domain/documents.h"
#include "events/domain/matters.h"
#include "projections/notice_labels.h"

namespace aidtrail::api::document {
namespace {

using projections::CategoryLabels;
using projections::CriminalStageLabels;
using projections::LabelOf;

std::string Esc(const std::string& s) { return HtmlEscape(s); }

std::string DateZh(const google::protobuf::Timestamp& t) {
  // "2025-03-04" -> 2025年3月4日
  const std::string iso = CivilDate::Of(Instant::FromProto(t)).ToString();
  return iso.substr(0, 4) + "年" + std::to_string(std::stoi(iso.substr(5, 2))) + "月" +
         std::to_string(std::stoi(iso.substr(8, 2))) + "日";
}

std::string RefusalZh(v1::RefusalReason r) {
  switch (r) {
    case v1::REFUSAL_REASON_HARDSHIP_NOT_MET:
      return "经济困难状况不符合法律援助条件";
    case v1::REFUSAL_REASON_OUT_OF_JURISDICTION:
      return "不属于本机构受理范围";
    case v1::REFUSAL_REASON_NOT_LEGAL_AID_MATTER:
      return "不属于法律援助事项范围";
    default:
      return "不符合法律援助条件";
  }
}

std::string TerminationZh(v1::TerminationGround g) {
  switch (g) {
    case v1::TERMINATION_GROUND_FRAUD:
      return "以欺骗或者其他不正当手段获得法律援助";
    case v1::TERMINATION_GROUND_CONCEALMENT:
      return "故意隐瞒重要事实或者提供虚假证据";
    case v1::TERMINATION_GROUND_ILLEGAL_PURPOSE:
      return "利用法律援助从事违法活动";
    case v1::TERMINATION_GROUND_NO_LONGER_QUALIFIES:
      return "受援人的经济状况发生变化，不再符合法律援助条件";
    case v1::TERMINATION_GROUND_MATTER_ENDED:
      return "案件终止审理或者已被撤销";
    case v1::TERMINATION_GROUND_OWN_LAWYER:
      return "受援人自行委托律师或者其他代理人";
    case v1::TERMINATION_GROUND_RECIPIENT_REQUEST:
      return "受援人有正当理由要求终止法律援助";
    case v1::TERMINATION_GROUND_FALSE_COMMITMENT:
      return "受援人承诺的经济困难状况不实";
    case v1::TERMINATION_GROUND_REFUSED_AFTER_AID_FIRST:
      return "先行提供法律援助后经审查不符合法律援助条件";
    default:
      return "法律法规规定的其他情形";
  }
}

std::string ReplacementZh(v1::ReplacementReason r) {
  switch (r) {
    case v1::REPLACEMENT_REASON_RECIPIENT_REQUEST:
      return "受援人申请更换";
    case v1::REPLACEMENT_REASON_LAWYER_UNABLE:
      return "原承办律师无法继续承办";
    case v1::REPLACEMENT_REASON_CONFLICT_OF_INTEREST:
      return "原承办律师存在利益冲突";
    case v1::REPLACEMENT_REASON_COMPLAINT_UPHELD:
      return "对原承办律师的投诉经查属实";
    case v1::REPLACEMENT_REASON_LAWYER_SUSPENDED:
      return "原承办律师被暂停承办法律援助案件";
    default:
      return "工作需要";
  }
}

std::string ApprovalBasisZh(const v1::ApplicationApproved& a) {
  switch (a.basis()) {
    case v1::APPROVAL_BASIS_NO_CONDITION:
      return "依据《中华人民共和国法律援助法》第三十二条，不受经济困难条件的限制";
    case v1::APPROVAL_BASIS_EXEMPT:
      return "依据《中华人民共和国法律援助法》第四十二条及本地免予核查经济困难状况的规定，"
             "免予核查经济困难状况";
    case v1::APPROVAL_BASIS_COMMITMENT:
      return "申请人已就经济困难状况作出书面承诺";
    default:
      return "申请人经济困难状况符合法律援助条件";
  }
}

const char* kStyle = R"(
@page { size: A4; margin: 25mm 26mm 25mm 28mm }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; font-size: 14pt;
       color: #000; max-width: 160mm; margin: 0 auto; line-height: 1.8 }
.centre { text-align: center; font-size: 20pt; letter-spacing: 2pt; margin: 0 }
h1 { text-align: center; font-size: 22pt; letter-spacing: 4pt; margin: 2mm 0 4mm }
.number { text-align: right; margin: 0 0 6mm }
p { margin: 0 0 2mm; text-indent: 2em }
p.to { text-indent: 0 }
ol { margin: 0 0 2mm 2em }
.sign { text-align: right; margin-top: 14mm }
.record { border-top: 0.5pt solid #000; margin-top: 14mm; padding-top: 2mm; font-size: 8.5pt;
          line-height: 1.4; break-inside: avoid }
.record p { text-indent: 0; margin: 0 }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all }
@media screen { body { padding: 10mm } }
)";

struct Page {
  std::string body;
  void P(const std::string& html) { body += "<p>" + html + "</p>\n"; }
};

// A value the page shows, marked so a reader (and the browser test) can
// find it: <span data-f="lawyer">张明</span>.
std::string F(const std::string& key, const std::string& text) {
  return "<span data-f=\"" + key + "\">" + Esc(text) + "</span>";
}

const v1::Event* AtVersion(const std::vector<v1::Event>& timeline, uint64_t version) {
  for (const auto& e : timeline)
    if (e.stream_version() == version) return &e;
  return nullptr;
}

template <typename Pred>
const v1::Event* FirstOf(const std::vector<v1::Event>& timeline, uint64_t upto, Pred pred) {
  for (const auto& e : timeline)
    if (e.stream_version() <= upto && pred(e.payload())) return &e;
  return nullptr;
}

std::string NameOr(const std::map<std::string, std::string>& names, const std::string& id) {
  const auto it = names.find(id);
  return it == names.end() || it->second.empty() ? id : it->second;
}

}  // namespace

const v1::Event* FindDocument(const std::vector<v1::Event>& timeline, uint64_t version) {
  const v1::Event* e = AtVersion(timeline, version);
  return e && e->payload().has_document_issued() ? e : nullptr;
}

Result<std::string> RenderHtml(const Input& in) {
  const v1::Event* doc_event = FindDocument(in.timeline, in.document_version);
  if (doc_event == nullptr)
    return MakeError(ErrorKind::kNotFound, "document.not_found",
                     "no document at version " + std::to_string(in.document_version),
                     "该案件没有这份文书", "version");
  const v1::DocumentIssued& doc = doc_event->payload().document_issued();
  const domain::DocumentSpec* spec = domain::FindDocumentSpec(doc.kind());
  const v1::Event* basis = AtVersion(in.timeline, doc.basis_version());
  if (spec == nullptr || basis == nullptr)
    return MakeError(ErrorKind::kCorruption, "document.basis_missing",
                     "the step this document states is not on the case's timeline",
                     "文书所依据的记录缺失", "version");
  const uint64_t upto = in.document_version;
  const v1::Event* receipt = FirstOf(in.timeline, upto, [](const v1::EventPayload& p) {
    return p.has_application_received() || p.has_criminal_notification_received();
  });
  const bool notified = receipt && receipt->payload().has_criminal_notification_received();
  const std::string centre = in.centre_name.empty() ? "法律援助机构" : in.centre_name;
  const std::string person = in.person_name.empty() ? "（当事人）" : in.person_name;
  const std::string person_html = F("person", person);
  const std::string received_on = receipt ? DateZh(receipt->occurred_at()) : "";
  std::string matter;
  std::string category;
  if (receipt && receipt->payload().has_application_received()) {
    const auto& a = receipt->payload().application_received();
    category = LabelOf(CategoryLabels(), v1::CaseCategory_Name(a.category())).zh;
    const auto type = domain::MatterTypeOf(a);
    matter = type != v1::MATTER_TYPE_UNSPECIFIED ? domain::MatterLabelZh(type) : a.matter();
  } else if (notified) {
    const auto& n = receipt->payload().criminal_notification_received();
    category = LabelOf(CategoryLabels(), "CASE_CATEGORY_CRIMINAL").zh;
    matter = n.charge().empty() ? "刑事辩护" : n.charge() + "（刑事辩护）";
  }
  const std::string lawyer = NameOr(in.lawyer_names, doc.lawyer_id());
  const std::string firm = NameOr(in.firm_names, doc.firm_id());
  const std::string objection =
      "如对本决定有异议，可以依据《中华人民共和国法律援助法》第四十九条的规定，"
      "向设立本机构的司法行政部门提出。";

  Page page;
  std::string to;  // the addressee line
  const v1::EventPayload& b = basis->payload();
  switch (doc.kind()) {
    case v1::DOCUMENT_KIND_MATERIALS_NOTICE: {
      to = person_html;
      page.P("你于" + F("received", received_on) + "提出的法律援助申请（" + F("matter", matter) +
             "），经审查，申请材料不齐全。依据《中华人民共和国法律援助法》第四十三条的规定，"
             "现一次性告知你补充以下材料：");
      page.body += "<ol data-f=\"items\">\n";
      for (const auto& item : b.materials_requested().items())
        page.body += "<li>" + Esc(item) + "</li>\n";
      page.body += "</ol>\n";
      if (!b.materials_requested().note().empty()) page.P(Esc(b.materials_requested().note()));
      page.P("未按要求补充材料或者作出说明的，视为撤回申请。");
      break;
    }
    case v1::DOCUMENT_KIND_GRANT_DECISION:
      to = person_html;
      page.P("你于" + F("received", received_on) + "提出的法律援助申请（" + F("matter", matter) +
             "），经审查，" + Esc(ApprovalBasisZh(b.application_approved())) +
             "，符合法律援助条件。依据《中华人民共和国法律援助法》第四十三条的规定，本机构决定"
             "给予法律援助，并将自本决定作出之日起三日内指派法律援助人员为你提供法律援助。");
      page.P(
          "请你如实陈述与法律援助事项有关的情况，及时提供证据材料，协助、配合法律援助人员"
          "办理法律援助事项；你的经济状况等情况发生变化的，应当及时告知本机构。");
      break;
    case v1::DOCUMENT_KIND_REFUSAL_DECISION: {
      const auto& r = b.application_refused();
      to = person_html;
      page.P("你于" + F("received", received_on) + "提出的法律援助申请（" + F("matter", matter) +
             "），经审查，" + F("reason", RefusalZh(r.reason())) +
             (r.written_reasons().empty() ? "" : "：" + F("reasons", r.written_reasons())) +
             "。依据《中华人民共和国法律援助法》第四十三条的规定，本机构决定不予法律援助。");
      page.P(objection);
      break;
    }
    case v1::DOCUMENT_KIND_ASSIGNMENT_NOTICE:
      to = F("firm", firm);
      page.P(std::string(notified ? "根据办案机关的通知" : "经审查") + "，本机构决定为" +
             person_html + "（" + F("matter", matter) + "，案件编号" +
             F("case", in.case_stream.substr(in.case_stream.find('/') + 1)) +
             "）提供法律援助，现指派你所" + F("lawyer", lawyer) + "律师承办。");
      page.P(
          "请你所督促承办律师及时与受援人签订委托协议，依法履行法律援助义务，"
          "并按规定报告办理情况、提交结案材料。");
      break;
    case v1::DOCUMENT_KIND_AUTHORITY_LETTER: {
      const auto& n = receipt->payload().criminal_notification_received();
      to = F("authority", n.authority());
      page.P("你单位于" + F("received", received_on) + "通知本机构为" + person_html +
             (n.charge().empty() ? "" : "（涉嫌" + Esc(n.charge()) + "）") +
             "指派辩护律师。依据《中华人民共和国法律援助法》第三十六条的规定，本机构已指派" +
             F("firm", firm) + F("lawyer", lawyer) + "律师担任其辩护人。");
      page.P("特此函告。");
      break;
    }
    case v1::DOCUMENT_KIND_REPLACEMENT_NOTICE: {
      const auto& r = b.lawyer_replaced();
      to = person_html;
      page.P("因" + F("reason", ReplacementZh(r.reason())) +
             "，本机构决定更换为你提供法律援助的"
             "人员：原承办律师" +
             F("previous", NameOr(in.lawyer_names, r.previous_lawyer_id())) + "不再承办，现指派" +
             F("firm", firm) + F("lawyer", lawyer) + "律师承办。");
      if (r.criminal_stage() != v1::CRIMINAL_STAGE_UNSPECIFIED)
        page.P("更换时案件所处诉讼阶段：" +
               F("stage",
                 LabelOf(CriminalStageLabels(), v1::CriminalStage_Name(r.criminal_stage())).zh) +
               "。");
      page.P("新承办律师将与你联系并签订委托协议，请予配合。");
      break;
    }
    case v1::DOCUMENT_KIND_TERMINATION_DECISION: {
      const auto& t = b.aid_terminated();
      to = person_html;
      page.P("本机构为你提供的法律援助（" + F("matter", matter) + "），因" +
             F("reason", TerminationZh(t.ground())) +
             (t.reasons().empty() ? "" : "：" + F("reasons", t.reasons())) +
             "。依据《中华人民共和国法律援助法》第四十八条的规定，本机构决定终止法律援助。");
      page.P(objection);
      break;
    }
    default:
      return MakeError(ErrorKind::kCorruption, "document.kind", "unknown document kind",
                       "未知的文书种类", "version");
  }

  const auto Ref = [](const char* zh, const v1::Event& e) {
    return std::string("<p>") + zh + "：第 " + std::to_string(e.stream_version()) + " 条 <code>" +
           HtmlEscape(e.event_id()) + "</code> SHA-256 <code>" + ToHex(e.hash()) + "</code></p>\n";
  };
  std::string h = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n<title>" +
                  Esc(spec->title_zh) + " " + Esc(doc.number()) + "</title>\n<style>" + kStyle +
                  "</style></head>\n<body data-kind=\"" + spec->slug + "\">\n";
  h += "<p class=\"centre\" data-f=\"centre\">" + Esc(centre) + "</p>\n";
  h += "<h1 data-f=\"title\">" + Esc(spec->title_zh) + "</h1>\n";
  h += "<p class=\"number\" data-f=\"number\">" + Esc(doc.number()) + "</p>\n";
  h += "<p class=\"to\">" + to + "：</p>\n" + page.body;
  h += "<p class=\"sign\">" + Esc(centre) + "<br><span data-f=\"issued\">" +
       DateZh(doc_event->occurred_at()) + "</span></p>\n";
  h += "<div class=\"record\">\n<p>本文书依据法律援助记录生成 Rendered from the record: 案件 <code "
       "data-f=\"stream\">" +
       Esc(in.case_stream) + "</code></p>\n";
  h += Ref("所依据的记录 Basis", *basis);
  h += Ref("出具记录 Issued", *doc_event);
  h += "<p>日志检查点 Checkpoint：记录数 <code data-f=\"checkpoint-size\">" +
       std::to_string(in.checkpoint_size) + "</code> Merkle 根 <code data-f=\"checkpoint-root\">" +
       Esc(in.checkpoint_root_hex) + "</code></p>\n";
  if (!in.access_stream.empty())
    h += "<p>个人信息查阅已记录 Personal data read recorded：<code data-f=\"access\">" +
         Esc(in.access_stream) + "@" + std::to_string(in.access_version) + "</code>" +
         (in.person_masked ? "（按权限遮蔽 masked）" : "") + "</p>\n";
  h += "</div>\n</body></html>\n";
  return h;
}

}  // namespace aidtrail::api::document
