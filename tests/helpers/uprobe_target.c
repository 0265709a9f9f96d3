/* The program the uprobe tests probe: functions the compiler keeps as they
 * are written (not inlined, not cloned), called a known number of times
 * with known arguments.  Operations run in the order given:
 *
 *   N                  the same as "tick N"
 *   tick N             N calls of uprobe_tick(i), i = 0 ... N-1
 *   add A B C          uprobe_add(A, B, C), which returns their sum
 *   square X           uprobe_square(X), which returns X*X
 *   greet TEXT         uprobe_greet(TEXT), which returns its length
 *   getpid N           N calls of libc's getpid()
 *   tick-for MS        uprobe_tick() every millisecond for MS milliseconds
 *   wait-probed        waits (at most 20 s) until uprobe_tick holds a uprobe
 *                      in this process, then one second more: a probe
 *                      attached from outside (-x) has then been placed, and
 *                      its program attached to it
 *   sleep MS           sleeps MS milliseconds
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* noipa: neither inlined nor specialised for its constant arguments, so
 * the symbol the tests probe is the code that runs. */
#if defined(__has_attribute)
#if __has_attribute(noipa)
#define KEPT __attribute__((noipa))
#endif
#endif
#ifndef KEPT
#define KEPT __attribute__((noinline))
#endif

long uprobe_tick(long index);
long uprobe_add(long first, long second, long third);
long uprobe_square(long value);
long uprobe_greet(const char *text);

/* Keeps the calls' results alive. */
static volatile long sink;

KEPT long uprobe_tick(long index)
{
    return index + 1;
}

KEPT long uprobe_add(long first, long second, long third)
{
    return first + second + third;
}

KEPT long uprobe_square(long value)
{
    return value * value;
}

KEPT long uprobe_greet(const char *text)
{
    return (long)strlen(text);
}

static void sleep_ms(long milliseconds)
{
    struct timespec pause = {.tv_sec = milliseconds / 1000, .tv_nsec = (milliseconds % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
        continue;
}

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* A uprobe replaces the first instruction of the function, in this
 * process's copy of the page, with a breakpoint. */
static int probed(void)
{
    const volatile unsigned char *code = (const volatile unsigned char *)(uintptr_t)&uprobe_tick;
#if defined(__x86_64__)
    return code[0] == 0xcc; /* int3 */
#elif defined(__aarch64__)
    uint32_t instruction = (uint32_t)code[0] | (uint32_t)code[1] << 8 | (uint32_t)code[2] << 16 |
                           (uint32_t)code[3] << 24;
    return instruction == 0xd42000a0; /* brk #0x5, the uprobe breakpoint */
#else
    return 1;
#endif
}

static int parse_number(const char *text, long *value)
{
    char *end;
    errno = 0;
    *value = strtol(text, &end, 0);
    return errno == 0 && end != text && *end == '\0';
}

static int usage(void)
{
    fprintf(stderr, "usage: uprobe_target N | OPERATION [ARGS]...\n"
                    "operations: tick N | add A B C | square X | greet TEXT | getpid N | tick-for MS |\n"
                    "            wait-probed | sleep MS\n");
    return 2;
}

int main(int argc, char **argv)
{
    long a, b, c;
    for (int i = 1; i < argc;) {
        const char *op = argv[i++];
        if (parse_number(op, &a)) {
            for (long n = 0; n < a; n++)
                sink = uprobe_tick(n);
        } else if (strcmp(op, "tick") == 0 && i < argc && parse_number(argv[i], &a)) {
            i++;
            for (long n = 0; n < a; n++)
                sink = uprobe_tick(n);
        } else if (strcmp(op, "add") == 0 && i + 2 < argc && parse_number(argv[i], &a) &&
                   parse_number(argv[i + 1], &b) && parse_number(argv[i + 2], &c)) {
            i += 3;
            sink = uprobe_add(a, b, c);
        } else if (strcmp(op, "square") == 0 && i < argc && parse_number(argv[i], &a)) {
            i++;
            sink = uprobe_square(a);
        } else if (strcmp(op, "greet") == 0 && i < argc) {
            sink = uprobe_greet(argv[i++]);
        } else if (strcmp(op, "getpid") == 0 && i < argc && parse_number(argv[i], &a)) {
            i++;
            for (long n = 0; n < a; n++)
                sink = getpid();
        } else if (strcmp(op, "tick-for") == 0 && i < argc && parse_number(argv[i], &a)) {
            i++;
            for (long long end = now_ms() + a; now_ms() < end; sleep_ms(1))
                sink = uprobe_tick(0);
        } else if (strcmp(op, "wait-probed") == 0) {
            for (int tries = 0; !probed() && tries < 2000; tries++)
                sleep_ms(10);
            if (!probed()) {
                fprintf(stderr, "uprobe_target: no uprobe on uprobe_tick after 20 s\n");
                return 1;
            }
            /* The kernel places the breakpoint while it makes the perf
             * event, before syn attaches its program to the event and the
             * script's other probes. */
            sleep_ms(1000);
        } else if (strcmp(op, "sleep") == 0 && i < argc && parse_number(argv[i], &a)) {
            i++;
            sleep_ms(a);
        } else {
            return usage();
        }
    }
    return 0;
}
