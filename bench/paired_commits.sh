#!/usr/bin/env bash
# Paired ratios of benchmark cases between two builds of patchrace_bench, the measure
# for "no slower than commit X": each round runs a case with the new binary and the
# old one, in alternating order, and divides the new time per infection by the old.
# On a shared machine whose speed drifts, the pairing cancels the slower part of the
# drift; the median over rounds is the figure to quote, with its range.
#
# usage: bench/paired_commits.sh NEW_BENCH OLD_BENCH ROUNDS FILTER [FILTER ...]
#   FILTER: a --benchmark_filter regular expression matching one case, e.g.
#   'strategy_1e6/3/' or 'blaster_2003'
set -euo pipefail

if [[ $# -lt 4 ]]; then
  echo "usage: $0 NEW_BENCH OLD_BENCH ROUNDS FILTER [FILTER ...]" >&2
  exit 2
fi
new=$1
old=$2
rounds=$3
shift 3
for binary in "$new" "$old"; do
  if [[ ! -x $binary ]]; then
    echo "$0: $binary is not an executable" >&2
    exit 2
  fi
done
if ! [[ $rounds =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: ROUNDS must be a positive whole number, got '$rounds'" >&2
  exit 2
fi

# Time per infection of one run of the case FILTER with BINARY, in nanoseconds.
time_per_infection() {
  local value
  value=$("$1" --benchmark_filter="$2" --benchmark_repetitions=1 2>/dev/null |
    grep -o 'time_per_infection=[0-9.]*[num]s' | head -1 | sed 's/time_per_infection=//' |
    awk '{v = $1 + 0; if ($1 ~ /us$/) v *= 1e3; else if ($1 ~ /ms$/) v *= 1e6; print v}')
  if [[ -z $value ]]; then
    echo "$0: $1 has no case matching '$2' with a time_per_infection" >&2
    exit 2
  fi
  echo "$value"
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for ((r = 1; r <= rounds; ++r)); do
  line="round $r"
  for filter in "$@"; do
    if ((r % 2)); then
      a=$(time_per_infection "$new" "$filter")
      b=$(time_per_infection "$old" "$filter")
    else
      b=$(time_per_infection "$old" "$filter")
      a=$(time_per_infection "$new" "$filter")
    fi
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')
    line+=$(printf '  %s: %.0f/%.0f ns = %s' "$filter" "$a" "$b" "$ratio")
    echo "$filter $ratio" >> "$results"
  done
  echo "$line"
done
for filter in "$@"; do
  awk -v f="$filter" '$1 == f { r[++n] = $2 }
    END {
      for (i = 2; i <= n; ++i) { x = r[i]; for (j = i - 1; j >= 1 && r[j] > x; --j) r[j + 1] = r[j]; r[j + 1] = x }
      m = (n % 2) ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
      printf "%s: median new/old %.3f (%.3f-%.3f) over %d rounds\n", f, m, r[1], r[n], n
    }' "$results"
done
