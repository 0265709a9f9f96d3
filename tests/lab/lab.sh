# Network-namespace lab for the TCP handshake tests: sourceable shell
# functions (POSIX sh) that build namespaces and veth pairs, set per-netns
# sysctls, start the tcp_lab helper inside them and read the kernel's own
# view (TcpExt counters, ss).  See tests/lab/README.md.
#
# Everything a test creates is registered and removed by lab_cleanup, which
# lab_require installs as an EXIT trap (INT, TERM and HUP exit through it).
# Functions return their result on standard output or in the variable whose
# name they are given; they never exit except lab_skip and lab_require.
#
# Environment: LAB_HELPER (the tcp_lab program; default $HELPERS/tcp_lab,
# then $TESTS_BUILD/helpers/tcp_lab), LAB_SKIP_STATUS (the exit status of a
# skip, default 77), LAB_VERBOSE=1 (trace the commands run in namespaces).

LAB_NAMESPACES=
LAB_PIDS=
LAB_WORK=
_lab_serial=0
_lab_files=0

# ---- skipping and set-up ------------------------------------------------------

# lab_skip REASON: the test cannot run here.  Prints a TAP plan that skips
# everything (so a TAP harness reads a skip too) and exits LAB_SKIP_STATUS.
lab_skip() {
    echo "1..0 # SKIP $1"
    echo "lab: skipped: $1" >&2
    exit "${LAB_SKIP_STATUS:-77}"
}

# lab_require: skips unless root with ip, ss, the tcp_lab helper and working
# network namespaces; then sets up LAB_WORK and the clean-up trap.
lab_require() {
    [ "$(id -u)" -eq 0 ] || lab_skip "not root (network namespaces need CAP_SYS_ADMIN)"
    for _lab_tool in ip ss awk; do
        command -v "$_lab_tool" >/dev/null 2>&1 || lab_skip "$_lab_tool is not installed"
    done
    : "${LAB_HELPER:=${HELPERS:-${TESTS_BUILD:-.}/helpers}/tcp_lab}"
    [ -x "$LAB_HELPER" ] || lab_skip "helper $LAB_HELPER is not built"
    _lab_probe=synlab-probe-$$
    if ! _lab_why=$(ip netns add "$_lab_probe" 2>&1); then
        lab_skip "ip netns does not work here: $_lab_why"
    fi
    if ! _lab_why=$(ip netns exec "$_lab_probe" ip link set lo up 2>&1); then
        ip netns del "$_lab_probe" 2>/dev/null
        lab_skip "cannot enter a network namespace: $_lab_why"
    fi
    ip netns del "$_lab_probe"
    lab_init
}

# lab_init: the work folder and the clean-up trap (lab_require calls it).
lab_init() {
    [ -n "$LAB_WORK" ] && return 0
    LAB_WORK=$(mktemp -d "${TMPDIR:-/tmp}/synlab.XXXXXX") || return 1
    # shellcheck disable=SC2154 # _lab_status is set inside the trap
    trap '_lab_status=$?; lab_cleanup; exit $_lab_status' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}

# lab_cleanup: stops every registered process, kills whatever still runs in
# the registered namespaces, deletes them and the work folder.
lab_cleanup() {
    for _lab_pid in $LAB_PIDS; do
        lab_stop "$_lab_pid"
    done
    for _lab_ns in $LAB_NAMESPACES; do
        lab_netns_del "$_lab_ns"
    done
    [ -n "$LAB_WORK" ] && rm -rf "$LAB_WORK"
    LAB_WORK=
}

# ---- namespaces and links -------------------------------------------------------

# lab_netns_new VAR: a new namespace with a unique name (synlab-PID-N), its
# loopback up; the name goes into VAR.
lab_netns_new() {
    lab_init || return 1
    while :; do
        _lab_serial=$((_lab_serial + 1))
        _lab_ns=synlab-$$-$_lab_serial
        [ -e "/run/netns/$_lab_ns" ] || break
    done
    ip netns add "$_lab_ns" || return 1
    LAB_NAMESPACES="$LAB_NAMESPACES $_lab_ns"
    ip -n "$_lab_ns" link set lo up || return 1
    eval "$1=\$_lab_ns"
}

# lab_netns_del NS: kills the processes left in NS and deletes it.
lab_netns_del() {
    _lab_left=$(ip netns pids "$1" 2>/dev/null)
    # shellcheck disable=SC2086 # one pid a word
    [ -n "$_lab_left" ] && kill -KILL $_lab_left 2>/dev/null
    ip netns del "$1" 2>/dev/null
    LAB_NAMESPACES=$(echo "$LAB_NAMESPACES" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}

# lab_exec NS COMMAND [ARGS]: runs COMMAND inside NS.
lab_exec() {
    _lab_in=$1
    shift
    [ "${LAB_VERBOSE:-0}" = 1 ] && echo "lab[$_lab_in]: $*" >&2
    ip netns exec "$_lab_in" "$@"
}

# lab_veth NS_A NS_B [V4 [V6]]: the veth pair of the SYN-queue recipe.  NS_A
# gets lab0 with V4 (default 10.201.0.1/24) and V6 (default fd00:201::1/64,
# nodad and DAD off, so it is usable at once); NS_B only brings lab1 up, so
# nothing answers for the rest of the subnet: SYN-ACKs to its other
# addresses die unanswered (no ARP or neighbour reply, no RST).  Waits until
# the link is up on both sides.
lab_veth() {
    _lab_a=$1 _lab_b=$2
    ip -n "$_lab_a" link add lab0 type veth peer name lab1 netns "$_lab_b" || return 1
    lab_sysctl "$_lab_a" net.ipv6.conf.lab0.accept_dad=0 || return 1
    ip -n "$_lab_a" addr add "${3:-10.201.0.1/24}" dev lab0 || return 1
    ip -n "$_lab_a" addr add "${4:-fd00:201::1/64}" dev lab0 nodad || return 1
    ip -n "$_lab_a" link set lab0 up || return 1
    ip -n "$_lab_b" link set lab1 up || return 1
    lab_wait 5 _lab_link_ready "$_lab_a" lab0
}

_lab_link_ready() {
    ip -n "$1" link show "$2" 2>/dev/null | grep -q 'LOWER_UP' &&
        ! ip -n "$1" addr show dev "$2" 2>/dev/null | grep -q tentative
}

# lab_sysctl NS NAME=VALUE...: writes each sysctl inside NS through
# /proc/sys (net.ipv4.tcp_syncookies=0) and checks that it took.
lab_sysctl() {
    _lab_in=$1
    shift
    for _lab_setting in "$@"; do
        _lab_name=${_lab_setting%%=*}
        _lab_value=${_lab_setting#*=}
        _lab_file=/proc/sys/$(echo "$_lab_name" | tr . /)
        # shellcheck disable=SC2016 # expanded by the inner shell
        lab_exec "$_lab_in" sh -c 'echo "$1" > "$2"' sh "$_lab_value" "$_lab_file" || return 1
        _lab_now=$(lab_exec "$_lab_in" cat "$_lab_file") || return 1
        if [ "$_lab_now" != "$_lab_value" ]; then
            echo "lab: $_lab_name is $_lab_now in $_lab_in, not $_lab_value" >&2
            return 1
        fi
    done
}

# lab_tcp_settings NS [somaxconn=N] [syncookies=N] [abort_on_overflow=N]
#                  [max_syn_backlog=N] [synack_retries=N]: the handshake's
# sysctls by short name.
lab_tcp_settings() {
    _lab_in=$1
    shift
    for _lab_setting in "$@"; do
        case $_lab_setting in
        somaxconn=*) lab_sysctl "$_lab_in" "net.core.$_lab_setting" || return 1 ;;
        syncookies=* | abort_on_overflow=* | max_syn_backlog=* | synack_retries=*)
            lab_sysctl "$_lab_in" "net.ipv4.tcp_$_lab_setting" || return 1 ;;
        *) echo "lab: unknown setting $_lab_setting" >&2; return 1 ;;
        esac
    done
}

# ---- processes --------------------------------------------------------------

# lab_start VAR OUTPUT NS COMMAND [ARGS]: runs COMMAND in the background
# inside NS, standard output to the file OUTPUT; its pid goes into VAR.
# `ip netns exec` execs the command, so the pid is the command's own.
lab_start() {
    _lab_var=$1 _lab_out=$2 _lab_in=$3
    shift 3
    [ "${LAB_VERBOSE:-0}" = 1 ] && echo "lab[$_lab_in]: $* &" >&2
    # Not through lab_exec: a function in the background is a subshell, and
    # $! would name it instead of the command.
    : >"$_lab_out" || return 1
    ip netns exec "$_lab_in" "$@" >"$_lab_out" </dev/null &
    LAB_PIDS="$LAB_PIDS $!"
    eval "$_lab_var=\$!"
}

# lab_stop PID: SIGTERM, up to 5 s to exit, then SIGKILL; reaps it.
lab_stop() {
    if _lab_running "$1"; then
        kill -TERM "$1" 2>/dev/null
        lab_wait 5 _lab_exited "$1" || kill -KILL "$1" 2>/dev/null
    fi
    wait "$1" 2>/dev/null
    LAB_PIDS=$(echo "$LAB_PIDS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}

# A zombie still answers kill -0: read its state instead.
_lab_running() {
    [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]
}
_lab_exited() { ! _lab_running "$1"; }

# lab_listen VAR NS ADDR PORT BACKLOG [tcp_lab listen OPTIONS]: starts a
# listener in NS and waits (5 s at most) for its "ready" line.  Its pid goes
# into VAR and its port into LAB_PORT (PORT 0 picks one).
lab_listen() {
    _lab_lvar=$1 _lab_lns=$2
    shift 2
    lab_init || return 1
    _lab_files=$((_lab_files + 1))
    _lab_lout=$LAB_WORK/listen.$_lab_files
    lab_start _lab_lpid "$_lab_lout" "$_lab_lns" "$LAB_HELPER" listen "$@"
    eval "$_lab_lvar=\$_lab_lpid"
    if ! lab_wait 5 grep -q '^ready ' "$_lab_lout"; then
        echo "lab: the listener on $1 port $2 did not start" >&2
        return 1
    fi
    # shellcheck disable=SC2034 # for the caller
    LAB_PORT=$(sed -n 's/^ready //p' "$_lab_lout")
}

# lab_connect VAR NS ADDR PORT COUNT [tcp_lab connect OPTIONS]: starts COUNT
# connects in the background and waits for "started".  Pid into VAR, its
# output file (where lab_stop leaves the summary line) into LAB_CONNECT_OUTPUT.
lab_connect() {
    _lab_cvar=$1 _lab_cns=$2
    shift 2
    lab_init || return 1
    _lab_files=$((_lab_files + 1))
    LAB_CONNECT_OUTPUT=$LAB_WORK/connect.$_lab_files
    lab_start _lab_cpid "$LAB_CONNECT_OUTPUT" "$_lab_cns" "$LAB_HELPER" connect "$@"
    eval "$_lab_cvar=\$_lab_cpid"
    lab_wait 5 grep -q '^started ' "$LAB_CONNECT_OUTPUT"
}

# lab_summary FILE FIELD: a field of the summary line tcp_lab connect printed
# (established, syn_sent, reset, refused, timedout, other, sent).
lab_summary() {
    sed -n "s/^summary.* $2=\\([0-9]*\\).*/\\1/p" "$1"
}

# lab_synflood NS SRCNET DST PORT COUNT: sends COUNT SYNs (see tcp_lab).
lab_synflood() {
    _lab_in=$1
    shift
    lab_exec "$_lab_in" "$LAB_HELPER" synflood "$@" >/dev/null
}

# ---- waiting ----------------------------------------------------------------

# lab_wait SECONDS COMMAND [ARGS]: runs COMMAND every 50 ms until it
# succeeds (status 0) or SECONDS pass (status 1).
lab_wait() {
    _lab_tries=$(($1 * 20))
    shift
    while [ "$_lab_tries" -gt 0 ]; do
        "$@" && return 0
        sleep 0.05
        _lab_tries=$((_lab_tries - 1))
    done
    "$@"
}

# ---- the kernel's view -------------------------------------------------------

# lab_counters NS: every counter of /proc/net/netstat and /proc/net/snmp in
# NS, one "NAME VALUE" a line, named as nstat names them (TcpExtListenDrops,
# TcpOutRsts).  Read directly: nstat keeps history files between runs.
lab_counters() {
    lab_exec "$1" cat /proc/net/netstat /proc/net/snmp | awk '
        { prefix = $1; sub(/:$/, "", prefix) }
        prefix in names {
            for (i = 2; i <= NF; i++) print prefix names[prefix, i], $i
            delete names[prefix]; next
        }
        { names[prefix] = 1; for (i = 2; i <= NF; i++) names[prefix, i] = $i }'
}

# lab_counter NS NAME: one counter now (0 when the kernel lacks it).
lab_counter() {
    lab_counters "$1" | awk -v name="$2" '$1 == name { value = $2 } END { print value + 0 }'
}

# lab_snapshot NS: remembers every counter of NS for lab_delta.
lab_snapshot() {
    lab_init || return 1
    lab_counters "$1" >"$LAB_WORK/counters.$1"
}

# lab_delta NS NAME: NAME's growth since lab_snapshot NS (since the
# namespace was made when there is no snapshot: counters start at 0).
lab_delta() {
    _lab_before=0
    [ -f "$LAB_WORK/counters.$1" ] &&
        _lab_before=$(awk -v name="$2" '$1 == name { value = $2 } END { print value + 0 }' \
            "$LAB_WORK/counters.$1")
    echo $(($(lab_counter "$1" "$2") - _lab_before))
}

# lab_handshake_counters NS: the five handshake counters' deltas on one line,
# for logs: "ListenOverflows=.. ListenDrops=.. TCPReqQFullDrop=..
# TCPReqQFullDoCookies=.. SyncookiesSent=..".
lab_handshake_counters() {
    _lab_line=
    for _lab_name in ListenOverflows ListenDrops TCPReqQFullDrop TCPReqQFullDoCookies \
        SyncookiesSent; do
        _lab_line="$_lab_line $_lab_name=$(lab_delta "$1" "TcpExt$_lab_name")"
    done
    echo "${_lab_line# }"
}

# lab_listen_queue NS PORT: "RECV-Q SEND-Q" of the listener on PORT as ss
# shows them: the accept queue's length now and its maximum.
lab_listen_queue() {
    lab_exec "$1" ss -Hlnt "sport = :$2" | awk 'NR == 1 { print $2, $3 }'
}

# lab_syn_recv NS PORT: how many connections to local PORT are in SYN-RECV
# (request sockets: the SYN queue).
lab_syn_recv() {
    lab_exec "$1" ss -Hnt state syn-recv "sport = :$2" | wc -l | tr -d ' '
}

# lab_established NS PORT: established connections on local PORT (server side).
lab_established() {
    lab_exec "$1" ss -Hnt state established "sport = :$2" | wc -l | tr -d ' '
}
