#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets into OUT/<target>/, one input a file, from
# what the project already holds, so that no copy of them is committed:
#   scenario:   every preset, every ```toml block of docs/*.md, every raw string R"(...)"
#               of the scenario and CLI tests that reads as TOML;
#   every target: the hand-written inputs in tests/fuzz/corpus/<target>/.
# Usage: tests/fuzz/make_corpus.sh OUT   (OUT/<target>/ is emptied and refilled)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUT" >&2; exit 2; }
src="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1"

for dir in "$src"/tests/fuzz/corpus/*/; do
  target="$(basename "$dir")"
  rm -rf "${out:?}/$target"
  mkdir -p "$out/$target"
  cp "$dir"* "$out/$target/"
done

# extract PATTERN PREFIX FILE...: every match of PATTERN's first group, one file each,
# named PREFIX-<file stem>-<n>.toml in OUT/scenario.
extract() {
  local pattern="$1" prefix="$2"
  shift 2
  for file in "$@"; do
    DIR="$out/scenario" NAME="$prefix-$(basename "${file%.*}")" PATTERN="$pattern" perl -0777 -ne '
      my $n = 0;
      while (/$ENV{PATTERN}/msg) {
        my $text = $1;
        next if $text =~ /^\s*[\{\[]\s*["\{]/;   # JSON, not TOML
        next unless $text =~ /=/;
        my $path = sprintf("%s/%s-%02d.toml", $ENV{DIR}, $ENV{NAME}, $n++);
        open(my $f, ">", $path) or die "$path: $!";
        print $f $text;
        close $f;
      }' "$file"
  done
}

cp "$src"/presets/*.toml "$out/scenario/"
extract '^```toml\n(.*?)^```' doc "$src"/docs/*.md
extract 'R"\((.*?)\)"' test "$src"/tests/scenario_toml_test.cpp \
  "$src"/tests/patch_scenario_toml_test.cpp "$src"/tests/cli_test.cpp "$src"/tests/output_test.cpp

for dir in "$out"/*/; do
  echo "$(basename "$dir"): $(find "$dir" -type f | wc -l) seed inputs"
done
