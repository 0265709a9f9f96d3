/* Builtins as they run in syn's own process (begin, end, timer probes). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "runtime/interpreter.h"
#include "util/sysctl.h"

static int64_t clock_ns(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void copy_string(char *result, size_t max_length, const char *text, size_t length)
{
    if (length > max_length - 1)
        length = max_length - 1;
    memmove(result, text, length);
    result[length] = '\0';
}

static void set_string(char *result, size_t max_length, const char *text)
{
    copy_string(result, max_length, text, strlen(text));
}

static const char *process_name(char *buffer, size_t size)
{
    FILE *file = fopen("/proc/self/comm", "re");
    if (!file || !fgets(buffer, (int)size, file)) {
        if (file)
            fclose(file);
        snprintf(buffer, size, "syn");
        return buffer;
    }
    fclose(file);
    buffer[strcspn(buffer, "\n")] = '\0';
    return buffer;
}

static void substring(const syn_builtin_value *arguments, char *result, size_t max_length)
{
    const char *text = arguments[0].string;
    int64_t length = (int64_t)strlen(text);
    int64_t start = arguments[1].number, count = arguments[2].number;
    if (start < 0 || start >= length || count <= 0) {
        result[0] = '\0';
        return;
    }
    if (count > length - start)
        count = length - start;
    copy_string(result, max_length, text + start, (size_t)count);
}

static void replace_all(const syn_builtin_value *arguments, char *result, size_t max_length)
{
    const char *text = arguments[0].string, *old = arguments[1].string, *new = arguments[2].string;
    size_t old_length = strlen(old), new_length = strlen(new), used = 0;
    if (!old_length) {
        set_string(result, max_length, text);
        return;
    }
    while (*text && used + 1 < max_length) {
        if (strncmp(text, old, old_length) == 0) {
            size_t take = new_length < max_length - 1 - used ? new_length : max_length - 1 - used;
            memcpy(result + used, new, take);
            used += take;
            text += old_length;
        } else {
            result[used++] = *text++;
        }
    }
    result[used] = '\0';
}

/* SystemTap's text_str: unprintable bytes as C escapes. */
static void escape_text(const char *text, char *result, size_t max_length)
{
    size_t used = 0;
    for (; *text; text++) {
        char piece[8];
        unsigned char byte = (unsigned char)*text;
        switch (byte) {
        case '\n': snprintf(piece, sizeof(piece), "\\n"); break;
        case '\t': snprintf(piece, sizeof(piece), "\\t"); break;
        case '\r': snprintf(piece, sizeof(piece), "\\r"); break;
        case '"': snprintf(piece, sizeof(piece), "\\\""); break;
        case '\\': snprintf(piece, sizeof(piece), "\\\\"); break;
        default:
            if (isprint(byte))
                snprintf(piece, sizeof(piece), "%c", byte);
            else
                snprintf(piece, sizeof(piece), "\\%03o", byte);
        }
        size_t length = strlen(piece);
        if (used + length >= max_length)
            break;
        memcpy(result + used, piece, length);
        used += length;
    }
    result[used] = '\0';
}

static void format_ctime(int64_t seconds, char *result, size_t max_length)
{
    time_t when = (time_t)seconds;
    struct tm broken;
    char text[64];
    if (!gmtime_r(&when, &broken) || !strftime(text, sizeof(text), "%a %b %e %H:%M:%S %Y", &broken))
        snprintf(text, sizeof(text), "<invalid time>");
    set_string(result, max_length, text);
}

/* Addresses are in network order, as the kernel stores them. */
static void format_ipv4(int64_t address, char *result, size_t max_length)
{
    struct in_addr in = {.s_addr = (uint32_t)address};
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &in, text, sizeof(text));
    set_string(result, max_length, text);
}

bool syn_userspace_read_kernel(const syn_interpreter_host *host, uint64_t address, void *buffer, size_t size,
                               bool string, char *fault, size_t fault_size)
{
    const char *why = NULL;
    if (host->kernel_read && host->kernel_read(host->context, address, buffer, size, string, &why))
        return true;
    if (why)
        snprintf(fault, fault_size, "cannot read kernel memory from a userspace probe: %s", why);
    else
        snprintf(fault, fault_size, "%s at 0x%llx", syn_ir_fault_message(SYN_IR_FAULT_READ),
                 (unsigned long long)address);
    return false;
}

int64_t syn_userspace_kernel_number(const uint8_t *bytes, size_t size, bool is_signed)
{
    uint64_t raw = 0;
    memcpy(&raw, bytes, size);   /* the kernel's byte order is ours */
    size_t bits = size * 8;
    if (is_signed && bits < 64 && (raw >> (bits - 1)) & 1)
        raw |= ~0ULL << bits;
    return (int64_t)raw;
}

/* kernel_long() and friends, kernel_string[_n]() and ip6_ntop() read the
 * kernel through the host (runtime/kernel_reader.h), as a kernel probe's
 * read would, with the same fault. */
static bool kernel_memory(const char *name, const syn_builtin_value *arguments, unsigned count,
                          const syn_interpreter_host *host, int64_t *number_result, char *string_result,
                          size_t max_length, char *fault, size_t fault_size)
{
    static const struct {
        const char *name;
        size_t size;
        bool is_signed;
    } numbers[] = {{"kernel_long", 8, true}, {"kernel_pointer", 8, false}, {"kernel_int", 4, true},
                   {"kernel_short", 2, true}, {"kernel_char", 1, true}};
    uint64_t address = (uint64_t)arguments[0].number;
    if (strncmp(name, "kernel_string", 13) == 0) {
        size_t size = max_length;
        if (count > 1)
            size = arguments[1].number < 0 ? 1 : (size_t)arguments[1].number + 1 < max_length
                                                     ? (size_t)arguments[1].number + 1 : max_length;
        if (!syn_userspace_read_kernel(host, address, string_result, size, true, fault, fault_size))
            return false;
        string_result[size - 1] = '\0';
        return true;
    }
    if (strcmp(name, "ip6_ntop") == 0) {
        struct in6_addr raw;
        if (!syn_userspace_read_kernel(host, address, &raw, sizeof(raw), false, fault, fault_size))
            return false;
        if (!inet_ntop(AF_INET6, &raw, string_result, (socklen_t)max_length))
            string_result[0] = '\0';
        return true;
    }
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        uint8_t bytes[8];
        if (strcmp(name, numbers[i].name) != 0)
            continue;
        if (!syn_userspace_read_kernel(host, address, bytes, numbers[i].size, false, fault, fault_size))
            return false;
        *number_result = syn_userspace_kernel_number(bytes, numbers[i].size, numbers[i].is_signed);
    }
    return true;
}

bool syn_userspace_builtin(const char *name, const syn_builtin_value *arguments, unsigned count,
                           const syn_interpreter_host *host, int64_t *number_result, char *string_result,
                           size_t max_length, char *fault, size_t fault_size)
{
    *number_result = 0;
    if (string_result)
        string_result[0] = '\0';
    if (strcmp(name, "execname") == 0) {
        char buffer[64];
        set_string(string_result, max_length, process_name(buffer, sizeof(buffer)));
    } else if (strcmp(name, "pid") == 0) {
        *number_result = getpid();
    } else if (strcmp(name, "tid") == 0) {
        *number_result = gettid();
    } else if (strcmp(name, "ppid") == 0) {
        *number_result = getppid();
    } else if (strcmp(name, "uid") == 0) {
        *number_result = getuid();
    } else if (strcmp(name, "gid") == 0) {
        *number_result = getgid();
    } else if (strcmp(name, "euid") == 0) {
        *number_result = geteuid();
    } else if (strcmp(name, "egid") == 0) {
        *number_result = getegid();
    } else if (strcmp(name, "cpu") == 0) {
        *number_result = sched_getcpu();
    } else if (strcmp(name, "target") == 0) {
        *number_result = host->target_pid;
    } else if (strcmp(name, "task_current") == 0) {
        *number_result = 0;
    } else if (strcmp(name, "gettimeofday_s") == 0) {
        *number_result = clock_ns(CLOCK_REALTIME) / 1000000000LL;
    } else if (strcmp(name, "gettimeofday_ms") == 0) {
        *number_result = clock_ns(CLOCK_REALTIME) / 1000000LL;
    } else if (strcmp(name, "gettimeofday_us") == 0) {
        *number_result = clock_ns(CLOCK_REALTIME) / 1000LL;
    } else if (strcmp(name, "gettimeofday_ns") == 0) {
        *number_result = clock_ns(CLOCK_REALTIME);
    } else if (strcmp(name, "local_clock_ns") == 0 || strcmp(name, "ktime_get_ns") == 0) {
        *number_result = clock_ns(CLOCK_MONOTONIC);
    } else if (strcmp(name, "jiffies") == 0) {
        /* The kernel's jiffies_64 starts at INITIAL_JIFFIES, (unsigned int)(-300 * HZ),
         * and counts HZ a second while the system runs, as CLOCK_MONOTONIC does. */
        int64_t hz = host->hz ? host->hz(host->context) : 250;
        if (hz <= 0)
            hz = 250;
        uint64_t initial = (uint32_t)(-300 * hz);
        *number_result = (int64_t)(initial + (uint64_t)(clock_ns(CLOCK_MONOTONIC) / (1000000000LL / hz)));
    } else if (strcmp(name, "randint") == 0) {
        if (arguments[0].number <= 0) {
            snprintf(fault, fault_size, "%s", syn_ir_fault_message(SYN_IR_FAULT_RANDOM_BOUND));
            return false;
        }
        uint64_t random_value = 0;
        if (getrandom(&random_value, sizeof(random_value), 0) != (ssize_t)sizeof(random_value))
            random_value = (uint64_t)rand();
        *number_result = (int64_t)(random_value % (uint64_t)arguments[0].number);
    } else if (strcmp(name, "strlen") == 0) {
        *number_result = (int64_t)strlen(arguments[0].string);
    } else if (strcmp(name, "substr") == 0) {
        substring(arguments, string_result, max_length);
    } else if (strcmp(name, "isinstr") == 0) {
        *number_result = strstr(arguments[0].string, arguments[1].string) != NULL;
    } else if (strcmp(name, "strpos") == 0) {
        const char *found = strstr(arguments[0].string, arguments[1].string);
        *number_result = found ? found - arguments[0].string : -1;
    } else if (strcmp(name, "str_replace") == 0) {
        replace_all(arguments, string_result, max_length);
    } else if (strcmp(name, "strtol") == 0) {
        int64_t base = arguments[1].number;
        if (base != 0 && (base < 2 || base > 36)) {
            snprintf(fault, fault_size, "strtol: invalid base %lld", (long long)base);
            return false;
        }
        *number_result = strtoll(arguments[0].string, NULL, (int)base);
    } else if (strcmp(name, "isdigit") == 0) {
        *number_result = isdigit((unsigned char)arguments[0].string[0]) != 0;
    } else if (strcmp(name, "stringat") == 0) {
        int64_t length = (int64_t)strlen(arguments[0].string);
        if (arguments[1].number < 0 || arguments[1].number >= length) {
            snprintf(fault, fault_size, "%s", syn_ir_fault_message(SYN_IR_FAULT_STRING_INDEX));
            return false;
        }
        *number_result = (unsigned char)arguments[0].string[arguments[1].number];
    } else if (strcmp(name, "text_str") == 0) {
        escape_text(arguments[0].string, string_result, max_length);
    } else if (strcmp(name, "ctime") == 0) {
        format_ctime(count ? arguments[0].number : clock_ns(CLOCK_REALTIME) / 1000000000LL, string_result,
                     max_length);
    } else if (strcmp(name, "ip_ntop") == 0) {
        format_ipv4(arguments[0].number, string_result, max_length);
    } else if (strcmp(name, "listener") == 0) {
        uint64_t sk = 0;
        const char *why = NULL;
        if (!host->listener ||
            !host->listener(host->context, arguments[0].number, count > 1 ? arguments[1].string : NULL, &sk, &why)) {
            snprintf(fault, fault_size, "listener(): %s", why ? why : "not available here");
            return false;
        }
        *number_result = (int64_t)sk;
    } else if (strcmp(name, "__tcp_listener_next") == 0) {
        uint64_t sk = 0;
        const char *why = NULL;
        if (!host->listener_next || !host->listener_next(host->context, (uint64_t)arguments[0].number, &sk, &why)) {
            snprintf(fault, fault_size, "listener(): %s", why ? why : "not available here");
            return false;
        }
        *number_result = (int64_t)sk;
    } else if (strcmp(name, "__syn_netns") == 0) {
        struct stat namespace;
        *number_result = stat("/proc/self/ns/net", &namespace) == 0 ? (int64_t)namespace.st_ino : 0;
    } else if (strncmp(name, "kernel_", 7) == 0 || strcmp(name, "ip6_ntop") == 0) {
        return kernel_memory(name, arguments, count, host, number_result, string_result, max_length, fault,
                             fault_size);
    } else if (syn_sysctl_for_builtin(name)) {
        return syn_sysctl_read(syn_sysctl_for_builtin(name), number_result, fault, fault_size);
    } else {
        snprintf(fault, fault_size, "%s() cannot run in a userspace probe", name);
        return false;
    }
    return true;
}
