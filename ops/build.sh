#!/usr/bin/env bash
# Configures and builds aidtrail. Usage: ops/build.sh [release|debug|asan] [target...]
# (no target: everything, tests included)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
ops/install-deps.sh
cmake --preset "$preset" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build --preset "$preset" "${targets[@]}"
