#!/usr/bin/env bash
# What an idle server costs: CPU used over S seconds with no requests, on a
# generated district, and the time from SIGTERM to exit. Absolute figures
# (there is no raw baseline for doing nothing): an idle server should use
# about nothing, and stop at once.
# Usage: ops/bench/idle_bench.sh [--seconds S] [--cases N]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=20 cases=600
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
ops/build.sh release aidtrail >/dev/null
B=build/release/api/aidtrail
dir=$(mktemp -d)
trap '[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
"$B" generate --data "$dir/data" --year 2025 --cases "$cases" --lawyers 20 \
  --consultations $((cases / 2)) --duty-services $((cases / 6)) >/dev/null 2>&1
"$B" token --config "$dir/server.json" --role supervisor --actor S1 --agency jm \
  --out "$dir/token" >/dev/null 2>&1
"$B" serve --config "$dir/server.json" --data "$dir/data" --listen 127.0.0.1:0 \
  --port-file "$dir/port" >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  [ -s "$dir/port" ] && curl -sf "http://127.0.0.1:$(cat "$dir/port")/readyz" >/dev/null && break
  sleep 0.5
done
sleep 3  # the first supervision count after readiness
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(ticks)
sleep "$seconds"
t1=$(ticks)
hz=$(getconf CLK_TCK)
start=$(date +%s%N)
kill -TERM "$pid"
wait "$pid" || true
end=$(date +%s%N)
pid=
awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$seconds" -v ms=$(((end - start) / 1000000)) -v n="$cases" \
  'BEGIN { printf "idle server, %d cases: %.2f %% of a core over %d s; SIGTERM to exit %d ms\n", n, 100 * t / hz / s, s, ms
          printf "@row\tidle server CPU, %d cases\t%.2f %% of a core\taim\t1 %% of a core\t%.2f\n", n, 100 * t / hz / s, 100 * t / hz / s }'
