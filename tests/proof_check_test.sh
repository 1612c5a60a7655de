#!/usr/bin/env bash
# An auditor checks two published notices and a payment against what a
# server serves: the honest server's proofs pass, and each proof forged by a
# lying server (tests/lying_server.py, between the auditor and the real
# server) is rejected with a message naming what failed; so is a notice
# with one changed figure. Usage: proof_check_test.sh AIDTRAIL_BINARY
set -euo pipefail
B="$1"
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
fail() { echo "FAILED: $*" >&2; exit 1; }
wait_port() {  # FILE URL-PATH
  for _ in $(seq 150); do
    [ -s "$1" ] && curl -sf "http://127.0.0.1:$(cat "$1")$2" >/dev/null && return 0
    sleep 0.2
  done
  return 1
}

"$B" generate --data d --year 2025 --cases 150 --seed 5 >/dev/null
for role in auditor intake; do "$B" token --config d/server.json --role $role --actor ${role}-1 --out $role 2>/dev/null; done
"$B" serve --config d/server.json --data d --listen 127.0.0.1:0 --port-file port 2>server.log &
pids+=($!)
wait_port port /readyz || { tail -20 server.log >&2; fail "server did not start"; }
url="http://127.0.0.1:$(cat port)"

# Two notices of 2025, a new application recorded between them.
curl -sf "$url/v1/public/notices/2025" >old.json
curl -sf -X POST "$url/v1/commands/submit_application" -H "Authorization: Bearer $(cat intake)" -d '{
  "commandId": "proof-test-1", "streamId": "case/PROOF-1",
  "submitApplication": {"channel": "CHANNEL_WINDOW", "category": "CASE_CATEGORY_CIVIL", "matter": "wage-arrears",
    "applicant": {"subjectId": "SUBJ-PROOF-1", "age": 40}, "infringementRegion": "440703"}}' >/dev/null
curl -sf "$url/v1/public/notices/2025" >new.json
python3 - old.json new.json <<'PY' || fail "the two notices name the same checkpoint"
import json, sys
a, b = (json.load(open(f))["checkpoint"]["rootHex"] for f in sys.argv[1:3])
sys.exit(0 if a != b else 1)
PY
payment=$(curl -sf "$url/v1/payments/2025" -H "Authorization: Bearer $(cat auditor)" | python3 -c '
import json, sys
t = json.load(sys.stdin)["payments"][0]
print(t["caseId"].removeprefix("case/") + "/" + t["subsidyId"])')
check() {  # SERVER-URL [extra args]
  "$B" check-proofs --server "$1" --token-file auditor --key d/operator.pub --notice new.json \
    --previous old.json --payment "$payment" "${@:2}"
}

check "$url" >honest.txt 2>&1 || { cat honest.txt >&2; fail "honest proofs were rejected"; }
grep -q "一致性证明" honest.txt && grep -q "包含证明" honest.txt || fail "honest run did not check both proofs"

for mode in consistency-path:proof.consistency inclusion-path:proof.inclusion inclusion-record:proof.record; do
  m=${mode%%:*} code=${mode#*:}
  rm -f liar.port
  python3 "$here/lying_server.py" "$url" "$m" liar.port &
  pids+=($!)
  wait_port liar.port /healthz || fail "the lying server did not start"
  if check "http://127.0.0.1:$(cat liar.port)" >liar.txt 2>&1; then
    cat liar.txt >&2
    fail "a forged proof ($m) was accepted"
  fi
  grep -q "\[$code\]" liar.txt || { cat liar.txt >&2; fail "forged $m not named as $code"; }
  grep -q "未通过" liar.txt || fail "no Chinese failure line for $m"
  kill "${pids[-1]}"
done

# A published notice with one figure changed no longer matches its signature.
python3 - new.json <<'PY'
import json, sys
n = json.load(open(sys.argv[1]))
for t in n["tables"]:
    for r in t["rows"]:
        for c in r.get("cells", []):
            if c.get("value") not in (None, "0", 0) and not c.get("suppressed"):
                c["value"] = str(int(c["value"]) + 1)
                json.dump(n, open("forged.json", "w"), ensure_ascii=False)
                sys.exit(0)
sys.exit("no figure to change")
PY
if "$B" check-proofs --server "$url" --key d/operator.pub --notice forged.json >forged.txt 2>&1; then
  fail "a notice with a changed figure was accepted"
fi
grep -q "notice.figures_digest" forged.txt || { cat forged.txt >&2; fail "the changed figure was not named"; }
echo "proofs: honest accepted; forged consistency, inclusion path and record rejected; changed figure rejected"
