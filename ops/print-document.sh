#!/usr/bin/env bash
# Prints one of the centre's documents to an A4 PDF with headless Chromium.
# The page is fetched with your token (reading it is a recorded read of the
# person's name, so a purpose is required), then printed locally; the
# token never goes on a command line Chromium sees or into a URL.
#
# Usage: ops/print-document.sh [--url URL] [--token-file FILE] [--purpose TEXT] CASE_ID VERSION OUT.pdf
#   CASE_ID   e.g. JM-2025-12 (without case/)
#   VERSION   the document's "version" in GET /v1/cases/CASE_ID/documents
# Defaults: --url http://127.0.0.1:8080, --token-file $AIDTRAIL_TOKEN_FILE,
# --purpose 打印文书.
set -euo pipefail
url=http://127.0.0.1:8080
token_file="${AIDTRAIL_TOKEN_FILE:-}"
purpose="打印文书"
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --token-file) token_file="$2"; shift 2 ;;
    --purpose) purpose="$2"; shift 2 ;;
    *) break ;;
  esac
done
[ $# -eq 3 ] || { sed -n 7,12p "$0" >&2; exit 2; }
case_id="$1" version="$2" out="$3"
[ -n "$token_file" ] && [ -r "$token_file" ] || { echo "print-document: give --token-file (a staff token)" >&2; exit 2; }
chromium=$(command -v chromium || true)
[ -n "$chromium" ] || { echo "print-document: chromium is not installed: apt-get install --no-install-recommends chromium" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$purpose")
# The token goes in a header file curl reads, not on its command line.
printf 'Authorization: Bearer %s\n' "$(cat "$token_file")" >"$work/auth"
status=$(curl -s -m 30 -o "$work/document.html" -w '%{http_code}' -H @"$work/auth" \
  "$url/v1/cases/$case_id/documents/$version?purpose=$q") || { echo "print-document: cannot reach $url" >&2; exit 1; }
if [ "$status" != 200 ]; then
  echo "print-document: the server answered $status:" >&2
  cat "$work/document.html" >&2
  echo >&2
  exit 1
fi
args=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --user-data-dir="$work/profile" --no-pdf-header-footer)
timeout 120 "$chromium" "${args[@]}" --print-to-pdf="$out" "file://$work/document.html" 2>"$work/chromium.log" >/dev/null ||
  { tail -20 "$work/chromium.log" >&2; echo "print-document: chromium could not print" >&2; exit 1; }
[ -s "$out" ] || { echo "print-document: chromium wrote no PDF" >&2; exit 1; }
echo "$out"
