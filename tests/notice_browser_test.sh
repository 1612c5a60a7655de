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
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    # The server stops on SIGTERM; if it has not within 10 s, end it.
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "notice_browser: $*" >&2
  exit 1
}

# Chromium: the Debian package, as ops/install-deps.sh installs it.
chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
  [ "$(id -u)" -eq 0 ] || fail "chromium is not installed and this is not root; run: sudo apt-get install --no-install-recommends chromium"
  echo "installing chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -q >&2 || fail "apt-get update failed or took over 5 minutes"
  timeout 600 apt-get install -y -q --no-install-recommends chromium >&2 || fail "apt-get install chromium failed or took over 10 minutes"
  chromium=$(command -v chromium) || fail "chromium installed but not on PATH"
fi
"$chromium" --version >&2
# The page asks for a CJK serif; without any CJK font the screenshot and PDF
# show boxes for the Chinese text (the DOM checks do not depend on fonts).
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "notice_browser: warning: no Chinese font installed; the screenshot and PDF show boxes for Chinese text" >&2
fi

cd "$work"
data=data
"$B" generate --data "$data" --year 2025 --cases 200 --seed 11 >/dev/null
# The admin token is there for the configuration to hold a grant; the
# supervisor's reads the clear personal data the public forms must not show.
"$B" token --config "$data/server.json" --role admin --actor A1 --out admin.token 2>/dev/null
"$B" token --config "$data/server.json" --role supervisor --actor S1 --out supervisor.token 2>/dev/null
"$B" serve --config "$data/server.json" --data "$data" --listen 127.0.0.1:0 --port-file port 2>server.log &
server=$!
for _ in $(seq 150); do
  [ -s port ] && curl -sf -m 2 "http://127.0.0.1:$(cat port)/readyz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat server.log >&2; fail "server exited before it was ready"; }
  sleep 0.2
done
curl -sf -m 2 "http://127.0.0.1:$(cat port)/readyz" >/dev/null || { tail -20 server.log >&2; fail "server not ready after 30 s"; }
url="http://127.0.0.1:$(cat port)"
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

# Headless Chromium: as root it needs --no-sandbox; its own profile directory
# keeps it off $HOME; --no-pdf-header-footer leaves the page as printed by
# its @page rule (A4) without the browser's date and URL lines.
browse() {
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --hide-scrollbars --no-first-run --user-data-dir="$work/profile" "$@" "$url/notice/2025" 2>>chromium.log
}
browse --dump-dom >out/dom.html || { tail -20 chromium.log >&2; fail "chromium --dump-dom failed"; }
[ -s out/dom.html ] || fail "chromium dumped an empty DOM"
browse --screenshot="$work/out/notice.png" --window-size=1240,1754 >/dev/null ||
  { tail -20 chromium.log >&2; fail "chromium --screenshot failed"; }
browse --print-to-pdf="$work/out/notice.pdf" --no-pdf-header-footer >/dev/null ||
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
