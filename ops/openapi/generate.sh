#!/usr/bin/env bash
# Regenerates api/openapi.json from the route table of the built binary and
# the protobuf schemas. Usage: ops/openapi/generate.sh [release|debug|asan]
# Build first (ops/build.sh); build again afterwards, since the server
# serves the document compiled into it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
preset="${1:-release}"
build="$repo_root/build/$preset"
aidtrail="$build/api/aidtrail"
if [ ! -x "$aidtrail" ]; then
  echo "error: $aidtrail not found; run: ops/build.sh $preset" >&2
  exit 1
fi
py="$(openapi_python "$build/openapi-venv")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
openapi_inputs "$aidtrail" "$tmp"
"$py" "$openapi_dir/generate.py" --routes "$tmp/routes.json" --descriptors "$tmp/descriptors.pb" \
  --out "$repo_root/api/openapi.json"
echo "wrote api/openapi.json; now rebuild (ops/build.sh $preset) so the server serves it"
