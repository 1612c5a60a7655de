// Reading the published notice formats back into cells, for tests that
// check every format carries the same figures.
#pragma once

#include <map>
#include <string>
#include <tuple>

#include "aidtrail/v1/notice.pb.h"

namespace aidtrail::testing {

// (table title, row label, column label) -> the cell as printed.
using Grid = std::map<std::tuple<std::string, std::string, std::string>, std::string>;

Grid GridOf(const v1::PublicNotice& notice);
// Cells from CSV text (or tab-separated lines when `tab`), found by the
// notice's table titles and row labels.
Grid GridFromDelimited(const v1::PublicNotice& notice, const std::string& text, bool tab);
// Cells from the HTML page (data-k="table/row/column"), mapped to titles and labels.
Grid GridFromHtml(const v1::PublicNotice& notice, const std::string& html);
// The XLSX worksheet as tab-separated lines (unzipped with python3).
std::string XlsxAsText(const std::string& path);

}  // namespace aidtrail::testing
