# Shared by the browser tests (sourced, not run): headless Chromium from
# Debian (installed with apt-get when missing and running as root), and a
# real server on a generated demo year.
#   need_chromium                 sets $chromium
#   need_pdftotext                poppler-utils, to read back a printed PDF
#   start_demo_server B DIR ROLE… generates the 2025 demo year (200 cases,
#                                 seed 11) in DIR, writes DIR/ROLE.token for
#                                 each ROLE, starts the server, sets $url and
#                                 $server (the caller's EXIT trap calls
#                                 stop_server)
#   browse URL ARGS…              headless Chromium on URL with ARGS
#   browser_test NAME             a work directory ($work), removed with the
#                                 server at exit, and `fail MESSAGE`
# Each failure calls `fail`.

browser_test() {
  test_name="$1"
  work=$(mktemp -d)
  server=""
  trap 'stop_server; rm -rf "$work"' EXIT
}

fail() {
  echo "${test_name:-browser}: $*" >&2
  exit 1
}

need_chromium() {
  chromium=$(command -v chromium || true)
  if [ -z "$chromium" ]; then
    [ "$(id -u)" -eq 0 ] || fail "chromium is not installed and this is not root; run: sudo apt-get install --no-install-recommends chromium"
    echo "installing chromium" >&2
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -q >&2 || fail "apt-get update failed or took over 5 minutes"
    timeout 600 apt-get install -y -q --no-install-recommends chromium >&2 || fail "apt-get install chromium failed or took over 10 minutes"
    chromium=$(command -v chromium) || fail "chromium installed but not on PATH"
  fi
  "$chromium" --version >&2
  # Pages ask for a CJK serif; without any CJK font screenshots and PDFs
  # show boxes for the Chinese text (the DOM checks do not depend on fonts).
  if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    echo "warning: no Chinese font installed; screenshots and PDFs show boxes for Chinese text" >&2
  fi
}

need_pdftotext() {
  command -v pdftotext >/dev/null && return 0
  [ "$(id -u)" -eq 0 ] || fail "pdftotext is not installed and this is not root; run: sudo apt-get install --no-install-recommends poppler-utils"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get install -y -q --no-install-recommends poppler-utils >&2 ||
    { timeout 300 apt-get update -q >&2 && timeout 600 apt-get install -y -q --no-install-recommends poppler-utils >&2; } ||
    fail "apt-get install poppler-utils failed"
}

start_demo_server() {
  local bin="$1" dir="$2"
  shift 2
  "$bin" generate --data "$dir/data" --year 2025 --cases 200 --seed 11 >/dev/null
  for role in "$@"; do
    "$bin" token --config "$dir/data/server.json" --role "$role" --actor "${role}-test" \
      --out "$dir/$role.token" 2>/dev/null
  done
  "$bin" serve --config "$dir/data/server.json" --data "$dir/data" --listen 127.0.0.1:0 \
    --port-file "$dir/port" 2>"$dir/server.log" &
  server=$!
  for _ in $(seq 150); do
    [ -s "$dir/port" ] && curl -sf -m 2 "http://127.0.0.1:$(cat "$dir/port")/readyz" >/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$dir/server.log" >&2; fail "server exited before it was ready"; }
    sleep 0.2
  done
  curl -sf -m 2 "http://127.0.0.1:$(cat "$dir/port")/readyz" >/dev/null ||
    { tail -20 "$dir/server.log" >&2; fail "server not ready after 30 s"; }
  url="http://127.0.0.1:$(cat "$dir/port")"
}

stop_server() {
  if [ -n "${server:-}" ]; then
    kill "$server" 2>/dev/null || true
    # The server stops on SIGTERM; if it has not within 10 s, end it.
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}

# As root Chromium needs --no-sandbox; its own profile directory keeps it
# off $HOME; --no-pdf-header-footer leaves a page as its @page rule (A4)
# prints it, without the browser's date and URL lines.
browse() {
  local target="$1"
  shift
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --hide-scrollbars --no-first-run --user-data-dir="${browser_profile:-$(mktemp -d)}" \
    "$@" "$target"
}
