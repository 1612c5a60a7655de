#!/usr/bin/env bash
# Checks the monitoring files: the alerting rules and their unit tests with
# promtool, the dashboard's JSON and its queries, and that rules and dashboard
# name only metrics the server exports (lint.py). Exits non-zero on any problem.
# Installs promtool (Debian package prometheus) when it is missing and this
# runs as root, as ops/install-deps.sh does.
set -euo pipefail
cd "$(dirname "$0")"

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: $* missing and not running as root; run: sudo apt-get install $*" >&2
    exit 1
  fi
  echo "installing: $*" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "$@" >&2
}

command -v promtool >/dev/null || apt_install prometheus

# A python3 with PyYAML: the one on PATH, else Debian's.
py=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import yaml' 2>/dev/null; then
    py="$candidate"
    break
  fi
done
if [ -z "$py" ]; then
  apt_install python3-yaml
  py=/usr/bin/python3
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

failed=0
step() {
  echo "== $*"
  "$@" || { echo "FAILED: $*" >&2; failed=1; }
}

step promtool check rules aidtrail.rules.yml
step promtool test rules promtool-tests.yml
step "$py" -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' grafana-dashboard.json
step "$py" lint.py "$tmp/dashboard.rules.yml"
if [ -s "$tmp/dashboard.rules.yml" ]; then
  step promtool check rules "$tmp/dashboard.rules.yml"
fi

if [ "$failed" -ne 0 ]; then
  echo "monitoring check: FAILED" >&2
  exit 1
fi
echo "monitoring check: ok"
