#!/usr/bin/env bash
# The benchmark suite: syn against bpftrace on startup, per-event cost and
# streaming, written up as Markdown (bench/results.md by `make bench`).
#
#   bench/run.sh --syn PROGRAM --tools DIR [--output FILE]
#
# PROGRAM is syn (a libtool wrapper script is seen through: its real binary
# is timed, not the shell that finds it); DIR holds the C helpers of this
# folder, built.  Must run as root.  Settings, from the environment:
#   BENCH_RUNS      startup runs per script and tool (11)
#   BENCH_WARMUPS   startup runs not counted (2)
#   BENCH_REPEATS   repetitions of each per-event and streaming case (3)
#   BENCH_EVENTS    getppid() calls per per-event run (1000000)
#   BENCH_PRINTF_EVENTS  the same for the printf case, where bpftrace wakes
#                   up for every event (BENCH_EVENTS / 10)
#   BENCH_SECONDS   how long the streaming generator runs (2)
#   BPFTRACE        the bpftrace to compare with (bpftrace)
# Medians everywhere; runs of the two tools alternate so that a drift of the
# machine touches both alike.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
scripts=$here/scripts
findings=$here/findings.md
syn=""
tools=""
output=/dev/stdout
while [ $# -gt 0 ]; do
    case $1 in
        --syn) syn=$2; shift 2 ;;
        --tools) tools=$2; shift 2 ;;
        --output) output=$2; shift 2 ;;
        *) echo "usage: bench/run.sh --syn PROGRAM --tools DIR [--output FILE]" >&2; exit 2 ;;
    esac
done
[ -n "$syn" ] && [ -n "$tools" ] || { echo "bench/run.sh: --syn and --tools are required" >&2; exit 2; }

runs=${BENCH_RUNS:-11}
warmups=${BENCH_WARMUPS:-2}
repeats=${BENCH_REPEATS:-3}
events=${BENCH_EVENTS:-1000000}
printf_events=${BENCH_PRINTF_EVENTS:-$((events / 10))}
seconds=${BENCH_SECONDS:-2}
bpftrace=${BPFTRACE:-bpftrace}

[ "$(id -u)" -eq 0 ] || { echo "bench/run.sh: needs root (BPF, tracefs, bpf_stats)" >&2; exit 1; }
command -v "$bpftrace" >/dev/null || { echo "bench/run.sh: $bpftrace not found" >&2; exit 1; }

# A libtool wrapper is a shell script that runs .libs/syn: time that binary
# with the library path the wrapper would set.
syn_wrapper=""
if [ "$(head -c 2 "$syn")" = "#!" ] && [ -x "$(dirname "$syn")/.libs/$(basename "$syn")" ]; then
    syn_wrapper=$syn
    export LD_LIBRARY_PATH="$(cd "$(dirname "$syn")/.libs" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    syn="$(dirname "$syn")/.libs/$(basename "$syn")"
fi

tracefs=/sys/kernel/tracing
if [ ! -e "$tracefs/events" ]; then
    mkdir -p "$tracefs"
    mount -t tracefs nodev "$tracefs"
fi

work=$(mktemp -d /tmp/syn-bench.XXXXXX)
stats_before=$(cat /proc/sys/kernel/bpf_stats_enabled)
cleanup() {
    echo "$stats_before" >/proc/sys/kernel/bpf_stats_enabled
    rm -rf "$work"
}
trap cleanup EXIT
echo 1 >/proc/sys/kernel/bpf_stats_enabled

log() { echo "bench: $*" >&2; }

# The median of the numbers on standard input ("-" when there are none).
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A / B with DIGITS decimals, "-" unless both are numbers and B is not 0.
ratio() {
    awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
        if (a !~ /^[0-9.eE+-]+$/ || b !~ /^[0-9.eE+-]+$/ || b + 0 == 0) { print "-"; exit }
        printf "%.*f\n", d, a / b }'
}

# FIELD=VALUE out of a line of measure's output.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

## ---- startup -------------------------------------------------------------

startup_rows=""
startup_raw=""
targets=""
# The scripts run as \`syn SCRIPT\` and \`bpftrace SCRIPT\`, unless syn_command
# (an array) says otherwise.
startup() { # NAME DESCRIPTION
    local name=$1 description=$2
    log "startup: $name"
    local out
    local -a syn_line=("$syn" "$scripts/$name.syn")
    [ -z "${syn_command+set}" ] || syn_line=("$syn" "${syn_command[@]}")
    out=$("$tools/measure" -n "$runs" -w "$warmups" -- syn "${syn_line[@]}" \
          -- bpftrace "$bpftrace" "$scripts/$name.bt")
    startup_raw+="$name: "$'\n'"$out"$'\n'
    local s b
    s=$(grep '^syn ' <<<"$out")
    b=$(grep '^bpftrace ' <<<"$out")
    local s_ms b_ms s_rss b_rss
    s_ms=$(field "$s" wall_ms); b_ms=$(field "$b" wall_ms)
    s_rss=$(awk -v k="$(field "$s" rss_kib)" 'BEGIN { printf "%.1f", k / 1024 }')
    b_rss=$(awk -v k="$(field "$b" rss_kib)" 'BEGIN { printf "%.1f", k / 1024 }')
    local failures=""
    [ "$(field "$s" failures)" = 0 ] || failures+=" syn failed $(field "$s" failures)x ($(field "$s" status))"
    [ "$(field "$b" failures)" = 0 ] || failures+=" bpftrace failed $(field "$b" failures)x ($(field "$b" status))"
    local speedup verdict b_shown b_cpu_shown
    speedup=$(ratio "$b_ms" "$s_ms" 1)
    verdict=$(awk -v x="$speedup" 'BEGIN { print (x + 0 >= 40) ? "met" : "missed" }')
    b_shown=$(printf %.1f "$b_ms")
    b_cpu_shown=$(printf %.1f "$(field "$b" cpu_ms)")
    if [ "$(field "$b" failures)" = "$(field "$b" runs)" ]; then
        # bpftrace could not run its script here at all: no ratio to judge.
        speedup="-"
        verdict="not measured: bpftrace failed ($(field "$b" status))"
        b_shown=failed b_rss=failed b_cpu_shown=failed
    fi
    local times=${speedup}x
    [ "$speedup" != "-" ] || times="-"
    startup_rows+="| $description | $(printf %.1f "$s_ms") | $b_shown | $(ratio "$s_ms" "$b_shown" 3) | $times | $s_rss | $b_rss | $(printf %.1f "$(field "$s" cpu_ms)") | $b_cpu_shown |${failures}"$'\n'
    targets+="| $description: syn >= 40x faster than bpftrace | $times | $verdict |"$'\n'
    verdict=$(awk -v r="$(field "$s" rss_kib)" 'BEGIN { print (r < 16 * 1024) ? "met" : "missed" }')
    targets+="| $description: syn peak RSS < 16 MiB | $s_rss MiB | $verdict |"$'\n'
    case $name in
        four_*)
            verdict=$(awk -v m="$s_ms" 'BEGIN { print (m < 25) ? "met" : "missed" }')
            targets+="| $description: syn < 25 ms | $(printf %.1f "$s_ms") ms | $verdict |"$'\n' ;;
    esac
}

startup begin "begin only: \`probe begin { exit() }\` / \`BEGIN { exit() }\`"
startup tracepoint "one tracepoint (sys_enter_getppid, global counter)"
startup four_probes "four typed tracepoints following BTF pointers (syn: tp_btf, bpftrace: tracepoint + curtask)"
startup four_fields "four tracefs tracepoints reading their fields (both: perf event per tracepoint)"
# The TCP library's overflow tool as shipped; -c true ends it once attached.
# bpftrace has no packet hook, so its version needs kprobes (not on every kernel).
syn_command=(-c true "$here/../examples/overflow.syn")
startup overflow "the TCP overflow tool (syn: examples/overflow.syn, -c true; bpftrace: kprobes)"
unset syn_command

wrapper_line=""
if [ -n "$syn_wrapper" ]; then
    log "startup: the libtool wrapper"
    wrapper_line=$("$tools/measure" -n "$runs" -w "$warmups" -- wrapper "$syn_wrapper" "$scripts/begin.syn" \
                   -- binary "$syn" "$scripts/begin.syn")
fi

## ---- per-event cost ------------------------------------------------------

# The programs of process PID that ran, between two snapshots of
# program_stats: prints "ns_per_event insns run_cnt" of the one that ran most.
busiest_program() { # BEFORE AFTER
    awk 'function get(line, key,   i, n, parts, kv) {
             n = split(line, parts, " ")
             for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == key) return kv[2] }
             return "" }
         FNR == NR { t[get($0, "id")] = get($0, "run_time_ns"); c[get($0, "id")] = get($0, "run_cnt"); next }
         { id = get($0, "id"); dc = get($0, "run_cnt") - c[id]; dt = get($0, "run_time_ns") - t[id]
           if (dc > best) { best = dc; ns = dt / dc; insns = get($0, "insns") } }
         END { if (best > 0) printf "%.1f %d %d\n", ns, insns, best; else print "- - 0" }' "$1" "$2"
}

# Total run count of process PID's programs.
run_count() { "$tools/program_stats" "$1" 2>/dev/null | sed -n 's/.*run_cnt=//p' | awk '{ s += $1 } END { print s + 0 }'; }

# Starts a tracer, waits until its program runs on getppid(), makes COUNT
# calls, stops it.  Prints "ns_per_event insns loop_ns_per_call".
per_event_run() { # COUNT COMMAND...
    local count=$1; shift
    "$@" >/dev/null 2>"$work/tracer.err" &
    local pid=$! ready=""
    for _ in $(seq 1000); do
        kill -0 "$pid" 2>/dev/null || break
        local before
        before=$(run_count "$pid")
        "$tools/getppid_loop" 10 >/dev/null
        if [ "$(run_count "$pid")" -ge $((before + 10)) ]; then ready=1; break; fi
        sleep 0.02
    done
    if [ -z "$ready" ]; then
        log "per-event: $* never ran: $(head -c 300 "$work/tracer.err")"
        kill -INT "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        echo "- - -"
        return
    fi
    "$tools/program_stats" "$pid" >"$work/before"
    local loop
    loop=$("$tools/getppid_loop" "$count")
    "$tools/program_stats" "$pid" >"$work/after"
    kill -INT "$pid"
    wait "$pid" 2>/dev/null || true
    local program loop_ns
    program=$(busiest_program "$work/before" "$work/after")
    loop_ns=$(awk -v n="$count" '/^seconds/ { printf "%.1f", $2 * 1e9 / n }' <<<"$loop")
    echo "${program% *} $loop_ns"
}

per_event_cases="global_counter keyed_counter histogram string_key printf"
: >"$work/per_event"
for repeat in $(seq "$repeats"); do
    log "per-event: repetition $repeat of $repeats"
    echo "empty empty $(per_event_run "$events" "$tools/empty_program" "$tracefs")" >>"$work/per_event"
    echo "none none - - $("$tools/getppid_loop" "$events" | awk -v n="$events" '/^seconds/ { printf "%.1f", $2 * 1e9 / n }')" >>"$work/per_event"
    for case in $per_event_cases; do
        count=$events
        [ "$case" = printf ] && count=$printf_events
        echo "$case syn $(per_event_run "$count" "$syn" "$scripts/$case.syn")" >>"$work/per_event"
        echo "$case bpftrace $(per_event_run "$count" "$bpftrace" "$scripts/$case.bt")" >>"$work/per_event"
    done
done

# The median of column COLUMN (3 ns, 4 insns, 5 loop ns) for CASE and TOOL.
per_event_median() { awk -v c="$1" -v t="$2" -v k="$3" '$1 == c && $2 == t && $k != "-" { print $k }' "$work/per_event" | median; }

empty_ns=$(per_event_median empty empty 3)
empty_insns=$(per_event_median empty empty 4)
bare_loop=$(per_event_median none none 5)
per_event_rows="| empty program (baseline) | $empty_ns | - | 1.00 | - | $empty_insns | - | $(per_event_median empty empty 5) | - |"$'\n'
for case in $per_event_cases; do
    s=$(per_event_median "$case" syn 3); b=$(per_event_median "$case" bpftrace 3)
    per_event_rows+="| $case | $s | $b | $(ratio "$s" "$empty_ns") | $(ratio "$b" "$empty_ns") | $(per_event_median "$case" syn 4) | $(per_event_median "$case" bpftrace 4) | $(per_event_median "$case" syn 5) | $(per_event_median "$case" bpftrace 5) |"$'\n'
    s_insns=$(per_event_median "$case" syn 4); b_insns=$(per_event_median "$case" bpftrace 4)
    verdict=$(awk -v a="$s_insns" -v b="$b_insns" 'BEGIN { print (a + 0 <= b + 0) ? "met" : "missed" }')
    targets+="| $case: syn's program no longer than bpftrace's | $s_insns against $b_insns instructions | $verdict |"$'\n'
    case $case in
        global_counter)
            verdict=$(awk -v a="$s" -v e="$empty_ns" 'BEGIN { print (a + 0 <= 1.15 * e) ? "met" : "missed" }')
            targets+="| global counter within 15% of the empty program | $(ratio "$s" "$empty_ns") x the empty program's $empty_ns ns | $verdict |"$'\n' ;;
        keyed_counter)
            verdict=$(awk -v a="$s" -v b="$b" 'BEGIN { print (a + 0 <= b / 2) ? "met" : "missed" }')
            targets+="| keyed counter at most half of bpftrace's cost | $s ns against $b ns ($(ratio "$s" "$b") of it) | $verdict |"$'\n' ;;
    esac
done

## ---- streaming -----------------------------------------------------------

: >"$work/streaming"
for repeat in $(seq "$repeats"); do
    log "streaming: repetition $repeat of $repeats"
    echo "none $("$tools/getppid_loop" -t "$seconds" | awk '/^calls/ { c = $2 } /^seconds/ { s = $2 } END { print c, 0, 0, s }')" >>"$work/streaming"
    for tool in syn bpftrace; do
        program=$syn; script=$scripts/streaming.syn
        [ $tool = bpftrace ] && program=$bpftrace && script=$scripts/streaming.bt
        rm -f "$work/report"
        "$program" -c "$tools/getppid_loop -t $seconds -r $work/report" "$script" >"$work/out" 2>"$work/err" || true
        delivered=$(grep -c ' getppid_loop$' "$work/out" || true)
        lost=$(cat "$work/out" "$work/err" | sed -n -e 's/.*warning: \([0-9]*\) output events were lost.*/\1/p' \
                                                   -e 's/^Lost \([0-9]*\) events.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
        calls=$(sed -n 's/^calls //p' "$work/report" 2>/dev/null || echo 0)
        spent=$(sed -n 's/^seconds //p' "$work/report" 2>/dev/null || echo 0)
        echo "$tool ${calls:-0} ${delivered:-0} $lost ${spent:-0}" >>"$work/streaming"
    done
done

streaming_rows=""
for tool in none syn bpftrace; do
    calls=$(awk -v t=$tool '$1 == t { print $2 }' "$work/streaming" | median)
    delivered=$(awk -v t=$tool '$1 == t { print $3 }' "$work/streaming" | median)
    lost=$(awk -v t=$tool '$1 == t { print $4 }' "$work/streaming" | median)
    rate=$(awk -v t=$tool '$1 == t && $5 > 0 { printf "%.0f\n", $3 / $5 }' "$work/streaming" | median)
    call_rate=$(awk -v t=$tool '$1 == t && $5 > 0 { printf "%.0f\n", $2 / $5 }' "$work/streaming" | median)
    name=$tool
    [ $tool = none ] && name="no tracer (the generator alone)" && delivered=- && lost=- && rate=-
    streaming_rows+="| $name | $call_rate | $calls | $delivered | $rate | $lost |"$'\n'
    [ $tool = syn ] && syn_rate=$rate
    [ $tool = bpftrace ] && bpftrace_rate=$rate
done
verdict=$(awk -v a="${syn_rate:-0}" -v b="${bpftrace_rate:-0}" 'BEGIN { print (b > 0 && a >= 2 * b) ? "met" : "missed" }')
targets+="| streaming: syn delivers at least twice bpftrace's rate (lost events counted and reported) | ${syn_rate:-0}/s against ${bpftrace_rate:-0}/s ($(ratio "${syn_rate:-0}" "${bpftrace_rate:-0}" 1)x) | $verdict |"$'\n'

## ---- REPL attach latency ---------------------------------------------------

log "REPL attach latency"
repl_line=$("$tools/repl_attach" "$runs")
repl_ms=$(awk '{ print $2 }' <<<"$repl_line")
repl_verdict=missed
awk -v v="$repl_ms" 'BEGIN { exit !(v + 0 < 50) }' && repl_verdict=met

## ---- evidence --------------------------------------------------------------

evidence=""
if command -v strace >/dev/null; then
    log "evidence: strace"
    evidence+="System calls of syn taking over 10 ms, one run each (\`strace -T\`; the call, then its seconds):"$'\n\n```\n'
    for name in begin tracepoint four_probes four_fields; do
        slow=$(strace -T "$syn" "$scripts/$name.syn" 2>&1 >/dev/null |
               awk -F'<' '/<[0-9.]+>$/ { t = $NF; sub(/>/, "", t); if (t + 0 > 0.010) printf "  %.60s <%s>\n", $1, t }')
        evidence+="$name.syn:"$'\n'"${slow:-  (none)}"$'\n'
    done
    evidence+='```'$'\n\n'
    btf=$(strace -e trace=openat "$syn" "$scripts/begin.syn" 2>&1 >/dev/null | grep -c '/sys/kernel/btf/vmlinux' || true)
    evidence+="begin.syn opens /sys/kernel/btf/vmlinux: $([ "$btf" -gt 0 ] && echo yes || echo no)."$'\n\n'
    evidence+="\`strace -c\` of begin.syn (the top five):"$'\n\n```\n'
    evidence+="$(strace -c "$syn" "$scripts/begin.syn" 2>&1 >/dev/null | sed -n '1,7p')"$'\n```\n'
fi

## ---- the report ------------------------------------------------------------

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
source_dir=$(cd "$here/.." && pwd)
commit=$(git -C "$source_dir" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$source_dir" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (with uncommitted changes)" || true)

{
cat <<EOF
# syn benchmarks

Written by \`bench/run.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit by hand.

## The machine

- kernel $(uname -r), $(uname -m); CPU: ${cpu:-unknown}; $(nproc) cores; $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory
- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows up as spread)
- syn: commit $commit$dirty, \`$syn\`; $("$bpftrace" --version 2>&1 | head -1); $(${CC:-cc} --version 2>/dev/null | head -1)
- settings: BENCH_RUNS=$runs BENCH_WARMUPS=$warmups BENCH_REPEATS=$repeats BENCH_EVENTS=$events BENCH_PRINTF_EVENTS=$printf_events BENCH_SECONDS=$seconds

## Startup

From fork() to wait4() (CLOCK_MONOTONIC) of the whole command, script file
to attached and exited; peak RSS is wait4()'s \`ru_maxrss\`, CPU is user plus
system time.  Medians of $runs runs each after $warmups warm-ups, syn and
bpftrace alternating, output to /dev/null (\`bench/measure.c\`).  The scripts
are in \`bench/scripts/\`: syn's kernel probes end the run from a
\`timer.us(1)\` probe, which starts only once every kernel probe is attached
(syn runs \`begin\` before attaching); bpftrace 0.17 attaches every probe before
it acts on \`BEGIN { exit(); }\` (both checked with strace).

| script | syn ms | bpftrace ms | syn/bpftrace | speed-up | syn RSS MiB | bpftrace RSS MiB | syn CPU ms | bpftrace CPU ms |
|---|---|---|---|---|---|---|---|---|
${startup_rows}
The targets of issue 8:

| target | measured | |
|---|---|---|
${targets}
EOF
if [ -n "$wrapper_line" ]; then
cat <<EOF
syn is timed as its real binary (\`$syn\` with LD_LIBRARY_PATH), as installed.
Run through the build tree's libtool wrapper script (\`$syn_wrapper\`), the
begin-only script costs more (median wall ms):
$(field "$(grep '^wrapper ' <<<"$wrapper_line")" wall_ms) through the wrapper
against $(field "$(grep '^binary ' <<<"$wrapper_line")" wall_ms) for the binary.

EOF
fi
cat <<EOF
## REPL attach latency

What happens between Enter and "[N] attached" when a one-line tracepoint
probe (\`probe kernel.trace("syscalls:sys_enter_getppid") { calls++ }\`) is
typed at the REPL's prompt: the REPL's own calls, syn_load_string and
syn_update, on a running script that already counts getpid() (kept
attached, untouched, by the update), timed by \`bench/repl_attach.c\`.
Median of $runs attaches: **$repl_ms ms** (target: under 50 ms, $repl_verdict);
$repl_line.

## Per-event cost

Each tracer runs a script on \`syscalls:sys_enter_getppid\` with
kernel.bpf_stats_enabled=1; once its program is seen to run, \`bench/getppid_loop\`
makes $events getppid() calls ($printf_events for printf) and the change
of the kernel's run_time_ns / run_cnt (bpf_prog_get_info_by_fd) of the
tracer's program that ran most is the cost per event.  The tracer's programs
are found by its pid (/proc/PID/fdinfo, \`bench/program_stats.c\`).  The
baseline is \`r0 = 0; exit\` attached as bpftrace attaches tracepoints
(\`bench/empty_program.c\`).  Instructions: xlated_prog_len / 8 (a 64-bit
immediate load counts twice).  "loop ns/call" is the generator's own time
per getppid() under the tracer, attach mechanism included ($bare_loop ns with
no tracer).  Medians of $repeats repetitions; other processes' getppid() calls
count too.  syn's printf loses events when its ring buffer is full
(the per-event cost then includes the failed reserve).

| program | syn ns/event | bpftrace ns/event | syn / empty | bpftrace / empty | syn insns | bpftrace insns | syn loop ns/call | bpftrace loop ns/call |
|---|---|---|---|---|---|---|---|---|
${per_event_rows}
## Streaming

\`bench/scripts/streaming.*\` prints one line per getppid() of the command
given with \`-c\`: \`bench/getppid_loop -t $seconds\`, as fast as it can.
Delivered lines are counted in the tracer's output; lost events are what the
tool reports (syn: "N output events were lost", bpftrace: "Lost N events").
Events/s is delivered lines over the generator's time (first call to last).
Medians of $repeats runs.

| tracer | getppid()/s | calls | delivered | delivered/s | lost |
|---|---|---|---|---|---|
${streaming_rows}
## Evidence for the findings

${evidence:-strace is not installed: no evidence gathered.}
EOF
if [ -f "$findings" ]; then
    echo
    cat "$findings"
fi
cat <<EOF

## Raw startup figures

\`\`\`
${startup_raw}\`\`\`
EOF
} >"$output"
log "written: $output"
