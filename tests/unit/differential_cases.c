/* The cases of the differential test: every operator and builtin that can
 * run in the kernel, over inputs the back ends cannot fold, and random
 * expressions.  tests/unit/differential_test.c runs them. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/differential_cases.h"

/* ---- small helpers ------------------------------------------------------------ */

void *xmalloc(size_t size)
{
    void *memory = malloc(size ? size : 1);
    if (!memory) {
        fputs("out of memory\n", stderr);
        exit(99);
    }
    return memory;
}

void *xrealloc(void *memory, size_t size)
{
    memory = realloc(memory, size ? size : 1);
    if (!memory) {
        fputs("out of memory\n", stderr);
        exit(99);
    }
    return memory;
}

char *xstrdup(const char *text)
{
    if (!text)
        return NULL;
    size_t length = strlen(text);
    char *copy = xmalloc(length + 1);
    memcpy(copy, text, length + 1);
    return copy;
}

static __attribute__((format(printf, 1, 0))) char *text_of_arguments(const char *format, va_list args)
{
    syn_buffer out;
    syn_buffer_init(&out);
    syn_buffer_vprintf(&out, format, args);
    char *text = syn_buffer_take(&out);
    syn_buffer_release(&out);
    return text;
}

char *text_of(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *text = text_of_arguments(format, args);
    va_end(args);
    return text;
}

/* Texts of generated cases: add_case copies them, and they are all freed when
 * the test ends. */
typedef struct text_pool {
    char **texts;
    size_t count;
} text_pool;

static text_pool case_texts;

char *case_text(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *text = text_of_arguments(format, args);
    va_end(args);
    case_texts.texts = xrealloc(case_texts.texts, (case_texts.count + 1) * sizeof(char *));
    case_texts.texts[case_texts.count++] = text;
    return text;
}

void free_case_texts(void)
{
    for (size_t i = 0; i < case_texts.count; i++)
        free(case_texts.texts[i]);
    free(case_texts.texts);
}

/* A value as a script would write it. */
void quote_string(syn_buffer *out, const char *text)
{
    syn_buffer_append_char(out, '"');
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            syn_buffer_printf(out, "\\%c", *c);
        else if (*c < 32 || *c >= 127)
            syn_buffer_printf(out, "\\%03o", *c);
        else
            syn_buffer_append_char(out, (char)*c);
    }
    syn_buffer_append_char(out, '"');
}
/* ---- cases and groups ----------------------------------------------------------- */



group *group_new(const char *name, uint32_t max_string_length, uint32_t chunk)
{
    group *g = calloc(1, sizeof(*g));
    if (!g)
        exit(99);
    g->name = name;
    g->max_string_length = max_string_length;
    g->chunk = chunk;
    return g;
}

test_case *add_case(group *g, const char *setup, const char *expr, const char *after)
{
    if (g->count == g->capacity) {
        g->capacity = g->capacity ? 2 * g->capacity : 64;
        g->cases = xrealloc(g->cases, g->capacity * sizeof(*g->cases));
    }
    test_case *c = &g->cases[g->count++];
    memset(c, 0, sizeof(*c));
    c->setup = xstrdup(setup);
    c->expr = xstrdup(expr);
    c->after = xstrdup(after);
    return c;
}

test_case *add_expr(group *g, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *text = text_of_arguments(format, args);
    va_end(args);
    test_case *c = add_case(g, NULL, text, NULL);
    free(text);
    return c;
}

void group_free(group *g)
{
    for (size_t i = 0; i < g->count; i++) {
        free(g->cases[i].setup);
        free(g->cases[i].expr);
        free(g->cases[i].after);
    }
    free(g->cases);
    free(g);
}

/* ---- inputs ------------------------------------------------------------------------ */

typedef struct long_input {
    const char *name;
    const char *literal;
    int64_t value;
} long_input;

static const long_input long_inputs[] = {
    {"n0", "0", 0},
    {"n1", "1", 1},
    {"nm1", "-1", -1},
    {"n7", "7", 7},
    {"nm13", "-13", -13},
    {"nmax", "9223372036854775807", INT64_MAX},
    {"nmin", "-9223372036854775808", INT64_MIN},
    {"n55", "0x5555555555555555", 0x5555555555555555LL},
    {"naa", "0xAAAAAAAAAAAAAAAA", (int64_t)0xAAAAAAAAAAAAAAAAULL},
    {"n63", "63", 63},
    {"n64", "64", 64},
    {"n65", "65", 65},
    {"nm64", "-64", -64},
    {"nbig", "1000000007", 1000000007},
    {"nip", "0x0100007f", 0x0100007f},
    {"nu32", "4294967295", 4294967295LL},
    {"n2p31", "2147483648", 2147483648LL},
};
enum { LONG_INPUTS = sizeof(long_inputs) / sizeof(long_inputs[0]) };

typedef struct string_input {
    const char *name;
    const char *value;
} string_input;

static const string_input string_inputs[] = {
    {"s0", ""},
    {"sa", "a"},
    {"sb", "b"},
    {"shello", "hello"},
    {"sHello", "Hello"},
    {"shel", "hel"},
    {"ssyn", "syn!"},
    {"sdig", "42abc"},
    {"shi", "\351t\351"},
    {"sspace", " 1"},
    {"slong", "abcdefghijklmnopqrstuvwxyz01234"},               /* 31 bytes: full at MAXSTRINGLEN=32 */
    {"s40", "0123456789012345678901234567890123456789"},     /* stored truncated at 32 */
};
enum { STRING_INPUTS = sizeof(string_inputs) / sizeof(string_inputs[0]) };

void declare_inputs(syn_buffer *out)
{
    for (size_t i = 0; i < LONG_INPUTS; i++)
        syn_buffer_printf(out, "global %s = %s\n", long_inputs[i].name, long_inputs[i].literal);
    for (size_t i = 0; i < STRING_INPUTS; i++) {
        syn_buffer_printf(out, "global %s = ", string_inputs[i].name);
        quote_string(out, string_inputs[i].value);
        syn_buffer_append_char(out, '\n');
    }
}

/* `pattern` with every "$" replaced by `value`. */
static char *substitute(const char *pattern, const char *value)
{
    syn_buffer out;
    syn_buffer_init(&out);
    for (const char *p = pattern; *p; p++) {
        if (*p == '$')
            syn_buffer_append_string(&out, value);
        else
            syn_buffer_append_char(&out, *p);
    }
    char *text = syn_buffer_take(&out);
    syn_buffer_release(&out);
    return text;
}

/* ---- the cases --------------------------------------------------------------------------------- */

static const char *const arithmetic_operators[] = {"+", "-", "*", "/", "%", "<<", ">>", ">>>", "&", "|", "^"};
static const char *const comparison_operators[] = {"==", "!=", "<", "<=", ">", ">="};
enum {
    ARITHMETIC_OPERATORS = sizeof(arithmetic_operators) / sizeof(arithmetic_operators[0]),
    COMPARISON_OPERATORS = sizeof(comparison_operators) / sizeof(comparison_operators[0]),
};

static bool is_division(const char *op)
{
    return strcmp(op, "/") == 0 || strcmp(op, "%") == 0;
}

group *long_arithmetic_cases(void)
{
    group *g = group_new("long arithmetic (every operator, every pair of inputs)", 32, 120);
    for (size_t o = 0; o < ARITHMETIC_OPERATORS; o++) {
        for (size_t a = 0; a < LONG_INPUTS; a++) {
            for (size_t b = 0; b < LONG_INPUTS; b++) {
                if (is_division(arithmetic_operators[o]) && long_inputs[b].value == 0)
                    continue;
                add_expr(g, "%s %s %s", long_inputs[a].name, arithmetic_operators[o], long_inputs[b].name);
            }
        }
    }
    return g;
}

group *long_literal_cases(void)
{
    static const char *const literals[] = {
        "0", "1", "-1", "5", "63", "64", "65", "-64", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "4294967295", "4294967296", "0x7fffffffffffffff", "-9223372036854775808", "0xdeadbeefcafebabe", "0x80000000",
    };
    static const char *const operands[] = {"n0", "n1", "nm1", "n7", "nm13", "nmax", "nmin", "naa"};
    group *g = group_new("long operators with literal operands, unary operators", 32, 120);
    for (size_t o = 0; o < ARITHMETIC_OPERATORS; o++) {
        for (size_t l = 0; l < sizeof(literals) / sizeof(literals[0]); l++) {
            for (size_t v = 0; v < sizeof(operands) / sizeof(operands[0]); v++) {
                if (!is_division(arithmetic_operators[o]) || strcmp(literals[l], "0") != 0)
                    add_expr(g, "%s %s %s", operands[v], arithmetic_operators[o], literals[l]);
                if (!is_division(arithmetic_operators[o]) || strcmp(operands[v], "n0") != 0)
                    add_expr(g, "%s %s %s", literals[l], arithmetic_operators[o], operands[v]);
            }
        }
    }
    static const char *const unary[] = {"-$", "!$", "~$", "+$", "-(-$)", "!!$", "~~$", "-~$", "~-$", "!-$"};
    for (size_t u = 0; u < sizeof(unary) / sizeof(unary[0]); u++) {
        for (size_t a = 0; a < LONG_INPUTS; a++) {
            char *text = substitute(unary[u], long_inputs[a].name);
            add_expr(g, "%s", text);
            free(text);
        }
    }
    for (size_t l = 0; l < sizeof(literals) / sizeof(literals[0]); l++) {
        add_expr(g, "%s", literals[l]);
        add_expr(g, "-(%s)", literals[l]);
        add_expr(g, "~(%s)", literals[l]);
        add_expr(g, "!(%s)", literals[l]);
    }
    /* Precedence and chains. */
    add_expr(g, "n7 + nm13 * n7 - n1 << n7 >> n1");
    add_expr(g, "n7 | nm13 & n55 ^ naa");
    add_expr(g, "nmax + n1 == nmin");
    add_expr(g, "nmin - n1 == nmax");
    add_expr(g, "nmin * nm1");
    add_expr(g, "nmin / nm1");
    add_expr(g, "nmin %% nm1");
    add_expr(g, "-nmin");
    add_expr(g, "nm13 / n7 * n7 + nm13 %% n7");
    add_expr(g, "n7 - -n7 - - -n7");
    return g;
}

group *long_comparison_cases(void)
{
    group *g = group_new("long comparisons (every operator, every pair of inputs)", 32, 150);
    for (size_t o = 0; o < COMPARISON_OPERATORS; o++) {
        for (size_t a = 0; a < LONG_INPUTS; a++) {
            for (size_t b = 0; b < LONG_INPUTS; b++)
                add_expr(g, "%s %s %s", long_inputs[a].name, comparison_operators[o], long_inputs[b].name);
        }
        add_expr(g, "n7 %s 7", comparison_operators[o]);
        add_expr(g, "-9223372036854775808 %s nmin", comparison_operators[o]);
        add_expr(g, "nu32 %s 4294967295", comparison_operators[o]);
        add_expr(g, "(n7 %s nm13) + (nm13 %s n7) * 2", comparison_operators[o], comparison_operators[o]);
    }
    return g;
}

group *string_operator_cases(uint32_t max_string_length)
{
    group *g = group_new(max_string_length == 32 ? "string concatenation and comparison (MAXSTRINGLEN=32)"
                                                 : "string concatenation and comparison (MAXSTRINGLEN=512)",
                         max_string_length, max_string_length > 64 ? 4 : 60);
    for (size_t a = 0; a < STRING_INPUTS; a++) {
        for (size_t b = 0; b < STRING_INPUTS; b++) {
            add_expr(g, "%s . %s", string_inputs[a].name, string_inputs[b].name);
            add_expr(g, "strlen(%s . %s)", string_inputs[a].name, string_inputs[b].name);
            for (size_t o = 0; o < COMPARISON_OPERATORS; o++)
                add_expr(g, "%s %s %s", string_inputs[a].name, comparison_operators[o], string_inputs[b].name);
        }
        add_expr(g, "%s", string_inputs[a].name);
        add_expr(g, "%s . %s . %s", string_inputs[a].name, string_inputs[a].name, string_inputs[a].name);
        add_expr(g, "\"<\" . %s . \">\"", string_inputs[a].name);
        add_expr(g, "%s . \"0123456789012345678901234567890123456789\"", string_inputs[a].name);
        add_expr(g, "%s . slong . slong", string_inputs[a].name);
        add_expr(g, "%s == \"hello\"", string_inputs[a].name);
        add_expr(g, "\"hello\" < %s", string_inputs[a].name);
    }
    add_expr(g, "\"0123456789012345678901234567890123456789\"");
    add_expr(g, "\"\" . \"\"");
    add_expr(g, "s40 == \"0123456789012345678901234567890123456789\"");
    add_expr(g, "slong . \"x\" == slong");
    add_expr(g, "(shello . ssyn) . (sa . sb) . (s0 . shel)");
    add_expr(g, "shello . (ssyn . (sa . (sb . (s0 . shel))))");
    return g;
}

group *string_builtin_cases(void)
{
    group *g = group_new("string builtins: strlen, substr, isdigit, stringat, ip_ntop", 32, 40);
    static const char *const texts[] = {"shello", "slong", "s0", "s40", "shi", "sa"};
    static const char *const starts[] = {"-1", "0", "1", "2", "4", "5", "30", "31", "32", "100", "nmax", "nmin"};
    static const char *const lengths[] = {"-1", "0", "1", "2", "3", "5", "31", "32", "nmax", "nmin"};
    for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
        for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
            for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++)
                add_expr(g, "substr(%s, %s, %s)", texts[t], starts[s], lengths[l]);
        }
    }
    add_expr(g, "substr(shello . ssyn, 3, 4)");
    add_expr(g, "substr(\"literal text\", n1, n7)");
    add_expr(g, "substr(substr(slong, 5, 20), 5, 5)");
    for (size_t s = 0; s < STRING_INPUTS; s++) {
        const char *name = string_inputs[s].name;
        add_expr(g, "strlen(%s)", name);
        add_expr(g, "isdigit(%s)", name);
        size_t length = strlen(string_inputs[s].value);
        if (length > 31)
            length = 31;
        for (size_t i = 0; i < length; i++)
            add_expr(g, "stringat(%s, %zu)", name, i);
    }
    static const char *const digit_tests[] = {"\"\"", "\"0\"", "\"9\"", "\"/\"", "\":\"", "\" 1\"", "\"5abc\"",
                                              "\"a5\""};
    for (size_t d = 0; d < sizeof(digit_tests) / sizeof(digit_tests[0]); d++)
        add_expr(g, "isdigit(%s)", digit_tests[d]);
    add_expr(g, "stringat(shello . ssyn, 7)");
    add_expr(g, "stringat(\"xyz\", n1)");
    add_expr(g, "strlen(\"\")");
    add_expr(g, "strlen(\"0123456789012345678901234567890123456789\")");
    for (size_t a = 0; a < LONG_INPUTS; a++)
        add_expr(g, "ip_ntop(%s)", long_inputs[a].name);
    static const char *const addresses[] = {"0", "0xffffffff", "0x0100000a", "0x04030201", "256", "0x100000000",
                                            "0x6400a8c0", "0x0a0a0a0a", "0x64646464", "0x09630a01"};
    for (size_t a = 0; a < sizeof(addresses) / sizeof(addresses[0]); a++)
        add_expr(g, "ip_ntop(%s)", addresses[a]);
    add_expr(g, "ip_ntop(nip) . \":\" . ip_ntop(nm1)");
    add_expr(g, "strlen(ip_ntop(nm1))");
    return g;
}

group *logical_cases(void)
{
    group *g = group_new("&&, || (short-circuit), ?: and !", 32, 8);
    static const char *const values[] = {"n0", "n1", "nm1", "n7", "nmin"};
    enum { VALUES = sizeof(values) / sizeof(values[0]) };
    for (size_t a = 0; a < VALUES; a++) {
        for (size_t b = 0; b < VALUES; b++) {
            const char *x = values[a], *y = values[b];
            add_expr(g, "%s && %s", x, y);
            add_expr(g, "%s || %s", x, y);
            add_expr(g, "!%s || %s", x, y);
            add_expr(g, "%s && !%s", x, y);
            add_expr(g, "(%s && %s) + (%s || %s) * 2", x, y, y, x);
            add_expr(g, "%s ? %s : n55", x, y);
            add_expr(g, "%s ? shello : %s ? ssyn : s0", x, y);
            add_case(g, "{S}c{i} = 0", case_text("%s && ({S}c{i} = %s)", x, y), NULL);
            add_case(g, "{S}c{i} = 0", case_text("%s || ({S}c{i} = %s)", x, y), NULL);
            add_case(g, "{S}c{i} = 5", case_text("%s && ++{S}c{i} && %s", x, y), NULL);
            add_case(g, "{S}c{i} = 5", case_text("%s || {S}c{i}++ || %s", x, y), NULL);
            add_case(g, case_text("if (%s && {S}c{i}++) {S}d{i} = 1; if (%s || {S}c{i}--) {S}e{i} = 2", x, y), NULL,
                     NULL);
            add_case(g, case_text("{S}t{i} = 0; {S}f{i} = 0; {S}v{i} = %s ? ({S}t{i} = %s) : ({S}f{i} = -%s)", x, y, y),
                     NULL, NULL);
            add_case(g, "{S}s{i} = \"\"", case_text("%s ? ({S}s{i} = shello) : ({S}s{i} = ssyn . \"?\")", x), NULL);
        }
        add_expr(g, "!%s", values[a]);
        add_expr(g, "!!%s", values[a]);
        add_expr(g, "%s ? %s ? 1 : 2 : 3", values[a], values[(a + 1) % VALUES]);
        add_expr(g, "%s && n1 || n0 && %s", values[a], values[(a + 2) % VALUES]);
    }
    /* The pieces of a string comparison short-circuit too. */
    add_case(g, "{S}n{i} = 0", "shello == \"hello\" || (({S}n{i} = 1) && sa < sb)", NULL);
    add_case(g, "{S}n{i} = 0", "shello != \"hello\" && (({S}n{i} = 1) && sa < sb)", NULL);
    add_expr(g, "(n7 > nm13 ? shello : ssyn) . (n0 ? \"x\" : \"y\")");
    add_expr(g, "strlen(n1 ? slong . slong : s0)");
    return g;
}

group *assignment_cases(void)
{
    group *g = group_new("assignment operators on globals, locals and array elements", 32, 30);
    static const char *const operators[] = {"+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="};
    static const char *const lefts[] = {"n7", "nm13", "nmax", "nmin", "n0", "naa"};
    static const char *const rights[] = {"n7", "nm13", "nm1", "n1", "n64", "n65", "nmax", "nmin", "n0"};
    for (size_t o = 0; o < sizeof(operators) / sizeof(operators[0]); o++) {
        const char *op = operators[o];
        bool division = strcmp(op, "/=") == 0 || strcmp(op, "%=") == 0;
        for (size_t a = 0; a < sizeof(lefts) / sizeof(lefts[0]); a++) {
            for (size_t b = 0; b < sizeof(rights) / sizeof(rights[0]); b++) {
                const char *x = lefts[a], *y = rights[b];
                if (division && strcmp(y, "n0") == 0)
                    continue;
                /* value used, value unused (the atomic add of += and -=) */
                add_case(g, case_text("{S}x{i} = %s", x), case_text("{S}x{i} %s %s", op, y), NULL);
                add_case(g, case_text("{S}y{i} = %s; {S}y{i} %s %s", x, op, y), NULL, NULL);
                add_case(g, case_text("l{i} = %s; {S}z{i} = (l{i} %s %s); {S}w{i} = l{i}", x, op, y), NULL, NULL);
                add_case(g, case_text("{S}a{i}[n1] = %s", x), case_text("{S}a{i}[n1] %s %s", op, y), NULL);
                add_case(g, case_text("{S}b{i}[shello] = %s; {S}b{i}[shello] %s %s", x, op, y), NULL, NULL);
            }
        }
        add_case(g, NULL, case_text("{S}fresh{i} %s n7", op), NULL);
        add_case(g, case_text("{S}freshu{i} %s n7", op), NULL, NULL);
        add_case(g, case_text("{S}fa{i}[n7] %s nm13", op), NULL, NULL);
    }
    static const char *const strings[] = {"s0", "sa", "shello", "slong", "s40", "shi"};
    for (size_t a = 0; a < sizeof(strings) / sizeof(strings[0]); a++) {
        for (size_t b = 0; b < sizeof(strings) / sizeof(strings[0]); b++) {
            const char *x = strings[a], *y = strings[b];
            add_case(g, case_text("{S}x{i} = %s", x), case_text("{S}x{i} .= %s", y), NULL);
            add_case(g, case_text("{S}y{i} = %s; {S}y{i} .= %s; {S}y{i} .= \"!\"", x, y), NULL, NULL);
            add_case(g, case_text("t{i} = %s; t{i} .= %s; {S}z{i} = t{i}; t{i} = \"<\" . t{i}; {S}w{i} = t{i}", x, y),
                     NULL, NULL);
            add_case(g, case_text("{S}a{i}[%s] = %s", y, x), case_text("{S}a{i}[%s] .= %s", y, y), NULL);
        }
    }
    /* Chained and nested assignments. */
    add_case(g, NULL, "{S}p{i} = {S}q{i} = n7 * n7", NULL);
    add_case(g, "{S}p{i} = n7", "{S}p{i} += {S}p{i} *= n7", NULL);
    add_case(g, "l{i} = n7", "l{i} += l{i} *= nm13", NULL);
    add_case(g, "t{i} = shello", "t{i} .= t{i} .= ssyn", NULL);
    add_case(g, "t{i} = shello; t{i} = t{i} . t{i}; t{i} = ssyn . t{i} . ssyn", "t{i}", NULL);
    add_case(g, "l{i} = n7; l{i} = l{i} * l{i} - l{i}", "l{i}", NULL);
    return g;
}

group *increment_cases(void)
{
    group *g = group_new("++ and -- (prefix, postfix; globals, locals, array elements)", 32, 40);
    static const char *const starts[] = {"n0", "nmax", "nmin", "nm1", "n7"};
    static const char *const forms[] = {"++$", "$++", "--$", "$--"};
    for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
        for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
            const char *start = starts[s];
            char *global_form = substitute(forms[f], "{S}g{i}");
            char *unused_form = substitute(forms[f], "{S}h{i}");
            char *local_form = substitute(forms[f], "l{i}");
            char *long_key_form = substitute(forms[f], "{S}a{i}[nm13]");
            char *string_key_form = substitute(forms[f], "{S}b{i}[ssyn]");
            add_case(g, case_text("{S}g{i} = %s", start), global_form, NULL);
            add_case(g, case_text("{S}h{i} = %s; %s", start, unused_form), NULL, NULL);
            add_case(g, case_text("l{i} = %s; {S}r{i} = %s; {S}v{i} = l{i}", start, local_form), NULL, NULL);
            add_case(g, case_text("l{i} = %s; %s; {S}v{i} = l{i}", start, local_form), NULL, NULL);
            add_case(g, case_text("{S}a{i}[nm13] = %s", start), long_key_form, NULL);
            add_case(g, case_text("{S}a{i}[nm13] = %s; %s", start, long_key_form), NULL, NULL);
            add_case(g, case_text("{S}b{i}[ssyn] = %s", start), string_key_form, NULL);
            add_case(g, case_text("{S}b{i}[ssyn] = %s; %s; %s", start, string_key_form, string_key_form), NULL, NULL);
            free(global_form);
            free(unused_form);
            free(local_form);
            free(long_key_form);
            free(string_key_form);
        }
    }
    add_case(g, NULL, "{S}fresh{i}++", NULL);
    add_case(g, NULL, "--{S}fresh{i}", NULL);
    add_case(g, "{S}fa{i}[n1]++; {S}fa{i}[n1]++; ++{S}fa{i}[n7]", NULL, NULL);
    add_case(g, "{S}g{i} = n7", "{S}g{i}++ + {S}g{i}++ * 10 + ++{S}g{i} * 100", NULL);
    add_case(g, "l{i} = n7", "l{i}++ + l{i}++ * 10 + ++l{i} * 100", NULL);
    add_case(g, "l{i} = n7", "l{i} + l{i}++", NULL);
    add_case(g, "{S}g{i} = n7", "{S}g{i} + {S}g{i}++", NULL);
    return g;
}

group *array_cases(void)
{
    group *g = group_new("arrays: store, load, in, delete, += with long, string and mixed keys", 32, 25);
    add_case(g, "{S}a{i}[n7] = n1; {S}a{i}[nm13] = nmax", "{S}a{i}[n7] + {S}a{i}[nm13]", NULL);
    add_case(g, "{S}a{i}[n7] = n1", "{S}a{i}[n1]", NULL);
    add_case(g, "{S}a{i}[n7] = n1", "[n7] in {S}a{i}", NULL);
    add_case(g, "{S}a{i}[n7] = n1", "[nm13] in {S}a{i}", NULL);
    add_case(g, "{S}a{i}[n7] = n1", "!([n7] in {S}a{i})", NULL);
    add_case(g, "{S}a{i}[n7] = n1; delete {S}a{i}[n7]", "[n7] in {S}a{i}", NULL);
    add_case(g, "{S}a{i}[n7] = n1; delete {S}a{i}[n1]", "[n7] in {S}a{i}", NULL);
    add_case(g, "{S}a{i}[nmin] = n1; {S}a{i}[nmax] = n7; {S}a{i}[n0] = nm1", "{S}a{i}[nmin] * 100 + {S}a{i}[nmax]", NULL);
    add_case(g, "{S}a{i}[n7] = n1; {S}a{i}[n7] = n55", "{S}a{i}[n7]", NULL);
    add_case(g, "{S}c{i}[\"hello\"] = 4; {S}c{i}[shello . \"x\"] = 5", "{S}c{i}[shello] * 10 + {S}c{i}[\"hellox\"]",
             NULL);
    add_case(g, "{S}c{i}[s0] = 4", "{S}c{i}[\"\"] + ([\"\"] in {S}c{i}) + ([\"a\"] in {S}c{i})", NULL);
    add_case(g, "{S}c{i}[shi] = 4; {S}c{i}[sa] = 1; delete {S}c{i}[sa]", "[shi] in {S}c{i}", NULL);
    add_case(g, "{S}d{i}[n1] = ssyn . \"?\"", "{S}d{i}[n1] . \"|\" . {S}d{i}[n7]", NULL);
    add_case(g, "{S}d{i}[n1] = slong . slong", "{S}d{i}[n1]", NULL);
    add_case(g, "{S}d{i}[n1] = slong; {S}d{i}[n1] = sa", "{S}d{i}[n1]", NULL);
    add_case(g, "{S}e{i}[n1, shello] = 10; {S}e{i}[n1, sa] = 20; {S}e{i}[n7, sa] = 30",
             "{S}e{i}[n1, \"hello\"] * 100 + {S}e{i}[1, \"a\"] + ([n7, \"a\"] in {S}e{i}) + ([n7, \"b\"] in {S}e{i})",
             NULL);
    add_case(g, "{S}e{i}[sa, n1, sb] = shello; {S}e{i}[sb, n1, sa] = ssyn", "{S}e{i}[sa, 1, sb] . {S}e{i}[sb, 1, sa]",
             NULL);
    add_case(g, "{S}f{i}[slong . \"tail\"] = 1", "([slong] in {S}f{i}) * 10 + {S}f{i}[slong]", NULL);
    add_case(g, "{S}f{i}[\"0123456789012345678901234567890123456789\"] = 3", "{S}f{i}[s40]", NULL);
    add_case(g, "{S}h{i}[n1] += n7; {S}h{i}[n1] += n7; {S}h{i}[n1] -= nm13; {S}h{i}[n7] += n1", "{S}h{i}[n1]", NULL);
    add_case(g, "{S}h{i}[n1] = nmax; {S}h{i}[n1] += n1", "{S}h{i}[n1]", NULL);
    add_case(g, "{S}h{i}[n1] = n7", "({S}h{i}[n1] += n7) * 100 + {S}h{i}[n1]", NULL);
    add_case(g, "{S}j{i}[shello, n7] += n7; {S}j{i}[shello, n7] += n7", "{S}j{i}[shello, n7]", NULL);
    add_case(g, "delete {S}k{i}[n1]; {S}k{i}[n7] = 1; delete {S}k{i}[n7]; delete {S}k{i}[n7]", "[n7] in {S}k{i}", NULL);
    add_case(g, "{S}m{i}[n1] = n1; {S}m{i}[n7] = {S}m{i}[n1] + 1; {S}m{i}[{S}m{i}[n7]] = 9", "{S}m{i}[2]", NULL);
    add_case(g, "{S}p{i}[strlen(shello)] = shello; {S}p{i}[strlen(ssyn)] = ssyn", "{S}p{i}[5] . {S}p{i}[4]", NULL);
    add_case(g, "{S}q{i}[n7 > n1] = 1; {S}q{i}[n7 < n1] = 2", "{S}q{i}[1] * 10 + {S}q{i}[0]", NULL);
    add_case(g, "{S}r{i}[substr(shello, 1, 3)] = 1", "[\"ell\"] in {S}r{i}", NULL);
    add_case(g, "{S}x{i}[ip_ntop(nip)] = 5", "{S}x{i}[\"127.0.0.1\"]", NULL);
    for (size_t a = 0; a < LONG_INPUTS; a++)
        add_case(g, case_text("{S}all{i}[%s] = %s", long_inputs[a].name, long_inputs[a].name), NULL, NULL);
    for (size_t s = 0; s < STRING_INPUTS; s++) {
        add_case(g, case_text("{S}alls{i}[%s] = %s", string_inputs[s].name, string_inputs[s].name), NULL, NULL);
        add_case(g, case_text("{S}allk{i}[%s, strlen(%s)] = strlen(%s)", string_inputs[s].name, string_inputs[s].name,
                            string_inputs[s].name),
                 NULL, NULL);
    }
    return g;
}

group *array_full_cases(void)
{
    group *g = group_new("full arrays and statistics (MAXMAPENTRIES=4; each case alone)", 32, 1);
    g->max_map_entries = 4;
    static const char *const fillers[] = {
        "for (i{i} = 0; i{i} < 4; i{i}++) {S}a{i}[i{i}] = i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i}] = i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i}] += i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i} % 4] += i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[substr(slong, i{i} % 5, 1)] = shello",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i}]++",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i}, sb] <<< i{i}",
        "for (i{i} = 0; i{i} < 4; i{i}++) {S}a{i}[i{i}, sb] <<< i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) { {S}a{i}[i{i}] = 1; delete {S}a{i}[i{i} - 1] }",
        "for (i{i} = 0; i{i} < 6; i{i}++) try { {S}a{i}[i{i}] = 1 } catch { {S}c{i}++ }",
    };
    for (size_t f = 0; f < sizeof(fillers) / sizeof(fillers[0]); f++)
        add_case(g, case_text("%s; {S}done{i} = 1", fillers[f]), NULL, NULL)->alone = true;
    return g;
}

group *statistic_cases(void)
{
    group *g = group_new("statistics: <<< in the probe, @count @sum @min @max @avg @variance and histograms read "
                         "in begin",
                         32, 20);
    static const char *const sets[] = {
        "5", "1, 2, 3, 4", "-5, -3", "n7, nm13, nmax", "nmin, nmax", "nmin, nm1", "0, 0, 0", "n55, naa, n64",
        "1000, -1000, 999", "nm1, nm1, nm1, n0", "1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 65536",
    };
    static const char *const aggregates[] = {"@count", "@sum", "@min", "@max", "@avg", "@variance"};
    for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
        syn_buffer setup;
        syn_buffer_init(&setup);
        char *copy = xstrdup(sets[s]);
        size_t first = g->count;
        for (char *value = strtok(copy, ", "); value; value = strtok(NULL, ", "))
            syn_buffer_printf(&setup, "{S}st%zu <<< %s; {S}hl%zu <<< %s; {S}hn%zu <<< %s; ", first, value, first, value,
                              first, value);
        free(copy);
        add_case(g, setup.data, NULL, NULL);
        syn_buffer_release(&setup);
        for (size_t a = 0; a < sizeof(aggregates) / sizeof(aggregates[0]); a++)
            add_case(g, NULL, NULL, case_text("%s({S}st%zu)", aggregates[a], first));
        add_case(g, NULL, NULL, case_text("@variance({S}st%zu, 2)", first));
        for (int bucket = 0; bucket < 128; bucket += 9)
            add_case(g, NULL, NULL, case_text("@hist_log({S}hl%zu)[%d]", first, bucket));
        for (int bucket = 0; bucket < 13; bucket++)
            add_case(g, NULL, NULL, case_text("@hist_linear({S}hn%zu, 0, 100, 10)[%d]", first, bucket));
    }
    size_t first = g->count;
    add_case(g, case_text("{S}sa%zu[n1] <<< n7; {S}sa%zu[n1] <<< n1; {S}sa%zu[nm1] <<< 3; {S}ss%zu[shello] <<< 4; "
                        "{S}ss%zu[shello] <<< -4; {S}sk%zu[sa, n7] <<< 100",
                        first, first, first, first, first, first),
             NULL, NULL);
    static const char *const keyed[] = {"@count({S}sa$[n1])", "@sum({S}sa$[n1])", "@max({S}sa$[nm1])",
                                        "@avg({S}ss$[\"hello\"])", "@min({S}sk$[\"a\", 7])",
                                        "[n1] in {S}sa$", "[n7] in {S}sa$", "[shello] in {S}ss$",
                                        "@count({S}sa$[n7])", "@sum({S}ss$[sa])"};
    char number[32];
    snprintf(number, sizeof(number), "%zu", first);
    for (size_t k = 0; k < sizeof(keyed) / sizeof(keyed[0]); k++) {
        char *text = substitute(keyed[k], number);
        add_case(g, NULL, NULL, text);
        free(text);
    }
    return g;
}

group *context_cases(void)
{
    group *g = group_new("context builtins (the kernel runs the program in this process)", 32, 40);
    static const char *const longs[] = {"pid()", "tid()", "ppid()", "uid()", "gid()", "euid()", "egid()", "cpu()",
                                        "target()", "is_return()"};
    for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
        add_expr(g, "%s", longs[i]);
    add_expr(g, "execname()");
    add_expr(g, "strlen(execname())");
    add_expr(g, "pid() == target()");
    add_case(g, "r{i} = randint(10)", "r{i} >= 0 && r{i} < 10", NULL);
    add_case(g, "r{i} = randint(1)", "r{i}", NULL);
    add_case(g, "r{i} = randint(nmax)", "r{i} >= 0", NULL);
    /* task_current() is not compared: in a userspace probe there is no current
     * kernel task to point to, and it is 0 by design (doc/builtins.md). */
    return g;
}

group *clock_cases(void)
{
    group *g = group_new("clocks (equal within two seconds)", 32, 40);
    add_expr(g, "gettimeofday_s()")->tolerance = 2;
    add_expr(g, "gettimeofday_ms()")->tolerance = 2000;
    add_expr(g, "gettimeofday_us()")->tolerance = 2000000;
    add_expr(g, "gettimeofday_ns()")->tolerance = 2000000000;
    add_expr(g, "ktime_get_ns()")->tolerance = 2000000000;
    add_expr(g, "local_clock_ns()")->tolerance = 2000000000;
    add_expr(g, "jiffies()")->tolerance = 2000;
    return g;
}

group *control_flow_cases(void)
{
    group *g = group_new("statements: if, for, while, break, continue, next, functions", 32, 6);
    g->prelude = "function f_add(a, b) { return a + b }\n"
                 "function f_str(s) { return \"<\" . s . \">\" }\n"
                 "function f_max(a, b) { if (a > b) return a; return b }\n"
                 "function f_sum(n) { t = 0; for (j = 0; j < n; j++) t += j; return t }\n"
                 "function f_mixed(s, n) { return substr(s, n, 3) . f_str(s) }\n"
                 "function f_void(n) { if (n > 5) return; n = n * 2 }\n";
    add_case(g, "{S}s{i} = 0; for (i{i} = 0; i{i} < 10; i{i}++) {S}s{i} += i{i}", "{S}s{i}", NULL);
    add_case(g, "{S}s{i} = 0; for (i{i} = 10; i{i} > 0; i{i} -= 3) {S}s{i} = {S}s{i} * 10 + i{i}", "{S}s{i}", NULL);
    add_case(g, "j{i} = 0; {S}w{i} = 0; while (j{i} < 20) { j{i}++; if (j{i} % 3 == 0) continue; "
                "if (j{i} > 14) break; {S}w{i} += j{i} }",
             "{S}w{i}", NULL);
    add_case(g, "if (n7 > nm13) { {S}x{i} = 1 } else { {S}x{i} = 2 }", "{S}x{i}", NULL);
    add_case(g, "if (n7 < nm13) { {S}x{i} = 1 } else if (n0) { {S}x{i} = 2 } else { {S}x{i} = 3 }", "{S}x{i}", NULL);
    add_case(g, "if (shello < ssyn) {S}x{i} = shello else {S}x{i} = ssyn", "{S}x{i}", NULL);
    add_case(g, "t{i} = \"\"; for (i{i} = 0; i{i} < 12; i{i}++) t{i} .= sa . sb", "t{i}", NULL);
    /* Alone: with other statements in its probe the verifier gives up (1M instructions). */
    add_case(g, "t{i} = \"\"; i{i} = 0; while (i{i} < strlen(shello)) { t{i} = substr(shello, i{i}, 1) . t{i}; i{i}++ }",
             "t{i}", NULL)
        ->alone = true;
    static const char *const calls[][2] = {
        {NULL, "f_add(n7, nm13) * f_add(nmax, n1)"},
        {NULL, "f_str(shello) . f_str(s0)"},
        {NULL, "f_max(n7, nm13) + f_max(nmin, nmax) * 0 + f_max(n1, n1)"},
        {NULL, "f_sum(10) + f_sum(0)"},
        {NULL, "f_mixed(ssyn, 1) . f_mixed(slong, 29)"},
        {"f_void(n7); f_void(n1)", "1"},
        {NULL, "f_add(f_add(n1, n7), f_add(nm13, f_max(n0, nm1)))"},
    };
    for (size_t c = 0; c < sizeof(calls) / sizeof(calls[0]); c++) {
        add_case(g, calls[c][0], calls[c][1], NULL);
    }
    add_case(g, "if (n0) { l{i} = 5 }", "l{i} + 1", NULL);
    add_case(g, "if (n0) { t{i} = \"x\" }", "t{i} . \"|\"", NULL);
    add_case(g, "if (({S}a{i} = n7 * 2) > 10) {S}b{i} = {S}a{i}", "({S}c{i} = shello) == \"hello\"", NULL);
    add_case(g, "l{i} = 0; while ((l{i} += 3) < 20) {S}c{i}++", "l{i}", NULL);
    add_case(g, "{S}n{i} = 1", NULL, NULL);
    return g;
}

group *fault_cases(void)
{
    group *g = group_new("faults and try/catch (each case in a probe pair of its own)", 32, 1);
    static const char *const faulting[] = {
        "n7 / n0", "n7 % n0", "nmin / n0", "n0 % n0", "n7 / (n1 - n1)", "stringat(shello, 5)",
        "stringat(shello, -1)", "stringat(s0, 0)", "stringat(slong, nmax)", "randint(0)", "randint(-5)",
    };
    for (size_t f = 0; f < sizeof(faulting) / sizeof(faulting[0]); f++) {
        const char *expression = faulting[f];
        add_case(g, case_text("{S}a{i} = 1; {S}b{i} = %s; {S}c{i} = 1", expression), NULL, NULL)->alone = true;
        add_case(g, case_text("try { {S}a{i} = 1; {S}b{i} = %s; {S}c{i} = 1 } catch { {S}d{i} = 1 }", expression), NULL,
                 NULL)
            ->alone = true;
    }
    static const char *const messages[] = {"n7 / n0", "n7 % n0"};
    for (size_t f = 0; f < sizeof(messages) / sizeof(messages[0]); f++) {
        const char *expression = messages[f];
        add_case(g, case_text("try { {S}b{i} = %s } catch (m{i}) { {S}m{i} = m{i} }", expression), NULL, NULL)->alone =
            true;
    }
    static const char *const other_messages[] = {"stringat(shello, 5)", "stringat(shello, -1)", "randint(0)"};
    for (size_t f = 0; f < sizeof(other_messages) / sizeof(other_messages[0]); f++)
        add_case(g, case_text("try { {S}b{i} = %s } catch (m{i}) { {S}m{i} = m{i} }", other_messages[f]), NULL, NULL)
            ->alone = true;
    add_case(g, "{S}a{i} = 1; error(\"boom\"); {S}b{i} = 1", NULL, NULL)->alone = true;
    add_case(g, "try { error(\"boom \" . shello) } catch (m{i}) { {S}m{i} = m{i} }", NULL, NULL)->alone = true;
    add_case(g, "try { try { {S}x{i} = n1 / n0 } catch (m{i}) { {S}m{i} = m{i}; error(\"again\") } } catch (o{i}) "
                "{ {S}o{i} = o{i} }",
             NULL, NULL)
        ->alone = true;
    add_case(g, "try { {S}x{i} = n1 } catch { {S}x{i} = 2 }", NULL, NULL)->alone = true;
    add_case(g, "{S}e{i} = 1; exit(); {S}f{i} = 2", NULL, NULL)->alone = true;
    add_case(g, "{S}e{i} = 1; if (n0) exit(); {S}f{i} = 2", NULL, NULL)->alone = true;
    add_case(g, "{S}e{i} = 1; next; {S}f{i} = 2", NULL, NULL)->alone = true;
    return g;
}

group *output_cases(void)
{
    group *g = group_new("printed output: printf, print, println, printd, printdln, log, warn (real session)", 0, 0);
    g->session = true;
    static const char *const statements[] = {
        "printf(\"{P}{i}|%d|%d|%d|%d\\n\", n0, nm1, nmin, nmax)",
        "printf(\"{P}{i}|%x|%X|%o|%u\\n\", nm1, n55, n7, nm13)",
        "printf(\"{P}{i}|%5d|%-5d|%05d|%+d|%i\\n\", n7, n7, nm13, n7, nm13)",
        "printf(\"{P}{i}|%s|%10s|%-10s|%.2s|\\n\", shello, ssyn, sa, shello)",
        "printf(\"{P}{i}|%c%c%c\\n\", 65, n7 + 60, 0x21)",
        "printf(\"{P}{i}|%s|%s|%s\\n\", slong, s40, shi)",
        "printf(\"{P}{i}|%s|%d|%s|%d|%s|%d|%s|%d|%s|%d\\n\", sa, n1, sb, n7, shello, nm13, ssyn, nmax, s0, nmin)",
        "printf(\"{P}{i}|%s\\n\", shello . \" \" . ssyn . \" \" . slong . slong)",
        "printf(\"{P}{i}|%s|%s\\n\", substr(shello, 1, 3), ip_ntop(nip))",
        "printf(\"{P}{i}|%d|%d\\n\", strlen(slong . slong), isdigit(sdig))",
        "printf(\"{P}{i}|%*d|%-*s|\\n\", 6, n7, 8, ssyn)",
        "printf(\"{P}{i}|%%|%p|%#x|%#o\\n\", n7, n55, n7)",
        "printf(\"{P}{i}|no values\\n\")",
        "print(\"{P}{i}|\", n7, shello, nm13, \"\\n\")",
        "println(\"{P}{i}|\", nm13, ssyn, nmin)",
        "printdln(\"--\", \"{P}{i}|\", n1, shello, nmax)",
        "printd(\",\", \"{P}{i}|\", n1, shello); println(\"\")",
        "log(\"{P}{i}|\" . shello . ssyn)",
    };
    for (size_t s = 0; s < sizeof(statements) / sizeof(statements[0]); s++)
        add_case(g, statements[s], NULL, NULL);
    add_case(g, "warn(\"{P}{i}|\" . ssyn)", NULL, NULL);
    return g;
}

/* ---- random expressions --------------------------------------------------------------------- */

typedef struct random_state {
    uint64_t state;
} random_state;

static uint64_t random_next(random_state *r)
{
    /* xorshift64* */
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return r->state * 2685821657736338717ULL;
}

static unsigned random_below(random_state *r, unsigned n)
{
    return (unsigned)((random_next(r) >> 11) % n);
}

static void random_string(syn_buffer *out, random_state *r, int depth);

static void random_long(syn_buffer *out, random_state *r, int depth)
{
    static const char *const literals[] = {"0", "1", "2", "3", "5", "-1", "-7", "63", "64", "100", "0x7fffffff",
                                           "0x80000000", "4294967296", "9223372036854775807", "0xdeadbeefcafe"};
    if (depth <= 0 || random_below(r, 5) == 0) {
        if (random_below(r, 3) == 0)
            syn_buffer_append_string(out, literals[random_below(r, sizeof(literals) / sizeof(literals[0]))]);
        else
            syn_buffer_append_string(out, long_inputs[random_below(r, LONG_INPUTS)].name);
        return;
    }
    unsigned kind = random_below(r, 20);
    syn_buffer_append_char(out, '(');
    if (kind < 9) {
        const char *op = arithmetic_operators[random_below(r, ARITHMETIC_OPERATORS)];
        random_long(out, r, depth - 1);
        syn_buffer_printf(out, " %s ", op);
        if (is_division(op)) {
            /* Never zero: x | 1 keeps the sign. */
            syn_buffer_append_char(out, '(');
            random_long(out, r, depth - 1);
            syn_buffer_append_string(out, " | 1)");
        } else {
            random_long(out, r, depth - 1);
        }
    } else if (kind < 11) {
        static const char *const unary[] = {"-", "!", "~"};
        syn_buffer_append_string(out, unary[random_below(r, 3)]);
        syn_buffer_append_char(out, '(');
        random_long(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else if (kind < 13) {
        random_long(out, r, depth - 1);
        syn_buffer_printf(out, " %s ", comparison_operators[random_below(r, COMPARISON_OPERATORS)]);
        random_long(out, r, depth - 1);
    } else if (kind == 13) {
        random_string(out, r, depth - 1);
        syn_buffer_printf(out, " %s ", comparison_operators[random_below(r, COMPARISON_OPERATORS)]);
        random_string(out, r, depth - 1);
    } else if (kind == 14) {
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, random_below(r, 2) ? " && " : " || ");
        random_long(out, r, depth - 1);
    } else if (kind == 15) {
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, " ? ");
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, " : ");
        random_long(out, r, depth - 1);
    } else if (kind == 16) {
        syn_buffer_append_string(out, "strlen(");
        random_string(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else if (kind == 17) {
        syn_buffer_append_string(out, "isdigit(");
        random_string(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else {
        /* stringat in range: T is never empty, the index is below its length. */
        syn_buffer text;
        syn_buffer_init(&text);
        syn_buffer_append_char(&text, '(');
        random_string(&text, r, depth - 1);
        syn_buffer_append_string(&text, " . \"x\")");
        syn_buffer_printf(out, "stringat(%s, (", text.data);
        random_long(out, r, depth - 1);
        syn_buffer_printf(out, " & 15) %% strlen(%s))", text.data);
        syn_buffer_release(&text);
    }
    syn_buffer_append_char(out, ')');
}

static void random_string(syn_buffer *out, random_state *r, int depth)
{
    static const char *const literals[] = {"\"\"", "\"x\"", "\"hello\"", "\"12ab\"",
                                           "\"A literal string longer than 32 bytes!\""};
    if (depth <= 0 || random_below(r, 4) == 0) {
        if (random_below(r, 3) == 0)
            syn_buffer_append_string(out, literals[random_below(r, sizeof(literals) / sizeof(literals[0]))]);
        else
            syn_buffer_append_string(out, string_inputs[random_below(r, STRING_INPUTS)].name);
        return;
    }
    unsigned kind = random_below(r, 8);
    if (kind < 4) {
        syn_buffer_append_char(out, '(');
        random_string(out, r, depth - 1);
        syn_buffer_append_string(out, " . ");
        random_string(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else if (kind < 6) {
        syn_buffer_append_string(out, "substr(");
        random_string(out, r, depth - 1);
        syn_buffer_append_string(out, ", ");
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, ", ");
        random_long(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else if (kind == 6) {
        syn_buffer_append_string(out, "ip_ntop(");
        random_long(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else {
        syn_buffer_append_char(out, '(');
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, " ? ");
        random_string(out, r, depth - 1);
        syn_buffer_append_string(out, " : ");
        random_string(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    }
}

group *random_cases(uint64_t seed, bool strings, size_t count)
{
    static char names[2][96];
    snprintf(names[strings], sizeof(names[strings]), "random %s expressions (seed %" PRIu64 ")",
             strings ? "string" : "long", seed);
    group *g = group_new(names[strings], 32, 1);
    random_state r = {.state = seed * 2 + 1 + (strings ? 0x9e3779b97f4a7c15ULL : 0)};
    for (size_t i = 0; i < count; i++) {
        syn_buffer text;
        syn_buffer_init(&text);
        if (strings)
            random_string(&text, &r, 4);
        else
            random_long(&text, &r, 4);
        add_case(g, NULL, text.data, NULL);
        syn_buffer_release(&text);
    }
    return g;
}

