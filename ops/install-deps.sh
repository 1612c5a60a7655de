#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test aidtrail.
# Idempotent: does nothing when every package is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libprotobuf-dev protobuf-compiler
  librdkafka-dev librocksdb-dev
  prometheus-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libboost-dev libboost-system-dev
  libssl-dev libsodium-dev
  libcli11-dev libspdlog-dev libfmt-dev
  libcsv-dev
  libxlsxwriter-dev
  clang-format
  prometheus
  maven default-jre-headless
  chromium fonts-wqy-microhei poppler-utils python3-venv wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "error: packages missing and not running as root; run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
