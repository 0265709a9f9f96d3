#include "compiler/format.h"

#include <stdio.h>
#include <string.h>

#include "util/memory.h"

static syn_format_piece *add_piece(syn_format *format, syn_format_conversion conversion, size_t offset)
{
    SYN_GROW(format->pieces, format->capacity, format->count + 1);
    syn_format_piece *piece = &format->pieces[format->count++];
    memset(piece, 0, sizeof(*piece));
    piece->conversion = conversion;
    piece->width = -1;
    piece->precision = -1;
    piece->offset = offset;
    return piece;
}

static syn_format_conversion conversion_of(char character)
{
    switch (character) {
    case 'd': case 'i': return SYN_FORMAT_SIGNED;
    case 'u': return SYN_FORMAT_UNSIGNED;
    case 'o': return SYN_FORMAT_OCTAL;
    case 'x': return SYN_FORMAT_HEX;
    case 'X': return SYN_FORMAT_HEX_UPPER;
    case 'p': return SYN_FORMAT_POINTER;
    case 'c': return SYN_FORMAT_CHAR;
    case 's': return SYN_FORMAT_STRING;
    case 'b': return SYN_FORMAT_BINARY;
    case 'm': return SYN_FORMAT_MEMORY;
    case 'M': return SYN_FORMAT_MEMORY_HEX;
    case '%': return SYN_FORMAT_PERCENT;
    default: return SYN_FORMAT_TEXT;
    }
}

/* Reads digits (bounded, since widths index buffers later) or '*'. */
static size_t read_count(const char *text, size_t length, size_t i, int *value, bool *from_argument)
{
    if (i < length && text[i] == '*') {
        *from_argument = true;
        return i + 1;
    }
    if (i < length && text[i] >= '0' && text[i] <= '9') {
        int number = 0;
        while (i < length && text[i] >= '0' && text[i] <= '9') {
            if (number < 100000)
                number = number * 10 + (text[i] - '0');
            i++;
        }
        *value = number;
    }
    return i;
}

bool syn_format_parse(const char *text, size_t length, syn_format *format, char *error, size_t error_size)
{
    memset(format, 0, sizeof(*format));
    size_t i = 0;
    while (i < length) {
        if (text[i] != '%') {
            size_t start = i;
            while (i < length && text[i] != '%')
                i++;
            add_piece(format, SYN_FORMAT_TEXT, start)->length = i - start;
            continue;
        }
        size_t start = i++;
        unsigned flags = 0;
        for (; i < length; i++) {
            unsigned flag = text[i] == '-' ? SYN_FORMAT_LEFT : text[i] == '+' ? SYN_FORMAT_PLUS
                          : text[i] == ' ' ? SYN_FORMAT_SPACE : text[i] == '#' ? SYN_FORMAT_ALTERNATE
                          : text[i] == '0' ? SYN_FORMAT_ZERO : 0;
            if (!flag)
                break;
            flags |= flag;
        }
        int width = -1, precision = -1;
        bool width_argument = false, precision_argument = false;
        i = read_count(text, length, i, &width, &width_argument);
        if (i < length && text[i] == '.') {
            precision = 0;
            i = read_count(text, length, i + 1, &precision, &precision_argument);
        }
        /* Length modifiers mean nothing here: every number is 64 bits. */
        while (i < length && strchr("hlLqjzt", text[i]))
            i++;
        syn_format_conversion conversion = i < length ? conversion_of(text[i]) : SYN_FORMAT_TEXT;
        if (conversion == SYN_FORMAT_TEXT) {
            if (i < length && text[i] > 0x20 && text[i] < 0x7f)
                snprintf(error, error_size, "invalid conversion '%%%c' in format string", text[i]);
            else if (i < length)
                snprintf(error, error_size, "invalid conversion (byte 0x%02x) after '%%' in format string",
                         (unsigned char)text[i]);
            else
                snprintf(error, error_size, "format string ends in the middle of a '%%' directive");
            syn_format_release(format);
            return false;
        }
        i++;
        syn_format_piece *piece = add_piece(format, conversion, start);
        piece->length = i - start;
        piece->flags = flags;
        piece->width = width;
        piece->width_argument = width_argument;
        piece->precision = precision;
        piece->precision_argument = precision_argument;
    }
    return true;
}

void syn_format_release(syn_format *format)
{
    free(format->pieces);
    memset(format, 0, sizeof(*format));
}

syn_type syn_format_argument_type(const syn_format_piece *piece)
{
    switch (piece->conversion) {
    case SYN_FORMAT_TEXT:
    case SYN_FORMAT_PERCENT:
        return SYN_TYPE_UNKNOWN;
    case SYN_FORMAT_STRING:
        return SYN_TYPE_STRING;
    default:
        return SYN_TYPE_LONG;
    }
}
