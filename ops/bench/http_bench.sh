#!/usr/bin/env bash
# Commands per second over HTTP (keep-alive, several connections, wrk) beside
# the in-process pipeline rate measured in the same run on a copy of the
# same data, and p50/p99 latency of case-summary and timeline reads.
# Usage: ops/bench/http_bench.sh [--seconds S] [--connections C] [--cases N]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=10 connections=16 cases=300
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y --no-install-recommends wrk >/dev/null; }
ops/build.sh release aidtrail pipeline_bench >/dev/null
B=build/release/api/aidtrail
dir=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

# Policy, lawyers, budget and some cases to read, then an identical copy for
# the in-process run.
"$B" generate --data "$dir/http" --year 2025 --cases "$cases" >/dev/null
cp -a "$dir/http" "$dir/inproc"
"$B" token --config "$dir/server.json" --role intake --actor C1 --out "$dir/intake" 2>/dev/null
"$B" token --config "$dir/server.json" --role supervisor --actor S1 --out "$dir/supervisor" 2>/dev/null

echo "== commands: in process (baseline) =="
inproc=$(build/release/ops/bench/pipeline_bench --data "$dir/inproc" --threads "$connections" --seconds "$seconds")
echo "$inproc"
inproc_rate=$(sed -E 's/.*, ([0-9]+) commands\/s.*/\1/' <<<"$inproc")

"$B" serve --config "$dir/server.json" --data "$dir/http" --listen 127.0.0.1:0 --port-file "$dir/port" \
  --threads 2 2>"$dir/server.log" &
server=$!
for _ in $(seq 100); do [ -s "$dir/port" ] && curl -sf "http://127.0.0.1:$(cat "$dir/port")/readyz" >/dev/null && break; sleep 0.2; done
url="http://127.0.0.1:$(cat "$dir/port")"

echo "== commands: over HTTP (wrk, $connections keep-alive connections) =="
out=$(AIDTRAIL_TOKEN=$(cat "$dir/intake") wrk -t2 -c"$connections" -d"${seconds}s" --latency -s ops/bench/wrk/submit.lua "$url")
echo "$out" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
http_rate=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
if echo "$out" | grep -q "Non-2xx"; then echo "some commands were refused: see $dir/server.log" >&2; exit 1; fi

. ops/bench/wrk/latency.sh
for read in summary timeline queue; do
  echo "== reads: $read (wrk, $connections connections) =="
  out=$(AIDTRAIL_TOKEN=$(cat "$dir/supervisor") AIDTRAIL_CASES="$cases" AIDTRAIL_READ="$read" \
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -s ops/bench/wrk/read.lua "$url")
  echo "$out" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
  rate=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
  p50=$(wrk_ms 50% <<<"$out")
  p99=$(wrk_ms 99% <<<"$out")
  aim="p99 2 ms"
  [ "$read" = queue ] && aim="p99 50 ms"
  printf "@row\t%s reads over HTTP, %s connections, %s cases\t%s/s, p50 %s ms, p99 %s ms\taim\t%s\t-\n" \
    "$read" "$connections" "$cases" "$rate" "$p50" "$p99" "$aim"
done

echo
awk -v h="$http_rate" -v p="$inproc_rate" -v c="$connections" 'BEGIN {
  printf "commands/s  in-process %d   over HTTP %d   ratio HTTP/in-process %.2f\n", p, h, (p > 0 ? h / p : 0)
  printf "@row\tcommands over HTTP, %d connections\t%d commands/s\tthe same pipeline in process\t%d commands/s\t%.2f\n", c, h, p, (p > 0 ? h / p : 0) }'
