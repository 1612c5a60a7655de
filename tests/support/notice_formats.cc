#include "tests/support/notice_formats.h"

#include <cstdio>
#include <regex>
#include <sstream>
#include <vector>

#include "projections/notice.h"

namespace aidtrail::testing {
namespace {

std::vector<std::string> SplitCsvLine(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        cur += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cur += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

Grid GridOf(const v1::PublicNotice& n) {
  Grid g;
  for (const auto& t : n.tables())
    for (const auto& r : t.rows())
      for (int c = 0; c < t.columns_size(); ++c)
        g[{t.title_zh(), r.label_zh(), t.columns(c).label_zh()}] =
            projections::CellText(t.columns(c), r.cells(c));
  return g;
}

Grid GridFromDelimited(const v1::PublicNotice& n, const std::string& text, bool tab) {
  Grid g;
  const v1::NoticeTable* table = nullptr;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
    const auto f = SplitCsvLine(line, tab ? '\t' : ',');
    const v1::NoticeTable* starts = nullptr;
    for (const auto& t : n.tables())
      if (f[0] == t.title_zh()) starts = &t;
    if (starts) {
      table = starts;
      continue;
    }
    if (!table) continue;
    for (const auto& r : table->rows()) {
      if (r.label_zh() != f[0]) continue;
      for (int c = 0; c < table->columns_size(); ++c)
        g[{table->title_zh(), r.label_zh(), table->columns(c).label_zh()}] =
            size_t(c + 1) < f.size() ? f[size_t(c + 1)] : "";
    }
  }
  return g;
}

Grid GridFromHtml(const v1::PublicNotice& n, const std::string& html) {
  std::map<std::string, std::tuple<std::string, std::string, std::string>> names;
  for (const auto& t : n.tables())
    for (const auto& r : t.rows())
      for (const auto& c : t.columns())
        names[t.key() + "/" + r.key() + "/" + c.key()] = {t.title_zh(), r.label_zh(), c.label_zh()};
  Grid g;
  static const std::regex cell("data-k=\"([^\"]+)\">([^<]*)</td>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator();
       ++it) {
    const auto found = names.find((*it)[1].str());
    if (found != names.end()) g[found->second] = (*it)[2].str();
  }
  return g;
}

std::string XlsxAsText(const std::string& path) {
  static const char kScript[] = R"PY(
import html, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
strings = []
if 'xl/sharedStrings.xml' in z.namelist():
    x = z.read('xl/sharedStrings.xml').decode()
    for si in re.findall(r'<si>(.*?)</si>', x, re.S):
        strings.append(html.unescape(''.join(re.findall(r'<t[^>]*>(.*?)</t>', si, re.S))))
x = z.read('xl/worksheets/sheet1.xml').decode()
for row in re.findall(r'<row[^>]*>(.*?)</row>', x, re.S):
    cells = {}
    for attrs, body in re.findall(r'<c ([^>]*?)(?:/>|>(.*?)</c>)', row, re.S):
        ref = re.search(r'r="([A-Z]+)[0-9]+"', attrs).group(1)
        v = re.search(r'<v>(.*?)</v>', body or '')
        val = v.group(1) if v else ''
        if 't="s"' in attrs:
            val = strings[int(val)]
        col = 0
        for ch in ref:
            col = col * 26 + ord(ch) - 64
        cells[col - 1] = val
    n = max(cells) + 1 if cells else 0
    print('\t'.join(cells.get(i, '') for i in range(n)))
)PY";
  const std::string script_path = path + ".py";
  if (FILE* f = std::fopen(script_path.c_str(), "w")) {
    std::fputs(kScript, f);
    std::fclose(f);
  }
  std::string out;
  if (FILE* p = popen(("python3 '" + script_path + "' '" + path + "'").c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

}  // namespace aidtrail::testing
