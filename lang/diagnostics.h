/* Located error, warning and note messages.  Every pass reports through one
 * syn_diagnostics, which renders the message with its source line and a caret
 * and hands it to the host's handler. */
#ifndef SYN_LANG_DIAGNOSTICS_H
#define SYN_LANG_DIAGNOSTICS_H

#include <stdarg.h>
#include <stdbool.h>

#include "lang/location.h"
#include "syn/syn.h"

typedef struct syn_diagnostics {
    syn_diagnostic_handler handler;
    void *user_data;
    syn_warning_mode warning_mode;
    bool at_run_time;             /* warnings now come from the running script */
    unsigned error_count;
    unsigned warning_count;
    unsigned error_limit;   /* passes stop reporting (and working) past it */
    /* What was said in the current operation: a body checked once per
     * probe point would otherwise repeat each of its errors. */
    unsigned long long *said;
    unsigned said_count;
    unsigned said_capacity;
    bool suppressing_notes;  /* the notes of a repeated message */
} syn_diagnostics;

void syn_diagnostics_init(syn_diagnostics *diagnostics);
void syn_diagnostics_release(syn_diagnostics *diagnostics);
/* Starts a new operation (a load, a check): repeats are allowed again. */
void syn_diagnostics_begin(syn_diagnostics *diagnostics);

/* `location` may be NULL for messages that have no place in a script. */
void syn_error(syn_diagnostics *diagnostics, const syn_location *location, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void syn_warning(syn_diagnostics *diagnostics, const syn_location *location, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void syn_note(syn_diagnostics *diagnostics, const syn_location *location, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void syn_report(syn_diagnostics *diagnostics, syn_severity severity, const syn_location *location,
                const char *format, va_list args) __attribute__((format(printf, 4, 0)));

/* True once so many errors were reported that going on only adds noise. */
bool syn_diagnostics_saturated(const syn_diagnostics *diagnostics);

#endif
