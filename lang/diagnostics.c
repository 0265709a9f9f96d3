#include "lang/diagnostics.h"

#include <stdio.h>
#include <string.h>

#include "util/buffer.h"
#include "util/memory.h"

enum { SYN_DEFAULT_ERROR_LIMIT = 50, SYN_QUOTED_LINE_MAX = 512 };

static void print_to_stderr(const syn_diagnostic *diagnostic, void *user_data)
{
    (void)user_data;
    fputs(diagnostic->rendered, stderr);
}

void syn_diagnostics_init(syn_diagnostics *diagnostics)
{
    memset(diagnostics, 0, sizeof(*diagnostics));
    diagnostics->handler = print_to_stderr;
    diagnostics->error_limit = SYN_DEFAULT_ERROR_LIMIT;
}

void syn_diagnostics_release(syn_diagnostics *diagnostics)
{
    free(diagnostics->said);
    diagnostics->said = NULL;
    diagnostics->said_count = diagnostics->said_capacity = 0;
}

void syn_diagnostics_begin(syn_diagnostics *diagnostics)
{
    diagnostics->said_count = 0;
}

static unsigned long long fingerprint(syn_severity severity, const syn_location *location, const char *message)
{
    unsigned long long value = 1469598103934665603ULL ^ (unsigned)severity;
    const char *parts[2] = {location && location->source ? location->source->name : "", message};
    for (int p = 0; p < 2; p++) {
        for (const unsigned char *c = (const unsigned char *)parts[p]; *c; c++)
            value = (value ^ *c) * 1099511628211ULL;
    }
    if (location) {
        value = (value ^ location->first_line) * 1099511628211ULL;
        value = (value ^ location->first_column) * 1099511628211ULL;
    }
    return value;
}

/* True when this exact message at this place was already reported. */
static bool already_said(syn_diagnostics *diagnostics, unsigned long long print)
{
    for (unsigned i = 0; i < diagnostics->said_count; i++) {
        if (diagnostics->said[i] == print)
            return true;
    }
    SYN_GROW(diagnostics->said, diagnostics->said_capacity, diagnostics->said_count + 1);
    diagnostics->said[diagnostics->said_count++] = print;
    return false;
}

bool syn_diagnostics_saturated(const syn_diagnostics *diagnostics)
{
    return diagnostics->error_count >= diagnostics->error_limit;
}

static const char *severity_name(syn_severity severity)
{
    switch (severity) {
    case SYN_SEVERITY_ERROR: return "error";
    case SYN_SEVERITY_WARNING: return "warning";
    case SYN_SEVERITY_NOTE: return "note";
    }
    return "error";
}

/* Control bytes and junk would shift the caret or garble a terminal, so the
 * quoted line shows them as '?'; tabs are kept so the caret line can copy
 * them and stay aligned. */
static char printable(char character)
{
    unsigned char byte = (unsigned char)character;
    if (character == '\t' || (byte >= 0x20 && byte < 0x7f) || byte >= 0x80)
        return character;
    return '?';
}

static void quote_source_line(syn_buffer *out, const syn_location *location)
{
    size_t length;
    const char *line = syn_source_line(location->source, location->first_line, &length);
    if (!line)
        return;
    if (length > SYN_QUOTED_LINE_MAX)
        length = SYN_QUOTED_LINE_MAX;

    char gutter[32];
    int gutter_width = snprintf(gutter, sizeof(gutter), "%5u", location->first_line);
    syn_buffer_printf(out, "%s | ", gutter);
    for (size_t i = 0; i < length; i++)
        syn_buffer_append_char(out, printable(line[i]));
    syn_buffer_append_char(out, '\n');

    size_t first = location->first_column ? location->first_column - 1 : 0;
    size_t last = location->last_line == location->first_line && location->last_column
                      ? location->last_column - 1
                      : (length ? length - 1 : 0);
    if (first > length)
        first = length;
    if (last < first)
        last = first;
    syn_buffer_append_repeated(out, ' ', (size_t)gutter_width);
    syn_buffer_append_string(out, " | ");
    for (size_t i = 0; i < first; i++)
        syn_buffer_append_char(out, line[i] == '\t' ? '\t' : ' ');
    syn_buffer_append_char(out, '^');
    if (last > first && last - first < SYN_QUOTED_LINE_MAX)
        syn_buffer_append_repeated(out, '~', last - first);
    syn_buffer_append_char(out, '\n');
}

void syn_report(syn_diagnostics *diagnostics, syn_severity severity, const syn_location *location,
                const char *format, va_list args)
{
    if (severity == SYN_SEVERITY_WARNING) {
        if (diagnostics->warning_mode == SYN_WARNINGS_QUIET ||
            (diagnostics->warning_mode == SYN_WARNINGS_HIDE && !diagnostics->at_run_time))
            return;
        if (diagnostics->warning_mode == SYN_WARNINGS_AS_ERRORS && !diagnostics->at_run_time)
            severity = SYN_SEVERITY_ERROR;
    }
    syn_buffer message;
    syn_buffer_init(&message);
    syn_buffer_vprintf(&message, format, args);
    if (!message.data)
        syn_buffer_append_string(&message, "");
    if (severity != SYN_SEVERITY_NOTE && already_said(diagnostics, fingerprint(severity, location, message.data))) {
        syn_buffer_release(&message);
        diagnostics->suppressing_notes = true;
        return;
    }
    if (severity == SYN_SEVERITY_NOTE && diagnostics->suppressing_notes) {
        syn_buffer_release(&message);
        return;
    }
    diagnostics->suppressing_notes = false;
    if (severity == SYN_SEVERITY_ERROR) {
        if (diagnostics->error_count == diagnostics->error_limit) {
            diagnostics->error_count++;
            syn_buffer_release(&message);
            syn_note(diagnostics, NULL, "too many errors; stopping here");
            return;
        }
        if (diagnostics->error_count > diagnostics->error_limit) {
            syn_buffer_release(&message);
            return;
        }
        diagnostics->error_count++;
    } else if (severity == SYN_SEVERITY_WARNING) {
        diagnostics->warning_count++;
    }

    syn_diagnostic diagnostic = {.severity = severity, .message = message.data};
    syn_buffer rendered;
    syn_buffer_init(&rendered);
    bool located = location && location->source && location->first_line;
    if (located) {
        diagnostic.file = location->source->name;
        diagnostic.line = location->first_line;
        diagnostic.column = location->first_column;
        diagnostic.end_line = location->last_line;
        diagnostic.end_column = location->last_column;
        syn_buffer_printf(&rendered, "%s:%u:%u: ", diagnostic.file, diagnostic.line, diagnostic.column);
    } else {
        syn_buffer_append_string(&rendered, "syn: ");
    }
    syn_buffer_printf(&rendered, "%s: %s\n", severity_name(severity), diagnostic.message);
    if (located)
        quote_source_line(&rendered, location);
    diagnostic.rendered = rendered.data;

    if (diagnostics->handler)
        diagnostics->handler(&diagnostic, diagnostics->user_data);
    syn_buffer_release(&message);
    syn_buffer_release(&rendered);
}

#define SYN_DEFINE_REPORTER(function, severity)                                                    \
    void function(syn_diagnostics *diagnostics, const syn_location *location, const char *format, \
                  ...)                                                                             \
    {                                                                                              \
        va_list args;                                                                              \
        va_start(args, format);                                                                    \
        syn_report(diagnostics, severity, location, format, args);                                 \
        va_end(args);                                                                              \
    }

SYN_DEFINE_REPORTER(syn_error, SYN_SEVERITY_ERROR)
SYN_DEFINE_REPORTER(syn_warning, SYN_SEVERITY_WARNING)
SYN_DEFINE_REPORTER(syn_note, SYN_SEVERITY_NOTE)
