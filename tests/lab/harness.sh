# What the lab's tests share: TAP checks, polling conditions for lab_wait, and
# syn tracing a recipe (a script runs while the recipe runs; its counts are
# compared with what the recipe made happen).  Sourceable POSIX sh; source
# lib.sh (ok/not_ok) and lab.sh first.

# check NAME MEASURED EXPECTED: one TAP line.
check() {
    if [ "$2" = "$3" ]; then
        ok "$1 = $3"
    else
        not_ok "$1 = $3" "measured $2"
    fi
}

note() { echo "# $*"; }

queue_is() { [ "$(lab_listen_queue "$1" "$2")" = "$3" ]; }
counter_reaches() { [ "$(lab_delta "$1" "$2")" -ge "$3" ]; }
syn_recv_is() { [ "$(lab_syn_recv "$1" "$2")" = "$3" ]; }
# Each flooding SYN ends as a request socket, a counted drop or a cookie.
flood_accounted() {
    [ $(($(lab_syn_recv "$1" "$2") + $(lab_delta "$1" TcpExtListenDrops) +
        $(lab_delta "$1" TcpExtTCPReqQFullDoCookies))) -ge "$3" ]
}

# trace VAR SCRIPT ARGUMENT [NS]: syn runs SCRIPT with one script argument
# (a namespace's inode, to filter on) in the background, on the host or in
# namespace NS (packet probes see the devices of the namespace syn runs in).
# VAR gets its pid and VAR_output its output file.  Waits until its probes
# are attached, which -v says: begin runs before they are, as in SystemTap.
trace() {
    lab_init || return 1
    # A file of its own each time: the background shell truncates the file
    # only when it gets to run, and the wait below must not read an earlier
    # trace's "attached".
    _trace_serial=$((${_trace_serial:-0} + 1))
    _trace_out=$LAB_WORK/trace.$_trace_serial.$1
    : >"$_trace_out"
    printf '%s\n' "$2" >"$LAB_WORK/script.$1.syn"
    if [ -n "${4:-}" ]; then
        ip netns exec "$4" "$SYN" -v "$LAB_WORK/script.$1.syn" "$3" >"$_trace_out" 2>&1 </dev/null &
    else
        "$SYN" -v "$LAB_WORK/script.$1.syn" "$3" >"$_trace_out" 2>&1 </dev/null &
    fi
    LAB_PIDS="$LAB_PIDS $!"
    eval "$1=\$!"
    eval "${1}_output=\$_trace_out"
    lab_wait 20 grep -q 'kernel programs attached' "$_trace_out"
}

# trace_end PID: ends syn with SIGINT (its end probes print) and waits for it.
trace_end() {
    kill -INT "$1" 2>/dev/null
    if ! lab_wait 30 _lab_exited "$1"; then
        # Where it is stuck, for the log.
        echo "# syn $1 did not end after SIGINT: state $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)," \
            "in $(cat "/proc/$1/wchan" 2>/dev/null); $(tr '\n' ' ' <"/proc/$1/stack" 2>/dev/null)"
        kill -KILL "$1" 2>/dev/null
    fi
    wait "$1" 2>/dev/null
}

namespace_inode() {
    lab_exec "$1" readlink /proc/self/ns/net | tr -dc 0-9
}

# A syn value printed as "name=value" on a line of its own.
value() { sed -n "s/^$2=//p" "$1" | tail -1; }

# The script's output without syn's -v notes, on one line.
printed() { grep -v '^syn: note:' "$1" | tr '\n' ' '; }
