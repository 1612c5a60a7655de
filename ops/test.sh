#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs dependencies, builds and
# runs every test with ctest. Usage: ops/test.sh [release|debug|asan] [ctest args...]
# Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
ops/build.sh "$preset"
ctest --preset "$preset" -j2 "$@"
