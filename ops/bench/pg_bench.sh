#!/usr/bin/env bash
# What a team would build instead of our log: a PostgreSQL events table.
# Each transaction is one command's commit — read the stream's version, add
# three events after it (primary key stream + version), move the version
# only if nobody else did — with synchronous_commit=on and fsync, from C
# clients (pgbench), on the same disk as the other benchmarks. Prints the
# rate and a line for ops/bench/run.sh ("pg_events_per_s N").
# Usage: ops/bench/pg_bench.sh [--seconds S] [--clients C]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=5 clients=16
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
pgbin=$(find_bin)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/pgbench" ]; then
  [ "$(id -u)" = 0 ] || { echo "PostgreSQL is not installed (apt-get install postgresql, as root)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null
  pgbin=$(find_bin)
fi
# PostgreSQL refuses to run as root: as root, run it as its own user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/aidtrail-pg.XXXXXX")
[ "$(id -u)" = 0 ] && chown postgres "$dir"
trap 'as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U bench >/dev/null
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses='' -k $dir -c synchronous_commit=on -c fsync=on -c max_connections=200" \
  start >/dev/null
psql() { as_pg "$pgbin/psql" -h "$dir" -U bench -d postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql -c "CREATE TABLE streams (id int PRIMARY KEY, version bigint NOT NULL);
         CREATE TABLE events (stream int, version bigint, payload bytea NOT NULL,
                              PRIMARY KEY (stream, version));
         INSERT INTO streams SELECT g, 0 FROM generate_series(1, $clients) g;"
# Each client appends to its own stream, as our writers do, so the check
# never conflicts: what is measured is the commit path. Events of about
# 300 bytes, as in log_bench.
cat >"$dir/append.sql" <<'SQL'
BEGIN;
SELECT version AS v FROM streams WHERE id = :client_id + 1 FOR UPDATE \gset
INSERT INTO events VALUES (:client_id + 1, :v + 1, convert_to(repeat('x', 300), 'UTF8')),
                          (:client_id + 1, :v + 2, convert_to(repeat('x', 300), 'UTF8')),
                          (:client_id + 1, :v + 3, convert_to(repeat('x', 300), 'UTF8'));
UPDATE streams SET version = :v + 3 WHERE id = :client_id + 1 AND version = :v;
COMMIT;
SQL
chmod a+r "$dir/append.sql"
out=$(as_pg "$pgbin/pgbench" -h "$dir" -U bench -n -M prepared -c "$clients" -j 2 -T "$seconds" \
  -f "$dir/append.sql" postgres)
tps=$(awk '/^tps = / {print $3; exit}' <<<"$out")
failed=$(awk '/number of failed transactions/ {print $5; exit}' <<<"$out")
[ -n "$tps" ] || { echo "pgbench printed no rate:" >&2; echo "$out" >&2; exit 1; }
stored=$(psql -At -c "SELECT count(*) FROM events")
echo "PostgreSQL events table, $clients clients, 3-event commits with a version check:" \
  "$(printf '%.0f' "$tps") commits/s, $(awk -v t="$tps" 'BEGIN {printf "%.0f", 3 * t}') events/s" \
  "(failed transactions: ${failed:-0}; $stored events stored)"
echo "pg_events_per_s $(awk -v t="$tps" 'BEGIN {printf "%.0f", 3 * t}')"
