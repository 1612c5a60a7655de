// The public expenditure notice (经费使用公示) of a fiscal year or quarter,
// computed from the views: budget, spending and the amount approved but
// unpaid by line; subsidies approved and paid by case category with the
// average per case; cases received, approved, refused, closed and terminated by category, channel,
// key group and quarter, duty-lawyer and consultation services, wages
// recovered, quality-review grades, payments by law firm and the subsidy
// standards in force. Only counters and sums are read — never a case
// summary or an event with a person in it — and every protected table goes
// through the small-cell rule (notice_privacy.h).
//
// The notice names the checkpoint of the log its figures come from and
// carries a digest of the figures; signing is the caller's (api/notice).
//
// Thread safety: reads only; safe alongside a folding engine (the
// checkpoint is read before and after, and the build retried if it moved).
#pragma once

#include <string>
#include <vector>

#include "aidtrail/v1/notice.pb.h"
#include "projections/audit_view.h"
#include "projections/view_store.h"

namespace aidtrail::projections {

struct NoticeRequest {
  int year = 0;
  int quarter = 0;  // 1..4; 0: the whole year
  std::string issuing_office_zh = "江门市蓬江区法律援助处";
  std::string issued_date;  // YYYY-MM-DD; empty: today (China Standard Time)
  std::string contact_zh = "监督电话：12348；来信请寄江门市蓬江区司法局。";
};

inline constexpr char kLegalBasisZh[] =
    "依据《中华人民共和国法律援助法》第五十八条“司法行政部门、法律援助机构应当建立法律援助信息公开"
    "制度，"
    "定期向社会公布法律援助资金使用、案件办理、质量考核结果等情况，接受社会监督”及《广东省法律援助"
    "条例》公布。";

// Figures, checkpoint and figures digest of the period; unsigned.
Result<v1::PublicNotice> BuildNotice(const ViewStore& store, int32_t partitions,
                                     const NoticeRequest& request);

// The figure tables alone (suppressed), as BuildNotice computes them.
std::vector<v1::NoticeTable> BuildTables(const ViewStore& store, int year, int quarter);

// Canonical text of the figures: the period, then one line per cell
// "table \t row \t row label \t column \t value" (value "*" when withheld,
// the text for TEXT columns), in table, row and column order.
std::string FiguresText(const v1::PublicNotice& notice);
std::string FiguresDigestHex(const v1::PublicNotice& notice);

v1::NoticeCheckpoint ToNoticeCheckpoint(const Checkpoint& checkpoint);

// A cell as printed everywhere: counts as integers, amounts as yuan with
// two decimals ("1234.50"), "*" when withheld, text as is.
std::string CellText(const v1::NoticeColumn& column, const v1::NoticeCell& cell);

// "江门市蓬江区法律援助经费使用情况公示（2025年度）" / "（2025年第1季度）".
std::string NoticeTitle(const std::string& office_region_zh, const v1::NoticePeriod& period);

// Figures that differ between two notices of the same period (cells added,
// removed or changed), labelled "table / row / column".
std::vector<v1::NoticeFigureChange> CompareFigures(const v1::PublicNotice& before,
                                                   const v1::PublicNotice& after);

}  // namespace aidtrail::projections
