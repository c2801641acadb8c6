#!/usr/bin/env bash
# Paired ratios of the strategy_1e6 cases to uniform scanning, the measure of
# bench/README.md: each round runs uniform scanning, the case, and uniform scanning
# again, and divides the case's time per infection by the mean of the two uniform
# runs. On a shared machine whose speed drifts, the pairing cancels the slower part
# of the drift; the median over rounds is the figure to quote, with its range.
#
# usage: bench/paired_ratio.sh BENCH_BINARY ROUNDS [CASE ...]   (cases: 1 to 5; all by default)
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 BENCH_BINARY ROUNDS [CASE ...]" >&2
  exit 2
fi
binary=$1
rounds=$2
shift 2
cases=("$@")
if [[ ${#cases[@]} -eq 0 ]]; then cases=(1 2 3 4 5); fi
if [[ ! -x $binary ]]; then
  echo "$0: $binary is not an executable" >&2
  exit 2
fi
if ! [[ $rounds =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: ROUNDS must be a positive whole number, got '$rounds'" >&2
  exit 2
fi
for c in "${cases[@]}"; do
  if ! [[ $c =~ ^[1-5]$ ]]; then
    echo "$0: a case is one of 1 to 5 (strategy_1e6/N), got '$c'" >&2
    exit 2
  fi
done

# Time per infection of one run of strategy_1e6/N, in nanoseconds.
time_per_infection() {
  "$binary" --benchmark_filter="strategy_1e6/$1/" --benchmark_repetitions=1 2>/dev/null |
    grep -o 'time_per_infection=[0-9.]*[num]s' | head -1 | sed 's/time_per_infection=//' |
    awk '{v = $1 + 0; if ($1 ~ /us$/) v *= 1e3; else if ($1 ~ /ms$/) v *= 1e6; print v}'
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for ((r = 1; r <= rounds; ++r)); do
  line="round $r"
  for c in "${cases[@]}"; do
    before=$(time_per_infection 0)
    t=$(time_per_infection "$c")
    after=$(time_per_infection 0)
    ratio=$(awk -v t="$t" -v a="$before" -v b="$after" 'BEGIN { printf "%.3f", t / ((a + b) / 2) }')
    line+=$(printf '  %s: %.0f/%.0f ns = %s' "$c" "$t" "$(awk -v a="$before" -v b="$after" 'BEGIN { print (a + b) / 2 }')" "$ratio")
    echo "$c $ratio $t" >> "$results"
  done
  echo "$line"
done
for c in "${cases[@]}"; do
  awk -v c="$c" '$1 == c { r[++n] = $2; t[n] = $3 }
    END {
      asort_r(r, n); asort_r(t, n)
      m = (n % 2) ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
      mt = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
      printf "strategy_1e6/%s: median ratio %.2f (%.2f-%.2f) over %d rounds, median %.0f ns per infection\n", c, m, r[1], r[n], n, mt
    }
    function asort_r(a, n,    i, j, x) { for (i = 2; i <= n; ++i) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; --j) a[j + 1] = a[j]; a[j + 1] = x } }' "$results"
done
