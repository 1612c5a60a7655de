#!/usr/bin/env bash
# What a writer's restart costs against the history behind it: for each
# size, a generated district log; the first start (no writer state: the
# whole log is folded, the baseline of reading it) and a restart from the
# writer's checkpoint (<data>/writer), each timed to /healthz and /readyz,
# with the server's peak RSS. The restart should not grow with the log.
# Usage: ops/bench/restart_bench.sh [--cases "2000 8000"]
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes="2000 8000"
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) sizes="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
ops/build.sh release aidtrail >/dev/null
B=build/release/api/aidtrail
dir=$(mktemp -d)
trap '[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
now_ms() { date +%s%3N; }
# Starts the server on $1, prints "<ms to healthz> <ms to readyz> <peak RSS MiB>", stops it.
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
    sleep 0.05
  done
  local rss
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
  echo "$h $r $rss"
}
"$B" token --config "$dir/server.json" --role supervisor --actor S1 --agency jm \
  --out "$dir/token" >/dev/null 2>&1
printf "%-8s %-9s %-26s %-26s %s\n" cases records "first start: healthz/readyz" "restart: healthz/readyz" "peak RSS first/restart"
for n in $sizes; do
  data="$dir/d$n"
  "$B" generate --data "$data" --year 2025 --cases "$n" --lawyers 40 \
    --consultations $((n / 2)) --duty-services $((n / 6)) >/dev/null 2>&1
  rm -rf "$data/writer" "$data/views"  # the first start folds everything
  read -r h1 r1 m1 < <(start "$data")
  read -r h2 r2 m2 < <(start "$data")
  records=$(grep -o '"records_read":"[0-9]*"' "$dir/server.log" | grep -o '[0-9]*' || echo "?")
  printf "%-8s %-9s %-26s %-26s %s\n" "$n" "(restart read $records)" "${h1} ms / ${r1} ms" \
    "${h2} ms / ${r2} ms" "${m1} / ${m2} MiB"
done
