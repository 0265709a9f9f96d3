/* Unit tests of runtime/output_format.c and runtime/output_histogram.c:
 * every printf directive, print/println/printd/printdln and @hist_log /
 * @hist_linear, compared with what SystemTap prints.
 *
 * Expectations taken from SystemTap's own testsuite name the .exp file
 * (testsuite/systemtap.printf/... or testsuite/systemtap.maps/...).  The
 * others follow SystemTap's sources as cited: runtime/vsprintf.c (number,
 * _stp_vsprint_char, _stp_vsprint_memory, _stp_vsprint_binary),
 * translate.cxx (emit_compiled_printfs, preprocess_print_format) and
 * runtime/stat-common.c (_stp_stat_print_histogram_buf). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/format.h"
#include "compiler/statistics.h"
#include "runtime/output_format.h"
#include "tests/unit/tap.h"
#include "util/memory.h"

/* ---- values ---- */

static syn_output_value long_value(int64_t number)
{
    syn_output_value value = { false, number, NULL, 0 };
    return value;
}

static syn_output_value string_value(const char *text)
{
    syn_output_value value = { true, 0, text, strlen(text) };
    return value;
}

/* What %m and %M receive: a long (an address in the script) whose bytes the
 * caller has already read. */
static syn_output_value memory_value(const char *bytes, size_t length)
{
    syn_output_value value = { false, 0, bytes, length };
    return value;
}

/* ---- running formats ---- */

typedef struct output {
    char *bytes;
    size_t length;
} output;

static output run_format(const char *format, const syn_output_value *values, unsigned count)
{
    output result = { NULL, 0 };
    syn_format parsed;
    char error[256];
    if (!syn_format_parse(format, strlen(format), &parsed, error, sizeof(error))) {
        diag("cannot parse \"%s\": %s", format, error);
        result.bytes = syn_strdup("<parse error>");
        result.length = strlen(result.bytes);
        return result;
    }
    syn_buffer buffer;
    syn_buffer_init(&buffer);
    syn_output_format(&buffer, format, &parsed, values, count);
    syn_format_release(&parsed);
    result.length = buffer.length;
    result.bytes = syn_buffer_take(&buffer);
    return result;
}

static void check_format(const char *format, const syn_output_value *values, unsigned count, const char *expected,
                         const char *source)
{
    output got = run_format(format, values, count);
    if (strlen(got.bytes) != got.length)
        diag("\"%s\" produced NUL bytes", format);
    is_string(got.bytes, expected, "printf(\"%s\") [%s]", format, source);
    free(got.bytes);
}

static void show_bytes(const char *label, const char *bytes, size_t length)
{
    char text[1024];
    size_t used = 0;
    for (size_t i = 0; i < length && used + 4 < sizeof(text); i++)
        used += (size_t)snprintf(text + used, sizeof(text) - used, " %02x", (unsigned char)bytes[i]);
    text[used] = '\0';
    diag("%s (%zu bytes):%s", label, length, text);
}

/* For output that holds NUL bytes (%b, %0s, %c of 0, %m). */
static void check_bytes(const char *format, const syn_output_value *values, unsigned count, const void *expected,
                        size_t expected_length, const char *source)
{
    output got = run_format(format, values, count);
    bool same = got.length == expected_length && memcmp(got.bytes, expected, expected_length) == 0;
    ok(same, "printf(\"%s\") bytes [%s]", format, source);
    if (!same) {
        show_bytes("got", got.bytes, got.length);
        show_bytes("expected", expected, expected_length);
    }
    free(got.bytes);
}

static void check_one_long(const char *format, int64_t number, const char *expected, const char *source)
{
    syn_output_value value = long_value(number);
    check_format(format, &value, 1, expected, source);
}

static void check_one_string(const char *format, const char *text, const char *expected, const char *source)
{
    syn_output_value value = string_value(text);
    check_format(format, &value, 1, expected, source);
}

/* ---- printf of numbers ---- */

/* testsuite/systemtap.printf/int1.stp prints i=1, j=10, k=9000000000000,
 * m=-1, n=-1024 with each directive; int1.exp holds the lines. */
static void test_integers(void)
{
    static const struct {
        const char *directive;
        const char *expected;
    } lines[] = {
        { "%d", "1,10,9000000000000,-1,-1024" },
        { "%2d", " 1,10,9000000000000,-1,-1024" },
        { "%16d", "               1,              10,   9000000000000,              -1,           -1024" },
        { "%016d", "0000000000000001,0000000000000010,0009000000000000,-000000000000001,-000000000001024" },
        { "%ld", "1,10,9000000000000,-1,-1024" },
        { "%#d", "1,10,9000000000000,-1,-1024" },
        { "%#ld", "1,10,9000000000000,-1,-1024" },
        { "%u", "1,10,9000000000000,18446744073709551615,18446744073709550592" },
        { "%2u", " 1,10,9000000000000,18446744073709551615,18446744073709550592" },
        { "%16u", "               1,              10,   9000000000000,18446744073709551615,18446744073709550592" },
        { "%016u", "0000000000000001,0000000000000010,0009000000000000,18446744073709551615,18446744073709550592" },
        { "%lu", "1,10,9000000000000,18446744073709551615,18446744073709550592" },
        { "%#u", "1,10,9000000000000,18446744073709551615,18446744073709550592" },
        { "%#lu", "1,10,9000000000000,18446744073709551615,18446744073709550592" },
        { "%x", "1,a,82f79cd9000,ffffffffffffffff,fffffffffffffc00" },
        { "%2x", " 1, a,82f79cd9000,ffffffffffffffff,fffffffffffffc00" },
        { "%16x", "               1,               a,     82f79cd9000,ffffffffffffffff,fffffffffffffc00" },
        { "%016x", "0000000000000001,000000000000000a,0000082f79cd9000,ffffffffffffffff,fffffffffffffc00" },
        { "%16X", "               1,               A,     82F79CD9000,FFFFFFFFFFFFFFFF,FFFFFFFFFFFFFC00" },
        { "%016X", "0000000000000001,000000000000000A,0000082F79CD9000,FFFFFFFFFFFFFFFF,FFFFFFFFFFFFFC00" },
        { "%lx", "1,a,82f79cd9000,ffffffffffffffff,fffffffffffffc00" },
        { "%#x", "0x1,0xa,0x82f79cd9000,0xffffffffffffffff,0xfffffffffffffc00" },
        { "%#lx", "0x1,0xa,0x82f79cd9000,0xffffffffffffffff,0xfffffffffffffc00" },
        { "%o", "1,12,202757163310000,1777777777777777777777,1777777777777777776000" },
        { "%2o", " 1,12,202757163310000,1777777777777777777777,1777777777777777776000" },
        { "%16o", "               1,              12, 202757163310000,1777777777777777777777,1777777777777777776000" },
        { "%016o", "0000000000000001,0000000000000012,0202757163310000,1777777777777777777777,1777777777777777776000" },
        { "%lo", "1,12,202757163310000,1777777777777777777777,1777777777777777776000" },
        { "%#o", "01,012,0202757163310000,01777777777777777777777,01777777777777777776000" },
        { "%#lo", "01,012,0202757163310000,01777777777777777777777,01777777777777777776000" },
    };
    syn_output_value values[5] = {
        long_value(1), long_value(10), long_value(9000000000000), long_value(-1), long_value(-1024),
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        const char *d = lines[i].directive;
        char format[64];
        snprintf(format, sizeof(format), "%s,%s,%s,%s,%s", d, d, d, d, d);
        check_format(format, values, 5, lines[i].expected, "int1.exp");
    }
}

/* Where SystemTap's number() differs from C's printf. */
static void test_number_flags(void)
{
    const char *source = "vsprintf.c number()";
    check_one_long("%i", -42, "-42", source);
    check_one_long("%+d", 5, "+5", source);
    check_one_long("%+d", -5, "-5", source);
    check_one_long("% d", 5, " 5", source);
    check_one_long("%+u", 5, "5", source);       /* signs belong to %d and %i */
    check_one_long("% x", 5, "5", source);
    check_one_long("%-5d|", 5, "5    |", source);
    check_one_long("%5d|", -5, "   -5|", source);
    check_one_long("%8.3d", 5, "     005", source);
    check_one_long("%08.3d", 5, "00000005", source);   /* C would give "     005" */
    check_one_long("%.0d", 0, "0", source);            /* C would give "" */
    check_one_long("%.5d", -42, "-00042", source);
    check_one_long("%+05d", 5, "+0005", source);
    check_one_long("% 05d", -5, "-0005", source);
    check_one_long("%#x", 0, "0x0", source);           /* C would give "0" */
    check_one_long("%#o", 0, "00", source);            /* C would give "0" */
    check_one_long("%#X", 255, "0XFF", source);
    check_one_long("%#10x", 255, "      0xff", source);
    check_one_long("%#010x", 255, "0x000000ff", source);
    check_one_long("%-#10x|", 255, "0xff      |", source);
    check_one_long("%#.4x", 255, "0x00ff", source);
    check_one_long("%d", INT64_MIN, "-9223372036854775808", source);
    check_one_long("%d", INT64_MAX, "9223372036854775807", source);
    check_one_long("%x", INT64_MIN, "8000000000000000", source);
    check_one_long("%o", INT64_MIN, "1000000000000000000000", source);
    check_one_long("%hd", 70000, "70000", "length modifiers are ignored: every value is 64 bits");
}

/* testsuite/systemtap.printf/ptr-1.3.stp prints 0, 1, 0x12345678,
 * 0x12345678abcdef00 and 0x0000000012345678 with each format (the "X"
 * marks where the field ends); ptr-1.3.exp holds the lines.  Since stap
 * 1.3, %p is %#x. */
static void test_pointers(void)
{
    static const struct {
        const char *format;
        const char *expected[5];
    } cases[] = {
        { "%p", { "0x0", "0x1", "0x12345678", "0x12345678abcdef00", "0x12345678" } },
        { "%20pX", { "                 0x0X", "                 0x1X", "          0x12345678X",
                     "  0x12345678abcdef00X", "          0x12345678X" } },
        { "%-20pX", { "0x0                 X", "0x1                 X", "0x12345678          X",
                      "0x12345678abcdef00  X", "0x12345678          X" } },
        { "%.20pX", { "0x00000000000000000000X", "0x00000000000000000001X", "0x00000000000012345678X",
                      "0x000012345678abcdef00X", "0x00000000000012345678X" } },
        { "%20.8pX", { "          0x00000000X", "          0x00000001X", "          0x12345678X",
                       "  0x12345678abcdef00X", "          0x12345678X" } },
        { "%-20.8pX", { "0x00000000          X", "0x00000001          X", "0x12345678          X",
                        "0x12345678abcdef00  X", "0x12345678          X" } },
        { "%8p", { "     0x0", "     0x1", "0x12345678", "0x12345678abcdef00", "0x12345678" } },
        { "%-8pX", { "0x0     X", "0x1     X", "0x12345678X", "0x12345678abcdef00X", "0x12345678X" } },
        { "%.8p", { "0x00000000", "0x00000001", "0x12345678", "0x12345678abcdef00", "0x12345678" } },
        { "%8.20p", { "0x00000000000000000000", "0x00000000000000000001", "0x00000000000012345678",
                      "0x000012345678abcdef00", "0x00000000000012345678" } },
        { "%-8.20pX", { "0x00000000000000000000X", "0x00000000000000000001X", "0x00000000000012345678X",
                        "0x000012345678abcdef00X", "0x00000000000012345678X" } },
    };
    static const int64_t pointers[5] = { 0, 1, 0x12345678, 0x12345678abcdef00, 0x0000000012345678 };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (size_t k = 0; k < 5; k++)
            check_one_long(cases[i].format, pointers[k], cases[i].expected[k], "ptr-1.3.exp");
    }
}

/* ---- '*' arguments, %%, missing arguments ---- */

static void test_star_arguments(void)
{
    const char *source = "translate.cxx emit_compiled_printfs: clamp_t(int, arg, 0, room)";
    syn_output_value five_42[2] = { long_value(5), long_value(42) };
    check_format("%*d|", five_42, 2, "   42|", source);
    check_format("%-*d|", five_42, 2, "42   |", source);
    syn_output_value negative[2] = { long_value(-5), long_value(42) };
    /* Compiled printf clamps a negative width to 0 (the legacy
     * _stp_vsnprintf would left-justify instead). */
    check_format("%*d|", negative, 2, "42|", source);
    syn_output_value precision[2] = { long_value(4), long_value(7) };
    check_format("%.*d", precision, 2, "0007", source);
    syn_output_value negative_precision[2] = { long_value(-3), long_value(7) };
    check_format("%.*d", negative_precision, 2, "7", source);
    /* The argument is passed as a C int: only its low 32 bits count. */
    syn_output_value wide[2] = { long_value(INT64_C(0x100000005)), long_value(1) };
    check_format("%*d", wide, 2, "    1", source);
    syn_output_value both[3] = { long_value(6), long_value(3), long_value(5) };
    check_format("[%*.*d]", both, 3, "[   005]", source);
}

static void test_percent_and_text(void)
{
    check_format("100%%", NULL, 0, "100%", "a %% is one %");
    check_one_long("%d%%", 50, "50%", "a %% is one %");
    check_format("plain text", NULL, 0, "plain text", "literal text is copied");
    check_format("", NULL, 0, "", "empty format");
}

/* The semantic pass matches arguments to directives; if fewer arrive
 * anyway, the directives without one print nothing. */
static void test_missing_arguments(void)
{
    const char *source = "no argument, no output";
    check_one_long("%d and %d.", 1, "1 and .", source);
    check_format("<%s>", NULL, 0, "<>", source);
    check_one_long("<%*d>", 9, "<>", source);
    syn_output_value two[2] = { long_value(9), long_value(2) };
    check_format("<%*.*d>", two, 2, "<>", source);
    check_format("%b%m%M%c%p", NULL, 0, "", source);
}

/* ---- %c ---- */

static void test_characters(void)
{
    /* testsuite/systemtap.printf/char1.exp: "stap". */
    syn_output_value letters[5] = { long_value(115), long_value(116), long_value(97), long_value(112) };
    check_format("%c%c%c%c", letters, 4, "stap", "char1.exp");

    /* testsuite/systemtap.printf/char2.stp/.exp: %#c escapes. */
    const char *plain = "abc-ABC 123!";
    syn_output_value plain_values[12];
    for (size_t i = 0; i < 12; i++)
        plain_values[i] = long_value((unsigned char)plain[i]);
    check_format("%#c%#c%#c%#c%#c%#c%#c%#c%#c%#c%#c%#c", plain_values, 12, "abc-ABC 123!", "char2.exp");
    const char *controls = "\a\b\f\n\r\t\v'\\";
    syn_output_value control_values[9];
    for (size_t i = 0; i < 9; i++)
        control_values[i] = long_value((unsigned char)controls[i]);
    check_format("%#c%#c%#c%#c%#c%#c%#c%#c%#c", control_values, 9, "\\a\\b\\f\\n\\r\\t\\v\\'\\\\", "char2.exp");
    syn_output_value octal_values[6] = {
        long_value(0), long_value(033), long_value(0177), long_value(0222), long_value(0333), long_value(0377),
    };
    check_format("%#c%#c%#c%#c%#c%#c", octal_values, 6, "\\000\\033\\177\\222\\333\\377", "char2.exp");

    const char *source = "vsprintf.c _stp_vsprint_char";
    check_one_long("%3c|", 'a', "  a|", source);
    check_one_long("%-3c|", 'a', "a  |", source);
    check_one_long("%03c|", 'a', "  a|", source);        /* always space padded */
    check_one_long("%#5c|", '\n', "   \\n|", source);
    check_one_long("%c", 256 + 'A', "A", "one byte: the value's low 8 bits");
    check_one_long("%c", -1 & 0xffff, "\xff", "one byte: the value's low 8 bits");
    syn_output_value zero = long_value(0);
    check_bytes("<%c>", &zero, 1, "<\0>", 3, "%c of 0 writes a NUL byte");
}

/* ---- %s ---- */

static void test_strings(void)
{
    /* testsuite/systemtap.printf/string1.stp/.exp. */
    check_one_string("The string is <%s>", "Foobar!", "The string is <Foobar!>", "string1.exp");
    syn_output_value pair[2] = { string_value("Foobar!"), string_value("XYZZY") };
    check_format("%s%s", pair, 2, "Foobar!XYZZY", "string1.exp");
    syn_output_value four[4] = { pair[1], pair[0], pair[1], pair[0] };
    check_format("%s%s%s%s", four, 4, "XYZZYFoobar!XYZZYFoobar!", "string1.exp");

    const char *source = "vsprintf.c _stp_vsprint_memory 's'";
    check_one_string("%5s|", "ab", "   ab|", source);
    check_one_string("%-5s|", "ab", "ab   |", source);
    check_one_string("%.3s", "abcdef", "abc", source);
    check_one_string("%5.2s|", "abcdef", "   ab|", source);
    check_one_string("%-5.2s|", "abcdef", "ab   |", source);
    check_one_string("%1s", "abcdef", "abcdef", source);
    check_one_string("%.10s", "abc", "abc", source);
    check_one_string("%.0s|", "abcdef", "|", "compiled printf keeps a static precision of 0");
    check_one_string("%.s|", "abcdef", "abcdef|", "staptree.cxx: '.' without digits is no precision");
    syn_output_value star[2] = { long_value(2), string_value("abcdef") };
    check_format("%.*s", star, 2, "ab", source);
    syn_output_value width[2] = { long_value(4), string_value("ab") };
    check_format("%*s|", width, 2, "  ab|", source);
    syn_output_value zero_precision[2] = { long_value(0), string_value("abcdef") };
    check_format("%.*s|", zero_precision, 2, "|", source);
    syn_output_value text = string_value("ab");
    check_bytes("%05s", &text, 1, "   ab\0", 6, "vsprintf.c: '0' on %s appends a NUL");
    check_one_string("%#s", "a\nb", "a\nb", "'#' does not change %s");
}

/* ---- %b ---- */

/* Expected bytes: the value's low `size` bytes in host byte order. */
static size_t host_bytes(int64_t value, int size, char *bytes)
{
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
    return (size_t)size;
}

/* `nuls_before` NULs, the value's `size` bytes, `nuls_after` NULs. */
static void check_binary(const char *format, const syn_output_value *values, unsigned count, int size,
                         size_t nuls_before, size_t nuls_after)
{
    char expected[64] = { 0 };
    int64_t value = values[count - 1].number;
    size_t length = nuls_before;
    length += host_bytes(value, size, expected + length);
    length += nuls_after;
    check_bytes(format, values, count, expected, length, "vsprintf.c _stp_vsprint_binary; stap(1) %b");
}

/* The rules of _stp_vsprint_binary, as exercised by
 * testsuite/systemtap.printf/bin6.stp: sizes 1, 2, 4 and 8; a missing width
 * takes the precision and the reverse; other sizes mean 8. */
static void test_binary(void)
{
    syn_output_value value = long_value(INT64_C(0x0102030405060708));
    check_binary("%b", &value, 1, 8, 0, 0);
    check_binary("%1b", &value, 1, 1, 0, 0);
    check_binary("%2b", &value, 1, 2, 0, 0);
    check_binary("%4b", &value, 1, 4, 0, 0);
    check_binary("%8b", &value, 1, 8, 0, 0);
    check_binary("%.1b", &value, 1, 1, 0, 0);
    check_binary("%.2b", &value, 1, 2, 0, 0);
    check_binary("%.4b", &value, 1, 4, 0, 0);
    check_binary("%.8b", &value, 1, 8, 0, 0);
    check_binary("%3b", &value, 1, 8, 0, 0);
    check_binary("%.3b", &value, 1, 8, 0, 0);
    check_binary("%1.8b", &value, 1, 8, 0, 0);
    check_binary("%2.4b", &value, 1, 4, 0, 0);
    check_binary("%4.2b", &value, 1, 2, 2, 0);
    check_binary("%8.1b", &value, 1, 1, 7, 0);
    check_binary("%-8.1b", &value, 1, 1, 0, 7);
    check_binary("%16b", &value, 1, 8, 8, 0);
    check_binary("%-16b", &value, 1, 8, 0, 8);
    syn_output_value two[2] = { long_value(2), value };
    check_binary("%*b", two, 2, 2, 0, 0);
    check_binary("%.*b", two, 2, 2, 0, 0);
    syn_output_value eight_one[3] = { long_value(8), long_value(1), value };
    check_binary("%*.*b", eight_one, 3, 1, 7, 0);
    syn_output_value letter = long_value('A');
    check_format("a%1bz", &letter, 1, "aAz", "%1b writes one byte");
    syn_output_value negative = long_value(-1);
    check_binary("%4b", &negative, 1, 4, 0, 0);
}

/* ---- %m and %M ---- */

/* testsuite/systemtap.printf/memory1.stp compares %m and %M of a file name
 * with %s of the same name; these are its cases on "abcdefghijkl". */
static void test_memory(void)
{
    const char *name = "abcdefghijkl";
    syn_output_value bytes = memory_value(name, strlen(name));
    const char *source = "memory1.stp";
    check_format("%m", &bytes, 1, "a", source);
    check_format("%.5m", &bytes, 1, "abcde", source);
    check_format("%5m", &bytes, 1, "    a", source);
    check_format("%4.5m", &bytes, 1, "abcde", source);
    check_format("%15.5m", &bytes, 1, "          abcde", source);
    check_format("%15.12m", &bytes, 1, "   abcdefghijkl", source);
    syn_output_value five[2] = { long_value(5), bytes };
    check_format("%.*m", five, 2, "abcde", source);
    check_format("%*m", five, 2, "    a", source);
    syn_output_value four[2] = { long_value(4), bytes };
    check_format("%*.5m", four, 2, "abcde", source);
    syn_output_value fifteen[2] = { long_value(15), bytes };
    check_format("%*.5m", fifteen, 2, "          abcde", source);
    syn_output_value dump[3] = { long_value(14), long_value(6), bytes };
    check_format("%*.*M", dump, 3, "  616263646566", source);

    source = "vsprintf.c _stp_vsprint_memory";
    check_format("%M", &bytes, 1, "61", source);
    check_format("%.4M", &bytes, 1, "61626364", source);
    check_format("%-10.2M|", &bytes, 1, "6162      |", source);
    check_format("%-8.3m|", &bytes, 1, "abc     |", source);
    check_format("%.0m", &bytes, 1, "a", "a precision of 0 means one byte");
    syn_output_value binary = memory_value("\x00\xff\x10", 3);
    check_format("%.3M", &binary, 1, "00ff10", source);
    check_bytes("%.3m", &binary, 1, "\x00\xff\x10", 3, "%m copies NUL bytes too");
    syn_output_value short_read = memory_value("abc", 3);
    check_format("%.10m|", &short_read, 1, "abc|", "only the bytes the caller read are shown");
}

/* ---- the 8192-byte limit of one print ---- */

static void test_print_limit(void)
{
    const char *source = "STP_BUFFER_SIZE: a print writes at most 8192 bytes";
    syn_output_value one = long_value(1);
    output got = run_format("%9000d", &one, 1);
    ok(got.length == 8192 && got.bytes[8191] == '1' && got.bytes[8190] == ' ', "%%9000d is clamped [%s]",
       source);
    free(got.bytes);

    /* The width is clamped to the room left after "ab". */
    got = run_format("ab%9000d", &one, 1);
    ok(got.length == 8192 && memcmp(got.bytes, "ab  ", 4) == 0 && got.bytes[8191] == '1',
       "ab%%9000d is clamped to the room left [%s]", source);
    free(got.bytes);

    char *long_text = malloc(5001);
    memset(long_text, 'x', 5000);
    long_text[5000] = '\0';
    syn_output_value texts[2] = { string_value(long_text), string_value(long_text) };
    got = run_format("%s%s", texts, 2);
    ok(got.length == 8192, "two 5000-byte strings stop at 8192 [%s]", source);
    free(got.bytes);

    /* The limit counts what this call adds, not what the buffer held. */
    syn_buffer buffer;
    syn_buffer_init(&buffer);
    syn_buffer_append_string(&buffer, "held");
    syn_output_print(&buffer, texts, 2, true);
    ok(buffer.length == 4 + 8192, "print adds at most 8192 bytes [%s]", source);
    syn_buffer_release(&buffer);
    free(long_text);
}

/* ---- print, println, printd, printdln ---- */

static char *printed(const char *delimiter, const syn_output_value *values, unsigned count, bool newline)
{
    syn_buffer buffer;
    syn_buffer_init(&buffer);
    if (delimiter)
        syn_output_print_delimited(&buffer, delimiter, values, count, newline);
    else
        syn_output_print(&buffer, values, count, newline);
    return syn_buffer_take(&buffer);
}

static void check_print(const char *delimiter, const syn_output_value *values, unsigned count, bool newline,
                        const char *expected, const char *name)
{
    char *got = printed(delimiter, values, count, newline);
    is_string(got, expected, "%s", name);
    free(got);
}

/* testsuite/systemtap.printf/print.stp, println.stp and printd.stp, with
 * a="hello", b=" ", c="world", d=777; the .exp files hold the output. */
static void test_print(void)
{
    syn_output_value a = string_value("hello"), b = string_value(" "), c = string_value("world");
    syn_output_value d = long_value(777), nl = string_value("\n");

    check_print(NULL, &a, 1, false, "hello", "print(a) [print.exp]");
    check_print(NULL, &d, 1, false, "777", "print(d) [print.exp]");
    syn_output_value words[4] = { a, b, c, nl };
    check_print(NULL, words, 4, false, "hello world\n", "print(a,b,c,\"\\n\") [print.exp]");
    syn_output_value foo99[3] = { string_value("foo"), long_value(99), nl };
    check_print(NULL, foo99, 3, false, "foo99\n", "print(\"foo\",99,\"\\n\") [print.exp]");
    syn_output_value numbers[4] = { long_value(123), long_value(456), long_value(789), nl };
    check_print(NULL, numbers, 4, false, "123456789\n", "print(123,456,789,\"\\n\") [print.exp]");
    syn_output_value mixed[2] = { long_value(999), a };
    check_print(NULL, mixed, 2, false, "999hello", "print(999,a) [print.exp]");
    check_print(NULL, NULL, 0, false, "", "print() of nothing");

    check_print(NULL, &a, 1, true, "hello\n", "println(a) [println.exp]");
    check_print(NULL, &b, 1, true, " \n", "println(b) [println.exp]");
    check_print(NULL, &d, 1, true, "777\n", "println(d) [println.exp]");
    check_print(NULL, words, 3, true, "hello world\n", "println(a,b,c) [println.exp]");
    check_print(NULL, numbers, 3, true, "123456789\n", "println(123,456,789) [println.exp]");
    check_print(NULL, NULL, 0, true, "\n", "println()");
    syn_output_value negative = long_value(INT64_MIN);
    check_print(NULL, &negative, 1, false, "-9223372036854775808", "print of the smallest long");

    check_print(" ", &a, 1, false, "hello", "printd(b,a) [printd.exp]");
    syn_output_value hello_world[2] = { a, c };
    check_print(" ", hello_world, 2, false, "hello world", "printd(b,a,c) [printd.exp]");
    syn_output_value three[3] = { a, c, d };
    check_print("<-->", three, 3, false, "hello<-->world<-->777", "printd(e,a,c,d) [printd.exp]");
    syn_output_value foo_bar_baz[3] = { string_value("foo"), string_value("bar"), string_value("baz") };
    check_print(" *** ", foo_bar_baz, 2, false, "foo *** bar", "printd(\" *** \",foo,bar) [printd.exp]");
    check_print(" *** ", foo_bar_baz, 3, false, "foo *** bar *** baz", "printd(\" *** \",foo,bar,baz) [printd.exp]");
    check_print(", ", &d, 1, false, "777", "printd(\", \",777)");
    check_print(",", foo99, 2, false, "foo,99", "printd(\",\",\"foo\",99) [printd.exp]");
    check_print("", numbers, 3, false, "123456789", "printd(\"\",123,456,789) [printd.exp]");
    check_print(" ", numbers, 3, false, "123 456 789", "printd(\" \",123,456,789) [printd.exp]");
    syn_output_value hello999[2] = { a, long_value(999) };
    check_print("-", hello999, 2, false, "hello-999", "printd(\"-\",a,999) [printd.exp]");
    check_print("-", mixed, 2, false, "999-hello", "printd(\"-\",999,a) [printd.exp]");
    check_print("-", mixed, 2, true, "999-hello\n", "printdln(\"-\",999,a) [printd.exp]");
    check_print("%d", numbers, 2, false, "123%d456", "a delimiter is printed verbatim (translate.cxx escapes '%')");
}

/* ---- histograms ---- */

/* The bucket SystemTap's __stp_stat_add (runtime/stat-common.c) puts a
 * value in for @hist_linear(v, low, high, step): (high - low) / step + 3
 * buckets, index 0 for v < low, the last for v >= low + ((high - low) /
 * step + 1) * step, so that `high` itself still has a row. */
static unsigned stap_linear_bucket_count(int64_t low, int64_t high, int64_t step)
{
    return (unsigned)((high - low) / step + 3);
}

static unsigned stap_linear_bucket(int64_t value, int64_t low, int64_t high, int64_t step)
{
    unsigned count = stap_linear_bucket_count(low, high, step);
    if (value < low)
        return 0;
    uint64_t index = (uint64_t)(value - low) / (uint64_t)step + 1;
    return index >= count - 1 ? count - 1 : (unsigned)index;
}

enum { MAX_BUCKETS = 256 };

typedef struct histogram {
    syn_output_histogram shape;
    int64_t counts[MAX_BUCKETS];
} histogram;

static void start_log(histogram *h)
{
    memset(h, 0, sizeof(*h));
    h->shape.is_log = true;
    h->shape.buckets = h->counts;
    h->shape.bucket_count = SYN_LOG_BUCKETS;
}

static void start_linear(histogram *h, int64_t low, int64_t high, int64_t step)
{
    memset(h, 0, sizeof(*h));
    h->shape.low = low;
    h->shape.high = high;
    h->shape.step = step;
    h->shape.buckets = h->counts;
    h->shape.bucket_count = stap_linear_bucket_count(low, high, step);
}

static void add(histogram *h, int64_t value)
{
    if (h->shape.is_log)
        h->counts[syn_log_bucket(value)]++;
    else
        h->counts[stap_linear_bucket(value, h->shape.low, h->shape.high, h->shape.step)]++;
}

static void check_histogram(const histogram *h, const char *expected, const char *name)
{
    syn_buffer buffer;
    syn_buffer_init(&buffer);
    syn_output_print_histogram(&buffer, &h->shape);
    char *got = syn_buffer_take(&buffer);
    is_string(got, expected, "%s", name);
    free(got);
}

/* testsuite/systemtap.maps/log_edge.stp/.exp. */
static void test_log_edges(void)
{
    histogram h;
    start_log(&h);
    add(&h, -1);
    add(&h, 1);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "   -4 |                                                   0\n"
                    "   -2 |                                                   0\n"
                    "   -1 |@                                                  1\n"
                    "    0 |                                                   0\n"
                    "    1 |@                                                  1\n"
                    "    2 |                                                   0\n"
                    "    4 |                                                   0\n"
                    "\n",
                    "@hist_log of -1, 1 [log_edge.exp]");

    start_log(&h);
    add(&h, 0);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "    0 |@                                                  1\n"
                    "    1 |                                                   0\n"
                    "    2 |                                                   0\n"
                    "\n",
                    "@hist_log of 0: no negative rows [log_edge.exp]");

    start_log(&h);
    add(&h, INT64_MAX);
    check_histogram(&h,
                    "              value |-------------------------------------------------- count\n"
                    "1152921504606846976 |                                                   0\n"
                    "2305843009213693952 |                                                   0\n"
                    "4611686018427387904 |@                                                  1\n"
                    "\n",
                    "@hist_log of 0x7fffffffffffffff: no rows past the last bucket [log_edge.exp]");

    start_log(&h);
    add(&h, 1);
    add(&h, 2);
    add(&h, 3);
    add(&h, 4);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "    0 |                                                   0\n"
                    "    1 |@                                                  1\n"
                    "    2 |@@                                                 2\n"
                    "    4 |@                                                  1\n"
                    "    8 |                                                   0\n"
                    "   16 |                                                   0\n"
                    "\n",
                    "@hist_log of 1, 2, 3, 4 [log_edge.exp]");
}

/* testsuite/systemtap.maps/elision.stp with the default HIST_ELISION of 2:
 * elision.exp, myresults(2). */
static void test_elision(void)
{
    static const int64_t linear_values[][2] = {
        { 444, 999 }, { 444, 500 }, { 0, -1 }, { 50, -1 }, { 1450, -1 }, { 1500, -1 },
    };
    static const char *const linear_expected[] = {
        "value |-------------------------------------------------- count\n"
        "  300 |                                                   0\n"
        "  350 |                                                   0\n"
        "  400 |@                                                  1\n"
        "  450 |                                                   0\n"
        "  500 |                                                   0\n"
        "      ~\n"
        "  850 |                                                   0\n"
        "  900 |                                                   0\n"
        "  950 |@                                                  1\n"
        " 1000 |                                                   0\n"
        " 1050 |                                                   0\n"
        "\n",
        "value |-------------------------------------------------- count\n"
        "  300 |                                                   0\n"
        "  350 |                                                   0\n"
        "  400 |@                                                  1\n"
        "  450 |                                                   0\n"
        "  500 |@                                                  1\n"
        "  550 |                                                   0\n"
        "  600 |                                                   0\n"
        "\n",
        "value |-------------------------------------------------- count\n"
        "    0 |@                                                  1\n"
        "   50 |                                                   0\n"
        "  100 |                                                   0\n"
        "\n",
        "value |-------------------------------------------------- count\n"
        "    0 |                                                   0\n"
        "   50 |@                                                  1\n"
        "  100 |                                                   0\n"
        "  150 |                                                   0\n"
        "\n",
        "value |-------------------------------------------------- count\n"
        " 1350 |                                                   0\n"
        " 1400 |                                                   0\n"
        " 1450 |@                                                  1\n"
        " 1500 |                                                   0\n"
        "\n",
        "value |-------------------------------------------------- count\n"
        " 1400 |                                                   0\n"
        " 1450 |                                                   0\n"
        " 1500 |@                                                  1\n"
        "\n",
    };
    histogram h;
    for (size_t i = 0; i < 6; i++) {
        start_linear(&h, 0, 1500, 50);
        add(&h, linear_values[i][0]);
        if (linear_values[i][1] >= 0)
            add(&h, linear_values[i][1]);
        check_histogram(&h, linear_expected[i], "@hist_linear(a, 0, 1500, 50) [elision.exp]");
    }

    start_linear(&h, -100, 100, 10);
    add(&h, -10);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "  -30 |                                                   0\n"
                    "  -20 |                                                   0\n"
                    "  -10 |@                                                  1\n"
                    "    0 |                                                   0\n"
                    "   10 |                                                   0\n"
                    "\n",
                    "@hist_linear(b, -100, 100, 10) of -10 [elision.exp]");
    start_linear(&h, -100, 100, 10);
    add(&h, 0);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "  -20 |                                                   0\n"
                    "  -10 |                                                   0\n"
                    "    0 |@                                                  1\n"
                    "   10 |                                                   0\n"
                    "   20 |                                                   0\n"
                    "\n",
                    "@hist_linear(b, -100, 100, 10) of 0 [elision.exp]");

    start_log(&h);
    add(&h, 128);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "   32 |                                                   0\n"
                    "   64 |                                                   0\n"
                    "  128 |@                                                  1\n"
                    "  256 |                                                   0\n"
                    "  512 |                                                   0\n"
                    "\n",
                    "@hist_log of 128 [elision.exp]");
    start_log(&h);
    add(&h, 0);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "    0 |@                                                  1\n"
                    "    1 |                                                   0\n"
                    "    2 |                                                   0\n"
                    "\n",
                    "@hist_log of 0 [elision.exp]");
    start_log(&h);
    add(&h, -2);
    add(&h, -4096);
    check_histogram(&h,
                    " value |-------------------------------------------------- count\n"
                    "-16384 |                                                   0\n"
                    " -8192 |                                                   0\n"
                    " -4096 |@                                                  1\n"
                    " -2048 |                                                   0\n"
                    " -1024 |                                                   0\n"
                    "       ~\n"
                    "    -8 |                                                   0\n"
                    "    -4 |                                                   0\n"
                    "    -2 |@                                                  1\n"
                    "    -1 |                                                   0\n"
                    "     0 |                                                   0\n"
                    "\n",
                    "@hist_log of -2, -4096: a ~ for the elided rows [elision.exp]");
}

/* testsuite/systemtap.maps/linear_nearlyempty.stp/.exp. */
static void test_linear_nearly_empty(void)
{
    histogram h;
    start_linear(&h, 0, 1500, 50);
    add(&h, 444);
    add(&h, 999);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "  300 |                                                   0\n"
                    "  350 |                                                   0\n"
                    "  400 |@                                                  1\n"
                    "  450 |                                                   0\n"
                    "  500 |                                                   0\n"
                    "      ~\n"
                    "  850 |                                                   0\n"
                    "  900 |                                                   0\n"
                    "  950 |@                                                  1\n"
                    " 1000 |                                                   0\n"
                    " 1050 |                                                   0\n"
                    "\n",
                    "@hist_linear(agg, 0, 1500, 50) of 444, 999 [linear_nearlyempty.exp]");
}

/* testsuite/systemtap.maps/linear_overunder.stp/.exp: underflow and
 * overflow rows, and bars scaled down when counts exceed 50. */
static void test_linear_over_under(void)
{
    static const int multipliers[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 14, 15 };
    histogram h;
    start_linear(&h, 250, 1000, 50);
    for (int64_t key = 0; key < 100; key++) {
        for (size_t i = 0; i < 16; i++)
            add(&h, key * multipliers[i]);
    }
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    " <250 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@   680\n"
                    "  250 |@@@@@@                                              94\n"
                    "  300 |@@@@@                                               79\n"
                    "  350 |@@@@@                                               79\n"
                    "  400 |@@@@                                                65\n"
                    "  450 |@@@@                                                67\n"
                    "  500 |@@@                                                 55\n"
                    "  550 |@@@                                                 54\n"
                    "  600 |@@@                                                 51\n"
                    "  650 |@@@                                                 45\n"
                    "  700 |@@                                                  41\n"
                    "  750 |@@                                                  40\n"
                    "  800 |@@                                                  34\n"
                    "  850 |@@                                                  33\n"
                    "  900 |@@                                                  31\n"
                    "  950 |@                                                   27\n"
                    " 1000 |@                                                   23\n"
                    ">1000 |@@@@@@@                                            102\n"
                    "\n",
                    "@hist_linear(agg, 250, 1000, 50) [linear_overunder.exp]");
}

/* testsuite/systemtap.maps/linear_large_neg.stp/.exp. */
static void test_linear_large_negative(void)
{
    static const int64_t values[] = {
        0, -100000000, -100000000, -500000000, -500000000, -500000000, -500000000, -500000000,
        -1000000000, -1000000000, -1000000000, -1000000000, -10000000000,
    };
    histogram h;
    start_linear(&h, -1000000000, 0, 100000000);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
        add(&h, values[i]);
    check_histogram(&h,
                    "       value |-------------------------------------------------- count\n"
                    "<-1000000000 |@                                                  1\n"
                    " -1000000000 |@@@@                                               4\n"
                    "  -900000000 |                                                   0\n"
                    "  -800000000 |                                                   0\n"
                    "  -700000000 |                                                   0\n"
                    "  -600000000 |                                                   0\n"
                    "  -500000000 |@@@@@                                              5\n"
                    "  -400000000 |                                                   0\n"
                    "  -300000000 |                                                   0\n"
                    "  -200000000 |                                                   0\n"
                    "  -100000000 |@@                                                 2\n"
                    "           0 |@                                                  1\n"
                    "\n",
                    "@hist_linear(agg, -1000000000, 0, 100000000) [linear_large_neg.exp]");
}

/* Cases without a testsuite file, following _stp_stat_print_histogram_buf. */
static void test_histogram_details(void)
{
    histogram h;
    start_log(&h);
    check_histogram(&h, "", "no data prints nothing (SystemTap reports \"empty aggregate\" first)");

    start_linear(&h, 0, 1500, 50);
    check_histogram(&h, "", "no data in a linear histogram prints nothing");

    /* The value column is sized from low + step * (index of the last
     * row), one step beyond the last row's own value of 90000. */
    start_linear(&h, 0, 90000, 10000);
    add(&h, 85000);
    check_histogram(&h,
                    " value |-------------------------------------------------- count\n"
                    " 60000 |                                                   0\n"
                    " 70000 |                                                   0\n"
                    " 80000 |@                                                  1\n"
                    " 90000 |                                                   0\n"
                    "\n",
                    "the value column counts low + step * last index (stat-common.c)");

    /* The lowest log bucket holds INT64_MIN. */
    start_log(&h);
    add(&h, INT64_MIN);
    check_histogram(&h,
                    "               value |-------------------------------------------------- count\n"
                    "-9223372036854775808 |@                                                  1\n"
                    "-4611686018427387904 |                                                   0\n"
                    "-2305843009213693952 |                                                   0\n"
                    "\n",
                    "@hist_log of INT64_MIN");

    /* 100 counts: every '@' stands for 2. */
    start_log(&h);
    for (int i = 0; i < 100; i++)
        add(&h, 5);
    add(&h, 1);
    add(&h, 1);
    add(&h, 1);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "    0 |                                                     0\n"
                    "    1 |@                                                    3\n"
                    "    2 |                                                     0\n"
                    "    4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 100\n"
                    "    8 |                                                     0\n"
                    "   16 |                                                     0\n"
                    "\n",
                    "bars scale to ceil(100 / 50) = 2 per '@'");

    /* Only the underflow bucket holds data. */
    start_linear(&h, 0, 100, 10);
    add(&h, -5);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "   <0 |@                                                  1\n"
                    "    0 |                                                   0\n"
                    "   10 |                                                   0\n"
                    "\n",
                    "only underflow data: the <low row and two empty rows");

    /* Only the overflow bucket holds data. */
    start_linear(&h, 0, 100, 10);
    add(&h, 500);
    check_histogram(&h,
                    "value |-------------------------------------------------- count\n"
                    "   90 |                                                   0\n"
                    "  100 |                                                   0\n"
                    " >100 |@                                                  1\n"
                    "\n",
                    "only overflow data: two empty rows and the >last row");
}

int main(void)
{
    test_integers();
    test_number_flags();
    test_pointers();
    test_star_arguments();
    test_percent_and_text();
    test_missing_arguments();
    test_characters();
    test_strings();
    test_binary();
    test_memory();
    test_print_limit();
    test_print();
    test_log_edges();
    test_elision();
    test_linear_nearly_empty();
    test_linear_over_under();
    test_linear_large_negative();
    test_histogram_details();
    return done_testing();
}
