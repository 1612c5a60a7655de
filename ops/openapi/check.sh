#!/usr/bin/env bash
# Checks api/openapi.json against the server (ctest openapi_check): the
# route table, freshness against the generator, OpenAPI validity, and live
# answers of a real server with demo data (check.py says which).
# Usage: ops/openapi/check.sh AIDTRAIL_BINARY [VENV_DIR]
# The venv (default: beside the binary's build tree) is created on first use.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
aidtrail="$(realpath "${1:?usage: check.sh AIDTRAIL_BINARY [VENV_DIR]}")"
venv="${2:-$(dirname "$(dirname "$aidtrail")")/openapi-venv}"
py="$(openapi_python "$venv")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

openapi_inputs "$aidtrail" "$tmp"
generated=(--generated "$tmp/openapi.json")
if ! "$py" "$openapi_dir/generate.py" --routes "$tmp/routes.json" \
  --descriptors "$tmp/descriptors.pb" --out "$tmp/openapi.json"; then
  generated=()
fi
"$py" "$openapi_dir/check.py" --aidtrail "$aidtrail" --routes "$tmp/routes.json" \
  --document "$repo_root/api/openapi.json" "${generated[@]}"
