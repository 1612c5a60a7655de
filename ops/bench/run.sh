#!/usr/bin/env bash
# Builds the benchmarks and runs them, with a real Kafka broker for the
# Kafka rows. Usage: ops/bench/run.sh [--events N]   (projection log size)
set -euo pipefail
cd "$(dirname "$0")/../.."
events=1000000
[ "${1:-}" = "--events" ] && events="$2"
ops/build.sh release >/dev/null
dir=$(mktemp -d)
trap 'ops/kafka/broker.sh stop "$dir/kafka" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
bootstrap=$(ops/kafka/broker.sh start "$dir/kafka")
echo "== event log: durable appends =="
build/release/ops/bench/log_bench --seconds 5 --threads 16 --kafka "$bootstrap" 2> >(grep -v '^%' >&2)
echo
echo "== projections =="
build/release/ops/bench/projection_bench --events "$events"
