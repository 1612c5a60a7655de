#!/usr/bin/env python3
"""Checks what headless Chromium made of the public notice page against the
server's JSON form of the same notice, and that no personal data reached
any public form. Standard library only. Called by notice_browser_test.sh.

Usage: notice_browser_check.py DIR
DIR holds notice.json, dom.html (Chromium's --dump-dom), notice.csv,
notice.xlsx, page.html (format=html), notice.png, notice.pdf, personal-*.json
(the staff route's answers) and, when pdftotext ran, notice.txt.
"""
import html.parser
import json
import os
import re
import struct
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from checks import check, failures  # noqa: E402


def yuan(fen):
    # Fen::ToYuan: sign, whole yuan, two decimals; no float on the way.
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def cell_text(column, cell):
    # projections::CellText, the one formatting every published form uses.
    if cell.get("suppressed"):
        return "*"
    if cell.get("text"):
        return cell["text"]
    kind = column["kind"]
    if kind in ("NOTICE_COLUMN_KIND_AMOUNT", "NOTICE_COLUMN_KIND_AVERAGE"):
        return yuan(int(cell["value"]))
    if kind == "NOTICE_COLUMN_KIND_TEXT":
        return ""
    return str(int(cell["value"]))


def figures(notice):
    """{"table/row/column": text} for every cell, as the page keys them (data-k)."""
    out = {}
    for t in notice["tables"]:
        for r in t["rows"]:
            cells = r.get("cells", [])
            for i, c in enumerate(t["columns"]):
                cell = cells[i] if i < len(cells) else {}
                out[f'{t["key"]}/{r["key"]}/{c["key"]}'] = cell_text(c, cell)
    return out


class Dom(html.parser.HTMLParser):
    """Visible text of the rendered page, its <title>, <h1>, and the text of
    each figure cell by its data-k."""

    def __init__(self):
        super().__init__()
        self.text, self.title, self.h1, self.cells = [], "", "", {}
        self._stack, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "meta", "link", "img"):
            return
        self._stack.append(tag)
        a = dict(attrs)
        if tag == "td" and "data-k" in a:
            self._cell = a["data-k"]
            self.cells[self._cell] = ""

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        where = self._stack[-1] if self._stack else ""
        if where in ("style", "script"):
            return
        if "title" in self._stack:
            self.title += data
            return
        if "h1" in self._stack:
            self.h1 += data
        if self._cell is not None:
            self.cells[self._cell] += data
        self.text.append(data)


def read(d, name, mode="r"):
    with open(os.path.join(d, name), mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


def main():
    d = sys.argv[1]
    notice = json.loads(read(d, "notice.json"))
    want = figures(notice)

    # The JSON's own yuan strings agree with the fen they were made from.
    for t in notice["tables"]:
        for r in t["rows"]:
            for c, cell in zip(t["columns"], r.get("cells", [])):
                if cell.get("yuan") and not cell.get("suppressed"):
                    if cell["yuan"] != yuan(int(cell["value"])):
                        check(False, f'JSON yuan of {t["key"]}/{r["key"]}/{c["key"]}',
                              f'{cell["yuan"]} != {yuan(int(cell["value"]))}')

    dom = Dom()
    dom.feed(read(d, "dom.html"))
    text = re.sub(r"\s+", " ", "".join(dom.text))

    # Title and checkpoint root, exactly as in the JSON.
    title = notice["titleZh"]
    check(dom.title.strip() == title, f"page <title> is the notice title {title!r}",
          f"rendered: {dom.title.strip()!r}")
    check(dom.h1.strip() == title, "page heading is the notice title", f"rendered: {dom.h1.strip()!r}")
    root = notice["checkpoint"]["rootHex"]
    check(re.fullmatch(r"[0-9a-f]{64}", root) is not None, f"JSON checkpoint root is a SHA-256 ({root})")
    check(root in text, "rendered page shows the checkpoint root", f"{root} not in the page text")
    check(notice["figuresDigestHex"] in text, "rendered page shows the figures digest")
    check(notice["signatureHex"] in text, "rendered page shows the signature")

    # Key figures: each must be the cell's whole text in the page, and appear
    # in the page's visible text, exactly as CellText prints the JSON cell.
    key_figures = [  # (cell, what, printed as yuan)
        ("budget/TOTAL/appropriated", "budget appropriated", True),
        ("budget/TOTAL/spent", "budget spent", True),
        ("subsidies_by_category/TOTAL/paid_amount", "total subsidies paid", True),
        ("subsidies_by_category/TOTAL/paid_count", "subsidies paid (cases)", False),
        ("subsidies_by_category/TOTAL/average", "average subsidy per case", True),
        ("cases_by_category/TOTAL/received", "cases received", False),
        ("by_quarter/TOTAL/paid_amount", "paid by quarter, year total", True),
        ("recovered/TOTAL/recovered_amount", "losses recovered", True),
        ("consultations/TOTAL/consultation", "consultations", False),
    ]
    for k, what, is_yuan in key_figures:
        if k not in want:
            check(False, f"JSON has the figure {k} ({what})")
            continue
        v = want[k]
        if is_yuan:
            check(re.fullmatch(r"-?\d+\.\d\d", v) is not None, f"{what} is yuan with two decimals: {v}")
        check(dom.cells.get(k) == v, f"{what}: page cell {k} reads {v}", f"rendered: {dom.cells.get(k)!r}")
        check(v in text, f"{what}: {v} in the page text")

    # Then every figure: the page and the JSON agree cell for cell.
    got = {k: v.strip() for k, v in dom.cells.items()}
    check(set(got) == set(want), f"page has exactly the JSON's {len(want)} figure cells",
          f"only in page: {sorted(set(got) - set(want))[:5]}, only in JSON: {sorted(set(want) - set(got))[:5]}")
    diff = [(k, want[k], got.get(k)) for k in want if got.get(k) != want[k]]
    check(not diff, "every figure in the page equals the JSON's", f"first differences: {diff[:5]}")
    check(sum(v == "*" for v in want.values()) > 0, "some small cells are withheld (*) in this demo year")

    # The PDF: a PDF, at least one page, A4 (595 x 842 pt).
    pdf = read(d, "notice.pdf", "rb")
    check(pdf.startswith(b"%PDF-"), "PDF starts with %PDF", repr(pdf[:16]))
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    check(pages >= 1, f"PDF has at least one page ({pages})")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    a4 = bool(boxes) and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)
    check(a4, "PDF pages are A4", f"media boxes: {[(w.decode(), h.decode()) for w, h in boxes[:3]]}")
    if os.path.exists(os.path.join(d, "notice.txt")):
        ptext = re.sub(r"\s+", "", read(d, "notice.txt"))
        for k, what, _ in key_figures[:6]:
            if k in want:
                check(want[k] in ptext, f"PDF text has {what}: {want[k]}")

    # The screenshot: a PNG of the window size asked for, not near-empty.
    png = read(d, "notice.png", "rb")
    check(png.startswith(b"\x89PNG\r\n\x1a\n"), "screenshot is a PNG", repr(png[:8]))
    if len(png) >= 24:
        w, h = struct.unpack(">II", png[16:24])
        check((w, h) == (1240, 1754), f"screenshot is 1240x1754 ({w}x{h})")
    check(len(png) > 20000, f"screenshot has content ({len(png)} bytes)")

    # No personal data in any public form: the clear values read through the
    # staff route, and no case id at all.
    people = []
    for name in sorted(os.listdir(d)):
        if name.startswith("personal-") and name.endswith(".json"):
            for p in json.loads(read(d, name)).get("people", []):
                people.append(p.get("personal", {}))
    secrets = set()
    for p in people:
        for field in ("name", "idNumber", "phone", "address"):
            if p.get(field):
                secrets.add(p[field])
    check(any(p.get("name") for p in people) and any(p.get("idNumber") for p in people)
          and any(p.get("phone") for p in people),
          f"staff route gave clear names, ID numbers and phones ({len(secrets)} values)")
    xlsx = zipfile.ZipFile(os.path.join(d, "notice.xlsx"))
    forms = {
        "rendered page": read(d, "dom.html"),
        "JSON": read(d, "notice.json"),
        "CSV": read(d, "notice.csv"),
        "HTML download": read(d, "page.html"),
        "XLSX": "".join(xlsx.read(n).decode("utf-8", "replace") for n in xlsx.namelist()),
    }
    for form, body in forms.items():
        found = sorted(s for s in secrets if s in body)
        check(not found, f"{form}: none of the {len(secrets)} personal values", f"found: {found}")
        ids = sorted(set(re.findall(r"JM-2025-\d+", body)))
        check("JM-2025-" not in body, f"{form}: no case id (JM-2025-…)", f"found: {ids[:5]}")

    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
