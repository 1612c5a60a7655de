#!/usr/bin/env bash
# The public notice page (GET /notice/{year}) as a browser shows and prints
# it: headless Chromium renders the page of a demo year from a real server,
# takes a screenshot and prints it to PDF; the figures in the rendered page
# must be those of the JSON form of the same notice, and no personal data
# may reach the page, the JSON, the CSV or the XLSX (notice_browser_check.py).
# Installs Chromium with apt-get when it is missing and the test runs as root.
# Usage: notice_browser_test.sh AIDTRAIL_BINARY ARTIFACT_DIR
# Leaves ARTIFACT_DIR/notice-2025.png and notice-2025.pdf for a person to look at.
set -euo pipefail
B="$1"
artifacts="$2"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=support/browser_env.sh
. "$here/support/browser_env.sh"
browser_test notice_browser
need_chromium
cd "$work"
browser_profile="$work/profile"
# The admin token is there for the configuration to hold a grant; the
# supervisor's reads the clear personal data the public forms must not show.
start_demo_server "$B" "$work" admin supervisor
get() { curl -sf -m 30 "$@"; }

mkdir -p out
# Clear personal data first: reading it records an access in the log, which
# moves the checkpoint the notice names; the notice is fetched afterwards.
for c in 1 2 3; do
  get -H "Authorization: Bearer $(cat supervisor.token)" \
    "$url/v1/cases/JM-2025-$c/personal?purpose=test" >"out/personal-$c.json" ||
    fail "staff route /v1/cases/JM-2025-$c/personal refused the supervisor"
done
# The notice's root follows the views; wait until two reads agree, so that
# the JSON and the page name one checkpoint.
root() { get "$url/v1/public/notices/2025" | python3 -c 'import json,sys; print(json.load(sys.stdin)["checkpoint"]["rootHex"])'; }
prev=$(root) || fail "GET /v1/public/notices/2025 failed"
for _ in $(seq 50); do
  sleep 0.2
  now=$(root) || fail "GET /v1/public/notices/2025 failed"
  [ "$now" = "$prev" ] && break
  prev=$now
done
[ "$now" = "$prev" ] || fail "the notice's checkpoint kept moving for 10 s"

get "$url/v1/public/notices/2025?format=json" >out/notice.json || fail "GET /v1/public/notices/2025?format=json failed"
get "$url/v1/public/notices/2025?format=csv" >out/notice.csv || fail "GET ...?format=csv failed"
get "$url/v1/public/notices/2025?format=xlsx" >out/notice.xlsx || fail "GET ...?format=xlsx failed"
get "$url/v1/public/notices/2025?format=html" >out/page.html || fail "GET ...?format=html failed"

page() { browse "$url/notice/2025" "$@" 2>>chromium.log; }
page --dump-dom >out/dom.html || { tail -20 chromium.log >&2; fail "chromium --dump-dom failed"; }
[ -s out/dom.html ] || fail "chromium dumped an empty DOM"
page --screenshot="$work/out/notice.png" --window-size=1240,1754 >/dev/null ||
  { tail -20 chromium.log >&2; fail "chromium --screenshot failed"; }
page --print-to-pdf="$work/out/notice.pdf" --no-pdf-header-footer >/dev/null ||
  { tail -20 chromium.log >&2; fail "chromium --print-to-pdf failed"; }
[ -s out/notice.png ] || fail "no screenshot written"
[ -s out/notice.pdf ] || fail "no PDF written"
# The PDF's text, when poppler-utils is there: optional.
if command -v pdftotext >/dev/null; then
  timeout 60 pdftotext -layout out/notice.pdf out/notice.txt || fail "pdftotext could not read the PDF"
fi

mkdir -p "$artifacts"
cp out/notice.png "$artifacts/notice-2025.png"
cp out/notice.pdf "$artifacts/notice-2025.pdf"
echo "screenshot: $(cd "$artifacts" && pwd)/notice-2025.png"
echo "pdf:        $(cd "$artifacts" && pwd)/notice-2025.pdf"

timeout 60 python3 "$here/notice_browser_check.py" out || fail "the rendered notice failed the checks above"
[ "$(root)" = "$now" ] || fail "the log moved while the page was rendered; the page and the JSON may differ"
echo "notice page: rendered, printed and checked against the JSON"
