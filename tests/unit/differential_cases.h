/* The differential test's cases (tests/unit/differential_cases.c) and the
 * small helpers it shares with its harness (tests/unit/differential_test.c). */
#ifndef SYN_TESTS_DIFFERENTIAL_CASES_H
#define SYN_TESTS_DIFFERENTIAL_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buffer.h"

void *xmalloc(size_t size);
void *xrealloc(void *memory, size_t size);
char *xstrdup(const char *text);
char *text_of(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Texts of generated cases, freed together by free_case_texts(). */
char *case_text(const char *format, ...) __attribute__((format(printf, 1, 2)));
void free_case_texts(void);
/* A value as a script would write it. */
void quote_string(syn_buffer *out, const char *text);

typedef struct test_case {
    char *setup;          /* statements in the side's own probe, before expr */
    char *expr;           /* its value goes to {S}_<i>, in the side's own probe */
    char *after;          /* evaluated in the begin probe for both sides (statistics) */
    const char *known;    /* a known mismatch: what is wrong */
    bool alone;           /* a probe pair of its own (faults, exit) */
    int64_t tolerance;    /* longs may differ by this much (clocks) */
} test_case;

typedef struct group {
    const char *name;
    test_case *cases;
    size_t count;
    size_t capacity;
    uint32_t max_string_length;  /* 0: syn's default */
    uint32_t max_map_entries;    /* 0: syn's default */
    uint32_t chunk;              /* cases per probe pair */
    const char *prelude;         /* functions and the like */
    bool session;                /* compare printed output through a real session */
} group;

group *group_new(const char *name, uint32_t max_string_length, uint32_t chunk);
test_case *add_case(group *g, const char *setup, const char *expr, const char *after);
test_case *add_expr(group *g, const char *format, ...) __attribute__((format(printf, 2, 3)));
void group_free(group *g);

/* The input globals every script declares and fills in its begin probe. */
void declare_inputs(syn_buffer *out);

group *long_arithmetic_cases(void);
group *long_literal_cases(void);
group *long_comparison_cases(void);
group *string_operator_cases(uint32_t max_string_length);
group *string_builtin_cases(void);
group *logical_cases(void);
group *assignment_cases(void);
group *increment_cases(void);
group *array_cases(void);
group *array_full_cases(void);
group *statistic_cases(void);
group *context_cases(void);
group *clock_cases(void);
group *control_flow_cases(void);
group *fault_cases(void);
group *output_cases(void);
group *random_cases(uint64_t seed, bool strings, size_t count);

#endif
