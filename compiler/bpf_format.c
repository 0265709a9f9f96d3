#include "compiler/bpf_format.h"

#include <stdio.h>
#include <string.h>

#include "compiler/format.h"

static void append_text(syn_buffer *out, const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '%')
            syn_buffer_append_char(out, '%');
        syn_buffer_append_char(out, text[i]);
    }
}

static bool translate_directive(syn_buffer *out, const syn_format_piece *piece, char *error, size_t error_size)
{
    if (piece->width_argument || piece->precision_argument || piece->precision >= 0) {
        snprintf(error, error_size, "precisions and '*' widths");
        return false;
    }
    bool alternate = piece->flags & SYN_FORMAT_ALTERNATE;
    if (piece->conversion == SYN_FORMAT_POINTER || (alternate && (piece->conversion == SYN_FORMAT_HEX ||
                                                                  piece->conversion == SYN_FORMAT_HEX_UPPER))) {
        if (piece->width >= 0 || (piece->flags & ~SYN_FORMAT_ALTERNATE)) {
            snprintf(error, error_size, "widths and flags with %%p and %%#x");
            return false;
        }
        syn_buffer_append_string(out, piece->conversion == SYN_FORMAT_HEX_UPPER ? "0X%llX" : "0x%llx");
        return true;
    }
    if (alternate) {
        snprintf(error, error_size, "the '#' flag here");
        return false;
    }
    syn_buffer_append_char(out, '%');
    if (piece->flags & SYN_FORMAT_LEFT)
        syn_buffer_append_char(out, '-');
    if (piece->flags & SYN_FORMAT_PLUS)
        syn_buffer_append_char(out, '+');
    if (piece->flags & SYN_FORMAT_SPACE)
        syn_buffer_append_char(out, ' ');
    if (piece->flags & SYN_FORMAT_ZERO)
        syn_buffer_append_char(out, '0');
    if (piece->width > 0)
        syn_buffer_printf(out, "%d", piece->width);
    switch (piece->conversion) {
    case SYN_FORMAT_SIGNED: syn_buffer_append_string(out, "lld"); return true;
    case SYN_FORMAT_UNSIGNED: syn_buffer_append_string(out, "llu"); return true;
    case SYN_FORMAT_HEX: syn_buffer_append_string(out, "llx"); return true;
    case SYN_FORMAT_HEX_UPPER: syn_buffer_append_string(out, "llX"); return true;
    case SYN_FORMAT_CHAR: syn_buffer_append_char(out, 'c'); return true;
    case SYN_FORMAT_STRING: syn_buffer_append_char(out, 's'); return true;
    default:
        snprintf(error, error_size, "%%o, %%b, %%m and %%M");
        return false;
    }
}

static bool translate_printf(const syn_ir_event *event, syn_buffer *out, char *error, size_t error_size)
{
    syn_format format;
    char parse_error[128];
    if (!syn_format_parse(event->format, strlen(event->format), &format, parse_error, sizeof(parse_error))) {
        snprintf(error, error_size, "%s", parse_error);
        return false;
    }
    bool ok = true;
    for (uint32_t i = 0; i < format.count && ok; i++) {
        const syn_format_piece *piece = &format.pieces[i];
        if (piece->conversion == SYN_FORMAT_TEXT)
            append_text(out, event->format + piece->offset, piece->length);
        else if (piece->conversion == SYN_FORMAT_PERCENT)
            syn_buffer_append_string(out, "%%");
        else
            ok = translate_directive(out, piece, error, error_size);
    }
    syn_format_release(&format);
    return ok;
}

bool syn_bpf_translate_format(const syn_ir_event *event, syn_buffer *out, char *error, size_t error_size)
{
    if (event->argument_count > SYN_BPF_FORMAT_MAX_ARGUMENTS) {
        snprintf(error, error_size, "more than %d values", SYN_BPF_FORMAT_MAX_ARGUMENTS);
        return false;
    }
    for (uint32_t i = 0; i < event->argument_count; i++) {
        if (event->histogram_globals[i]) {
            snprintf(error, error_size, "histograms");
            return false;
        }
    }
    if (event->kind == SYN_IR_EVENT_PRINTF)
        return translate_printf(event, out, error, error_size);
    for (uint32_t i = 0; i < event->argument_count; i++) {
        if (i && event->kind == SYN_IR_EVENT_PRINTD)
            append_text(out, event->format, strlen(event->format));
        syn_buffer_append_string(out, event->argument_kinds[i] == SYN_IR_STRING ? "%s" : "%lld");
    }
    if (event->newline)
        syn_buffer_append_char(out, '\n');
    return true;
}
