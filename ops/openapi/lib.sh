# Shared by generate.sh and check.sh (sourced, not run).

openapi_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$openapi_dir/../.." && pwd)"
# Keep the source tree free of __pycache__ when the checks run.
export PYTHONDONTWRITEBYTECODE=1

# openapi_python VENV: makes sure VENV holds requirements.txt (creating or
# refreshing it when the pins change) and prints its python.
openapi_python() {
  local venv="$1" req="$openapi_dir/requirements.txt"
  if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$venv/requirements.txt"; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
      if [ "$(id -u)" -ne 0 ]; then
        echo "error: python3-venv missing and not running as root; run: sudo apt-get install python3-venv" >&2
        return 1
      fi
      echo "installing: python3-venv" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-venv >&2
    fi
    echo "preparing $venv" >&2
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install -q -r "$req" >&2
    cp "$req" "$venv/requirements.txt"
  fi
  echo "$venv/bin/python"
}

# openapi_inputs AIDTRAIL DIR: the generator's inputs in DIR: routes.json
# (the route table of that binary) and descriptors.pb (every schema, with
# comments).
openapi_inputs() {
  local aidtrail="$1" dir="$2"
  "$aidtrail" routes >"$dir/routes.json"
  local protos
  protos=$(cd "$repo_root" && ls events/proto/aidtrail/v1/*.proto api/proto/aidtrail/api/*.proto | LC_ALL=C sort)
  # shellcheck disable=SC2086  # one argument per file
  (cd "$repo_root" && "${PROTOC:-protoc}" -I events/proto -I api/proto --include_imports \
    --include_source_info --descriptor_set_out="$dir/descriptors.pb" $protos)
}
