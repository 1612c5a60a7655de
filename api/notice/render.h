// The public notice in its four published forms. Every form prints the same
// cells with projections::CellText (counts as integers, amounts as yuan
// with two decimals from fen, "*" for a withheld cell), so the numbers are
// identical byte for byte across formats.
//
// - HTML: a page that prints on A4, Chinese first, with the suppression
//   rule, the checkpoint and how to verify it; served without a token.
// - CSV: UTF-8 with a byte-order mark (so Excel reads the Chinese text) and
//   CRLF line ends; one block per table.
// - XLSX: one worksheet; counts are numbers, amounts are the same yuan text
//   as elsewhere (a spreadsheet number would be a binary float).
// - JSON: the PublicNotice message in protobuf's canonical JSON mapping;
//   what `aidtrail verify-notice` reads back.
#pragma once

#include <string>

#include "aidtrail/v1/notice.pb.h"
#include "events/core/result.h"

namespace aidtrail::api::notice {

std::string RenderHtml(const v1::PublicNotice& notice);
std::string RenderCsv(const v1::PublicNotice& notice);
Status WriteXlsx(const v1::PublicNotice& notice, const std::string& path);
Result<std::string> RenderXlsx(const v1::PublicNotice& notice);  // the file's bytes
Result<std::string> RenderJson(const v1::PublicNotice& notice);
Result<v1::PublicNotice> ParseNoticeJson(const std::string& json);

// Lines shared by every format: period text, checkpoint summary, and the
// command that verifies the notice.
std::string PeriodZh(const v1::NoticePeriod& period);
std::string VerifyHintZh(const v1::PublicNotice& notice);

}  // namespace aidtrail::api::notice
