#!/usr/bin/env bash
# Runs the README's "Explore the demo" commands, as written, against a real
# server on a small demo year, so the examples never rot. Only the URL line
# is changed (the test server listens on a free port).
# Usage: readme_test.sh AIDTRAIL_BINARY README
set -euo pipefail
B="$1"
readme="$2"
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

# The block after the readme-test marker.
awk '/<!-- readme-test/{f=1;next} f&&/^```sh/{g=1;next} g&&/^```/{exit} g' "$readme" >block.sh
grep -q '^URL=http://127.0.0.1:8080$' block.sh || { echo "README block lost its URL line" >&2; exit 1; }
[ "$(grep -c '^curl' block.sh)" -ge 8 ] || { echo "README block has too few curl examples" >&2; exit 1; }

data=aidtrail-data
"$B" generate --data "$data" --year 2025 --cases 60 --seed 7 >/dev/null
mkdir -p "$data/tokens"
for role in intake supervisor auditor; do
  "$B" token --config "$data/server.json" --role "$role" --actor "${role}-1" --out "$data/tokens/$role" 2>/dev/null
done
"$B" serve --config "$data/server.json" --data "$data" --listen 127.0.0.1:0 --port-file port 2>server.log &
server=$!
for _ in $(seq 150); do
  [ -s port ] && curl -sf "http://127.0.0.1:$(cat port)/readyz" >/dev/null && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$(cat port)/readyz" >/dev/null || { cat server.log >&2; exit 1; }

sed -i "s#^URL=http://127.0.0.1:8080\$#URL=http://127.0.0.1:$(cat port)#" block.sh
# -e: any `curl -sf` that fails (HTTP >= 400, or no server) fails the test.
if ! bash -e -o pipefail block.sh >out.json 2>err.txt; then
  echo "a README example failed:" >&2
  cat err.txt >&2
  tail -c 2000 out.json >&2
  tail -20 server.log >&2
  exit 1
fi
# What the examples promise to show.
for expect in '"missingSteps"' '"caseId":"case/JM-2025-1"' '"deadlines"' '"events"' '"totalPaidFen"' \
  '"root"' '"streamId":"case/DEMO-1"' '"code":"auth.role"' '"publicKeyHex"' '"masked":true' \
  '"idNumber":"4407**********' '"lateEntries"' '"simulatedClock":true'; do
  grep -qF "$expect" out.json || { echo "README example output lacks $expect" >&2; exit 1; }
done
grep -q '"checkpoint"' notice-2025.json || { echo "README notice download lacks its checkpoint" >&2; exit 1; }
head -c 3 notice-2025.csv | od -An -tx1 | grep -q "ef bb bf" || { echo "README CSV download lacks its BOM" >&2; exit 1; }
echo "README examples: $(grep -c '^curl' block.sh) commands ran as written"
