#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/notice/render.h"
#include "projections/notice.h"

namespace aidtrail::api::notice {

Status WriteXlsx(const v1::PublicNotice& n, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb)
    return MakeError(ErrorKind::kUnavailable, "notice.xlsx", "cannot create " + path,
                     "无法创建文件 " + path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "经费使用公示");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* right = workbook_add_format(wb);
  format_set_align(right, LXW_ALIGN_RIGHT);
  worksheet_set_column(ws, 0, 0, 34, nullptr);
  worksheet_set_column(ws, 1, 8, 16, nullptr);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, 0);

  lxw_row_t row = 0;
  auto text = [&](lxw_col_t col, const std::string& s, lxw_format* f = nullptr) {
    worksheet_write_string(ws, row, col, s.c_str(), f);
  };
  text(0, n.title_zh(), title);
  ++row;
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"发布单位", n.issuing_office_zh()},
           {"发布日期", n.issued_date()},
           {"公示期间", PeriodZh(n.period())},
           {"法律依据", n.legal_basis_zh()},
           {"金额单位", "元（保留两位小数）"},
           {"小数保护规则", n.suppression_rule_zh()}}) {
    text(0, k, bold);
    text(1, v);
    ++row;
  }
  for (const auto& t : n.tables()) {
    ++row;
    text(0, t.title_zh(), bold);
    text(1, t.title_en());
    ++row;
    text(0, "项目", bold);
    for (int c = 0; c < t.columns_size(); ++c)
      text(lxw_col_t(c + 1), t.columns(c).label_zh(), bold);
    ++row;
    for (const auto& r : t.rows()) {
      text(0, r.label_zh(), r.kind() == v1::NOTICE_ROW_KIND_TOTAL ? bold : nullptr);
      for (int c = 0; c < t.columns_size(); ++c) {
        const v1::NoticeCell cell = c < r.cells_size() ? r.cells(c) : v1::NoticeCell();
        const auto& col = t.columns(c);
        // Counts are exact as spreadsheet numbers; amounts stay the yuan text
        // computed from fen, so no binary float ever holds money.
        if (col.kind() == v1::NOTICE_COLUMN_KIND_COUNT && !cell.suppressed() && cell.text().empty())
          worksheet_write_number(ws, row, lxw_col_t(c + 1), double(cell.value()), nullptr);
        else
          text(lxw_col_t(c + 1), projections::CellText(col, cell),
               col.kind() == v1::NOTICE_COLUMN_KIND_TEXT ? nullptr : right);
      }
      ++row;
    }
    if (!t.note_zh().empty()) {
      text(0, "注：" + t.note_zh());
      ++row;
    }
  }
  if (n.has_changes()) {
    ++row;
    text(0, "与上次公示相比的变化", bold);
    text(1, "上次公示", bold);
    text(2, "本次公示", bold);
    ++row;
    for (const auto& ch : n.changes().changes()) {
      text(0, ch.label_zh());
      text(1, ch.before(), right);
      text(2, ch.after(), right);
      ++row;
    }
    text(0, "新增日志记录 / 其中更正事件");
    text(1, std::to_string(n.changes().new_records()));
    text(2, std::to_string(n.changes().corrections()));
    ++row;
  }
  ++row;
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"日志检查点记录数", std::to_string(n.checkpoint().records())},
           {"默克尔根", n.checkpoint().root_hex()},
           {"数据摘要（SHA-256）", n.figures_digest_hex()},
           {"签名公钥指纹", n.key_id()},
           {"签名（Ed25519）", n.signature_hex()},
           {"核验方法", VerifyHintZh(n)},
           {"社会监督", n.supervision_zh()}}) {
    text(0, k, bold);
    text(1, v);
    ++row;
  }
  if (workbook_close(wb) != LXW_NO_ERROR)
    return MakeError(ErrorKind::kUnavailable, "notice.xlsx", "cannot write " + path,
                     "无法写入文件 " + path);
  return Status::Ok();
}

Result<std::string> RenderXlsx(const v1::PublicNotice& n) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("aidtrail-notice-" + std::to_string(::getpid()) + "-" +
                     std::to_string(reinterpret_cast<uintptr_t>(&n)) + ".xlsx");
  if (Status s = WriteXlsx(n, path.string()); !s) return s.error();
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return bytes.str();
}

}  // namespace aidtrail::api::notice
