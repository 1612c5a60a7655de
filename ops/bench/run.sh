#!/usr/bin/env bash
# Builds the benchmarks and runs them — a real Kafka broker for the Kafka
# rows, a real PostgreSQL for its baseline — then prints one table: every
# figure beside the baseline measured in the same run, and the ratio; then
# the scaling table (ops/bench/restart_bench.sh) over the history sizes.
# Usage: ops/bench/run.sh [--events N] [--scaling "500000 1000000 5000000"] [--keep DIR]
#   --events   the projection benchmark's log size
#   --scaling  history sizes of the scaling table ("" leaves it out)
#   --keep     keep generated logs in DIR and reuse them
set -euo pipefail
cd "$(dirname "$0")/../.."
events=1000000
scaling="500000 1000000 5000000"
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --scaling) scaling="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
ops/build.sh release >/dev/null
dir=$(mktemp -d)
trap 'ops/kafka/broker.sh stop "$dir/kafka" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
rows="$dir/rows"
: >"$rows"
# Runs a benchmark, shows its output and keeps its summary rows.
bench() { "$@" 2> >(grep -v '^%' >&2) | tee >(grep '^@row' >>"$rows") | grep -v '^@row'; }

echo "== PostgreSQL events table (the baseline a user would pick) =="
pg=$(ops/bench/pg_bench.sh --seconds 5 --clients 16 | tee /dev/stderr | awk '/^pg_events_per_s/ {print $2}')
bootstrap=$(ops/kafka/broker.sh start "$dir/kafka")
echo "== event log: durable appends, 16 writers =="
bench build/release/ops/bench/log_bench --seconds 5 --threads 16 --postgres-events-per-s "$pg" \
  --kafka "$bootstrap"
echo "== event log: durable appends, 64 writers =="
bench build/release/ops/bench/log_bench --seconds 5 --threads 64
echo "== projections =="
bench build/release/ops/bench/projection_bench --events "$events" ${keep:+--keep --dir "$keep/projection"}
echo "== HTTP =="
bench ops/bench/http_bench.sh --seconds 10 --cases 2000
echo "== idle =="
bench ops/bench/idle_bench.sh --seconds 30

echo
echo "== summary: each figure beside its baseline, same run =="
awk -F'\t' 'BEGIN { printf "%-58s %-36s %-44s %s\n", "what", "ours", "baseline", "ratio" }
            { printf "%-58s %-36s %-44s %s\n", $2, $3, $4 " " $5, $6 }' "$rows"

if [ -n "$scaling" ]; then
  echo
  echo "== scaling: what grows with the history and what does not =="
  ops/bench/restart_bench.sh --events "$scaling" ${keep:+--keep "$keep/scaling"}
fi
