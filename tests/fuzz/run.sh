#!/usr/bin/env bash
# Runs the fuzz targets built in BUILD (cmake -DPATCHRACE_FUZZ=ON) one after another, each
# from its corpus, and fails if any finds a crash, a leak, a hang (-timeout) or a memory
# blow-up (-rss_limit_mb). docs/reliability.md explains the layout and the figures.
#
# Usage: tests/fuzz/run.sh BUILD (--time SECONDS | --runs N) [TARGET...]
#   --time S   run each target for S seconds (the CI smoke run: 60)
#   --runs N   run each target for N executions (the long run: 10000000)
#   TARGET     scenario, allocation, ... (default: every patchrace_fuzz_* in BUILD)
#
# Files under BUILD/fuzz/:
#   seed/<target>/       seed inputs, rewritten on every run by make_corpus.sh
#   corpus/<target>/     inputs that reached new code, kept between runs (delete to restart)
#   artifacts/<target>/  inputs that failed: crash-*, leak-*, timeout-*, oom-*
#   logs/<target>.log    libFuzzer's output
#   work/<target>/       the working directory (relative file names in inputs resolve here;
#                        it holds allocated.txt, an allocation list a scenario may name)
# Every input is cut to 64 KiB (-max_len); FUZZ_TIMEOUT (default 10) is the seconds one input
# may take, wall clock: raise it on a loaded machine. A failure's input is reproduced by running the
# target's executable with the artifact as its only argument.
set -euo pipefail
usage() { echo "usage: $0 BUILD (--time SECONDS | --runs N) [TARGET...]" >&2; exit 2; }
[ $# -ge 3 ] || usage
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$1" && pwd)"
case "$2" in
  --time) limit=(-max_total_time="$3") ;;
  --runs) limit=(-runs="$3") ;;
  *) usage ;;
esac
[[ "$3" =~ ^[0-9]+$ ]] || usage
shift 3
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for exe in "$build"/tests/fuzz/patchrace_fuzz_*; do
    [ -x "$exe" ] && targets+=("${exe##*/patchrace_fuzz_}")
  done
fi
[ ${#targets[@]} -gt 0 ] || { echo "$0: no fuzz targets in $build/tests/fuzz" >&2; exit 2; }

fuzz="$build/fuzz"
# Symbolized stack traces in reports (Debian installs llvm-symbolizer under a versioned name).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
"$src/tests/fuzz/make_corpus.sh" "$fuzz/seed" > /dev/null
failed=()
for target in "${targets[@]}"; do
  exe="$build/tests/fuzz/patchrace_fuzz_$target"
  [ -x "$exe" ] || { echo "$0: no fuzz target $exe" >&2; exit 2; }
  mkdir -p "$fuzz/corpus/$target" "$fuzz/seed/$target" "$fuzz/artifacts/$target" \
           "$fuzz/logs" "$fuzz/work/$target"
  cp "$src/tests/fuzz/corpus/allocation/nested.txt" "$fuzz/work/$target/allocated.txt"
  options=(-max_len=65536 -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1
           -artifact_prefix="$fuzz/artifacts/$target/" "${limit[@]}")
  [ -f "$src/tests/fuzz/$target.dict" ] && options+=(-dict="$src/tests/fuzz/$target.dict")
  log="$fuzz/logs/$target.log"
  echo "fuzz $target: ${limit[*]} (log: $log)"
  status=0
  (cd "$fuzz/work/$target" &&
     "$exe" "${options[@]}" "$fuzz/corpus/$target" "$fuzz/seed/$target") > "$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  size="$(find "$fuzz/corpus/$target" -type f | wc -l)"
  echo "fuzz $target: ${runs:-?} executions, ${speed:-?} exec/s, corpus $size inputs, exit $status"
  if [ "$status" -ne 0 ]; then
    grep -E "ERROR: |runtime error|SUMMARY|fuzz: |Test unit written|terminate called" "$log" | head -20 || true
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $fuzz/artifacts/)" >&2
  exit 1
fi
