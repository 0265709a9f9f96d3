/* A tiny TAP (Test Anything Protocol) producer for the C unit tests, read by
 * automake's tap-driver.sh.  Header-only: every function is static, so each
 * test program gets its own counters.
 *
 *   ok(condition, "name %d", ...)        one test point
 *   is_int(got, expected, "name", ...)   compares integers, shows both on failure
 *   is_string(got, expected, "name", ...)  compares strings (NULL allowed)
 *   diag("text", ...)                    a "# " comment line
 *   return done_testing();               prints the plan; 0 when all passed
 */
#ifndef SYN_TESTS_UNIT_TAP_H
#define SYN_TESTS_UNIT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TAP_UNUSED __attribute__((unused))
#define TAP_PRINTF(format_index, first_argument) \
    __attribute__((format(printf, format_index, first_argument)))

static int tap_test_count;
static int tap_failure_count;

/* Prints a test name: '#' would start a TAP directive and a newline would end
 * the line, so both are escaped. */
static TAP_UNUSED TAP_PRINTF(1, 0) void tap_print_name(const char *format, va_list args)
{
    char name[512];
    vsnprintf(name, sizeof(name), format, args);
    for (const char *c = name; *c; c++) {
        if (*c == '#')
            fputs("\\#", stdout);
        else if (*c == '\n')
            fputs("\\n", stdout);
        else
            putchar(*c);
    }
}

static TAP_UNUSED TAP_PRINTF(2, 0) void tap_vreport(int passed, const char *format, va_list args)
{
    tap_test_count++;
    if (!passed)
        tap_failure_count++;
    printf("%s %d - ", passed ? "ok" : "not ok", tap_test_count);
    tap_print_name(format, args);
    putchar('\n');
    fflush(stdout);
}

/* Writes each line of `text` as a TAP comment. */
static TAP_UNUSED void tap_comment_lines(const char *prefix, const char *text)
{
    const char *line = text;
    for (;;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        printf("#   %s%.*s\n", prefix, (int)length, line);
        if (!end || !end[1])
            break;
        prefix = "";
        line = end + 1;
    }
}

static TAP_UNUSED TAP_PRINTF(1, 2) void diag(const char *format, ...)
{
    char text[2048];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof(text), format, args);
    va_end(args);
    tap_comment_lines("", text);
    fflush(stdout);
}

static TAP_UNUSED TAP_PRINTF(2, 3) int ok(int condition, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    tap_vreport(condition, format, args);
    va_end(args);
    return condition;
}

static TAP_UNUSED TAP_PRINTF(3, 4) int is_int(long long got, long long expected, const char *format, ...)
{
    int passed = got == expected;
    va_list args;
    va_start(args, format);
    tap_vreport(passed, format, args);
    va_end(args);
    if (!passed)
        printf("#   got:      %lld\n#   expected: %lld\n", got, expected);
    return passed;
}

static TAP_UNUSED TAP_PRINTF(3, 4) int is_string(const char *got, const char *expected, const char *format, ...)
{
    int passed = (got == NULL && expected == NULL) ||
                 (got != NULL && expected != NULL && strcmp(got, expected) == 0);
    va_list args;
    va_start(args, format);
    tap_vreport(passed, format, args);
    va_end(args);
    if (!passed) {
        tap_comment_lines("got:      ", got ? got : "(null)");
        tap_comment_lines("expected: ", expected ? expected : "(null)");
    }
    return passed;
}

/* Prints the plan; the value to return from main. */
static TAP_UNUSED int done_testing(void)
{
    printf("1..%d\n", tap_test_count);
    if (tap_failure_count)
        printf("# %d of %d tests failed\n", tap_failure_count, tap_test_count);
    fflush(stdout);
    return tap_failure_count ? 1 : 0;
}

#endif
