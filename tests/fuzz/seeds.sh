#!/bin/sh
# Builds a seed corpus for tests/fuzz/parse_fuzz from the scripts in the
# source tree: every tests/**/*.syn and examples/*.syn, one file each.
#
#   sh tests/fuzz/seeds.sh SOURCE_DIR OUTPUT_DIR
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 SOURCE_DIR OUTPUT_DIR" >&2
    exit 2
fi
source_dir=$1
output_dir=$2
if [ ! -d "$source_dir" ]; then
    echo "$0: $source_dir: not a directory" >&2
    exit 1
fi
mkdir -p "$output_dir"

for top in tests examples; do
    [ -d "$source_dir/$top" ] || continue
    # Names keep their path (tests/parse/ok/x.syn -> tests_parse_ok_x.syn)
    # so that scripts of the same name in different folders do not clash.
    find "$source_dir/$top" -type f -name '*.syn' | LC_ALL=C sort | {
        copied=0
        while IFS= read -r script; do
            relative=${script#"$source_dir"/}
            name=$(printf '%s' "$relative" | tr '/' '_')
            cp "$script" "$output_dir/$name"
            copied=$((copied + 1))
        done
        echo "$copied"
    }
done | {
    while read -r n; do count=$((count + n)); done
    echo "seeds.sh: $count seed scripts in $output_dir"
}
