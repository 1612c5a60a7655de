#!/usr/bin/env bash
# Configures and builds aidtrail. Usage: ops/build.sh [release|debug|asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
ops/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
