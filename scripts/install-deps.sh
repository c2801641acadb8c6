#!/usr/bin/env bash
# Installs the Debian 12 packages patchrace needs, if missing.
#   scripts/install-deps.sh         to build, run, test and benchmark (g++; also enough for
#                                   the sanitizer and assertion builds: g++ brings libasan
#                                   and libubsan)
#   scripts/install-deps.sh fuzz    also clang 14, its sanitizer and libFuzzer runtimes and
#                                   llvm-symbolizer, for the fuzz targets (make fuzz-smoke)
set -euo pipefail

packages=(g++ make cmake pkg-config
          libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev librandom123-dev
          libgtest-dev libbenchmark-dev)
fuzz_packages=(clang-14 libclang-rt-14-dev llvm-14)

case "${1:-}" in
  "") ;;
  fuzz) packages+=("${fuzz_packages[@]}") ;;
  *) echo "usage: $0 [fuzz]" >&2; exit 2 ;;
esac

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
