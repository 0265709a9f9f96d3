# Helpers for tests that run syn commands one by one: run keeps a command's
# status, standard output and standard error; check makes one test point of
# a condition on them and shows the last run when it fails.  Sourced after
# tests/lib.sh.

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {
    "$@" >"$work/out" 2>"$work/err" </dev/null
    status=$?
}

check() {
    name=$1
    shift
    if "$@"; then
        ok "$name"
    else
        not_ok "$name" "status $status
--- stdout:
$(head -c 2000 "$work/out")
--- stderr:
$(head -c 2000 "$work/err")"
    fi
}

status_is() { [ "$status" -eq "$1" ]; }
out_has() { grep -q -e "$1" "$work/out"; }
err_has() { grep -q -e "$1" "$work/err"; }
out_has_fixed() { grep -q -F -e "$1" "$work/out"; }
err_has_fixed() { grep -q -F -e "$1" "$work/err"; }
out_empty() { [ ! -s "$work/out" ]; }
err_empty() { [ ! -s "$work/err" ]; }
err_lacks() { ! grep -q -e "$1" "$work/err"; }
