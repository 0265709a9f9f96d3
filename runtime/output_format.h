/* Turning values into text as SystemTap prints them: printf-style formats,
 * print/println, printd/printdln, and histograms.  Used by the interpreter
 * and by the event reader that formats what kernel probes send. */
#ifndef SYN_RUNTIME_OUTPUT_FORMAT_H
#define SYN_RUNTIME_OUTPUT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler/format.h"
#include "util/buffer.h"

typedef struct syn_output_value {
    bool is_string;
    int64_t number;
    const char *string;     /* NUL-terminated when is_string */
    size_t length;          /* bytes of `string` (for %m/%M, which may hold NULs) */
} syn_output_value;

/* printf and sprintf: `format` is syn_format_parse's result for
 * `format_text`; `values` are the arguments in order ('*' widths and
 * precisions included).  The semantic pass has checked count and types. */
void syn_output_format(syn_buffer *out, const char *format_text, const syn_format *format,
                       const syn_output_value *values, unsigned count);

/* print, println, sprint, sprintln: each value as %d or %s, no separator;
 * a newline at the end when `newline`. */
void syn_output_print(syn_buffer *out, const syn_output_value *values, unsigned count, bool newline);

/* printd, printdln: values separated by `delimiter`. */
void syn_output_print_delimited(syn_buffer *out, const char *delimiter, const syn_output_value *values,
                                unsigned count, bool newline);

/* A histogram of a statistic, combined over CPUs, in SystemTap's layout.
 * Buckets are indexed as compiler/statistics.h describes. */
typedef struct syn_output_histogram {
    bool is_log;
    int64_t low;            /* linear histograms */
    int64_t high;
    int64_t step;
    const int64_t *buckets;
    unsigned bucket_count;
} syn_output_histogram;

void syn_output_print_histogram(syn_buffer *out, const syn_output_histogram *histogram);

#endif
