# Shared helpers for the shell test scripts: TAP output and the corpus runner.
# Each test script sources this file; SYN, TESTS_SOURCE and TESTS_BUILD come
# from the test environment (Makefile.am), with fallbacks for running a
# script by hand from the source tree.

: "${TESTS_SOURCE:=$(cd "$(dirname "$0")" && pwd)}"
: "${SYN:=$TESTS_SOURCE/../syn}"
: "${TESTS_BUILD:=$TESTS_SOURCE}"

tap_count=0
tap_failed=0

ok() {
    tap_count=$((tap_count + 1))
    echo "ok $tap_count - $1"
}

not_ok() {
    tap_count=$((tap_count + 1))
    tap_failed=$((tap_failed + 1))
    echo "not ok $tap_count - $1"
    if [ -n "${2:-}" ]; then
        printf '%s\n' "$2" | sed 's/^/# /'
    fi
}

skip() {
    tap_count=$((tap_count + 1))
    echo "ok $tap_count - $1 # SKIP $2"
}

finish() {
    echo "1..$tap_count"
    [ "$tap_failed" -eq 0 ]
}

# The extra command-line words of a corpus case: NAME.opts holds options
# that go before the script, NAME.args the script arguments after it.
case_options() { [ -f "$1.opts" ] && cat "$1.opts"; true; }
case_arguments() { [ -f "$1.args" ] && cat "$1.args"; true; }

# run_corpus DIR PASS EXPECT: runs every DIR/*.syn with -pPASS from inside
# DIR (so messages name the file as NAME.syn) and compares with NAME.EXTENSION.
# EXPECT is "ok" (exit 0, stdout equals NAME.pN, no errors on stderr) or
# "ko" (exit 1, stderr equals NAME.err).
run_corpus() {
    dir=$1 pass=$2 expect=$3
    for script in "$dir"/*.syn; do
        [ -e "$script" ] || continue
        name=$(basename "$script" .syn)
        base="$dir/$name"
        actual_out=$(mktemp) actual_err=$(mktemp)
        # shellcheck disable=SC2046
        (cd "$dir" && "$SYN" -p"$pass" $(case_options "$name") "$name.syn" $(case_arguments "$name")) \
            >"$actual_out" 2>"$actual_err"
        status=$?
        if [ "$expect" = ok ]; then
            golden="$base.p$pass"
            if [ "$status" -ne 0 ]; then
                not_ok "$name: accepted" "exit status $status; stderr:
$(cat "$actual_err")"
            elif [ ! -f "$golden" ]; then
                not_ok "$name: accepted" "missing expected output $golden"
            elif ! diff -u "$golden" "$actual_out" >/dev/null; then
                not_ok "$name: -p$pass output" "$(diff -u "$golden" "$actual_out")"
            elif grep -q ': error:' "$actual_err"; then
                not_ok "$name: no errors" "$(cat "$actual_err")"
            else
                ok "$name"
            fi
        else
            golden="$base.err"
            if [ "$status" -ne 1 ]; then
                not_ok "$name: rejected with status 1" "exit status $status; stderr:
$(cat "$actual_err")"
            elif [ ! -f "$golden" ]; then
                not_ok "$name: rejected" "missing expected messages $golden"
            elif ! diff -u "$golden" "$actual_err" >/dev/null; then
                not_ok "$name: messages" "$(diff -u "$golden" "$actual_err")"
            else
                ok "$name"
            fi
        fi
        rm -f "$actual_out" "$actual_err"
    done
}
