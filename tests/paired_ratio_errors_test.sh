#!/usr/bin/env bash
# Bad input to bench/paired_ratio.sh: each gets its one-line message and exit code 2,
# before anything runs. usage: paired_ratio_errors_test.sh SOURCE_DIR
set -u
script="$1/bench/paired_ratio.sh"
failures=0
expect() {  # expect MESSAGE ARGS...
  local message=$1
  shift
  local err status
  err=$(bash "$script" "$@" 2>&1 >/dev/null)
  status=$?
  if [[ $status -ne 2 || $err != "$message" ]]; then
    echo "paired_ratio.sh $*: exit $status, said '$err'; expected exit 2 and '$message'"
    failures=$((failures + 1))
  fi
}
expect "usage: $script BENCH_BINARY ROUNDS [CASE ...]" /bin/true
expect "$script: /nonexistent/bench is not an executable" /nonexistent/bench 3
expect "$script: ROUNDS must be a positive whole number, got '0'" /bin/true 0
expect "$script: ROUNDS must be a positive whole number, got 'x'" /bin/true x
expect "$script: a case is one of 1 to 5 (strategy_1e6/N), got '7'" /bin/true 2 1 7
exit $((failures > 0))
