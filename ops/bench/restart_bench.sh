#!/usr/bin/env bash
# What a writer's restart costs against the history behind it. For each
# size, a log of that many events (projection_bench --generate-only: about
# 11 events per case, a large city's years); then, timed to /healthz and
# /readyz with the server's peak RSS:
#   - the baseline: reading the whole log raw (`aidtrail verify` reads and
#     hashes every record);
#   - the first start: no writer state and no views, the whole log folded;
#   - a restart from the writer's checkpoint (<data>/writer) and the views'
#     stored state, and how long an idle server takes to exit on SIGTERM.
#   - on the restarted server, p99 of case-summary reads and of the
#     supervision queue's first page (wrk, 8 connections, 5 s each);
#   - once it is stopped, the year notice written and checked by
#     `aidtrail verify-notice` (which refolds every figure from the log).
# The restart, the stop and the reads should not grow with the log.
# Usage: ops/bench/restart_bench.sh [--events "100000 500000"] [--keep DIR]
#   --keep DIR keeps the generated logs in DIR and reuses them next time.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes="100000 500000"
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --events) sizes="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y --no-install-recommends wrk >/dev/null; }
ops/build.sh release aidtrail projection_bench >/dev/null
B=build/release/api/aidtrail
dir=$(mktemp -d)
logs=${keep:-$dir}
mkdir -p "$logs"
trap '[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
now_ms() { date +%s%3N; }
. ops/bench/wrk/latency.sh
# p99 in ms of `wrk` reads of kind $2 (summary, queue) against $1.
read_p99() {
  AIDTRAIL_TOKEN=$(cat "$dir/token") AIDTRAIL_CASES=20000 AIDTRAIL_YEAR=2024 AIDTRAIL_READ="$2" \
    wrk -t2 -c8 -d5s --latency -s ops/bench/wrk/read.lua "$1" | wrk_ms 99%
}
# Starts the server on $1 and prints "<ms to healthz> <ms to readyz> <peak
# RSS MiB> <ms from SIGTERM to exit> <summary p99 ms> <queue p99 ms>"; the
# reads only when $2 is "reads".
start() {
  rm -f "$dir/port"
  local t0 h=0 r=0
  t0=$(now_ms)
  "$B" serve --config "$dir/server.json" --data "$1" --listen 127.0.0.1:0 \
    --port-file "$dir/port" >"$dir/server.log" 2>&1 &
  pid=$!
  while :; do
    if [ -s "$dir/port" ]; then
      local url="http://127.0.0.1:$(cat "$dir/port")"
      [ "$h" = 0 ] && curl -sf "$url/healthz" >/dev/null && h=$(($(now_ms) - t0))
      [ "$h" != 0 ] && curl -sf "$url/readyz" >/dev/null && r=$(($(now_ms) - t0)) && break
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    sleep 0.05
  done
  sleep 1  # idle: the monitor's first passes run
  local rss s0 summary=- queue=-
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  if [ "${2:-}" = reads ]; then
    summary=$(read_p99 "http://127.0.0.1:$(cat "$dir/port")" summary)
    queue=$(read_p99 "http://127.0.0.1:$(cat "$dir/port")" queue)
  fi
  s0=$(now_ms)
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
  echo "$h $r $rss $(($(now_ms) - s0)) $summary $queue"
}
"$B" token --config "$dir/server.json" --role supervisor --actor S1 --agency jm \
  --out "$dir/token" >/dev/null 2>&1
printf "%-9s %-10s %-20s %-20s %-9s %-9s %-22s %-16s %s\n" events "read raw" "first: healthz/readyz" \
  "restart: healthz/readyz" "records" "RSS MiB" "SIGTERM to exit" "p99 summary/queue" \
  "verify-notice"
for n in $sizes; do
  data="$logs/e$n"
  [ -d "$data/log" ] || build/release/ops/bench/projection_bench --events "$n" --dir "$data" \
    --generate-only >/dev/null
  t0=$(now_ms)
  "$B" verify --data "$data" >/dev/null
  raw=$(($(now_ms) - t0))
  rm -rf "$data/writer" "$data/views" "$data/keys"  # the first start folds everything
  read -r h1 r1 m1 s1 _ _ < <(start "$data")
  read -r h2 r2 m2 s2 p_summary p_queue < <(start "$data" reads)
  records=$(grep -o '"records_read":"[0-9]*"' "$dir/server.log" | grep -o '[0-9]*' || echo "?")
  "$B" notice --data "$data" --year 2024 --format json --out "$dir/notice.json" >/dev/null
  t0=$(now_ms)
  "$B" verify-notice --data "$data" "$dir/notice.json" >/dev/null
  vn=$(($(now_ms) - t0))
  printf "%-9s %-10s %-20s %-20s %-9s %-9s %-22s %-16s %s\n" "$n" "$raw ms" "$h1 / $r1 ms" "$h2 / $r2 ms" \
    "$records" "$m1 / $m2" "$s1 / $s2 ms" "$p_summary / $p_queue ms" "$vn ms"
  printf "%-9s restart/raw-read: healthz %s, readyz %s\n" "" \
    "$(awk -v a="$h2" -v b="$raw" 'BEGIN {printf "%.2f", a / b}')" \
    "$(awk -v a="$r2" -v b="$raw" 'BEGIN {printf "%.2f", a / b}')"
done
