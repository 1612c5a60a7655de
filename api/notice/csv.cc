#include "api/notice/render.h"
#include "projections/notice.h"

namespace aidtrail::api::notice {
namespace {

std::string Field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

void Line(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + Field(fields[i]);
  out += "\r\n";
}

}  // namespace

std::string RenderCsv(const v1::PublicNotice& n) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: Excel then reads the Chinese text correctly
  Line(out, {n.title_zh()});
  Line(out, {"发布单位", n.issuing_office_zh()});
  Line(out, {"发布日期", n.issued_date()});
  Line(out, {"公示期间", PeriodZh(n.period())});
  Line(out, {"法律依据", n.legal_basis_zh()});
  Line(out, {"金额单位", "元（保留两位小数）"});
  Line(out, {"小数保护规则", n.suppression_rule_zh()});
  for (const auto& t : n.tables()) {
    Line(out, {});
    Line(out, {t.title_zh(), t.title_en()});
    std::vector<std::string> head = {"项目"};
    for (const auto& c : t.columns()) head.push_back(c.label_zh());
    Line(out, head);
    for (const auto& r : t.rows()) {
      std::vector<std::string> f = {r.label_zh()};
      for (int c = 0; c < t.columns_size(); ++c)
        f.push_back(projections::CellText(t.columns(c),
                                          c < r.cells_size() ? r.cells(c) : v1::NoticeCell()));
      Line(out, f);
    }
    if (!t.note_zh().empty()) Line(out, {"注：" + t.note_zh()});
  }
  if (n.has_changes()) {
    Line(out, {});
    Line(out, {"与上次公示相比的变化", "上次公示", "本次公示"});
    for (const auto& ch : n.changes().changes())
      Line(out, {ch.label_zh(), ch.before(), ch.after()});
    Line(out, {"新增日志记录", std::to_string(n.changes().new_records()), "其中更正事件",
               std::to_string(n.changes().corrections())});
  }
  Line(out, {});
  Line(out, {"日志检查点记录数", std::to_string(n.checkpoint().records())});
  Line(out, {"默克尔根", n.checkpoint().root_hex()});
  Line(out, {"数据摘要（SHA-256）", n.figures_digest_hex()});
  Line(out, {"签名公钥指纹", n.key_id()});
  Line(out, {"签名（Ed25519）", n.signature_hex()});
  Line(out, {"核验方法", VerifyHintZh(n)});
  Line(out, {"社会监督", n.supervision_zh()});
  return out;
}

}  // namespace aidtrail::api::notice
