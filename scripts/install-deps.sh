#!/usr/bin/env bash
# Installs the Debian 12 packages patchrace needs to build and test, if missing.
set -euo pipefail

packages=(g++ make cmake pkg-config
          libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev librandom123-dev
          libgtest-dev libbenchmark-dev)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
