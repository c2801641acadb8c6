#!/usr/bin/env bash
# Bad input to bench/paired_commits.sh: each gets its one-line message and exit code 2.
# usage: paired_commits_errors_test.sh SOURCE_DIR
set -u
script="$1/bench/paired_commits.sh"
failures=0
expect() {  # expect MESSAGE ARGS...
  local message=$1
  shift
  local err status
  err=$(bash "$script" "$@" 2>&1 >/dev/null)
  status=$?
  if [[ $status -ne 2 || $err != "$message" ]]; then
    echo "paired_commits.sh $*: exit $status, said '$err'; expected exit 2 and '$message'"
    failures=$((failures + 1))
  fi
}
expect "usage: $script NEW_BENCH OLD_BENCH ROUNDS FILTER [FILTER ...]" /bin/true /bin/true 3
expect "$script: /nonexistent/bench is not an executable" /nonexistent/bench /bin/true 3 x
expect "$script: /nonexistent/old is not an executable" /bin/true /nonexistent/old 3 x
expect "$script: ROUNDS must be a positive whole number, got '0'" /bin/true /bin/true 0 x
expect "$script: /bin/true has no case matching 'nosuch' with a time_per_infection" /bin/true /bin/true 1 nosuch
exit $((failures > 0))
