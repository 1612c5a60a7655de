#!/usr/bin/env bash
# The main job: installs what is missing, builds, writes a realistic demo
# district year into the embedded log under ./aidtrail-data (or
# $AIDTRAIL_DATA) on first run, issues one token per role, and runs the
# server on 127.0.0.1:8080 (or $AIDTRAIL_LISTEN) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${AIDTRAIL_DATA:-./aidtrail-data}"
listen="${AIDTRAIL_LISTEN:-127.0.0.1:8080}"
ops/build.sh release aidtrail >&2
B=build/release/api/aidtrail

if [ ! -d "$data/log" ]; then
  echo "生成演示数据（一个区县的上一年度和本年度至今，约需三分钟）/ writing a demo district: last year and this year so far ..." >&2
  "$B" generate --data "$data" --year 2025 --cases 2500 --lawyers 40 --consultations 1500 --duty-services 450 >&2
  # This year so far: open cases with their deadlines still running.
  "$B" generate --data "$data" --year "$(date +%Y)" --seed 2026 --cases 1500 --lawyers 40 --consultations 900 \
    --duty-services 300 --until-now >&2
  "$B" verify --data "$data" >&2
fi

# One token per role for exploring; only their hashes go into server.json.
config="$data/server.json"
if [ ! -f "$config" ]; then
  mkdir -p "$data/tokens"
  chmod 700 "$data/tokens"
  issue() { "$B" token --config "$config" --role "$1" --actor "$2" --agency "$3" --note "demo" --out "$data/tokens/$1" 2>/dev/null; }
  issue intake C1 jm-pengjiang-lac
  issue reviewer R1 jm-pengjiang-lac
  issue assigner A1 jm-pengjiang-lac
  issue lawyer L3 jm-pengjiang-lac
  issue supervisor S1 jm-pengjiang-bureau
  # 司法局: decides objections to the centre's refusals and terminations (Art. 49).
  issue judicial_bureau SFJ1 jm-pengjiang-sfj
  issue auditor AU1 jm-audit
  issue partner court-clerk-1 pengjiang-court
  issue admin ADM1 jm-pengjiang-lac
fi

url="http://$listen"
cat >&2 <<TXT

aidtrail 演示服务 / demo server: $url   （Ctrl-C 停止 / to stop）
数据 data: $data    令牌 tokens (one per role, Authorization: Bearer …):
TXT
for f in "$data"/tokens/*; do printf '  %-10s %s\n' "$(basename "$f")" "$(cat "$f")" >&2; done
cat >&2 <<TXT
试一试 / try:
  curl -s $url/v1/supervision/queue -H "Authorization: Bearer \$(cat $data/tokens/supervisor)"
  经费使用公示 public notice (no token): $url/notice/2025
  README.md ("Explore the demo") has more; /openapi.json lists every route.

TXT
exec "$B" serve --config "$config" --data "$data" --listen "$listen"
