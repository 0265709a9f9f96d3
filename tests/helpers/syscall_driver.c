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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr, "usage: syscall_driver OPERATION [ARGS] [OPERATION [ARGS]]...\n"
                    "operations: getppid N | lseek V... | write TEXT | open PATH | sleep MS |\n"
                    "            lseekn V N | exit CODE | crash | bpfcheck | exec PROGRAM [ARGS...]\n");
    return 2;
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
