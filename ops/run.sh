#!/usr/bin/env bash
# The main job, until the HTTP server arrives: installs what is missing,
# builds, writes a realistic demo district year into the embedded log under
# ./aidtrail-data (or $AIDTRAIL_DATA), checks every hash chain and folds the
# views, then shows what to explore next.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${AIDTRAIL_DATA:-./aidtrail-data}"
ops/build.sh release >&2
B=build/release/api/aidtrail
if [ ! -d "$data/log" ]; then
  "$B" generate --data "$data" --cases 2000 --lawyers 40 --consultations 1500 --duty-services 450
fi
"$B" verify --data "$data"
"$B" rebuild --data "$data"
cat <<TXT

演示数据位于 $data（日志 log/，视图 views/）。Demo data is in $data.
Next: $B verify --data $data | $B import --data $data FILE.csv | $B rebuild --data $data
(The HTTP server with supervisor, auditor and public routes comes next.)
TXT
