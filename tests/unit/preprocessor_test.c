/* Unit tests of the preprocessor (lang/preprocessor.c and
 * lang/preprocessor_condition.c) through syn_preprocessor_new/next: the
 * conditions of %( %? %: %), macros, script arguments and every error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/grammar.h"
#include "lang/preprocessor.h"
#include "tests/unit/tap.h"
#include "util/buffer.h"

enum { MAX_DIAGNOSTICS = 64, MAX_TOKENS = 100000 };

typedef struct captured_diagnostic {
    syn_severity severity;
    char message[256];
    unsigned line, column, end_line, end_column;
} captured_diagnostic;

static captured_diagnostic said[MAX_DIAGNOSTICS];
static int said_count;
static bool was_incomplete;
static syn_token last_tokens[64];
static int last_token_count;

static void capture(const syn_diagnostic *diagnostic, void *user_data)
{
    (void)user_data;
    if (said_count >= MAX_DIAGNOSTICS)
        return;
    captured_diagnostic *c = &said[said_count++];
    c->severity = diagnostic->severity;
    snprintf(c->message, sizeof(c->message), "%s", diagnostic->message ? diagnostic->message : "");
    c->line = diagnostic->line;
    c->column = diagnostic->column;
    c->end_line = diagnostic->end_line;
    c->end_column = diagnostic->end_column;
}

/* ---- the environment --------------------------------------------------------- */

static const char *lookup_config(void *context, const char *name)
{
    static const struct {
        const char *name;
        const char *value;
    } options[] = {
        {"CONFIG_FOO", "y"},       {"CONFIG_MOD", "m"},  {"CONFIG_HZ", "250"},
        {"CONFIG_HEX", "0x10"},    {"CONFIG_STR", "some string"},
        {"CONFIG_NEG", "-5"},
    };
    int *calls = context;
    (*calls)++;
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
        if (strcmp(options[i].name, name) == 0)
            return options[i].value;
    }
    return NULL;
}

static const char *const default_arguments[] = {"1 + 2", "hello world", "7", "\"quoted\" x"};
static int config_calls;
static syn_preprocessor_environment environment;

static void reset_environment(void)
{
    environment = (syn_preprocessor_environment){
        .kernel_release = "5.4.0-100-generic",
        .architecture = "x86_64",
        .arguments = default_arguments,
        .argument_count = 4,
        .config_lookup = lookup_config,
        .config_context = &config_calls,
    };
}

/* ---- running the preprocessor ------------------------------------------------ */

static void spell(syn_buffer *out, const syn_token *token)
{
    static const struct {
        int kind;
        const char *text;
    } spellings[] = {
        {AGGREGATE, "<<<"},  {UNSIGNED_SHIFT_RIGHT, ">>>"}, {SHIFT_LEFT_ASSIGN, "<<="},
        {SHIFT_RIGHT_ASSIGN, ">>="}, {EQUAL, "=="},       {NOT_EQUAL, "!="},
        {LESS_EQUAL, "<="},  {GREATER_EQUAL, ">="},       {LOGICAL_AND, "&&"},
        {LOGICAL_OR, "||"},  {SHIFT_LEFT, "<<"},          {SHIFT_RIGHT, ">>"},
        {INCREMENT, "++"},   {DECREMENT, "--"},           {ARROW, "->"},
        {REGEX_MATCH, "=~"}, {REGEX_NO_MATCH, "!~"},      {ADD_ASSIGN, "+="},
        {SUBTRACT_ASSIGN, "-="}, {MULTIPLY_ASSIGN, "*="}, {DIVIDE_ASSIGN, "/="},
        {MODULO_ASSIGN, "%="}, {AND_ASSIGN, "&="},        {OR_ASSIGN, "|="},
        {XOR_ASSIGN, "^="},  {CONCAT_ASSIGN, ".="},       {PROBE, "probe"},
        {GLOBAL, "global"},  {FUNCTION, "function"},      {IF, "if"},
        {ELSE, "else"},      {RETURN, "return"},          {HIST_LOG, "@hist_log"},
        {HIST_LINEAR, "@hist_linear"}, {AT_CAST, "@cast"}, {AT_VAR, "@var"},
        {AT_DEFINED, "@defined"}, {AT_ENTRY, "@entry"},   {AT_CHOOSE_DEFINED, "@choose_defined"},
        {AT_CONST, "@const"}, {DOLLAR, "$"},              {DOUBLE_DOLLAR, "$$"},
        {PP_OPEN, "%("},     {PP_THEN, "%?"},             {PP_ELSE, "%:"},
        {PP_CLOSE, "%)"},
    };
    switch (token->kind) {
    case NUMBER:
        syn_buffer_printf(out, "%lld", (long long)token->value.number);
        return;
    case STRING:
        syn_buffer_printf(out, "\"%s\"", token->value.text.data);
        return;
    case IDENTIFIER:
        syn_buffer_append_string(out, token->value.text.data);
        return;
    case TARGET:
        syn_buffer_printf(out, "$%s", token->value.text.data);
        return;
    case AT_WORD:
        syn_buffer_printf(out, "AT_WORD(%s)", token->value.text.data);
        return;
    case STAT_OP:
        syn_buffer_printf(out, "STAT_OP(%lld)", (long long)token->value.number);
        return;
    case ARGUMENT_NUMBER:
    case ARGUMENT_STRING:
    case ARGUMENT_COUNT:
    case ARGUMENT_COUNT_STRING:
        syn_buffer_printf(out, "UNSUBSTITUTED(%d)", token->kind);
        return;
    default:
        break;
    }
    if (token->kind > 0 && token->kind < 256) {
        syn_buffer_append_char(out, (char)token->kind);
        return;
    }
    for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
        if (spellings[i].kind == token->kind) {
            syn_buffer_append_string(out, spellings[i].text);
            return;
        }
    }
    syn_buffer_printf(out, "<kind %d>", token->kind);
}

/* Preprocesses `text` and spells the tokens handed to the parser, separated
 * by spaces.  Diagnostics land in `said`. */
static const char *pp(const char *text)
{
    static char result[4096];
    said_count = 0;
    last_token_count = 0;
    syn_source *source = syn_source_new("pp.syn", text, strlen(text));
    syn_arena arena;
    syn_arena_init(&arena);
    syn_diagnostics diagnostics;
    syn_diagnostics_init(&diagnostics);
    diagnostics.handler = capture;
    diagnostics.error_limit = 100000;
    syn_preprocessor *preprocessor = syn_preprocessor_new(source, &arena, &diagnostics, &environment);
    syn_buffer out;
    syn_buffer_init(&out);
    if (!preprocessor) {
        syn_buffer_append_string(&out, "<no preprocessor>");
    } else {
        syn_token token;
        for (int count = 0; count < MAX_TOKENS; count++) {
            if (syn_preprocessor_next(preprocessor, &token) == END_OF_INPUT)
                break;
            if (last_token_count < (int)(sizeof(last_tokens) / sizeof(last_tokens[0])))
                last_tokens[last_token_count++] = token;
            if (out.length)
                syn_buffer_append_char(&out, ' ');
            spell(&out, &token);
        }
        was_incomplete = syn_preprocessor_incomplete(preprocessor);
        syn_preprocessor_free(preprocessor);
    }
    snprintf(result, sizeof(result), "%s", out.data ? out.data : "");
    syn_buffer_release(&out);
    /* Token texts live in the arena: keep only what the tests read. */
    for (int i = 0; i < last_token_count; i++) {
        if (last_tokens[i].kind == STRING || last_tokens[i].kind == IDENTIFIER)
            last_tokens[i].value.text.data = NULL;
        last_tokens[i].location.source = NULL;
    }
    syn_diagnostics_release(&diagnostics);
    syn_arena_release(&arena);
    syn_source_free(source);
    return result;
}

static int error_count(void)
{
    int errors = 0;
    for (int i = 0; i < said_count; i++)
        errors += said[i].severity == SYN_SEVERITY_ERROR;
    return errors;
}

static void show_diagnostics(void)
{
    for (int i = 0; i < said_count; i++)
        diag("diagnostic %u:%u: %s", said[i].line, said[i].column, said[i].message);
}

/* `text` preprocesses without diagnostics to `expected`. */
static void expect_tokens(const char *text, const char *expected)
{
    const char *got = pp(text);
    if (!is_string(got, expected, "%s", text))
        show_diagnostics();
    if (!ok(said_count == 0 && !was_incomplete, "%s: no diagnostics", text))
        show_diagnostics();
}

/* A condition holds (or not) in the current environment. */
static void expect_condition(const char *condition, bool expected)
{
    char text[512];
    snprintf(text, sizeof(text), "%%( %s %%? yes %%: no %%)", condition);
    const char *got = pp(text);
    if (!is_string(got, expected ? "yes" : "no", "%s is %s", condition, expected ? "true" : "false") ||
        said_count)
        show_diagnostics();
    ok(said_count == 0, "%s: no diagnostics", condition);
}

/* Preprocessing `text` reports `message` (first of its diagnostics) at
 * line:column. */
static void expect_error(const char *text, const char *message, unsigned line, unsigned column)
{
    pp(text);
    if (!ok(error_count() >= 1, "%s: reports an error", text)) {
        ok(0, "%s: message", text);
        ok(0, "%s: location", text);
        return;
    }
    if (!is_string(said[0].message, message, "%s: message", text))
        show_diagnostics();
    if (!ok(said[0].line == line && said[0].column == column, "%s: error at %u:%u", text, line, column))
        diag("got %u:%u", said[0].line, said[0].column);
}

/* A condition is rejected with `message`. */
static void expect_condition_error(const char *condition, const char *message)
{
    char text[512];
    snprintf(text, sizeof(text), "%%( %s %%? yes %%: no %%)", condition);
    const char *got = pp(text);
    is_int(error_count(), 1, "%s: one error", condition);
    is_string(said_count ? said[0].message : NULL, message, "%s: message", condition);
    is_string(got, "no", "%s: a bad condition is false", condition);
    if (said_count != 1)
        show_diagnostics();
}

/* ---- conditionals -------------------------------------------------------------- */

static void test_conditional_structure(void)
{
    expect_tokens("%( 1 == 1 %? a %: b %)", "a");
    expect_tokens("%( 1 == 2 %? a %: b %)", "b");
    expect_tokens("%( 1 == 1 %? a %)", "a");
    expect_tokens("%( 1 == 2 %? a %)", "");
    expect_tokens("x %( 1 == 1 %? a b %: c d %) y", "x a b y");
    expect_tokens("x %( 1 == 2 %? a b %: c d %) y", "x c d y");
    expect_tokens("%( 1 == 1 %? %: b %)", "");
    expect_tokens("%( 1 == 2 %? a %: %)", "");
    expect_tokens("%(1==1%?a%:b%)", "a");
    expect_tokens("%( 1 == 1\n%?\nprobe begin { }\n%:\nprobe end { }\n%)", "probe begin { }");

    /* Nesting, in taken and skipped branches. */
    expect_tokens("%( 1 == 1 %? %( 2 == 3 %? a %: b %) %: c %)", "b");
    expect_tokens("%( 1 == 2 %? %( 1 == 1 %? a %: b %) x %: y %)", "y");
    expect_tokens("%( 1 == 2 %? a %: %( 1 == 1 %? c %: d %) %)", "c");
    expect_tokens("%( 1 == 1 %? a %: %( 1 == 1 %? c %: d %) e %) f", "a f");
    expect_tokens("%( 1 == 1 %? %( 1 == 1 %? %( 1 == 1 %? deep %) %) %)", "deep");
    expect_tokens("%( 1 == 2 %? %( %( %) junk %: %) %: ok %)", "ok");
    expect_tokens("%( 1 == 1 %? a %( 1 == 2 %? b %: c %) d %: e %) f", "a c d f");
    /* Skipped text is not preprocessed: a bad condition or @word there is no error. */
    expect_tokens("%( 1 == 2 %? %( nonsense %? x %) @nope $99 %: ok %)", "ok");
    expect_tokens("%( 1 == 1 %? ok %: @nope %( junk %? %) $99 %)", "ok");
    /* Conditions can appear anywhere, inside expressions too. */
    expect_tokens("x = %( 1 == 1 %? 1 %: 2 %) + 3", "x = 1 + 3");
}

static void test_conditions(void)
{
    reset_environment();
    /* kernel_v is the release up to its first '-'; kernel_vr all of it. */
    expect_condition("kernel_v == \"5.4.0\"", true);
    expect_condition("kernel_v == \"5.4\"", false);
    expect_condition("kernel_v >= \"5.4\"", true);
    expect_condition("kernel_v > \"5.4\"", true);
    expect_condition("kernel_v < \"5.10\"", true);
    expect_condition("kernel_v > \"5.10\"", false);
    expect_condition("kernel_v <= \"5.4.0\"", true);
    expect_condition("kernel_v < \"5.4.0\"", false);
    expect_condition("kernel_v != \"5.4.0\"", false);
    expect_condition("kernel_v >= \"4.19\"", true);
    expect_condition("kernel_v >= \"6\"", false);
    expect_condition("kernel_v == \"5.*\"", true);
    expect_condition("kernel_v == \"5.4.?\"", true);
    expect_condition("kernel_v != \"6.*\"", true);
    expect_condition("kernel_v == \"4.*\"", false);
    expect_condition("kernel_vr == \"5.4.0-100-generic\"", true);
    expect_condition("kernel_vr == \"5.4*\"", true);
    expect_condition("kernel_vr == \"*generic\"", true);
    expect_condition("kernel_vr != \"*-generic\"", false);
    expect_condition("kernel_vr >= \"5.4.0-99-generic\"", true);
    expect_condition("kernel_vr < \"5.4.0-99-generic\"", false);

    environment.kernel_release = "5.10.3";
    expect_condition("kernel_v > \"5.4\"", true);
    expect_condition("kernel_v >= \"5.9\"", true);
    expect_condition("kernel_v < \"5.9\"", false);
    expect_condition("kernel_v == \"5.10.3\"", true);
    expect_condition("kernel_vr == \"5.10.3\"", true);
    environment.kernel_release = "6.18.44-fc-v509";
    expect_condition("kernel_v == \"6.18.44\"", true);
    expect_condition("kernel_vr == \"6.18.44-fc-v509\"", true);
    expect_condition("kernel_v >= \"6.2\"", true);
    reset_environment();

    expect_condition("arch == \"x86_64\"", true);
    expect_condition("arch == \"x86*\"", true);
    expect_condition("arch == \"[xy]86_64\"", true);
    expect_condition("arch == \"i?86\"", false);
    expect_condition("arch != \"arm*\"", true);
    expect_condition("arch != \"x86_64\"", false);
    environment.architecture = "i386";
    expect_condition("arch == \"i?86\"", true);
    reset_environment();

    expect_condition("systemtap_v >= \"4.0\"", true);
    expect_condition("systemtap_v >= \"2.0\" && systemtap_v < \"99\"", true);
    expect_condition("systemtap_v < \"2.0\"", false);
    expect_condition("systemtap_v == \"5.*\"", true);

    expect_condition("runtime == \"bpf\"", true);
    expect_condition("runtime == \"kernel\"", false);
    expect_condition("runtime != \"kernel\"", true);
    expect_condition("runtime == \"b*\"", true);
    expect_condition("systemtap_privilege == \"stapdev\"", true);
    expect_condition("systemtap_privilege == \"stapusr\"", false);

    expect_condition("guru_mode == 0", true);
    expect_condition("guru_mode == 1", false);
    expect_condition("guru_mode != 1", true);
    expect_condition("guru_mode != 0", false);

    expect_condition("CONFIG_FOO == \"y\"", true);
    expect_condition("CONFIG_FOO == \"m\"", false);
    expect_condition("CONFIG_FOO != \"m\"", true);
    expect_condition("CONFIG_MOD == \"[ym]\"", true);
    expect_condition("CONFIG_STR == \"some*\"", true);
    expect_condition("CONFIG_HZ == 250", true);
    expect_condition("CONFIG_HZ >= 100", true);
    expect_condition("CONFIG_HZ < 100", false);
    expect_condition("CONFIG_HZ != 250", false);
    expect_condition("CONFIG_HZ == \"250\"", true);
    expect_condition("CONFIG_HEX == 16", true);
    expect_condition("CONFIG_HZ == CONFIG_HZ", true);
    expect_condition("CONFIG_HZ > CONFIG_HEX", true);
    expect_condition("CONFIG_FOO == CONFIG_MOD", false);
    expect_condition("CONFIG_MISSING == \"\"", true);
    expect_condition("CONFIG_MISSING == \"y\"", false);
    expect_condition("CONFIG_MISSING != \"y\"", true);
    config_calls = 0;
    expect_condition("CONFIG_FOO == \"y\" && CONFIG_HZ == 250", true);
    ok(config_calls >= 2, "the config_lookup callback is used (%d calls)", config_calls);

    /* Script arguments in conditions: $N as source, @N as a string. */
    expect_condition("$# == 4", true);
    expect_condition("$# > 3", true);
    expect_condition("$# < 1", false);
    expect_condition("@# == \"4\"", true);
    expect_condition("$3 == 7", true);
    expect_condition("$3 > 5", true);
    expect_condition("@3 == \"7\"", true);
    expect_condition("@2 == \"hello world\"", true);
    expect_condition("@2 == \"hello\"", false);

    /* Literal comparisons. */
    expect_condition("1 < 2", true);
    expect_condition("2 <= 2", true);
    expect_condition("3 > 4", false);
    expect_condition("4 >= 5", false);
    expect_condition("5 != 5", false);
    expect_condition("0x10 == 16", true);
    expect_condition("010 == 8", true);
    expect_condition("\"abc\" < \"abd\"", true);
    expect_condition("\"a\" == \"a\"", true);
    expect_condition("\"a\" != \"a\"", false);

    /* && binds tighter than ||. */
    expect_condition("1 == 1 || 1 == 2 && 1 == 2", true);
    expect_condition("1 == 2 && 1 == 2 || 1 == 1", true);
    expect_condition("1 == 2 || 1 == 1 && 1 == 2", false);
    expect_condition("1 == 1 && 2 == 2 && 3 == 3", true);
    expect_condition("1 == 1 && 2 == 2 && 3 == 4", false);
    expect_condition("1 == 2 || 2 == 3 || 3 == 3", true);
    expect_condition("arch == \"x86_64\" && kernel_v >= \"5.4\" || runtime == \"kernel\"", true);
    expect_condition("runtime == \"kernel\" || arch == \"arm*\" && kernel_v >= \"5.4\"", false);

    /* A condition on a missing release or architecture does not crash. */
    environment.kernel_release = NULL;
    environment.architecture = NULL;
    expect_condition("kernel_v == \"5.*\"", false);
    expect_condition("kernel_vr == \"\"", true);
    expect_condition("arch == \"x86_64\"", false);
    environment.config_lookup = NULL;
    expect_condition("CONFIG_FOO == \"y\"", false);
    reset_environment();
}

static void test_condition_errors(void)
{
    reset_environment();
    expect_condition_error("foo == 1",
                           "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
                           "'systemtap_privilege', 'guru_mode', 'CONFIG_...', a number or a string");
    expect_condition_error("1 == \"x\"", "a number must be compared with a number");
    expect_condition_error("\"x\" == 1", "a string must be compared with a string");
    expect_condition_error("kernel_v == 5", "a version must be compared with a string such as \"5.4\"");
    expect_condition_error("kernel_vr >= 5", "a version must be compared with a string such as \"5.4\"");
    expect_condition_error("kernel_v < \"5.*\"", "wildcard not allowed with order comparison operators");
    expect_condition_error("kernel_vr >= \"5.4?\"", "wildcard not allowed with order comparison operators");
    expect_condition_error("systemtap_v > \"[45]\"", "wildcard not allowed with order comparison operators");
    expect_condition_error("arch < \"x86_64\"", "only '==' and '!=' compare this value");
    expect_condition_error("arch == 1", "expected a string to compare with");
    expect_condition_error("runtime >= \"bpf\"", "only '==' and '!=' compare this value");
    expect_condition_error("guru_mode == \"1\"", "guru_mode compares with '==' or '!=' and 0 or 1");
    expect_condition_error("guru_mode < 1", "guru_mode compares with '==' or '!=' and 0 or 1");
    expect_condition_error("CONFIG_MISSING == 1", "config option value not a number");
    expect_condition_error("CONFIG_STR == 5", "config option value not a number");
    expect_condition_error("CONFIG_HZ > \"100\"", "only '==' and '!=' compare a config option with a string");
    expect_condition_error("CONFIG_HZ == arch", "expected a string, a number or a CONFIG_ option");
    expect_condition_error("1", "expected a comparison operator in preprocessor condition");
    expect_condition_error("1 + 1", "expected a comparison operator in preprocessor condition");
    expect_condition_error("1 ==", "expected a string or a number to compare with");
    expect_condition_error("1 == (", "expected a string or a number to compare with");
    expect_condition_error("1 == 1 1", "expected '&&', '||' or '%?' in preprocessor condition");
    expect_condition_error("1 == 1 &&", "expected a condition between '%(' and '%?'");
    expect_condition_error("1 == 1 ||", "expected a condition between '%(' and '%?'");
    expect_condition_error("(1 == 1)", "expected a comparison operator in preprocessor condition");
    expect_condition_error("$1 == 3", "expected a comparison operator in preprocessor condition");
    /* An error on one side of || does not make the condition true. */
    expect_condition_error("1 == 1 || foo == 1",
                           "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
                           "'systemtap_privilege', 'guru_mode', 'CONFIG_...', a number or a string");

    expect_error("%( %? a %: b %)", "expected a condition between '%(' and '%?'", 1, 1);
    expect_error("x\n  %( arch < \"x\" %? a %)", "only '==' and '!=' compare this value", 2, 13);
    expect_error("%( kernel_v <= \"5.*\" %? a %)", "wildcard not allowed with order comparison operators", 1, 16);
    expect_error("%( 1 == 1\n && bogus == 2 %? a %)",
                 "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
                 "'systemtap_privilege', 'guru_mode', 'CONFIG_...', a number or a string",
                 2, 5);
    /* One error per condition, even when several parts are bad. */
    pp("%( foo == 1 || bar == 2 %? a %)");
    is_int(error_count(), 1, "a condition reports its first error only");
}

static void test_structure_errors(void)
{
    reset_environment();
    /* A missing %? */
    expect_error("%( 1 == 1 a %) b", "expected '%?' marker for conditional", 1, 13);
    expect_error("%( 1 == 1 %: b %)", "expected '%?' marker for conditional", 1, 11);

    /* Input that ends inside a conditional is incomplete. */
    expect_error("%( 1 == 1 %? a", "incomplete conditional at end of file", 1, 1);
    ok(was_incomplete, "a taken branch open at the end is incomplete");
    expect_error("x\n%( 1 == 2 %? a", "incomplete conditional at end of file", 2, 1);
    ok(was_incomplete, "a skipped branch open at the end is incomplete");
    expect_error("%( 1 == 2 %? a %: b", "incomplete conditional at end of file", 1, 1);
    ok(was_incomplete, "an else branch open at the end is incomplete");
    expect_error("%( 1 == 1 %? a %: b", "incomplete conditional at end of file", 1, 1);
    ok(was_incomplete, "a skipped else branch open at the end is incomplete");
    expect_error("%( 1 == 1", "expected '%?' marker for conditional", 1, 10);
    ok(was_incomplete, "a condition open at the end is incomplete");
    expect_error("%( 1 == 1 %? %( 2 == 2 %? a %)", "incomplete conditional at end of file", 1, 1);
    ok(was_incomplete, "an outer conditional open at the end is incomplete");
    pp("%( 1 == 1 %? \"abc");
    ok(was_incomplete, "a string open at the end is incomplete");
    pp("%( 1 == 1 %? a %)");
    ok(!was_incomplete, "a closed conditional is complete");
    pp("x /* y");
    ok(was_incomplete, "an open comment is incomplete");

    /* Duplicate %: */
    const char *got = pp("%( 1 == 1 %? a %: b %: c %) d");
    is_string(got, "a d", "duplicate %%: after a taken branch: the rest is skipped");
    is_string(said_count ? said[0].message : NULL, "invalid conditional - duplicate '%:'",
              "duplicate %%: after a taken branch: message");
    ok(said_count && said[0].line == 1 && said[0].column == 21, "duplicate %%: after a taken branch: location");
    got = pp("%( 1 == 2 %? a %: b %: c %) d");
    is_string(said_count ? said[0].message : NULL, "invalid conditional - duplicate '%:'",
              "duplicate %%: in an else branch: message");
    ok(said_count && said[0].column == 21, "duplicate %%: in an else branch: location");
    ok(strncmp(got, "b", 1) == 0, "duplicate %%: in an else branch keeps the else branch (%s)", got);

    /* Markers without a %( */
    expect_error("a %) b", "'%)' without a matching '%('", 1, 3);
    is_string(pp("a %) b"), "a b", "a stray %%) is dropped");
    expect_error("a %: b", "'%:' without a matching '%('", 1, 3);
    expect_error("a\n %? b", "'%?' without a matching '%('", 2, 2);
    expect_error("%( 1 == 1 %? a %) %)", "'%)' without a matching '%('", 1, 19);
}

/* ---- macros -------------------------------------------------------------------- */

static void test_macros(void)
{
    reset_environment();
    expect_tokens("@define foo %( 42 %) @foo", "42");
    expect_tokens("@define foo %( 42 %) x = @foo + @foo", "x = 42 + 42");
    expect_tokens("@define empty %( %) a @empty b", "a b");
    expect_tokens("@define add(a, b) %( @a + @b %) @add(1, 2)", "1 + 2");
    expect_tokens("@define add(a, b) %( (@a + @b) %) @add(f(1, 2), x[3, 4])", "( f ( 1 , 2 ) + x [ 3 , 4 ] )");
    expect_tokens("@define f() %( x %) @f()", "x");
    expect_tokens("@define id(x) %( @x %) @id({ a, b })", "{ a , b }");
    expect_tokens("@define twice(x) %( @x @x %) @twice(\"s\")", "\"s\" \"s\"");
    expect_tokens("@define one %( 1 %) @define two %( @one + @one %) @two", "1 + 1");
    expect_tokens("@define a %( @b %) @define b %( 2 %) @a", "2");
    expect_tokens("@define wrap(x) %( [@x] %) @define inner(y) %( @wrap(@y) %) @inner(7)", "[ 7 ]");
    expect_tokens("@define m(count) %( @count %) @m(5)", "5");
    expect_tokens("@define v %( %( 1 == 1 %? yes %: no %) %) @v", "yes");
    expect_tokens("@define v %( %( arch == \"arm\" %? yes %: no %) %) @v", "no");
    expect_tokens("%( 1 == 2 %? @define d %( 1 %) %) @define d %( 2 %) @d", "2");
    expect_tokens("@define n %( @count(x) %) @n", "STAT_OP(1) ( x )");
    expect_tokens("@define p(x) %( probe begin { print(@x) } %)\n@p(\"hi\")", "probe begin { print ( \"hi\" ) }");

    /* Built-in @ operators pass through as their own tokens. */
    char expected[128];
    snprintf(expected, sizeof(expected), "STAT_OP(%d) STAT_OP(%d) STAT_OP(%d) STAT_OP(%d) STAT_OP(%d) STAT_OP(%d)",
             SYN_STAT_COUNT, SYN_STAT_SUM, SYN_STAT_MIN, SYN_STAT_MAX, SYN_STAT_AVG, SYN_STAT_VARIANCE);
    expect_tokens("@count @sum @min @max @avg @variance", expected);
    expect_tokens("@hist_log @hist_linear @cast @var @defined @entry @choose_defined @const",
                  "@hist_log @hist_linear @cast @var @defined @entry @choose_defined @const");

    /* Errors. */
    expect_error("@define f(a) %( @a %) @f(1, 2)", "too many parameters for macro '@f' (expected 1)", 1, 23);
    is_string(pp("@define f(a) %( @a %) x @f(1, 2) y"), "x y", "a call with too many arguments expands to nothing");
    expect_error("@define g(a, b) %( @a %) @g(1)", "too few parameters for macro '@g' (expected 2)", 1, 26);
    expect_error("@define g(a, b) %( @a %) @g()", "too few parameters for macro '@g' (expected 2)", 1, 26);
    expect_error("@define f(a) %( @a %)\n@f x", "expected '(' in invocation of macro '@f'", 2, 1);
    expect_error("@define f %( 1 %) @define f %( 2 %)", "attempt to redefine macro '@f' in the same file", 1, 19);
    ok(said_count == 2 && said[1].severity == SYN_SEVERITY_NOTE &&
           strcmp(said[1].message, "macro '@f' first defined here") == 0 && said[1].column == 1,
       "a redefinition has a note on the first definition");
    is_string(pp("@define f %( 1 %) @define f %( 2 %) @f"), "1", "the first definition stays");
    expect_error("@define count %( 1 %)", "cannot redefine the built-in '@count'", 1, 9);
    expect_error("@define define %( 1 %)", "cannot redefine the built-in '@define'", 1, 9);
    expect_error("@define r %( @r %) @r", "macro '@r' expands more than 64 levels deep (does it use itself?)", 1, 14);
    is_int(error_count(), 1, "runaway recursion is reported once");
    expect_error("@define a %( @b %) @define b %( @a %) @a",
                 "macro '@a' expands more than 64 levels deep (does it use itself?)", 1, 33);
    expect_error("x @nope y", "unknown macro or operator '@nope'", 1, 3);
    is_string(pp("x @nope y"), "x y", "an unknown @word is dropped");
    expect_error("@define 1 %( %)", "expected a macro name after @define", 1, 9);
    expect_error("@define", "expected a macro name after @define", 1, 8);
    expect_error("@define f x", "expected '%(' to begin the body of macro '@f'", 1, 11);
    expect_error("@define f(1) %( %)", "expected a parameter name in the definition of macro '@f'", 1, 11);
    expect_error("@define f(a b) %( %)", "expected ',' or ')' in macro parameters", 1, 13);
    expect_error("@define f(a, a) %( %)", "duplicate parameter name 'a'", 1, 14);
    expect_error("@define f %( 1", "unterminated definition of macro '@f'", 1, 1);
    ok(was_incomplete, "an unterminated definition is incomplete");
    expect_error("@define f(a) %( @a %) @f(1, (2)", "unterminated invocation of macro '@f'", 1, 23);
    ok(was_incomplete, "an unterminated invocation is incomplete");
    pp("@define f %( 1 %)");
    ok(!was_incomplete && said_count == 0, "a finished definition is complete");
}

/* ---- script arguments ---------------------------------------------------------- */

static void test_arguments(void)
{
    reset_environment();
    /* $N is source text, lexed into as many tokens as it holds. */
    expect_tokens("x = $1", "x = 1 + 2");
    expect_tokens("$2", "hello world");
    expect_tokens("$4", "\"quoted\" x");
    expect_tokens("print($3 * 2)", "print ( 7 * 2 )");
    pp("  $1");
    ok(last_token_count == 3 && last_tokens[0].location.first_line == 1 &&
           last_tokens[0].location.first_column == 3 && last_tokens[2].location.first_column == 3 &&
           last_tokens[2].location.last_column == 4,
       "the tokens of $1 are located at the $1");

    /* @N is a string. */
    expect_tokens("@1", "\"1 + 2\"");
    expect_tokens("@2 . @4", "\"hello world\" . \"\"quoted\" x\"");
    pp("@1");
    ok(last_token_count == 1 && last_tokens[0].kind == STRING, "@1 is a STRING token");

    /* $# and @# */
    expect_tokens("$#", "4");
    expect_tokens("@#", "\"4\"");
    pp("$#");
    ok(last_token_count == 1 && last_tokens[0].kind == NUMBER && last_tokens[0].value.number == 4,
       "$# is a NUMBER token");

    /* Inside macros and conditionals. */
    expect_tokens("@define m %( $3 * @3 %) @m", "7 * \"7\"");
    expect_tokens("@define m(x) %( @x + $# %) @m($3)", "7 + 4");
    expect_tokens("%( $# >= 2 %? $2 %: none %)", "hello world");
    expect_tokens("%( @1 == \"1 + 2\" %? @1 %)", "\"1 + 2\"");

    /* Out of range. */
    expect_error("x $5 y", "command line argument index 5 out of range [1-4]", 1, 3);
    is_string(pp("x $5 y"), "x 0 y", "an out-of-range $5 is replaced by 0, so that no second error follows");
    expect_error("\n @9", "command line argument index 9 out of range [1-4]", 2, 2);
    expect_error("%( $7 == 1 %? a %)", "command line argument index 7 out of range [1-4]", 1, 4);

    environment.arguments = NULL;
    environment.argument_count = 0;
    expect_error("$1", "command line argument index 1 out of range [1-0]", 1, 1);
    expect_tokens("$# @#", "0 \"0\"");

    /* An argument's own lexical errors are reported. */
    static const char *const bad[] = {"\"open"};
    environment.arguments = bad;
    environment.argument_count = 1;
    pp("$1");
    ok(error_count() == 1 && strcmp(said[0].message, "unterminated string") == 0,
       "a lexical error in $1 is reported (%s)", said_count ? said[0].message : "nothing");
    expect_tokens("@1", "\"\"open\"");

    static const char *const conditional[] = {"%( 1 == 1 %? yes %: no %)"};
    environment.arguments = conditional;
    expect_tokens("$1", "yes");
    reset_environment();
}

int main(void)
{
    reset_environment();
    test_conditional_structure();
    test_conditions();
    test_condition_errors();
    test_structure_errors();
    test_macros();
    test_arguments();
    return done_testing();
}
