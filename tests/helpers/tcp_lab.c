/* TCP peers for the handshake lab (tests/lab): a listener, a crowd of
 * clients and a SYN flood, each one subcommand, so that a test can provoke
 * real accept-queue and SYN-queue overflows inside a network namespace.
 * Only libc; every failure is a message on standard error and exit status 1
 * (2 for a usage error).
 *
 *   listen ADDR PORT BACKLOG [--accept N|all|--no-accept]
 *          [--defer-accept SECONDS] [--ready-fd FD]
 *       listen(BACKLOG) on ADDR (IPv4 or IPv6; IPv6 sockets are V6ONLY),
 *       PORT 0 picks one.  Writes "ready PORT" once listening, on FD or
 *       standard output.  Accepts N connections (default none) and keeps
 *       them open.  Runs until SIGTERM/SIGINT/SIGHUP, or until standard
 *       input reaches end of file when it is a pipe or socket (a background
 *       job's /dev/null is ignored).
 *
 *   connect ADDR PORT COUNT [--hold SECONDS] [--send] [--bind ADDR]
 *       COUNT non-blocking connects, printed as "started COUNT" once all
 *       are issued; the sockets stay open for SECONDS (default: until a
 *       signal or end of standard input, as above).  --send writes one byte
 *       on each socket once it is connected; SIGUSR1 does it once for every
 *       socket connected at that moment.  On exit prints
 *       "summary established=E syn_sent=S reset=R refused=F timedout=T
 *        other=O sent=B", the state of each socket (TCP_INFO, and the
 *       socket's error, or the error a write met).
 *
 *   synflood SRCNET DST PORT COUNT [--seed N]
 *       COUNT SYNs to DST:PORT through a raw IPPROTO_RAW socket, from
 *       addresses of SRCNET (e.g. 10.201.0.0/24 or fd00:201::/64) other
 *       than DST, its network and broadcast addresses.  Sources take turns
 *       and source ports count up from a random base, so no two SYNs share
 *       a 4-tuple; sequence numbers are random.  IP and TCP checksums are
 *       computed here; an MSS option (1460) is included.  Prints "sent COUNT".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t send_requested;

static void on_stop(int signal_number) { stop_requested = 1; }
static void on_send(int signal_number) { send_requested = 1; }

static int usage(void)
{
    fprintf(stderr,
            "usage: tcp_lab listen ADDR PORT BACKLOG [--accept N|all|--no-accept]\n"
            "                      [--defer-accept SECONDS] [--ready-fd FD]\n"
            "       tcp_lab connect ADDR PORT COUNT [--hold SECONDS] [--send] [--bind ADDR]\n"
            "       tcp_lab synflood SRCNET DST PORT COUNT [--seed N]\n");
    return 2;
}

static int fail(const char *what)
{
    fprintf(stderr, "tcp_lab: %s: %s\n", what, strerror(errno));
    return 1;
}

static int parse_long(const char *text, long min, long max, long *value)
{
    char *end;
    errno = 0;
    *value = strtol(text, &end, 0);
    return errno == 0 && end != text && *end == '\0' && *value >= min && *value <= max;
}

static int parse_seconds(const char *text, double *value)
{
    char *end;
    errno = 0;
    *value = strtod(text, &end);
    return errno == 0 && end != text && *end == '\0' && *value >= 0;
}

/* ADDR and PORT into a socket address of the right family. */
static int parse_endpoint(const char *text, long port, struct sockaddr_storage *address,
                          socklen_t *length)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)address;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)address;
    memset(address, 0, sizeof *address);
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *length = sizeof *v4;
        return 1;
    }
    if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *length = sizeof *v6;
        return 1;
    }
    fprintf(stderr, "tcp_lab: not an IPv4 or IPv6 address: %s\n", text);
    return 0;
}

static void install_handlers(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    /* No SA_RESTART: a signal must interrupt poll(). */
    action.sa_handler = on_stop;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    action.sa_handler = on_send;
    sigaction(SIGUSR1, &action, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Standard input ends the program only when someone can close it: a
 * background job of a non-interactive shell gets /dev/null, which is at end
 * of file from the start. */
static int stdin_is_watched(void)
{
    struct stat status;
    return fstat(0, &status) == 0 && (S_ISFIFO(status.st_mode) || S_ISSOCK(status.st_mode));
}

static int stdin_closed(void)
{
    char buffer[256];
    ssize_t got = read(0, buffer, sizeof buffer);
    return got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN);
}

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* ---- listen ------------------------------------------------------------- */

static int report_ready(int listener, int ready_fd)
{
    struct sockaddr_storage bound;
    socklen_t length = sizeof bound;
    char line[32];
    int port;
    if (getsockname(listener, (struct sockaddr *)&bound, &length) < 0)
        return fail("getsockname");
    port = ntohs(bound.ss_family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
                                            : ((struct sockaddr_in6 *)&bound)->sin6_port);
    snprintf(line, sizeof line, "ready %d\n", port);
    if (write(ready_fd, line, strlen(line)) < 0)
        return fail("writing the ready line");
    if (ready_fd != 1)
        close(ready_fd);
    return 0;
}

static int open_listener(const struct sockaddr_storage *address, socklen_t length, long backlog,
                         long defer_seconds)
{
    int one = 1;
    int listener = socket(address->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0)
        return fail("socket"), -1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (address->ss_family == AF_INET6 &&
        setsockopt(listener, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0)
        return fail("IPV6_V6ONLY"), -1;
    if (defer_seconds > 0 && setsockopt(listener, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds,
                                        sizeof(int)) < 0)
        return fail("TCP_DEFER_ACCEPT"), -1;
    if (bind(listener, (const struct sockaddr *)address, length) < 0)
        return fail("bind"), -1;
    if (listen(listener, (int)backlog) < 0)
        return fail("listen"), -1;
    return listener;
}

static int command_listen(int argc, char **argv)
{
    struct sockaddr_storage address;
    socklen_t length;
    long port, backlog, to_accept = 0, defer_seconds = 0, ready_fd = 1, accepted = 0;
    int listener, watch_stdin = stdin_is_watched();

    if (argc < 3 || !parse_long(argv[1], 0, 65535, &port) ||
        !parse_long(argv[2], 0, 1L << 30, &backlog))
        return usage();
    if (!parse_endpoint(argv[0], port, &address, &length))
        return 2;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--no-accept") == 0)
            to_accept = 0;
        else if (strcmp(argv[i], "--accept") == 0 && i + 1 < argc && strcmp(argv[i + 1], "all") == 0)
            to_accept = -1, i++;
        else if (strcmp(argv[i], "--accept") == 0 && i + 1 < argc &&
                 parse_long(argv[i + 1], 0, 1L << 30, &to_accept))
            i++;
        else if (strcmp(argv[i], "--defer-accept") == 0 && i + 1 < argc &&
                 parse_long(argv[i + 1], 1, 1L << 30, &defer_seconds))
            i++;
        else if (strcmp(argv[i], "--ready-fd") == 0 && i + 1 < argc &&
                 parse_long(argv[i + 1], 0, 1 << 20, &ready_fd))
            i++;
        else
            return usage();
    }

    install_handlers();
    listener = open_listener(&address, length, backlog, defer_seconds);
    if (listener < 0 || report_ready(listener, (int)ready_fd) != 0)
        return 1;
    while (!stop_requested) {
        struct pollfd watched[2] = {{.fd = -1}, {.fd = -1}};
        if (to_accept < 0 || accepted < to_accept)
            watched[0] = (struct pollfd){.fd = listener, .events = POLLIN};
        if (watch_stdin)
            watched[1] = (struct pollfd){.fd = 0, .events = POLLIN};
        if (poll(watched, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return fail("poll");
        }
        if (watched[1].revents && stdin_closed())
            break;
        /* Accepted sockets stay open (and unread) until exit. */
        if ((watched[0].revents & POLLIN) && accept4(listener, NULL, NULL, SOCK_CLOEXEC) >= 0)
            accepted++;
    }
    return 0;
}

/* ---- connect ------------------------------------------------------------ */

struct client {
    int fd;
    int error; /* the error a write met: it consumes the socket's own */
    int sent;
};

static int open_client(const struct sockaddr_storage *peer, socklen_t peer_length,
                       const struct sockaddr_storage *local, socklen_t local_length)
{
    int fd = socket(peer->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail("socket"), -1;
    if (local && bind(fd, (const struct sockaddr *)local, local_length) < 0)
        return fail("bind"), -1;
    if (connect(fd, (const struct sockaddr *)peer, peer_length) < 0 && errno != EINPROGRESS)
        return fail("connect"), -1;
    return fd;
}

/* One byte on every socket that is connected now and has none yet. */
static void send_on_connected(struct client *clients, long count)
{
    for (long i = 0; i < count; i++) {
        struct pollfd probe = {.fd = clients[i].fd, .events = POLLOUT};
        if (clients[i].sent || clients[i].error || poll(&probe, 1, 0) != 1 ||
            (probe.revents & (POLLERR | POLLHUP)) || !(probe.revents & POLLOUT))
            continue;
        if (send(clients[i].fd, "x", 1, MSG_NOSIGNAL) == 1)
            clients[i].sent = 1;
        else if (errno != EAGAIN)
            clients[i].error = errno;
    }
}

static void print_summary(const struct client *clients, long count)
{
    long established = 0, syn_sent = 0, reset = 0, refused = 0, timedout = 0, other = 0, sent = 0;
    for (long i = 0; i < count; i++) {
        int error = clients[i].error;
        struct tcp_info info;
        socklen_t length = sizeof error;
        if (!error)
            getsockopt(clients[i].fd, SOL_SOCKET, SO_ERROR, &error, &length);
        length = sizeof info;
        memset(&info, 0, sizeof info);
        getsockopt(clients[i].fd, IPPROTO_TCP, TCP_INFO, &info, &length);
        sent += clients[i].sent;
        if (error == ECONNRESET || error == EPIPE)
            reset++;
        else if (error == ECONNREFUSED)
            refused++;
        else if (error == ETIMEDOUT)
            timedout++;
        else if (error == 0 && info.tcpi_state == TCP_ESTABLISHED)
            established++;
        else if (error == 0 && info.tcpi_state == TCP_SYN_SENT)
            syn_sent++;
        else
            other++;
    }
    printf("summary established=%ld syn_sent=%ld reset=%ld refused=%ld timedout=%ld other=%ld "
           "sent=%ld\n",
           established, syn_sent, reset, refused, timedout, other, sent);
    fflush(stdout);
}

static int command_connect(int argc, char **argv)
{
    struct sockaddr_storage peer, local;
    socklen_t peer_length, local_length = 0;
    long port, count;
    double hold = -1, deadline;
    int send_at_once = 0, have_local = 0, watch_stdin = stdin_is_watched();
    struct client *clients;

    if (argc < 3 || !parse_long(argv[1], 1, 65535, &port) ||
        !parse_long(argv[2], 0, 1L << 20, &count))
        return usage();
    if (!parse_endpoint(argv[0], port, &peer, &peer_length))
        return 2;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--hold") == 0 && i + 1 < argc && parse_seconds(argv[i + 1], &hold))
            i++;
        else if (strcmp(argv[i], "--send") == 0)
            send_at_once = 1;
        else if (strcmp(argv[i], "--bind") == 0 && i + 1 < argc) {
            if (!parse_endpoint(argv[++i], 0, &local, &local_length))
                return 2;
            have_local = 1;
        } else
            return usage();
    }

    install_handlers();
    clients = calloc((size_t)count + 1, sizeof *clients);
    if (!clients)
        return fail("calloc");
    for (long i = 0; i < count; i++) {
        clients[i].fd = open_client(&peer, peer_length, have_local ? &local : NULL, local_length);
        if (clients[i].fd < 0) {
            free(clients);
            return 1;
        }
    }
    printf("started %ld\n", count);
    fflush(stdout);

    deadline = hold >= 0 ? now_seconds() + hold : -1;
    while (!stop_requested && (deadline < 0 || now_seconds() < deadline)) {
        struct pollfd input = {.fd = watch_stdin ? 0 : -1, .events = POLLIN};
        if (send_at_once || send_requested) {
            send_requested = 0;
            send_on_connected(clients, count);
        }
        /* A short tick: --send notices new connections, and --hold ends on time. */
        if (poll(&input, 1, 10) > 0 && stdin_closed())
            break;
    }
    print_summary(clients, count);
    free(clients);
    return 0;
}

/* ---- synflood ----------------------------------------------------------- */

static uint64_t random_state;

static uint32_t next_random(void)
{
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return (uint32_t)(random_state >> 16);
}

static uint32_t checksum_add(uint32_t sum, const void *data, size_t length)
{
    const uint8_t *bytes = data;
    for (size_t i = 0; i + 1 < length; i += 2)
        sum += (uint32_t)(bytes[i] << 8 | bytes[i + 1]);
    if (length & 1)
        sum += (uint32_t)(bytes[length - 1] << 8);
    return sum;
}

static uint16_t checksum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons((uint16_t)~sum);
}

#define SYN_TCP_LENGTH 24 /* header and the MSS option */

/* The TCP header of a SYN, without its checksum. */
static void fill_syn(uint8_t *segment, uint16_t source_port, uint16_t port, uint32_t sequence)
{
    struct tcphdr *tcp = (struct tcphdr *)segment;
    memset(segment, 0, SYN_TCP_LENGTH);
    tcp->th_sport = htons(source_port);
    tcp->th_dport = htons(port);
    tcp->th_seq = htonl(sequence);
    tcp->th_off = SYN_TCP_LENGTH / 4;
    tcp->th_flags = TH_SYN;
    tcp->th_win = htons(64240);
    segment[20] = TCPOPT_MAXSEG;
    segment[21] = TCPOLEN_MAXSEG;
    segment[22] = 1460 >> 8;
    segment[23] = 1460 & 0xff;
}

/* SRCNET as a base address and a prefix length. */
static int parse_network(const char *text, int family, struct in6_addr *base, long *prefix)
{
    char address[INET6_ADDRSTRLEN];
    const char *slash = strchr(text, '/');
    size_t length = slash ? (size_t)(slash - text) : strlen(text);
    long limit = family == AF_INET ? 32 : 128;
    if (length >= sizeof address)
        return 0;
    memcpy(address, text, length);
    address[length] = '\0';
    *prefix = limit;
    if (slash && !parse_long(slash + 1, 0, limit, prefix))
        return 0;
    return inet_pton(family, address, base) == 1;
}

/* The Nth candidate source of the network, or 0 past its end.  IPv4 skips
 * the network address and leaves out the broadcast address; only the low 32
 * bits of an IPv6 address vary (host numbers from 2). */
static int nth_source(int family, const struct in6_addr *base, long prefix, uint32_t n,
                      struct in6_addr *source)
{
    long host_bits = (family == AF_INET ? 32 : 128) - prefix;
    uint32_t span = host_bits >= 32 ? UINT32_MAX : (uint32_t)1 << host_bits;
    uint32_t mask = host_bits >= 32 ? 0 : ~(span - 1);
    uint32_t host = n + (family == AF_INET ? (span > 2 ? 1 : 0) : 2), low;
    if (host >= span - (family == AF_INET && span > 2 ? 1 : 0) && host_bits < 32)
        return 0;
    *source = *base;
    if (family == AF_INET) {
        memcpy(&low, source, 4);
        low = htonl((ntohl(low) & mask) | host);
        memcpy(source, &low, 4);
    } else {
        memcpy(&low, &source->s6_addr[12], 4);
        low = htonl((ntohl(low) & mask) | host);
        memcpy(&source->s6_addr[12], &low, 4);
    }
    return 1;
}

/* Up to 65536 sources of SRCNET, DST left out. */
static long collect_sources(int family, const struct in6_addr *base, long prefix,
                            const struct in6_addr *destination, struct in6_addr *sources)
{
    long count = 0;
    size_t size = family == AF_INET ? 4 : 16;
    for (uint32_t n = 0; count < 65536; n++) {
        struct in6_addr candidate;
        if (!nth_source(family, base, prefix, n, &candidate))
            break;
        if (memcmp(&candidate, destination, size) != 0)
            sources[count++] = candidate;
    }
    return count;
}

/* One SYN as a whole IP packet, checksums included; returns its length. */
static size_t build_packet(uint8_t *packet, int family, const struct in6_addr *source,
                           const struct in6_addr *destination, uint16_t source_port, uint16_t port)
{
    size_t ip_length = family == AF_INET ? sizeof(struct ip) : sizeof(struct ip6_hdr);
    uint8_t *segment = packet + ip_length;
    uint8_t pseudo_tail[4] = {0, 0, 0, 0}; /* zero, zero, protocol, then length */
    uint16_t tcp_length = htons(SYN_TCP_LENGTH);
    uint32_t sum;
    size_t size = family == AF_INET ? 4 : 16;

    fill_syn(segment, source_port, port, next_random());
    sum = checksum_add(0, source, size);
    sum = checksum_add(sum, destination, size);
    if (family == AF_INET) {
        struct ip *ip = (struct ip *)packet;
        memset(ip, 0, sizeof *ip);
        ip->ip_v = 4;
        ip->ip_hl = 5;
        ip->ip_len = htons((uint16_t)(ip_length + SYN_TCP_LENGTH));
        ip->ip_id = htons((uint16_t)next_random());
        ip->ip_ttl = 64;
        ip->ip_p = IPPROTO_TCP;
        memcpy(&ip->ip_src, source, 4);
        memcpy(&ip->ip_dst, destination, 4);
        ip->ip_sum = checksum_fold(checksum_add(0, ip, sizeof *ip));
        pseudo_tail[1] = IPPROTO_TCP;
        memcpy(&pseudo_tail[2], &tcp_length, 2);
    } else {
        struct ip6_hdr *ip6 = (struct ip6_hdr *)packet;
        memset(ip6, 0, sizeof *ip6);
        ip6->ip6_flow = htonl(6u << 28);
        ip6->ip6_plen = htons(SYN_TCP_LENGTH);
        ip6->ip6_nxt = IPPROTO_TCP;
        ip6->ip6_hlim = 64;
        memcpy(&ip6->ip6_src, source, 16);
        memcpy(&ip6->ip6_dst, destination, 16);
        /* The IPv6 pseudo-header: 32-bit length, three zeros, next header. */
        sum = checksum_add(sum, (uint8_t[]){0, 0, 0, SYN_TCP_LENGTH, 0, 0, 0, IPPROTO_TCP}, 8);
    }
    if (family == AF_INET)
        sum = checksum_add(sum, pseudo_tail, sizeof pseudo_tail);
    sum = checksum_add(sum, segment, SYN_TCP_LENGTH);
    ((struct tcphdr *)segment)->th_sum = checksum_fold(sum);
    return ip_length + SYN_TCP_LENGTH;
}

static int send_packet(int raw, const uint8_t *packet, size_t length,
                       const struct sockaddr_storage *target, socklen_t target_length)
{
    for (int tries = 0; tries < 1000; tries++) {
        if (sendto(raw, packet, length, 0, (const struct sockaddr *)target, target_length) ==
            (ssize_t)length)
            return 0;
        if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
            return fail("sendto");
        usleep(1000);
    }
    return fail("sendto (the queue stays full)");
}

static int command_synflood(int argc, char **argv)
{
    struct sockaddr_storage target;
    socklen_t target_length;
    struct in6_addr base, destination, *sources;
    long prefix, port, count, seed = (long)time(NULL) ^ (long)getpid() << 16, source_count;
    int family, raw;
    uint32_t first_port;
    uint8_t packet[128];

    if (argc < 4 || !parse_long(argv[2], 1, 65535, &port) ||
        !parse_long(argv[3], 0, 1L << 30, &count))
        return usage();
    if (argc == 6 && strcmp(argv[4], "--seed") == 0 && parse_long(argv[5], 0, LONG_MAX, &seed))
        argc = 4;
    if (argc != 4 || !parse_endpoint(argv[1], 0, &target, &target_length))
        return usage();
    family = target.ss_family;
    if (family == AF_INET)
        memcpy(&destination, &((struct sockaddr_in *)&target)->sin_addr, 4);
    else
        destination = ((struct sockaddr_in6 *)&target)->sin6_addr;
    if (!parse_network(argv[0], family, &base, &prefix)) {
        fprintf(stderr, "tcp_lab: not a network of the destination's family: %s\n", argv[0]);
        return 2;
    }
    sources = calloc(65536, sizeof *sources);
    if (!sources)
        return fail("calloc");
    source_count = collect_sources(family, &base, prefix, &destination, sources);
    if (source_count == 0 || count > source_count * 64512L) {
        fprintf(stderr, "tcp_lab: %s has too few sources for %ld distinct SYNs\n", argv[0], count);
        return 2;
    }

    random_state = (uint64_t)seed * 0x9e3779b97f4a7c15ULL | 1;
    first_port = next_random() % 64512;
    raw = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (raw < 0)
        return fail("raw socket (needs CAP_NET_RAW)");
    for (long i = 0; i < count; i++) {
        uint16_t source_port = (uint16_t)(1024 + (first_port + i / source_count) % 64512);
        size_t length = build_packet(packet, family, &sources[i % source_count], &destination,
                                     source_port, (uint16_t)port);
        if (send_packet(raw, packet, length, &target, target_length) != 0)
            return 1;
    }
    printf("sent %ld\n", count);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (strcmp(argv[1], "listen") == 0)
        return command_listen(argc - 2, argv + 2);
    if (strcmp(argv[1], "connect") == 0)
        return command_connect(argc - 2, argv + 2);
    if (strcmp(argv[1], "synflood") == 0)
        return command_synflood(argc - 2, argv + 2);
    return usage();
}
