#include "api/html_escape.h"
#include "api/notice/render.h"
#include "projections/notice.h"

namespace aidtrail::api::notice {
namespace {

std::string Esc(const std::string& s) { return HtmlEscape(s); }

constexpr char kStyle[] = R"(
@page { size: A4; margin: 15mm }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; font-size: 10.5pt;
       color: #000; max-width: 180mm; margin: 0 auto; line-height: 1.5 }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm }
h2 { font-size: 12pt; margin: 6mm 0 2mm; break-after: avoid }
.meta { text-align: center; margin-bottom: 4mm }
.en { color: #444; font-size: 8.5pt }
table { border-collapse: collapse; width: 100%; break-inside: auto; margin-bottom: 2mm }
tr { break-inside: avoid }
th, td { border: 0.5pt solid #000; padding: 1mm 1.5mm; vertical-align: top }
th { background: #eee; font-weight: bold; text-align: center }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap }
tr.other td { font-style: italic }
tr.total td { font-weight: bold }
p.note { font-size: 9pt; margin: 0 0 2mm }
.box { border: 0.5pt solid #000; padding: 2mm 3mm; margin-top: 5mm; font-size: 9pt; break-inside: avoid }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all }
@media screen { body { padding: 10mm } }
)";

std::string Table(const v1::NoticeTable& t) {
  std::string h =
      "<h2>" + Esc(t.title_zh()) + " <span class=\"en\">" + Esc(t.title_en()) + "</span></h2>\n";
  h += "<table data-table=\"" + Esc(t.key()) +
       "\">\n<thead><tr><th>项目 <span class=\"en\">Item</span></th>";
  for (const auto& c : t.columns())
    h +=
        "<th>" + Esc(c.label_zh()) + "<br><span class=\"en\">" + Esc(c.label_en()) + "</span></th>";
  h += "</tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows()) {
    const char* cls = r.kind() == v1::NOTICE_ROW_KIND_TOTAL   ? " class=\"total\""
                      : r.kind() == v1::NOTICE_ROW_KIND_OTHER ? " class=\"other\""
                                                              : "";
    h += std::string("<tr") + cls + "><td>" + Esc(r.label_zh());
    if (!r.label_en().empty() && r.label_en() != r.label_zh())
      h += " <span class=\"en\">" + Esc(r.label_en()) + "</span>";
    h += "</td>";
    for (int c = 0; c < t.columns_size(); ++c) {
      const v1::NoticeCell cell = c < r.cells_size() ? r.cells(c) : v1::NoticeCell();
      const bool text = t.columns(c).kind() == v1::NOTICE_COLUMN_KIND_TEXT;
      h += "<td" + std::string(text ? "" : " class=\"n\"") + " data-k=\"" +
           Esc(t.key() + "/" + r.key() + "/" + t.columns(c).key()) + "\">" +
           Esc(projections::CellText(t.columns(c), cell)) + "</td>";
    }
    h += "</tr>\n";
  }
  h += "</tbody></table>\n";
  if (!t.note_zh().empty()) h += "<p class=\"note\">注：" + Esc(t.note_zh()) + "</p>\n";
  return h;
}

}  // namespace

std::string RenderHtml(const v1::PublicNotice& n) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      Esc(n.title_zh()) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  h += "<h1>" + Esc(n.title_zh()) + "</h1>\n";
  h += "<p class=\"meta\">" + Esc(n.issuing_office_zh()) + "　" + Esc(n.issued_date()) +
       "<br><span class=\"en\">Public notice of legal-aid expenditure, " +
       Esc(PeriodZh(n.period())) + "</span></p>\n";
  h += "<p>" + Esc(n.legal_basis_zh()) + "现将" + Esc(PeriodZh(n.period())) +
       "法律援助经费使用情况公示如下：</p>\n";
  for (const auto& t : n.tables()) h += Table(t);
  h += "<p class=\"note\">说明：金额单位为元，保留两位小数。“*”表示该数字不单独公布。" +
       Esc(n.suppression_rule_zh()) + "</p>\n<p class=\"note en\">" + Esc(n.suppression_rule_en()) +
       "</p>\n";
  if (n.has_changes()) {
    const auto& c = n.changes();
    h += "<h2>与上次公示相比的变化 <span class=\"en\">Changes since the previous "
         "notice</span></h2>\n";
    h += "<p>上次公示数据摘要 <code>" + Esc(c.previous_figures_digest_hex()) +
         "</code>，检查点记录数 " + std::to_string(c.previous_checkpoint().records()) +
         "。此后日志新增记录 " + std::to_string(c.new_records()) + " 条（事件 " +
         std::to_string(c.new_events()) + " 个，其中更正事件 " + std::to_string(c.corrections()) +
         " 个）。更正以新事件记载，原公示仍可按其检查点复核。</p>\n";
    if (c.changes().empty()) {
      h += "<p>各项数字均无变化。</p>\n";
    } else {
      h += "<table "
           "data-table=\"changes\"><thead><tr><th>项目</th><th>上次公示</th><th>本次公示</th></"
           "tr></thead><tbody>\n";
      for (const auto& ch : c.changes())
        h += "<tr><td>" + Esc(ch.label_zh()) + "</td><td class=\"n\">" + Esc(ch.before()) +
             "</td><td class=\"n\">" + Esc(ch.after()) + "</td></tr>\n";
      h += "</tbody></table>\n";
    }
  }
  h += "<div class=\"box\"><b>数据来源与核验 <span class=\"en\">Source and "
       "verification</span></b><br>\n";
  h += "日志检查点：记录 " + std::to_string(n.checkpoint().records()) + " 条，分区 " +
       std::to_string(n.checkpoint().partitions_size()) + " 个，默克尔根 <code>" +
       Esc(n.checkpoint().root_hex()) + "</code><br>\n数据摘要（SHA-256）：<code>" +
       Esc(n.figures_digest_hex()) + "</code><br>\n";
  h += "运营方签名（Ed25519）公钥指纹：<code>" + Esc(n.key_id()) + "</code>，签名 <code>" +
       Esc(n.signature_hex()) + "</code><br>\n";
  h += Esc(VerifyHintZh(n)) + "</div>\n";
  h += "<p class=\"box\">" + Esc(n.supervision_zh()) + "</p>\n";
  h += "<p style=\"text-align:right\">" + Esc(n.issuing_office_zh()) + "<br>" +
       Esc(n.issued_date()) + "</p>\n";
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace aidtrail::api::notice
