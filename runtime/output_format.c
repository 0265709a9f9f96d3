/* printf, print and printd, byte for byte as SystemTap prints them.
 *
 * SystemTap compiles each printf format into C (translate.cxx,
 * emit_compiled_printfs) that calls the runtime's number(),
 * _stp_vsprint_char(), _stp_vsprint_memory() and _stp_vsprint_binary()
 * (runtime/vsprintf.c).  Their output resembles C's printf but differs in
 * places a script can see, and those differences are reproduced here:
 *
 *   - '0' still pads when a precision is given ("%08.3d" of 5 is 00000005);
 *   - a zero value still prints its digit ("%.0d" of 0 is "0") and the '#'
 *     prefix ("%#x" of 0 is "0x0", "%#o" of 0 is "00");
 *   - %p is %#x of the 64-bit value ("0x0", "0x1234");
 *   - a '*' width or precision is the argument's low 32 bits clamped to
 *     0 ... room left, so a negative one means 0, not left-justify;
 *   - '0' on %s, %m and %M appends a NUL byte after the field;
 *   - %#c escapes unprintable bytes as \n, \', \\ or \ooo;
 *   - one print statement produces at most STP_BUFFER_SIZE (8192) bytes,
 *     and widths and precisions are clamped to the room that is left.
 *
 * print, println, printd and printdln are printf with a synthesized format
 * ("%d" per long, "%s" per string, the delimiter between them, "\n" at the
 * end; translate.cxx, preprocess_print_format), so they share the code. */
#include "runtime/output_format.h"

#include <stdio.h>
#include <string.h>

/* STP_BUFFER_SIZE in SystemTap's runtime/transport/transport.h. */
enum { PRINT_LIMIT = 8192 };

/* The bytes one print statement may still add to the buffer. */
typedef struct sink {
    syn_buffer *buffer;
    size_t limit;           /* the buffer length at which output stops */
} sink;

static sink open_sink(syn_buffer *buffer)
{
    sink result = { buffer, buffer->length + PRINT_LIMIT };
    return result;
}

static size_t room_left(const sink *output)
{
    return output->buffer->length < output->limit ? output->limit - output->buffer->length : 0;
}

/* Output past the limit is dropped, as SystemTap's writers stop at the end
 * of the buffer they reserved. */
static void emit_bytes(sink *output, const char *bytes, size_t length)
{
    size_t room = room_left(output);
    if (length > room)
        length = room;
    if (length > 0)
        syn_buffer_append(output->buffer, bytes, length);
}

static void emit_byte(sink *output, char byte)
{
    emit_bytes(output, &byte, 1);
}

static void emit_repeated(sink *output, char byte, long count)
{
    if (count <= 0)
        return;
    size_t room = room_left(output);
    size_t length = (size_t)count < room ? (size_t)count : room;
    if (length > 0)
        syn_buffer_append_repeated(output->buffer, byte, length);
}

/* How one directive is laid out once its '*' arguments are known. */
typedef struct field {
    unsigned flags;         /* SYN_FORMAT_LEFT, ... */
    int width;              /* -1 when absent */
    int precision;          /* -1 when absent */
} field;

static const field plain_field = { 0, -1, -1 };

static long padding_for(int width, long used)
{
    return width > used ? width - used : 0;
}

/* The length of a C string, reading at most `most` bytes (C11 memchr stops
 * at the first match, so this never reads past the terminator). */
static size_t bounded_length(const char *text, size_t most)
{
    const char *end = memchr(text, '\0', most);
    return end ? (size_t)(end - text) : most;
}

/* ---- numbers: number() in runtime/vsprintf.c ---- */

static size_t digits_of(uint64_t value, unsigned base, bool uppercase, char *digits)
{
    const char *alphabet = uppercase ? "0123456789ABCDEF" : "0123456789abcdef";
    char reversed[64];
    size_t count = 0;
    do {
        reversed[count++] = alphabet[value % base];
        value /= base;
    } while (value != 0);
    for (size_t i = 0; i < count; i++)
        digits[i] = reversed[count - 1 - i];
    return count;
}

static void format_number(sink *output, uint64_t value, unsigned base, bool is_signed, bool uppercase,
                          field layout)
{
    unsigned flags = layout.flags;
    if (flags & SYN_FORMAT_LEFT)
        flags &= ~(unsigned)SYN_FORMAT_ZERO;
    /* `remaining` counts down the width the way number() does, so padding
     * ends up exactly where SystemTap puts it. */
    long remaining = layout.width;
    char sign = 0;
    if (is_signed) {
        if ((int64_t)value < 0) {
            sign = '-';
            value = 0 - value;
        } else if (flags & SYN_FORMAT_PLUS) {
            sign = '+';
        } else if (flags & SYN_FORMAT_SPACE) {
            sign = ' ';
        }
        if (sign)
            remaining--;
    }
    const char *prefix = "";
    if (flags & SYN_FORMAT_ALTERNATE) {
        if (base == 16)
            prefix = uppercase ? "0X" : "0x";
        else if (base == 8)
            prefix = "0";
    }
    remaining -= (long)strlen(prefix);
    char digits[64];
    size_t digit_count = digits_of(value, base, uppercase, digits);
    long precision = layout.precision > (long)digit_count ? layout.precision : (long)digit_count;
    remaining -= precision;

    if (!(flags & (SYN_FORMAT_ZERO | SYN_FORMAT_LEFT)))
        emit_repeated(output, ' ', remaining);
    if (sign)
        emit_byte(output, sign);
    emit_bytes(output, prefix, strlen(prefix));
    if (flags & SYN_FORMAT_ZERO)
        emit_repeated(output, '0', remaining);
    emit_repeated(output, '0', precision - (long)digit_count);
    emit_bytes(output, digits, digit_count);
    if (flags & SYN_FORMAT_LEFT)
        emit_repeated(output, ' ', remaining);
}

static void format_decimal(sink *output, int64_t value)
{
    format_number(output, (uint64_t)value, 10, true, false, plain_field);
}

/* ---- %c: _stp_vsprint_char ---- */

/* The text of one byte; with '#', the C escape of an unprintable one. */
static size_t char_text(unsigned char byte, bool escaped, char *text)
{
    bool printable = byte >= 0x20 && byte < 0x7f;
    if (!escaped || (printable && byte != '\'' && byte != '\\')) {
        text[0] = (char)byte;
        return 1;
    }
    static const char escapes[] = "\aa\bb\ff\nn\rr\tt\vv''\\\\";
    for (const char *pair = escapes; *pair; pair += 2) {
        if ((unsigned char)pair[0] == byte) {
            text[0] = '\\';
            text[1] = pair[1];
            return 2;
        }
    }
    text[0] = '\\';
    text[1] = (char)('0' + ((byte >> 6) & 3));
    text[2] = (char)('0' + ((byte >> 3) & 7));
    text[3] = (char)('0' + (byte & 7));
    return 4;
}

static void format_char(sink *output, unsigned char byte, field layout)
{
    char text[4];
    size_t length = char_text(byte, (layout.flags & SYN_FORMAT_ALTERNATE) != 0, text);
    long padding = padding_for(layout.width, (long)length);
    /* '0' does not apply: the runtime always pads a character with spaces. */
    if (!(layout.flags & SYN_FORMAT_LEFT))
        emit_repeated(output, ' ', padding);
    emit_bytes(output, text, length);
    if (layout.flags & SYN_FORMAT_LEFT)
        emit_repeated(output, ' ', padding);
}

/* ---- %s, %m, %M: _stp_vsprint_memory ---- */

/* Lays out bytes already chosen: `shown` is how wide they print. */
static void format_padded(sink *output, const char *bytes, size_t length, bool as_hex, field layout)
{
    long shown = (long)(as_hex ? length * 2 : length);
    long padding = padding_for(layout.width, shown);
    if (!(layout.flags & SYN_FORMAT_LEFT))
        emit_repeated(output, ' ', padding);
    if (as_hex) {
        static const char hex_digits[] = "0123456789abcdef";
        for (size_t i = 0; i < length; i++) {
            unsigned char byte = (unsigned char)bytes[i];
            char pair[2] = { hex_digits[byte >> 4], hex_digits[byte & 15] };
            emit_bytes(output, pair, 2);
        }
    } else if (length > 0) {
        emit_bytes(output, bytes, length);
    }
    if (layout.flags & SYN_FORMAT_LEFT)
        emit_repeated(output, ' ', padding);
    /* SystemTap's "%0s" terminates the field with a NUL, which binary
     * (%b) output uses to delimit strings. */
    if (layout.flags & SYN_FORMAT_ZERO)
        emit_byte(output, '\0');
}

static void format_string(sink *output, const char *text, field layout)
{
    /* Without a precision the runtime still stops at STP_BUFFER_SIZE. */
    size_t most = layout.precision >= 0 ? (size_t)layout.precision : PRINT_LIMIT;
    const char *bytes = text ? text : "";
    format_padded(output, bytes, bounded_length(bytes, most), false, layout);
}

/* %m and %M dump `precision` bytes (one by default) of memory the caller
 * has already read into the value; NULs are bytes like any other. */
static void format_memory(sink *output, const syn_output_value *value, bool as_hex, field layout)
{
    size_t wanted = layout.precision > 0 ? (size_t)layout.precision : 1;
    size_t available = value->string ? value->length : 0;
    size_t length = wanted < available ? wanted : available;
    format_padded(output, value->string ? value->string : "", length, as_hex, layout);
}

/* ---- %b: _stp_vsprint_binary ---- */

static int binary_size(int requested)
{
    return requested == 1 || requested == 2 || requested == 4 || requested == 8 ? requested : -1;
}

/* Writes the value's low 1, 2, 4 or 8 bytes in host byte order.  A missing
 * width defaults to the precision and the reverse; without either (or with
 * sizes other than 1, 2, 4, 8) eight bytes.  Padding is NUL bytes. */
static void format_binary(sink *output, int64_t value, field layout)
{
    int size = binary_size(layout.precision);
    int width = layout.width;
    if (width < 0) {
        if (size < 0)
            size = 8;
        width = size;
    } else if (size < 0) {
        size = binary_size(width);
        if (size < 0)
            size = 8;
    }
    long padding = padding_for(width, size);
    if (!(layout.flags & SYN_FORMAT_LEFT))
        emit_repeated(output, '\0', padding);

    unsigned char bytes[8];
    if (size == 1) {
        int8_t narrow = (int8_t)(uint8_t)value;
        memcpy(bytes, &narrow, 1);
    } else if (size == 2) {
        int16_t narrow = (int16_t)(uint16_t)value;
        memcpy(bytes, &narrow, 2);
    } else if (size == 4) {
        int32_t narrow = (int32_t)(uint32_t)value;
        memcpy(bytes, &narrow, 4);
    } else {
        memcpy(bytes, &value, 8);
    }
    /* The runtime writes the value whole or not at all. */
    if (room_left(output) >= (size_t)size)
        emit_bytes(output, (const char *)bytes, (size_t)size);

    if (layout.flags & SYN_FORMAT_LEFT)
        emit_repeated(output, '\0', padding);
}

/* ---- arguments and directives ---- */

typedef struct argument_list {
    const syn_output_value *values;
    unsigned count;
    unsigned next;
} argument_list;

/* The next argument, or NULL when the caller passed fewer than the format
 * asks for (the directive then prints nothing). */
static const syn_output_value *take_argument(argument_list *arguments)
{
    if (!arguments->values || arguments->next >= arguments->count)
        return NULL;
    return &arguments->values[arguments->next++];
}

static int clamp_to_room(int64_t value, const sink *output)
{
    size_t room = room_left(output);
    if (value < 0)
        return 0;
    return (uint64_t)value > room ? (int)room : (int)value;
}

/* A '*' argument is passed to the C code as an int: its low 32 bits. */
static int64_t low_32_bits(int64_t value)
{
    uint32_t low = (uint32_t)(uint64_t)value;
    return low >= UINT32_C(0x80000000) ? (int64_t)low - INT64_C(0x100000000) : (int64_t)low;
}

static int dynamic_count(argument_list *arguments, const sink *output)
{
    const syn_output_value *argument = take_argument(arguments);
    if (!argument)
        return -1;
    return clamp_to_room(low_32_bits(argument->number), output);
}

/* SystemTap reads a precision only when digits follow the '.': "%.s" has
 * none (the whole string prints), while "%.0s" has precision 0. */
static bool precision_has_digits(const char *format_text, const syn_format_piece *piece)
{
    if (!format_text)
        return true;
    const char *text = format_text + piece->offset;
    const char *dot = memchr(text, '.', piece->length);
    return dot && (size_t)(dot - text) + 1 < piece->length && dot[1] >= '0' && dot[1] <= '9';
}

static field read_field(const char *format_text, const syn_format_piece *piece, argument_list *arguments,
                        const sink *output)
{
    field layout = { piece->flags, -1, -1 };
    if (piece->width_argument)
        layout.width = dynamic_count(arguments, output);
    else if (piece->width >= 0)
        layout.width = clamp_to_room(piece->width, output);
    if (piece->precision_argument)
        layout.precision = dynamic_count(arguments, output);
    else if (piece->precision >= 0 && precision_has_digits(format_text, piece))
        layout.precision = clamp_to_room(piece->precision, output);
    return layout;
}

/* %s of a long cannot pass the semantic pass; print its digits rather than
 * nothing if one ever arrives. */
static void format_string_value(sink *output, const syn_output_value *value, field layout)
{
    if (value->is_string) {
        format_string(output, value->string, layout);
        return;
    }
    char digits[24];
    snprintf(digits, sizeof(digits), "%lld", (long long)value->number);
    format_string(output, digits, layout);
}

static void format_value(sink *output, syn_format_conversion conversion, const syn_output_value *value,
                         field layout)
{
    uint64_t number = (uint64_t)value->number;
    switch (conversion) {
    case SYN_FORMAT_SIGNED:
        format_number(output, number, 10, true, false, layout);
        break;
    case SYN_FORMAT_UNSIGNED:
        format_number(output, number, 10, false, false, layout);
        break;
    case SYN_FORMAT_OCTAL:
        format_number(output, number, 8, false, false, layout);
        break;
    case SYN_FORMAT_HEX:
        format_number(output, number, 16, false, false, layout);
        break;
    case SYN_FORMAT_HEX_UPPER:
        format_number(output, number, 16, false, true, layout);
        break;
    case SYN_FORMAT_POINTER:
        /* Since SystemTap 1.3, %p is %#x. */
        layout.flags |= SYN_FORMAT_ALTERNATE;
        format_number(output, number, 16, false, false, layout);
        break;
    case SYN_FORMAT_CHAR:
        format_char(output, (unsigned char)number, layout);
        break;
    case SYN_FORMAT_STRING:
        format_string_value(output, value, layout);
        break;
    case SYN_FORMAT_BINARY:
        format_binary(output, value->number, layout);
        break;
    case SYN_FORMAT_MEMORY:
        format_memory(output, value, false, layout);
        break;
    case SYN_FORMAT_MEMORY_HEX:
        format_memory(output, value, true, layout);
        break;
    case SYN_FORMAT_TEXT:
    case SYN_FORMAT_PERCENT:
        break;
    }
}

/* Literal text, which SystemTap copies up to a NUL like any C string. */
static void emit_literal(sink *output, const char *format_text, const syn_format_piece *piece)
{
    if (!format_text)
        return;
    const char *text = format_text + piece->offset;
    emit_bytes(output, text, bounded_length(text, piece->length));
}

static void format_piece(sink *output, const char *format_text, const syn_format_piece *piece,
                         argument_list *arguments)
{
    if (piece->conversion == SYN_FORMAT_TEXT) {
        emit_literal(output, format_text, piece);
        return;
    }
    if (piece->conversion == SYN_FORMAT_PERCENT) {
        emit_byte(output, '%');
        return;
    }
    field layout = read_field(format_text, piece, arguments, output);
    const syn_output_value *value = take_argument(arguments);
    if (value)
        format_value(output, piece->conversion, value, layout);
}

void syn_output_format(syn_buffer *out, const char *format_text, const syn_format *format,
                       const syn_output_value *values, unsigned count)
{
    if (!out || !format)
        return;
    sink output = open_sink(out);
    argument_list arguments = { values, count, 0 };
    for (unsigned i = 0; i < format->count; i++)
        format_piece(&output, format_text, &format->pieces[i], &arguments);
}

/* ---- print, println, printd, printdln ---- */

static void print_value(sink *output, const syn_output_value *value)
{
    if (value->is_string)
        format_string(output, value->string, plain_field);
    else
        format_decimal(output, value->number);
}

void syn_output_print(syn_buffer *out, const syn_output_value *values, unsigned count, bool newline)
{
    syn_output_print_delimited(out, NULL, values, count, newline);
}

void syn_output_print_delimited(syn_buffer *out, const char *delimiter, const syn_output_value *values,
                                unsigned count, bool newline)
{
    if (!out)
        return;
    sink output = open_sink(out);
    for (unsigned i = 0; values && i < count; i++) {
        if (i > 0 && delimiter)
            emit_bytes(&output, delimiter, strlen(delimiter));
        print_value(&output, &values[i]);
    }
    if (newline)
        emit_byte(&output, '\n');
}
