/* Unit tests of the lexer (lang/lexer.l) through syn_lexer_*: token kinds,
 * values, exact locations and the diagnostics of malformed input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/grammar.h"
#include "lang/lexer.h"
#include "tests/unit/tap.h"

enum { MAX_TOKENS = 1024, MAX_DIAGNOSTICS = 64 };

typedef struct captured_diagnostic {
    syn_severity severity;
    char message[256];
    char rendered[1024];
    char file[64];
    unsigned line, column, end_line, end_column;
} captured_diagnostic;

/* The result of lexing one text: every token up to and including
 * END_OF_INPUT, and every diagnostic reported on the way. */
typedef struct lexed {
    syn_source *source;
    syn_arena arena;
    syn_diagnostics diagnostics;
    syn_token tokens[MAX_TOKENS];
    int count;
    captured_diagnostic said[MAX_DIAGNOSTICS];
    int said_count;
    int diagnostic_total;
} lexed;

static lexed L;

static void capture(const syn_diagnostic *diagnostic, void *user_data)
{
    lexed *result = user_data;
    result->diagnostic_total++;
    if (result->said_count >= MAX_DIAGNOSTICS)
        return;
    captured_diagnostic *c = &result->said[result->said_count++];
    c->severity = diagnostic->severity;
    snprintf(c->message, sizeof(c->message), "%s", diagnostic->message ? diagnostic->message : "");
    snprintf(c->rendered, sizeof(c->rendered), "%s", diagnostic->rendered ? diagnostic->rendered : "");
    snprintf(c->file, sizeof(c->file), "%s", diagnostic->file ? diagnostic->file : "");
    c->line = diagnostic->line;
    c->column = diagnostic->column;
    c->end_line = diagnostic->end_line;
    c->end_column = diagnostic->end_column;
}

static void release_lexed(void)
{
    if (L.source) {
        syn_arena_release(&L.arena);
        syn_diagnostics_release(&L.diagnostics);
        syn_source_free(L.source);
    }
    memset(&L, 0, sizeof(L));
}

static void lex_n(const char *text, size_t length)
{
    release_lexed();
    L.source = syn_source_new("test.syn", text, length);
    syn_arena_init(&L.arena);
    syn_diagnostics_init(&L.diagnostics);
    L.diagnostics.handler = capture;
    L.diagnostics.user_data = &L;
    /* Every message of a test must reach the handler. */
    L.diagnostics.error_limit = 100000;

    syn_lexer lexer;
    syn_lexer_init(&lexer, L.source, &L.arena, &L.diagnostics);
    if (syn_lexer_open(&lexer) != 0) {
        ok(0, "syn_lexer_open failed");
        syn_lexer_release(&lexer);
        return;
    }
    while (L.count < MAX_TOKENS) {
        syn_token *token = &L.tokens[L.count++];
        int kind = syn_lexer_scan(&lexer, token);
        if (kind != token->kind)
            diag("syn_lexer_scan returned %d but token kind is %d", kind, token->kind);
        if (kind == END_OF_INPUT)
            break;
    }
    syn_lexer_release(&lexer);
}

static void lex(const char *text)
{
    lex_n(text, strlen(text));
}

static int last_kind(void)
{
    return L.count ? L.tokens[L.count - 1].kind : -1;
}

/* Number of tokens before END_OF_INPUT. */
static int token_count(void)
{
    return L.count && last_kind() == END_OF_INPUT ? L.count - 1 : L.count;
}

static int count_errors(void)
{
    int errors = 0;
    for (int i = 0; i < L.said_count; i++)
        errors += L.said[i].severity == SYN_SEVERITY_ERROR;
    return errors;
}

static const char *show(const char *text)
{
    static char buffers[4][256];
    static int which;
    char *out = buffers[which++ % 4];
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c && n + 5 < 256; c++) {
        if (*c == '\n')
            n += (size_t)snprintf(out + n, 256 - n, "\\n");
        else if (*c == '\t')
            n += (size_t)snprintf(out + n, 256 - n, "\\t");
        else if (*c < 0x20 || *c >= 0x7f)
            n += (size_t)snprintf(out + n, 256 - n, "\\x%02x", *c);
        else
            out[n++] = (char)*c;
    }
    out[n] = '\0';
    return out;
}

/* ---- assertions ------------------------------------------------------------ */

static void expect_kinds(const char *text, const int *kinds, int count)
{
    lex(text);
    int matches = token_count() == count && last_kind() == END_OF_INPUT && L.said_count == 0;
    for (int i = 0; matches && i < count; i++)
        matches = L.tokens[i].kind == kinds[i];
    if (!ok(matches, "'%s' lexes to %d expected tokens", show(text), count)) {
        for (int i = 0; i < L.count; i++)
            diag("token %d: kind %d (expected %d)", i, L.tokens[i].kind, i < count ? kinds[i] : -1);
        for (int i = 0; i < L.said_count; i++)
            diag("diagnostic: %s", L.said[i].message);
    }
}

#define EXPECT_KINDS(text, ...) \
    expect_kinds(text, (const int[]){__VA_ARGS__}, (int)(sizeof((const int[]){__VA_ARGS__}) / sizeof(int)))

static void expect_single(const char *text, int kind)
{
    lex(text);
    int single = token_count() == 1 && last_kind() == END_OF_INPUT;
    if (!ok(single && L.tokens[0].kind == kind && L.said_count == 0, "'%s' is one token of kind %d", show(text), kind)) {
        diag("got %d tokens, first kind %d, %d diagnostics", token_count(), L.count ? L.tokens[0].kind : -1,
             L.said_count);
        for (int i = 0; i < L.said_count; i++)
            diag("diagnostic: %s", L.said[i].message);
    }
}

static void expect_text_token(const char *text, int kind, const char *value)
{
    lex(text);
    int single = token_count() == 1 && L.tokens[0].kind == kind;
    ok(single && L.said_count == 0, "'%s' is one token of kind %d without diagnostics", show(text), kind);
    if (single) {
        is_string(L.tokens[0].value.text.data, value, "'%s' has text '%s'", show(text), show(value));
        is_int((long long)L.tokens[0].value.text.length, (long long)strlen(value), "'%s' text length",
               show(text));
    } else {
        ok(0, "'%s' has text '%s'", show(text), show(value));
        ok(0, "'%s' text length", show(text));
    }
}

static void expect_number(const char *text, int64_t value)
{
    lex(text);
    int single = token_count() == 1 && L.tokens[0].kind == NUMBER;
    ok(single && L.said_count == 0, "'%s' is one number without diagnostics", text);
    is_int(single ? L.tokens[0].value.number : -12345, value, "'%s' has value %lld", text, (long long)value);
}

/* Lexing `text` reports exactly one error with this message, at this span. */
static void expect_error(const char *text, const char *message, unsigned line, unsigned column,
                         unsigned end_line, unsigned end_column)
{
    lex(text);
    if (!is_int(L.said_count, 1, "'%s' reports one diagnostic", show(text))) {
        for (int i = 0; i < L.said_count; i++)
            diag("diagnostic: %s", L.said[i].message);
    }
    if (L.said_count < 1) {
        ok(0, "'%s' error message", show(text));
        ok(0, "'%s' error location", show(text));
        return;
    }
    const captured_diagnostic *d = &L.said[0];
    is_string(d->message, message, "'%s' error message", show(text));
    ok(d->severity == SYN_SEVERITY_ERROR && d->line == line && d->column == column && d->end_line == end_line &&
           d->end_column == end_column,
       "'%s' error at %u:%u-%u:%u", show(text), line, column, end_line, end_column);
    if (d->line != line || d->column != column || d->end_line != end_line || d->end_column != end_column)
        diag("got %u:%u-%u:%u", d->line, d->column, d->end_line, d->end_column);
}

static void expect_location(int index, unsigned first_line, unsigned first_column, unsigned last_line,
                            unsigned last_column, const char *what)
{
    if (index >= L.count) {
        ok(0, "%s: token %d exists", what, index);
        return;
    }
    const syn_location *at = &L.tokens[index].location;
    int same = at->first_line == first_line && at->first_column == first_column && at->last_line == last_line &&
               at->last_column == last_column;
    if (!ok(same && at->source == L.source, "%s at %u:%u-%u:%u", what, first_line, first_column, last_line,
            last_column))
        diag("got %u:%u-%u:%u", at->first_line, at->first_column, at->last_line, at->last_column);
}

/* ---- the tests ------------------------------------------------------------- */

static const struct {
    const char *text;
    int kind;
} keywords[] = {
    {"probe", PROBE},   {"global", GLOBAL},     {"function", FUNCTION}, {"private", PRIVATE},
    {"if", IF},         {"else", ELSE},         {"while", WHILE},       {"for", FOR},
    {"foreach", FOREACH}, {"in", IN},           {"limit", LIMIT},       {"break", BREAK},
    {"continue", CONTINUE}, {"next", NEXT},     {"return", RETURN},     {"delete", DELETE},
    {"try", TRY},       {"catch", CATCH},
};

static const struct {
    const char *text;
    int kind;
} operators[] = {
    {"<<<", AGGREGATE},       {">>>", UNSIGNED_SHIFT_RIGHT}, {"<<=", SHIFT_LEFT_ASSIGN},
    {">>=", SHIFT_RIGHT_ASSIGN}, {"==", EQUAL},              {"!=", NOT_EQUAL},
    {"<=", LESS_EQUAL},       {">=", GREATER_EQUAL},        {"&&", LOGICAL_AND},
    {"||", LOGICAL_OR},       {"<<", SHIFT_LEFT},           {">>", SHIFT_RIGHT},
    {"++", INCREMENT},        {"--", DECREMENT},            {"->", ARROW},
    {"=~", REGEX_MATCH},      {"!~", REGEX_NO_MATCH},       {"+=", ADD_ASSIGN},
    {"-=", SUBTRACT_ASSIGN},  {"*=", MULTIPLY_ASSIGN},      {"/=", DIVIDE_ASSIGN},
    {"%=", MODULO_ASSIGN},    {"&=", AND_ASSIGN},           {"|=", OR_ASSIGN},
    {"^=", XOR_ASSIGN},       {".=", CONCAT_ASSIGN},        {"%(", PP_OPEN},
    {"%?", PP_THEN},          {"%:", PP_ELSE},              {"%)", PP_CLOSE},
    {"$#", ARGUMENT_COUNT},   {"@#", ARGUMENT_COUNT_STRING}, {"$", DOLLAR},
    {"$$", DOUBLE_DOLLAR},
};

static void test_keywords_and_identifiers(void)
{
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
        expect_single(keywords[i].text, keywords[i].kind);
    expect_text_token("probes", IDENTIFIER, "probes");
    expect_text_token("iff", IDENTIFIER, "iff");
    expect_text_token("_x9", IDENTIFIER, "_x9");
    expect_text_token("Probe", IDENTIFIER, "Probe");
    expect_text_token("begin", IDENTIFIER, "begin");
    expect_text_token("kernel_v", IDENTIFIER, "kernel_v");
    expect_text_token("CONFIG_HZ", IDENTIFIER, "CONFIG_HZ");
    EXPECT_KINDS("probe begin { }", PROBE, IDENTIFIER, '{', '}');
    EXPECT_KINDS("foreach([a,b] in x- limit 5)", FOREACH, '(', '[', IDENTIFIER, ',', IDENTIFIER, ']', IN,
                 IDENTIFIER, '-', LIMIT, NUMBER, ')');
}

static void test_operators(void)
{
    for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++)
        expect_single(operators[i].text, operators[i].kind);
    const char *singles = "-+*/%<>=!~&|^?:;,.()[]{}";
    for (const char *c = singles; *c; c++) {
        char text[2] = {*c, '\0'};
        expect_single(text, *c);
    }
    /* Longest match, then what is left. */
    EXPECT_KINDS("<<<=", AGGREGATE, '=');
    EXPECT_KINDS(">>>=", UNSIGNED_SHIFT_RIGHT, '=');
    EXPECT_KINDS("<<==", SHIFT_LEFT_ASSIGN, '=');
    EXPECT_KINDS("a<<<b", IDENTIFIER, AGGREGATE, IDENTIFIER);
    EXPECT_KINDS("+++", INCREMENT, '+');
    EXPECT_KINDS("---", DECREMENT, '-');
    EXPECT_KINDS("a-->b", IDENTIFIER, DECREMENT, '>', IDENTIFIER);
    EXPECT_KINDS("a->b", IDENTIFIER, ARROW, IDENTIFIER);
    EXPECT_KINDS("s.=t", IDENTIFIER, CONCAT_ASSIGN, IDENTIFIER);
    EXPECT_KINDS("s . t", IDENTIFIER, '.', IDENTIFIER);
    EXPECT_KINDS("s=~\"x\"", IDENTIFIER, REGEX_MATCH, STRING);
    EXPECT_KINDS("s!~\"x\"", IDENTIFIER, REGEX_NO_MATCH, STRING);
    EXPECT_KINDS("!!x", '!', '!', IDENTIFIER);
    EXPECT_KINDS("a?b:c", IDENTIFIER, '?', IDENTIFIER, ':', IDENTIFIER);
    EXPECT_KINDS("%( %? %: %)", PP_OPEN, PP_THEN, PP_ELSE, PP_CLOSE);
    EXPECT_KINDS("%(%?%:%)", PP_OPEN, PP_THEN, PP_ELSE, PP_CLOSE);
    EXPECT_KINDS("a % b", IDENTIFIER, '%', IDENTIFIER);
    EXPECT_KINDS("a%b", IDENTIFIER, '%', IDENTIFIER);
    EXPECT_KINDS("x[1,2]", IDENTIFIER, '[', NUMBER, ',', NUMBER, ']');
}

static void test_numbers(void)
{
    expect_number("0", 0);
    expect_number("7", 7);
    expect_number("1234567890", 1234567890);
    expect_number("0x1F", 31);
    expect_number("0XaBc", 0xabc);
    expect_number("017", 15);
    expect_number("00", 0);
    expect_number("0777", 511);
    expect_number("9223372036854775807", INT64_MAX);
    expect_number("0x7fffffffffffffff", INT64_MAX);
    expect_number("0xffffffffffffffff", -1);
    expect_number("0x8000000000000000", INT64_MIN);
    expect_number("18446744073709551615", -1);

    expect_error("18446744073709551616", "number '18446744073709551616' does not fit in 64 bits", 1, 1, 1, 20);
    is_int(L.tokens[0].kind, NUMBER, "an overflowing number is still a number token");
    is_int(L.tokens[0].value.number, 0, "an overflowing number has value 0");
    expect_error("x = 0x10000000000000000", "number '0x10000000000000000' does not fit in 64 bits", 1, 5, 1, 23);
    expect_error("08", "invalid octal number '08'", 1, 1, 1, 2);
    is_int(L.tokens[0].kind, NUMBER, "08 is still a number token");
    expect_error("0179", "invalid octal number '0179'", 1, 1, 1, 4);
    expect_error("1e3", "invalid number '1e3'", 1, 1, 1, 3);
    is_int(token_count(), 1, "1e3 is one token");
    expect_error("  12abc", "invalid number '12abc'", 1, 3, 1, 7);
    expect_error("0x", "invalid number '0x'", 1, 1, 1, 2);
    expect_error("0xfg", "invalid number '0xfg'", 1, 1, 1, 4);
    expect_error("9_000", "invalid number '9_000'", 1, 1, 1, 5);

    EXPECT_KINDS("-1", '-', NUMBER);
    EXPECT_KINDS("1.5", NUMBER, '.', NUMBER);
    EXPECT_KINDS("1+2", NUMBER, '+', NUMBER);
    EXPECT_KINDS("0x10)", NUMBER, ')');
}

static void test_strings(void)
{
    expect_text_token("\"\"", STRING, "");
    expect_text_token("\"hello world\"", STRING, "hello world");
    expect_text_token("\"a\\nb\"", STRING, "a\nb");
    expect_text_token("\"\\t\"", STRING, "\t");
    expect_text_token("\"\\\\\"", STRING, "\\");
    expect_text_token("\"\\\"\"", STRING, "\"");
    expect_text_token("\"\\a\"", STRING, "\a");
    expect_text_token("\"\\b\"", STRING, "\b");
    expect_text_token("\"\\f\"", STRING, "\f");
    expect_text_token("\"\\v\"", STRING, "\v");
    expect_text_token("\"\\r\"", STRING, "\r");
    expect_text_token("\"\\?\"", STRING, "?");
    expect_text_token("\"\\'\"", STRING, "'");
    expect_text_token("\"'\"", STRING, "'");
    expect_text_token("\"\\101\"", STRING, "A");
    expect_text_token("\"\\1012\"", STRING, "A2");
    expect_text_token("\"\\7\"", STRING, "\a");
    expect_text_token("\"\\377\"", STRING, "\377");
    expect_text_token("\"\\x41\"", STRING, "A");
    expect_text_token("\"\\x4a\"", STRING, "J");
    expect_text_token("\"\\x9\"", STRING, "\t");
    expect_text_token("\"\\x4142\"", STRING, "A42");
    expect_text_token("\"\\xff\"", STRING, "\xff");
    expect_text_token("\"%s %d\\n\"", STRING, "%s %d\n");
    expect_text_token("\"/* not a comment */\"", STRING, "/* not a comment */");
    expect_text_token("\"# not a comment\"", STRING, "# not a comment");
    expect_text_token("\"\xc3\xa9t\xc3\xa9\"", STRING, "\xc3\xa9t\xc3\xa9");

    /* A backslash before a newline continues the string on the next line. */
    expect_text_token("\"ab\\\ncd\"", STRING, "abcd");
    expect_location(0, 1, 1, 2, 3, "a continued string spans both lines");

    expect_error("\"a\\qb\"", "unknown escape sequence '\\q' in string", 1, 3, 1, 4);
    is_int(L.tokens[0].kind, STRING, "a string with an unknown escape is still a string");
    is_string(L.tokens[0].value.text.data, "ab", "an unknown escape is dropped");
    expect_error("\"\\x\"", "unknown escape sequence '\\x' in string", 1, 2, 1, 3);
    expect_error("\"\\\x01\"", "unknown escape sequence '\\?' in string", 1, 2, 1, 3);

    expect_error("\"a\\0b\"", "a string cannot contain a NUL character", 1, 3, 1, 4);
    expect_error("\"\\000\"", "a string cannot contain a NUL character", 1, 2, 1, 5);
    expect_error("\"\\x00\"", "a string cannot contain a NUL character", 1, 2, 1, 5);
    expect_error("\"\\400\"", "octal escape '\\400' is larger than a byte", 1, 2, 1, 5);

    /* Unterminated strings: at a newline the string ends there, at the end
     * of the input the token is incomplete. */
    expect_error("x = \"abc\ny", "unterminated string (a string cannot span lines; write \\n)", 1, 5, 1, 5);
    is_int(token_count(), 4, "an unterminated string line still gives x = string y");
    is_int(L.tokens[2].kind, STRING, "the unterminated string is a string token");
    is_string(L.tokens[2].value.text.data, "abc", "the unterminated string keeps its text");
    expect_location(3, 2, 1, 2, 1, "the token after an unterminated string");

    expect_error("  \"abc", "unterminated string", 1, 3, 1, 3);
    is_int(L.count >= 2 ? L.tokens[0].kind : -1, END_OF_INPUT_IN_TOKEN,
           "a string open at the end of input is END_OF_INPUT_IN_TOKEN");
    is_int(last_kind(), END_OF_INPUT, "END_OF_INPUT follows END_OF_INPUT_IN_TOKEN");
    expect_error("\"abc\\", "unterminated string", 1, 1, 1, 1);
    is_int(L.tokens[0].kind, END_OF_INPUT_IN_TOKEN, "a string ending in a backslash at end of input");
    expect_error("\"abc\\\n", "unterminated string", 1, 1, 1, 1);
    is_int(L.tokens[0].kind, END_OF_INPUT_IN_TOKEN, "a string continued past the end of input");
}

static void test_comments_and_embedded_code(void)
{
    EXPECT_KINDS("# comment\nx", IDENTIFIER);
    EXPECT_KINDS("// comment\nx", IDENTIFIER);
    EXPECT_KINDS("/* comment */x", IDENTIFIER);
    EXPECT_KINDS("/* a\n * b ** / \n*/x", IDENTIFIER);
    EXPECT_KINDS("/***/x", IDENTIFIER);
    EXPECT_KINDS("/* // # */ x", IDENTIFIER);
    EXPECT_KINDS("x # y z", IDENTIFIER);
    EXPECT_KINDS("x // y z", IDENTIFIER);
    EXPECT_KINDS("x /* y */ z", IDENTIFIER, IDENTIFIER);
    EXPECT_KINDS("# only a comment");
    EXPECT_KINDS("");
    EXPECT_KINDS(" \t\r\n\f\v ");
    EXPECT_KINDS("a/b", IDENTIFIER, '/', IDENTIFIER);

    expect_error("x /* abc", "unterminated comment", 1, 3, 1, 4);
    is_int(L.count >= 2 ? L.tokens[1].kind : -1, END_OF_INPUT_IN_TOKEN,
           "an unterminated comment is END_OF_INPUT_IN_TOKEN");
    is_int(last_kind(), END_OF_INPUT, "END_OF_INPUT follows the unterminated comment");
    expect_error("\n  /* a\nb *", "unterminated comment", 2, 3, 2, 4);

    expect_text_token("%{ int x; %}", EMBEDDED_CODE, " int x; ");
    expect_text_token("%{a % b%}", EMBEDDED_CODE, "a % b");
    expect_text_token("%{\n/* c */ \"%}", EMBEDDED_CODE, "\n/* c */ \"");
    expect_text_token("%{%}", EMBEDDED_CODE, "");
    expect_text_token("%{ x %%}", EMBEDDED_CODE, " x %");
    lex("%{ a\nb %}");
    expect_location(0, 1, 1, 2, 4, "embedded code spans its lines");

    expect_error("%{ abc", "unterminated embedded code (missing '%}')", 1, 1, 1, 2);
    is_int(L.tokens[0].kind, END_OF_INPUT_IN_TOKEN, "unterminated embedded code is END_OF_INPUT_IN_TOKEN");
    expect_error("x %} y", "'%}' without an opening '%{'", 1, 3, 1, 4);
    is_int(token_count(), 2, "a stray '%%}' gives no token");
}

static void test_dollars_and_at_words(void)
{
    expect_text_token("$x", TARGET, "x");
    expect_text_token("$var_1", TARGET, "var_1");
    expect_text_token("$$vars", CONTEXT_VARIABLE, "vars");
    expect_text_token("$$parms", CONTEXT_VARIABLE, "parms");
    expect_text_token("$$locals", CONTEXT_VARIABLE, "locals");
    expect_text_token("$$return", CONTEXT_VARIABLE, "return");
    expect_error("$$bogus", "unknown context variable '$$bogus' (expected $$vars, $$parms, $$locals or $$return)", 1,
                 1, 1, 7);
    is_int(L.tokens[0].kind, CONTEXT_VARIABLE, "an unknown $$ word is still a context variable");
    expect_error("$$vars_x", "unknown context variable '$$vars_x' (expected $$vars, $$parms, $$locals or $$return)",
                 1, 1, 1, 8);

    /* Pretty-printing suffixes: $ and $$ after a target or context variable. */
    EXPECT_KINDS("$x$", TARGET, DOLLAR);
    EXPECT_KINDS("$x$$", TARGET, DOUBLE_DOLLAR);
    EXPECT_KINDS("$$vars$", CONTEXT_VARIABLE, DOLLAR);
    EXPECT_KINDS("$$parms$$", CONTEXT_VARIABLE, DOUBLE_DOLLAR);
    EXPECT_KINDS("$x->y$", TARGET, ARROW, IDENTIFIER, DOLLAR);
    EXPECT_KINDS("$ x", DOLLAR, IDENTIFIER);
    EXPECT_KINDS("$$ $", DOUBLE_DOLLAR, DOLLAR);

    lex("$1");
    is_int(L.tokens[0].kind, ARGUMENT_NUMBER, "$1 is ARGUMENT_NUMBER");
    is_int(L.tokens[0].value.number, 1, "$1 has index 1");
    lex("@12");
    is_int(L.tokens[0].kind, ARGUMENT_STRING, "@12 is ARGUMENT_STRING");
    is_int(L.tokens[0].value.number, 12, "@12 has index 12");
    lex("$007");
    is_int(L.tokens[0].value.number, 7, "$007 has index 7");
    EXPECT_KINDS("$1x", ARGUMENT_NUMBER, IDENTIFIER);
    EXPECT_KINDS("$#$#", ARGUMENT_COUNT, ARGUMENT_COUNT);
    EXPECT_KINDS("@#+$#", ARGUMENT_COUNT_STRING, '+', ARGUMENT_COUNT);
    /* $0 and @0 are out of range, which the preprocessor reports once. */
    lex("$0");
    ok(L.said_count == 0 && L.tokens[0].kind == ARGUMENT_NUMBER && L.tokens[0].value.number == 0,
       "$0 is an argument token with index 0 and no lexer diagnostic");
    lex("@0");
    ok(L.said_count == 0 && L.tokens[0].kind == ARGUMENT_STRING && L.tokens[0].value.number == 0,
       "@0 is an argument token with index 0 and no lexer diagnostic");
    expect_error("$99999999999999999999999", "invalid script argument index '99999999999999999999999'", 1, 1, 1, 24);
    expect_error("$100001", "invalid script argument index '100001'", 1, 1, 1, 7);
    lex("$100000");
    ok(L.said_count == 0 && L.tokens[0].value.number == 100000, "$100000 is accepted");

    expect_text_token("@count", AT_WORD, "count");
    expect_text_token("@define", AT_WORD, "define");
    expect_text_token("@my_macro2", AT_WORD, "my_macro2");
    expect_text_token("@cast", AT_WORD, "cast");
    EXPECT_KINDS("@hist_log(x)", AT_WORD, '(', IDENTIFIER, ')');
    EXPECT_KINDS("a@b", IDENTIFIER, AT_WORD);
    expect_error("@ x", "unexpected character '@'", 1, 1, 1, 1);
    is_int(token_count(), 1, "a lone @ gives no token");
}

static void test_locations(void)
{
    lex("probe begin {\n  x = 1\n}\n");
    expect_location(0, 1, 1, 1, 5, "probe");
    expect_location(1, 1, 7, 1, 11, "begin");
    expect_location(2, 1, 13, 1, 13, "{");
    expect_location(3, 2, 3, 2, 3, "x");
    expect_location(4, 2, 5, 2, 5, "=");
    expect_location(5, 2, 7, 2, 7, "1");
    expect_location(6, 3, 1, 3, 1, "}");

    /* Columns count bytes, so a tab is one column. */
    lex("\tx\t\tyy");
    expect_location(0, 1, 2, 1, 2, "x after a tab");
    expect_location(1, 1, 5, 1, 6, "yy after two tabs");

    lex("/* one\ntwo\nthree */ z <<< \"s\"");
    expect_location(0, 3, 10, 3, 10, "a token after a multi-line comment");
    expect_location(1, 3, 12, 3, 14, "<<< after a multi-line comment");
    expect_location(2, 3, 16, 3, 18, "a string's span includes its quotes");

    lex("# c\n// d\n\n  0x10 $$vars @1 $# %( \"a\\tb\"");
    expect_location(0, 4, 3, 4, 6, "hex number");
    expect_location(1, 4, 8, 4, 13, "$$vars");
    expect_location(2, 4, 15, 4, 16, "@1");
    expect_location(3, 4, 18, 4, 19, "$#");
    expect_location(4, 4, 21, 4, 22, "%(");
    expect_location(5, 4, 24, 4, 29, "string with an escape");

    lex("%{ a %}\n%{\n\n%} q");
    expect_location(0, 1, 1, 1, 7, "one-line embedded code");
    expect_location(1, 2, 1, 4, 2, "multi-line embedded code");
    expect_location(2, 4, 4, 4, 4, "a token after embedded code");

    lex("a\r\nb");
    expect_location(1, 2, 1, 2, 1, "a token after CRLF");

    lex("x\n");
    ok(L.tokens[1].kind == END_OF_INPUT && L.tokens[1].location.source == L.source,
       "END_OF_INPUT has a location in the source");
}

static void test_bad_bytes(void)
{
    expect_error("x ` y", "unexpected character '`'", 1, 3, 1, 3);
    is_int(token_count(), 2, "a bad character is skipped");
    expect_error("\x01", "unexpected byte 0x01", 1, 1, 1, 1);
    expect_error("  \xff", "unexpected byte 0xff", 1, 3, 1, 3);
    expect_error("\n\x7f", "unexpected byte 0x7f", 2, 1, 2, 1);
    expect_error("a\\b", "unexpected character '\\'", 1, 2, 1, 2);

    lex_n("a\0b", 3);
    is_int(count_errors(), 1, "a NUL byte is one error");
    is_string(L.said_count ? L.said[0].message : NULL, "unexpected byte 0x00", "a NUL byte is reported");
    is_int(token_count(), 2, "the tokens around a NUL byte are kept");
    expect_location(1, 1, 3, 1, 3, "the token after a NUL byte");

    /* The rendered message quotes the line and shows a caret. */
    lex("x = 1\n\ty = `");
    is_int(L.said_count, 1, "one error for a backquote");
    if (L.said_count) {
        is_string(L.said[0].file, "test.syn", "the diagnostic names the file");
        is_string(L.said[0].rendered,
                  "test.syn:2:6: error: unexpected character '`'\n"
                  "    2 | \ty = `\n"
                  "      | \t    ^\n",
                  "the rendered diagnostic shows file:line:col, the line and a caret");
    }

    /* Every byte value, in every position: no crash, every error located. */
    char all[512];
    for (int i = 0; i < 256; i++) {
        all[2 * i] = (char)i;
        all[2 * i + 1] = (char)(255 - i);
    }
    lex_n(all, sizeof(all));
    ok(last_kind() == END_OF_INPUT, "every byte value lexes to the end");
    int located = 1;
    for (int i = 0; i < L.said_count; i++) {
        if (L.said[i].line == 0 || L.said[i].column == 0 || strcmp(L.said[i].file, "test.syn") != 0)
            located = 0;
    }
    ok(L.said_count > 0 && located, "every error on junk bytes is located (%d errors)", L.diagnostic_total);
    int ordered = 1;
    for (int i = 1; i < token_count(); i++) {
        const syn_location *a = &L.tokens[i - 1].location, *b = &L.tokens[i].location;
        if (b->first_line < a->last_line || (b->first_line == a->last_line && b->first_column <= a->last_column))
            ordered = 0;
    }
    ok(ordered, "token locations never go backwards");

    /* Pseudo-random junk, deterministic. */
    unsigned seed = 12345;
    int survived = 1;
    for (int round = 0; round < 200; round++) {
        char junk[97];
        for (size_t i = 0; i < sizeof(junk); i++) {
            seed = seed * 1103515245u + 12345u;
            junk[i] = (char)(seed >> 16);
        }
        lex_n(junk, sizeof(junk));
        if (last_kind() != END_OF_INPUT)
            survived = 0;
        for (int i = 0; i < L.said_count; i++) {
            if (L.said[i].line == 0 || L.said[i].column == 0)
                survived = 0;
        }
    }
    ok(survived, "200 random byte strings lex to the end with located errors");
}

static void test_end_of_input_repeats(void)
{
    syn_source *source = syn_source_new("again.syn", "x", 1);
    syn_arena arena;
    syn_arena_init(&arena);
    syn_diagnostics diagnostics;
    syn_diagnostics_init(&diagnostics);
    diagnostics.handler = capture;
    diagnostics.user_data = &L;
    syn_lexer lexer;
    syn_lexer_init(&lexer, source, &arena, &diagnostics);
    ok(syn_lexer_open(&lexer) == 0, "syn_lexer_open");
    syn_token token;
    is_int(syn_lexer_scan(&lexer, &token), IDENTIFIER, "first token");
    is_int(syn_lexer_scan(&lexer, &token), END_OF_INPUT, "then END_OF_INPUT");
    is_int(syn_lexer_scan(&lexer, &token), END_OF_INPUT, "END_OF_INPUT again when asked again");
    syn_lexer_release(&lexer);
    syn_lexer_release(&lexer);
    ok(1, "releasing a lexer twice is harmless");
    syn_diagnostics_release(&diagnostics);
    syn_arena_release(&arena);
    syn_source_free(source);
}

int main(void)
{
    test_keywords_and_identifiers();
    test_operators();
    test_numbers();
    test_strings();
    test_comments_and_embedded_code();
    test_dollars_and_at_words();
    test_locations();
    test_bad_bytes();
    test_end_of_input_repeats();
    release_lexed();
    return done_testing();
}
