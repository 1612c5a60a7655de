#!/usr/bin/env bash
# The centre's documents as a browser shows and prints them: a real server
# on the generated demo year; headless Chromium renders one document of
# every kind and ops/print-document.sh prints each to an A4 PDF; the
# number, names and figures on each page must be the API's
# (documents_browser_check.py). Installs Chromium with apt-get when it is
# missing and the test runs as root.
# Usage: documents_browser_test.sh AIDTRAIL_BINARY ARTIFACT_DIR
# Leaves ARTIFACT_DIR/documents/<kind>.pdf for a person to look at.
set -euo pipefail
B="$1"
artifacts="$2"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=support/browser_env.sh
. "$here/support/browser_env.sh"
browser_test documents_browser
need_chromium
need_pdftotext
start_demo_server "$B" "$work" supervisor reviewer auditor
mkdir -p "$work/out"
timeout 600 python3 "$here/documents_browser_check.py" "$url" "$work" "$chromium" \
  "$here/../ops/print-document.sh" "$work/out" || fail "the documents failed the checks above"
mkdir -p "$artifacts/documents"
cp "$work"/out/*.pdf "$artifacts/documents/"
echo "pdfs: $(cd "$artifacts/documents" && pwd)"
