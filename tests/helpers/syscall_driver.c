/* A deterministic workload for the live tests: each operation makes exactly
 * the system calls it names, so a probe filtered on this process's pid sees
 * known values.  Operations run in the order given:
 *
 *   getppid N          N getppid() calls
 *   lseek V...         lseek(-1, V, SEEK_SET) for each number V (fails with
 *                      EBADF; syscalls:sys_enter_lseek still sees V)
 *   lseekn V N         N calls of lseek(-1, V, SEEK_SET)
 *   write TEXT         write(fd, TEXT, strlen(TEXT)) on a /dev/null fd
 *   open PATH          openat(AT_FDCWD, PATH, O_RDONLY), closed if it opened
 *   sleep MS           sleeps MS milliseconds
 *   exit CODE          exits with CODE
 *   crash              dies of SIGSEGV
 *   exec PROGRAM ARGS  replaces the process (the rest are its arguments)
 *   bpfcheck           exits 0 when this process may create a BPF map,
 *                      otherwise prints why and exits 1 (the tests' probe
 *                      for "BPF is available here")
 *   touch N            maps N fresh pages at 0x5e0000000000 (FAULT_REGION)
 *                      and writes to each: N page faults at known addresses
 *   tcp IP PORT        listens on IP:PORT (IPv4 or IPv6), connects to it
 *                      from IP:PORT+1, sends "ping" and reads it on the
 *                      accepted side; exits 1 when any step fails (traffic
 *                      must flow)
 *   refused IP PORT    connects from IP:PORT+1 to IP:PORT, where nothing
 *                      listens; exits 1 unless the connection is refused
 *   backlog IP PORT B N MS
 *                      listens on IP:PORT with backlog B and never
 *                      accepts; N non-blocking connects 50 ms apart, then
 *                      holds everything open MS milliseconds (a full
 *                      accept queue, for ss to see)
 *   perfcheck T C      exits 0 when this machine counts perf event type T,
 *                      config C (opened for this process only), else 1
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define FAULT_REGION 0x5e0000000000UL

static int usage(void)
{
    fprintf(stderr, "usage: syscall_driver OPERATION [ARGS] [OPERATION [ARGS]]...\n"
                    "operations: getppid N | lseek V... | write TEXT | open PATH | sleep MS |\n"
                    "            lseekn V N | exit CODE | crash | bpfcheck | exec PROGRAM [ARGS...] |\n"
                    "            touch N | tcp IP PORT | refused IP PORT | perfcheck TYPE CONFIG |\n"
                    "            backlog IP PORT BACKLOG CONNECTS MS\n");
    return 2;
}

static int fail(const char *what)
{
    fprintf(stderr, "syscall_driver: %s: %s\n", what, strerror(errno));
    return 1;
}

/* One page fault per page: a fixed place, and no huge page to serve many. */
static int touch_pages(long long count)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t size = (size_t)count * (size_t)page;
    char *region = mmap((void *)FAULT_REGION, size, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (region == MAP_FAILED)
        return fail("mmap");
    madvise(region, size, MADV_NOHUGEPAGE);
    for (long long i = 0; i < count; i++)
        ((volatile char *)region)[i * page] = 1;
    munmap(region, size);
    return 0;
}

/* IP:PORT as an IPv4 or IPv6 socket address. */
static bool tcp_address(const char *ip, long port, struct sockaddr_storage *address, socklen_t *length)
{
    memset(address, 0, sizeof(*address));
    struct sockaddr_in *ipv4 = (struct sockaddr_in *)address;
    struct sockaddr_in6 *ipv6 = (struct sockaddr_in6 *)address;
    if (inet_pton(AF_INET, ip, &ipv4->sin_addr) == 1) {
        ipv4->sin_family = AF_INET;
        ipv4->sin_port = htons((uint16_t)port);
        *length = sizeof(*ipv4);
        return true;
    }
    if (inet_pton(AF_INET6, ip, &ipv6->sin6_addr) == 1) {
        ipv6->sin6_family = AF_INET6;
        ipv6->sin6_port = htons((uint16_t)port);
        *length = sizeof(*ipv6);
        return true;
    }
    return false;
}

/* A socket bound to IP:PORT, ready to listen or to connect from there. */
static int bound_socket(const char *ip, long port)
{
    struct sockaddr_storage address;
    socklen_t length;
    if (!tcp_address(ip, port, &address, &length)) {
        fprintf(stderr, "syscall_driver: '%s' is not an IP address\n", ip);
        return -1;
    }
    int one = 1, fd = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&address, length) != 0) {
        fail("bind");
        return -1;
    }
    return fd;
}

static bool tcp_connect(int fd, const char *ip, long port)
{
    struct sockaddr_storage address;
    socklen_t length;
    return tcp_address(ip, port, &address, &length) && connect(fd, (struct sockaddr *)&address, length) == 0;
}

static int tcp_exchange(const char *ip, const char *port_text)
{
    long port = atol(port_text);
    int listener = bound_socket(ip, port);
    if (listener < 0 || listen(listener, 4) != 0)
        return fail("listen");
    int client = bound_socket(ip, port + 1);
    if (client < 0 || !tcp_connect(client, ip, port))
        return fail("connect");
    int server = accept(listener, NULL, NULL);
    char received[5] = "";
    if (server < 0 || write(client, "ping", 4) != 4 || read(server, received, 4) != 4 ||
        strcmp(received, "ping") != 0)
        return fail("exchange");
    /* The client closes first, so the server's side ends cleanly too. */
    close(client);
    if (read(server, received, 1) != 0)
        return fail("close");
    close(server);
    close(listener);
    return 0;
}

static int tcp_refused(const char *ip, const char *port_text)
{
    long port = atol(port_text);
    int client = bound_socket(ip, port + 1);
    if (client < 0)
        return 1;
    if (tcp_connect(client, ip, port) || errno != ECONNREFUSED) {
        fprintf(stderr, "syscall_driver: connecting to %s:%ld was not refused\n", ip, port);
        return 1;
    }
    close(client);
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec pause = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

static int tcp_backlog(char **argv)
{
    long port = atol(argv[1]), backlog = atol(argv[2]), connects = atol(argv[3]);
    int listener = bound_socket(argv[0], port);
    if (listener < 0 || listen(listener, (int)backlog) != 0)
        return fail("listen");
    for (long n = 0; n < connects; n++) {
        struct sockaddr_storage address;
        socklen_t length;
        int client;
        if (!tcp_address(argv[0], port, &address, &length) ||
            (client = socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
            return fail("socket");
        /* Left open: the connections wait in the listener's queues. */
        if (connect(client, (struct sockaddr *)&address, length) != 0 && errno != EINPROGRESS)
            return fail("connect");
        sleep_ms(50);
    }
    sleep_ms(atol(argv[4]));
    return 0;
}

static int perf_check(long long type, long long config)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = (uint32_t)type;
    attr.config = (uint64_t)config;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
    if (fd < 0)
        return 1;
    close((int)fd);
    return 0;
}

static int parse_number(const char *text, long long *value)
{
    char *end;
    errno = 0;
    *value = strtoll(text, &end, 0);
    return errno == 0 && end != text && *end == '\0';
}

int main(int argc, char **argv)
{
    int i = 1;
    if (argc < 2)
        return usage();
    while (i < argc) {
        const char *op = argv[i++];
        long long value;
        if (strcmp(op, "getppid") == 0 && i < argc && parse_number(argv[i], &value)) {
            i++;
            for (long long n = 0; n < value; n++)
                syscall(SYS_getppid); /* not cached by libc */
        } else if (strcmp(op, "lseek") == 0) {
            while (i < argc && parse_number(argv[i], &value)) {
                i++;
                syscall(SYS_lseek, -1, (off_t)value, SEEK_SET);
            }
        } else if (strcmp(op, "lseekn") == 0 && i + 1 < argc && parse_number(argv[i], &value)) {
            long long count;
            if (!parse_number(argv[i + 1], &count))
                return usage();
            i += 2;
            for (long long n = 0; n < count; n++)
                syscall(SYS_lseek, -1, (off_t)value, SEEK_SET);
        } else if (strcmp(op, "write") == 0 && i < argc) {
            const char *text = argv[i++];
            int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (fd < 0 || write(fd, text, strlen(text)) < 0)
                return 1;
            close(fd);
        } else if (strcmp(op, "open") == 0 && i < argc) {
            int fd = openat(AT_FDCWD, argv[i++], O_RDONLY | O_CLOEXEC);
            if (fd >= 0)
                close(fd);
        } else if (strcmp(op, "sleep") == 0 && i < argc && parse_number(argv[i], &value)) {
            i++;
            struct timespec delay = {.tv_sec = (time_t)(value / 1000), .tv_nsec = (long)(value % 1000) * 1000000L};
            while (nanosleep(&delay, &delay) != 0 && errno == EINTR)
                ;
        } else if (strcmp(op, "exit") == 0 && i < argc && parse_number(argv[i], &value)) {
            return (int)value;
        } else if (strcmp(op, "crash") == 0) {
            signal(SIGSEGV, SIG_DFL);
            raise(SIGSEGV);
            return 1;
        } else if (strcmp(op, "bpfcheck") == 0) {
            union bpf_attr attr;
            memset(&attr, 0, sizeof(attr));
            attr.map_type = BPF_MAP_TYPE_ARRAY;
            attr.key_size = 4;
            attr.value_size = 8;
            attr.max_entries = 1;
            long fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
            if (fd < 0) {
                printf("cannot create a BPF map: %s\n", strerror(errno));
                return 1;
            }
            close((int)fd);
        } else if (strcmp(op, "touch") == 0 && i < argc && parse_number(argv[i], &value) && value > 0) {
            i++;
            if (touch_pages(value) != 0)
                return 1;
        } else if ((strcmp(op, "tcp") == 0 || strcmp(op, "refused") == 0) && i + 1 < argc) {
            int status = op[0] == 't' ? tcp_exchange(argv[i], argv[i + 1]) : tcp_refused(argv[i], argv[i + 1]);
            i += 2;
            if (status != 0)
                return status;
        } else if (strcmp(op, "backlog") == 0 && i + 4 < argc) {
            int status = tcp_backlog(argv + i);
            i += 5;
            if (status != 0)
                return status;
        } else if (strcmp(op, "perfcheck") == 0 && i + 1 < argc && parse_number(argv[i], &value)) {
            long long config;
            if (!parse_number(argv[i + 1], &config))
                return usage();
            return perf_check(value, config);
        } else if (strcmp(op, "exec") == 0 && i < argc) {
            execv(argv[i], argv + i);
            perror(argv[i]);
            return 127;
        } else {
            return usage();
        }
    }
    return 0;
}
