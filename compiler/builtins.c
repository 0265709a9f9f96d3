#include "compiler/builtins.h"

#include <string.h>

#define L SYN_TYPE_LONG
#define S SYN_TYPE_STRING
#define NONE SYN_TYPE_UNKNOWN
#define ANY (~0u)
/* Where it runs: K kernel probes only, U userspace probes only, B both. */
#define K true, false, NULL
#define U false, true, NULL
#define B true, true, NULL

static const syn_builtin builtins[] = {
    /* output */
    {"printf", SYN_BUILTIN_FORMAT, NONE, 1, ANY, {S}, "print values as the format string says", B},
    {"sprintf", SYN_BUILTIN_FORMAT, S, 1, ANY, {S}, "format values into a string", B},
    {"print", SYN_BUILTIN_PRINT, NONE, 1, ANY, {0}, "print values, statistics or histograms", B},
    {"println", SYN_BUILTIN_PRINT, NONE, 0, ANY, {0}, "print values and a newline", B},
    {"sprint", SYN_BUILTIN_PRINT, S, 1, ANY, {0}, "values as a string", B},
    {"sprintln", SYN_BUILTIN_PRINT, S, 0, ANY, {0}, "values and a newline as a string", B},
    {"printd", SYN_BUILTIN_DELIMITED, NONE, 2, ANY, {S}, "print values separated by a delimiter", B},
    {"printdln", SYN_BUILTIN_DELIMITED, NONE, 2, ANY, {S}, "print delimited values and a newline", B},
    {"sprintd", SYN_BUILTIN_DELIMITED, S, 2, ANY, {S}, "delimited values as a string", B},
    /* strings */
    {"strlen", SYN_BUILTIN_PLAIN, L, 1, 1, {S}, "length of a string", B},
    {"substr", SYN_BUILTIN_PLAIN, S, 3, 3, {S, L, L}, "part of a string: start, length", B},
    {"isinstr", SYN_BUILTIN_PLAIN, L, 2, 2, {S, S}, "1 when the second string occurs in the first", U},
    {"strpos", SYN_BUILTIN_PLAIN, L, 2, 2, {S, S}, "position of a substring, or -1", U},
    {"str_replace", SYN_BUILTIN_PLAIN, S, 3, 3, {S, S, S}, "replace every occurrence of a substring", U},
    {"strtol", SYN_BUILTIN_PLAIN, L, 2, 2, {S, L}, "a string as a number in a base", U},
    {"isdigit", SYN_BUILTIN_PLAIN, L, 1, 1, {S}, "1 when a string starts with a digit", B},
    {"stringat", SYN_BUILTIN_PLAIN, L, 2, 2, {S, L}, "the byte at a position of a string", B},
    {"text_str", SYN_BUILTIN_PLAIN, S, 1, 1, {S}, "a string with unprintable bytes escaped", U},
    {"kernel_string", SYN_BUILTIN_PLAIN, S, 1, 1, {L}, "a NUL-terminated string from kernel memory", B},
    {"kernel_string_n", SYN_BUILTIN_PLAIN, S, 2, 2, {L, L}, "at most n bytes of a kernel string", B},
    {"user_string", SYN_BUILTIN_PLAIN, S, 1, 1, {L}, "a NUL-terminated string from user memory", K},
    {"user_string_n", SYN_BUILTIN_PLAIN, S, 2, 2, {L, L}, "at most n bytes of a user string", K},
    /* memory */
    {"kernel_long", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a long read from kernel memory", B},
    {"kernel_int", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "an int read from kernel memory", B},
    {"kernel_short", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a short read from kernel memory", B},
    {"kernel_char", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a char read from kernel memory", B},
    {"kernel_pointer", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a pointer read from kernel memory", B},
    {"user_long", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a long read from user memory", K},
    {"user_int", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "an int read from user memory", K},
    {"user_short", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a short read from user memory", K},
    {"user_char", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a char read from user memory", K},
    /* context */
    {"execname", SYN_BUILTIN_PLAIN, S, 0, 0, {0}, "name of the current process", B},
    {"pid", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "process id (thread group id)", B},
    {"tid", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "thread id", B},
    {"ppid", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "parent process id", B},
    {"uid", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "user id", B},
    {"gid", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "group id", B},
    {"euid", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "effective user id", B},
    {"egid", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "effective group id", B},
    {"cpu", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the current CPU", B},
    {"task_current", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "address of the current task_struct", B},
    {"pp", SYN_BUILTIN_PLAIN, S, 0, 0, {0}, "the probe point that fired", B},
    {"pn", SYN_BUILTIN_PLAIN, S, 0, 0, {0}, "the probe point as written", B},
    {"probefunc", SYN_BUILTIN_PLAIN, S, 0, 0, {0}, "the probed function", B},
    {"ppfunc", SYN_BUILTIN_PLAIN, S, 0, 0, {0}, "the probed function, from the probe point", B},
    {"target", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "pid of the -c command or -x process", B},
    {"is_return", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "1 in a return probe", B},
    /* registers of kprobes and uprobes (pt_regs); the argument is a literal */
    {"register", SYN_BUILTIN_PLAIN, L, 1, 1, {S}, "a register's value, signed: register(\"rdi\")", K},
    {"u_register", SYN_BUILTIN_PLAIN, L, 1, 1, {S}, "a register's value, unsigned", K},
    {"int_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as an int", K},
    {"uint_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as an unsigned int", K},
    {"long_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as a long", K},
    {"ulong_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as an unsigned long", K},
    {"pointer_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as a pointer", K},
    {"s32_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as a signed 32-bit number", K},
    {"u32_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as an unsigned 32-bit number", K},
    {"s64_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as a signed 64-bit number", K},
    {"u64_arg", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "argument n as an unsigned 64-bit number", K},
    /* time */
    {"gettimeofday_s", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "seconds since the epoch", B},
    {"gettimeofday_ms", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "milliseconds since the epoch", B},
    {"gettimeofday_us", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "microseconds since the epoch", B},
    {"gettimeofday_ns", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "nanoseconds since the epoch", B},
    {"local_clock_ns", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "a monotonic clock in nanoseconds", B},
    {"ktime_get_ns", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "nanoseconds since boot", B},
    {"jiffies", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the kernel's jiffies counter", B},
    {"ctime", SYN_BUILTIN_PLAIN, S, 0, 1, {L}, "seconds since the epoch as a date (UTC)", U},
    /* control */
    {"exit", SYN_BUILTIN_PLAIN, NONE, 0, 0, {0}, "end the script after this probe", B},
    {"error", SYN_BUILTIN_PLAIN, NONE, 1, 1, {S}, "raise an error: runs error probes, ends the script", B},
    {"warn", SYN_BUILTIN_PLAIN, NONE, 1, 1, {S}, "print a warning", B},
    {"log", SYN_BUILTIN_PLAIN, NONE, 1, 1, {S}, "print a line", B},
    /* numbers and networks */
    {"randint", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a random number below n", B},
    {"ip_ntop", SYN_BUILTIN_PLAIN, S, 1, 1, {L}, "an IPv4 address as dotted text", B},
    {"tcp_state_str", SYN_BUILTIN_PLAIN, S, 1, 1, {L}, "a TCP state's name, as tcpstates prints it", B},
    {"tcp_sockstate_str", SYN_BUILTIN_PLAIN, S, 1, 1, {L}, "a TCP state's name, as SystemTap's tapset has it", B},
    {"ip6_ntop", SYN_BUILTIN_PLAIN, S, 1, 1, {L}, "the IPv6 address at a kernel address, compressed text", B},
    {"listener", SYN_BUILTIN_PLAIN, L, 1, 2, {L, S}, "the TCP socket listening on a port (bound to an address) in syn's network namespace, or 0", true, true, "__tcp_listener"},
    /* internal, for the table of listeners stdlib/tcp_listener.syn keeps */
    {"__tcp_listener_next", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "the listener of syn's network namespace after a socket (0: the first), 0 after the last", U},
    {"__syn_netns", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the inode number of syn's network namespace", U},
    /* the sysctls that size a listener's queues: read when a userspace probe runs, and
     * when the script is compiled for kernel probes */
    {"somaxconn", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "net.core.somaxconn", B},
    {"tcp_max_syn_backlog", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "net.ipv4.tcp_max_syn_backlog", B},
    {"tcp_syncookies", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "net.ipv4.tcp_syncookies", B},
    {"tcp_abort_on_overflow", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "net.ipv4.tcp_abort_on_overflow", B},
    {"tcp_synack_retries", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "net.ipv4.tcp_synack_retries", B},
    {"ntohs", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a 16-bit value from network to host order", B},
    {"ntohl", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a 32-bit value from network to host order", B},
    {"ntohll", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a 64-bit value from network to host order", B},
    {"htons", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a 16-bit value from host to network order", B},
    {"htonl", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a 32-bit value from host to network order", B},
    {"htonll", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "a 64-bit value from host to network order", B},
    /* packets: net.ingress and net.egress probes only (compiler/lower_call.c) */
    {"packet_u8", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "the packet's byte at an offset", K},
    {"packet_u16", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "two bytes of the packet at an offset, in network order", K},
    {"packet_u32", SYN_BUILTIN_PLAIN, L, 1, 1, {L}, "four bytes of the packet at an offset, in network order", K},
    {"packet_len", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the packet's length in bytes", K},
    {"packet_family", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "2 (AF_INET) or 10 (AF_INET6) for IP packets, else 0", K},
    {"packet_protocol", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the IP protocol (6 TCP, 17 UDP), else 0", K},
    {"packet_saddr", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the IPv4 source address, for ip_ntop(); else 0", K},
    {"packet_daddr", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the IPv4 destination address, for ip_ntop(); else 0", K},
    {"packet_sport", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the TCP or UDP source port, else 0", K},
    {"packet_dport", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the TCP or UDP destination port, else 0", K},
    {"packet_tcp_flags", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the TCP flags byte (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32)", K},
    {"packet_tcp_fin", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "1 when the packet is TCP with FIN set, else 0", K},
    {"packet_tcp_syn", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "1 when the packet is TCP with SYN set, else 0", K},
    {"packet_tcp_rst", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "1 when the packet is TCP with RST set, else 0", K},
    {"packet_tcp_psh", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "1 when the packet is TCP with PSH set, else 0", K},
    {"packet_tcp_ack", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "1 when the packet is TCP with ACK set, else 0", K},
    {"packet_tcp_urg", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "1 when the packet is TCP with URG set, else 0", K},
    {"packet_socket", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the address of the socket the kernel delivers this TCP packet to, else 0", K},
    {"packet_saddr_str", SYN_BUILTIN_PLAIN, S, 0, 0, {0}, "the IPv4 or IPv6 source address as text, else \"\"", K},
    {"packet_daddr_str", SYN_BUILTIN_PLAIN, S, 0, 0, {0}, "the IPv4 or IPv6 destination address as text, else \"\"", K},
    {"packet_tcp_payload", SYN_BUILTIN_PLAIN, L, 0, 0, {0}, "the TCP payload's length in bytes (0 for a bare SYN or ACK), else 0", K},
};

const syn_builtin *syn_builtin_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    }
    return NULL;
}

unsigned syn_builtin_index(const syn_builtin *builtin)
{
    return (unsigned)(builtin - builtins);
}

const syn_builtin *syn_builtin_at(unsigned index)
{
    return index < sizeof(builtins) / sizeof(builtins[0]) ? &builtins[index] : NULL;
}
