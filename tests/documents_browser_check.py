#!/usr/bin/env python3
"""The centre's documents as a browser shows and prints them, checked
against the API. Standard library only. Called by documents_browser_test.sh
with a running demo server.

For every document kind: finds a demo case that issued it, fetches its page
(a recorded read of the person's name), lets headless Chromium render it
(--dump-dom) and print it to PDF (ops/print-document.sh), and checks that
the number, title, centre, person, lawyer, firm, dates and the hashes of
the events it names are those the API gives. Then: numbers are unique per
year and kind and run 1..N; an auditor sees the name masked; a page read
without a purpose, or at a version that is no document, is refused with
a reason; a second issue of the same document is refused and changes
nothing.

Usage: documents_browser_check.py URL TOKEN_DIR CHROMIUM PRINT_SCRIPT OUT_DIR
"""
import base64
import datetime
import html.parser
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

URL, TOKENS, CHROMIUM, PRINT, OUT = sys.argv[1:6]
CST = datetime.timezone(datetime.timedelta(hours=8))
KINDS = ["materials-notice", "grant-decision", "refusal-decision", "assignment-notice",
         "authority-letter", "replacement-notice", "termination-decision"]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from checks import check, failures  # noqa: E402


def token(role):
    with open(os.path.join(TOKENS, role + ".token")) as f:
        return f.read().strip()


def call(path, role="supervisor", body=None):
    """(status, bytes) of a request; errors are answers too."""
    req = urllib.request.Request(URL + path, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token(role),
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def get_json(path, role="supervisor"):
    status, body = call(path, role)
    if status != 200:
        raise SystemExit(f"GET {path} as {role}: {status} {body[:300]!r}")
    return json.loads(body)


class Fields(html.parser.HTMLParser):
    """The text of every element marked data-f, and the page's whole text."""

    def __init__(self):
        super().__init__()
        self.fields, self.text, self._open = {}, [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "meta"):
            return
        self._open.append(a.get("data-f"))
        if a.get("data-f"):
            self.fields.setdefault(a["data-f"], "")

    def handle_endtag(self, tag):
        if self._open and tag not in ("br", "meta"):
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        for f in self._open:
            if f:
                self.fields[f] += data


def parse(page):
    p = Fields()
    p.feed(page)
    return p.fields, "".join(p.text)


def date_zh(rfc3339):
    t = datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).astimezone(CST)
    return f"{t.year}年{t.month}月{t.day}日"


def registered_name(kind, ident):
    t = get_json(f"/v1/streams/{kind}/{urllib.parse.quote(ident)}/timeline")
    names = [e["payload"][kind + "Registered"]["name"] for e in t.get("events", [])
             if kind + "Registered" in e.get("payload", {})]
    return names[-1] if names else ident


def hex_of(b64):
    return base64.b64decode(b64).hex()


def browser_dom(path):
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--no-first-run",
                        "--user-data-dir=" + os.path.join(OUT, "profile"), "--dump-dom",
                        "file://" + os.path.abspath(path)],
                       capture_output=True, timeout=120)
    return r.stdout.decode()


# Every case's documents.
cases, page = [], ""
while True:
    lst = get_json("/v1/cases?limit=500" + ("&page=" + page if page else ""))
    cases += [c["caseId"] for c in lst.get("cases", [])]
    page = lst.get("nextPage", "")
    if not page:
        break
check(len(cases) >= 200, f"the demo year lists its cases ({len(cases)})")
docs = {}
for cid in cases:
    key = cid.split("/", 1)[1]
    for d in get_json(f"/v1/cases/{key}/documents").get("documents", []):
        docs.setdefault(d["slug"], []).append((key, d))

# Numbers: one per document, 1..N in each year and kind.
for slug in KINDS:
    found = docs.get(slug, [])
    check(found, f"the demo year issued at least one {slug} ({len(found)})")
    serials = sorted(int(d["serial"]) for _, d in found)
    check(serials == list(range(1, len(serials) + 1)), f"{slug}: serials run 1..{len(serials)}",
          str(serials[:20]))
    numbers = [d["number"] for _, d in found]
    check(len(set(numbers)) == len(numbers), f"{slug}: every number is different")
    check(all(re.fullmatch(r"江蓬法援.字〔2025〕第\d+号", n) for n in numbers),
          f"{slug}: numbers read 江蓬法援X字〔2025〕第N号", numbers[0] if numbers else "")

# One of each kind, rendered and printed.
for slug in KINDS:
    if not docs.get(slug):
        continue
    key, d = docs[slug][0]
    status, body = call(f"/v1/cases/{key}/documents/{d['version']}?purpose=" +
                        urllib.parse.quote("文书送达核对"))
    check(status == 200, f"{slug}: GET the page of case/{key}", body[:300].decode(errors="replace"))
    if status != 200:
        continue
    path = os.path.join(OUT, slug + ".html")
    with open(path, "wb") as f:
        f.write(body)
    dom = browser_dom(path)
    check("data-f=\"number\"" in dom, f"{slug}: Chromium rendered the page")
    f, text = parse(dom)
    timeline = get_json(f"/v1/cases/{key}/timeline")["events"]
    by_version = {int(e["streamVersion"]): e for e in timeline}
    check(f.get("title") == d["titleZh"], f"{slug}: title is {d['titleZh']}", f.get("title", ""))
    check(f.get("number") == d["number"], f"{slug}: number {d['number']} as the API lists it",
          f.get("number", ""))
    check(f.get("centre") == "江门市蓬江区法律援助处", f"{slug}: the centre's name", f.get("centre", ""))
    check(f.get("stream") == "case/" + key, f"{slug}: names its case", f.get("stream", ""))
    check(f.get("issued") == date_zh(d["issuedAt"]), f"{slug}: dated the day of issue",
          f"{f.get('issued')} vs {d['issuedAt']}")
    for v in (int(d["basisVersion"]), int(d["version"])):
        h = hex_of(by_version[v]["hash"])
        check(h in text, f"{slug}: names the hash of event {v} of the case", h)
    check(by_version[int(d["version"])]["actor"]["id"] == d["issuedBy"]["id"],
          f"{slug}: issued by {d['issuedBy']['id']}, as recorded")
    checkpoint = get_json("/v1/audit/checkpoint")
    size = int(f.get("checkpoint-size", "0"))
    check(0 < size <= int(checkpoint["size"]) and re.fullmatch(r"[0-9a-f]{64}", f.get("checkpoint-root", "")),
          f"{slug}: names a checkpoint of the log ({size} records)")
    personal = get_json(f"/v1/cases/{key}/personal?fields=name&purpose=" + urllib.parse.quote("核对文书"))
    name = personal["people"][0]["personal"]["name"]
    check(f.get("person") == name, f"{slug}: the person is {name}, as the personal-data route gives",
          f.get("person", ""))
    check(re.fullmatch(r"access/" + re.escape(key) + r"@\d+", f.get("access", "")),
          f"{slug}: the page says where its read of the name is recorded", f.get("access", ""))
    if d.get("lawyerId"):
        lawyer = registered_name("lawyer", d["lawyerId"])
        check(f.get("lawyer") == lawyer, f"{slug}: names lawyer {lawyer}", f.get("lawyer", ""))
        firm = registered_name("firm", d["firmId"])
        check(f.get("firm") == firm, f"{slug}: names firm {firm}", f.get("firm", ""))
    if slug == "authority-letter":
        authority = d["addressee"].split(":", 1)[1]
        check(f.get("authority") == authority, f"{slug}: addressed to {authority}")
    basis = by_version[int(d["basisVersion"])]["payload"]
    if slug == "materials-notice":
        check(basis["materialsRequested"]["items"][0] in f.get("items", ""),
              f"{slug}: lists the materials requested")
    if slug == "replacement-notice":
        prev = registered_name("lawyer", basis["lawyerReplaced"]["previousLawyerId"])
        check(f.get("previous") == prev, f"{slug}: names the lawyer replaced, {prev}")
    pdf = os.path.join(OUT, slug + ".pdf")
    r = subprocess.run(["bash", PRINT, "--url", URL, "--token-file", os.path.join(TOKENS, "supervisor.token"),
                        "--purpose", "打印送达", key, d["version"], pdf],
                       capture_output=True, timeout=180)
    check(r.returncode == 0, f"{slug}: ops/print-document.sh printed it", r.stderr.decode()[-500:])
    if r.returncode == 0:
        with open(pdf, "rb") as fh:
            head = fh.read(5)
        check(head == b"%PDF-", f"{slug}: the PDF is a PDF")
        t = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, timeout=60).stdout.decode()
        flat = re.sub(r"\s", "", t)
        check(d["number"] in flat, f"{slug}: the PDF prints the number", t[:300])
        check(d["titleZh"] in flat, f"{slug}: the PDF prints the title")

# The auditor sees the name masked, and the read is recorded too.
key, d = docs["grant-decision"][0]
clear = parse(call(f"/v1/cases/{key}/documents/{d['version']}?purpose=x")[1].decode())[0].get("person", "")
status, body = call(f"/v1/cases/{key}/documents/{d['version']}?purpose=audit", role="auditor")
af = parse(body.decode())[0]
check(status == 200 and af.get("person") and af["person"] != clear and "*" in af["person"],
      "an auditor's page shows the name masked", af.get("person", ""))
check("masked" in body.decode(), "the auditor's page says its read was masked")

# Refusals that say why and change nothing.
status, body = call(f"/v1/cases/{key}/documents/{d['version']}")
check(status == 400 and json.loads(body)["code"] == "request.missing_purpose",
      "a page read without a purpose is refused", body[:200].decode(errors="replace"))
status, body = call(f"/v1/cases/{key}/documents/{d['basisVersion']}?purpose=x")
check(status == 404 and json.loads(body)["code"] == "document.not_found",
      "a version that is no document is refused", body[:200].decode(errors="replace"))
before = get_json(f"/v1/cases/{key}/documents")
status, body = call("/v1/commands/issue_document", role="reviewer",
                    body={"commandId": "browser-dup-" + key, "streamId": "case/" + key,
                          "issueDocument": {"kind": "DOCUMENT_KIND_GRANT_DECISION"}})
err = json.loads(body)
check(status == 409 and err["code"] == "document.issued" and d["number"] in err.get("message_zh", ""),
      "issuing the same decision again is refused, naming its number", body[:300].decode(errors="replace"))
check(get_json(f"/v1/cases/{key}/documents") == before, "and the case's documents are unchanged")

if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("documents: every kind rendered, printed and checked against the API")
