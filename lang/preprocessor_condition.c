/* Evaluation of preprocessor conditions, SystemTap's grammar:
 *   condition -> conjunction ('||' conjunction)*
 *   conjunction -> comparison ('&&' comparison)*
 *   comparison -> operand ('==' | '!=' | '<' | '<=' | '>' | '>=') operand
 * where the left operand names what is compared: kernel_v, kernel_vr, arch,
 * systemtap_v, runtime, systemtap_privilege, guru_mode, CONFIG_..., or is a
 * literal; and syn's own
 *   comparison -> ['!'] 'probe_exists' '(' probe point ')'
 * true when the point can be probed on the running kernel (it names
 * something, and the kernel has a way to attach to it). */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "lang/grammar.h"
#include "lang/keywords.h"
#include "lang/preprocessor.h"
#include "util/buffer.h"

/* The SystemTap language level syn implements, for systemtap_v. */
#define SYN_SYSTEMTAP_LANGUAGE_VERSION "5.1"

typedef struct evaluator {
    const syn_token *tokens;
    unsigned count;
    unsigned position;
    const syn_location *where;
    const syn_preprocessor_environment *environment;
    syn_diagnostics *diagnostics;
    bool failed;
} evaluator;

static const syn_token *peek(evaluator *state)
{
    return state->position < state->count ? &state->tokens[state->position] : NULL;
}

static const syn_location *here(evaluator *state)
{
    const syn_token *token = peek(state);
    if (token)
        return &token->location;
    return state->count ? &state->tokens[state->count - 1].location : state->where;
}

static void fail(evaluator *state, const syn_location *location, const char *message)
{
    if (!state->failed)
        syn_error(state->diagnostics, location, "%s", message);
    state->failed = true;
}

static bool is_comparison(int kind)
{
    return kind == EQUAL || kind == NOT_EQUAL || kind == '<' || kind == '>' || kind == LESS_EQUAL ||
           kind == GREATER_EQUAL;
}

static bool compare_order(int op, int order)
{
    switch (op) {
    case EQUAL: return order == 0;
    case NOT_EQUAL: return order != 0;
    case '<': return order < 0;
    case '>': return order > 0;
    case LESS_EQUAL: return order <= 0;
    default: return order >= 0;
    }
}

static bool has_wildcards(const char *pattern)
{
    return strpbrk(pattern, "*?[") != NULL;
}

/* ==/!= match a glob; order comparisons need a plain version. */
static bool compare_version(evaluator *state, const char *actual, int op, const syn_token *right)
{
    if (right->kind != STRING) {
        fail(state, &right->location, "a version must be compared with a string such as \"5.4\"");
        return false;
    }
    const char *expected = right->value.text.data;
    if (has_wildcards(expected)) {
        if (op != EQUAL && op != NOT_EQUAL) {
            fail(state, &right->location, "wildcard not allowed with order comparison operators");
            return false;
        }
        return (fnmatch(expected, actual, 0) == 0) == (op == EQUAL);
    }
    return compare_order(op, strverscmp(actual, expected));
}

static bool compare_glob(evaluator *state, const char *actual, int op, const syn_token *right, bool glob)
{
    if (right->kind != STRING) {
        fail(state, &right->location, "expected a string to compare with");
        return false;
    }
    if (op != EQUAL && op != NOT_EQUAL) {
        fail(state, &right->location, "only '==' and '!=' compare this value");
        return false;
    }
    const char *expected = right->value.text.data;
    bool equal = glob ? fnmatch(expected, actual, 0) == 0 : strcmp(expected, actual) == 0;
    return equal == (op == EQUAL);
}

static bool parse_number(const char *text, long long *value)
{
    if (!text || !*text)
        return false;
    char *end;
    *value = strtoll(text, &end, 0);
    return *end == '\0';
}

static int compare_numbers(long long left, long long right)
{
    return (left > right) - (left < right);
}

static const char *config_value(evaluator *state, const char *name)
{
    const syn_preprocessor_environment *environment = state->environment;
    return environment->config_lookup ? environment->config_lookup(environment->config_context, name) : NULL;
}

static bool compare_config(evaluator *state, const char *name, int op, const syn_token *right)
{
    const char *value = config_value(state, name);
    if (right->kind == STRING) {
        if (op != EQUAL && op != NOT_EQUAL) {
            fail(state, &right->location, "only '==' and '!=' compare a config option with a string");
            return false;
        }
        return (fnmatch(right->value.text.data, value ? value : "", 0) == 0) == (op == EQUAL);
    }
    long long left_number;
    if (right->kind == NUMBER) {
        if (!parse_number(value, &left_number)) {
            fail(state, &right->location, "config option value not a number");
            return false;
        }
        return compare_order(op, compare_numbers(left_number, right->value.number));
    }
    if (right->kind == IDENTIFIER && strncmp(right->value.text.data, "CONFIG_", 7) == 0) {
        const char *other = config_value(state, right->value.text.data);
        long long right_number;
        if (parse_number(value, &left_number) && parse_number(other, &right_number))
            return compare_order(op, compare_numbers(left_number, right_number));
        return compare_order(op, strcmp(value ? value : "", other ? other : ""));
    }
    fail(state, &right->location, "expected a string, a number or a CONFIG_ option");
    return false;
}

/* Kernel releases look like "6.18.44-fc-v509"; kernel_v is the part before
 * the first '-'. */
static const char *kernel_version(char *buffer, size_t size, const char *release)
{
    snprintf(buffer, size, "%s", release ? release : "");
    buffer[strcspn(buffer, "-")] = '\0';
    return buffer;
}

/* The point's tokens written back as text, for the environment to parse. */
static void append_token(syn_buffer *out, const syn_token *token)
{
    const char *keyword = syn_keyword_spelling(token->kind);
    if (token->kind == STRING) {
        syn_buffer_append_char(out, '"');
        for (size_t i = 0; i < token->value.text.length; i++) {
            char c = token->value.text.data[i];
            if (c == '"' || c == '\\')
                syn_buffer_append_char(out, '\\');
            syn_buffer_append_char(out, c);
        }
        syn_buffer_append_char(out, '"');
    } else if (token->kind == NUMBER) {
        syn_buffer_printf(out, "%lld", (long long)token->value.number);
    } else if (token->kind == IDENTIFIER) {
        syn_buffer_append(out, token->value.text.data, token->value.text.length);
    } else if (keyword) {
        syn_buffer_append_string(out, keyword);
    } else if (token->kind > 0 && token->kind < 128) {
        syn_buffer_append_char(out, (char)token->kind);
    }
}

static bool probe_exists(evaluator *state, bool negated)
{
    state->position++;
    const syn_token *open = peek(state);
    if (!open || open->kind != '(') {
        fail(state, here(state), "expected '(' and a probe point after probe_exists");
        return false;
    }
    state->position++;
    syn_buffer point;
    syn_buffer_init(&point);
    int depth = 1;
    while (peek(state)) {
        const syn_token *token = peek(state);
        state->position++;
        depth += token->kind == '(' ? 1 : token->kind == ')' ? -1 : 0;
        if (depth == 0)
            break;
        append_token(&point, token);
    }
    bool exists = false;
    if (depth != 0 || !point.length) {
        fail(state, here(state), "probe_exists takes a probe point in parentheses");
    } else {
        const syn_preprocessor_environment *environment = state->environment;
        exists = environment->probe_exists && environment->probe_exists(environment->probe_context, point.data);
    }
    syn_buffer_release(&point);
    return exists != negated;
}

static bool comparison(evaluator *state)
{
    const syn_token *left = peek(state);
    bool negated = left && left->kind == '!';
    if (negated) {
        state->position++;
        left = peek(state);
    }
    if (left && left->kind == IDENTIFIER && strcmp(left->value.text.data, "probe_exists") == 0)
        return probe_exists(state, negated);
    if (negated) {
        fail(state, &state->tokens[state->position - 1].location, "'!' goes before probe_exists(...) only");
        return false;
    }
    if (!left) {
        fail(state, here(state), "expected a condition between '%(' and '%?'");
        return false;
    }
    state->position++;
    const syn_token *op = peek(state);
    if (!op || !is_comparison(op->kind)) {
        fail(state, here(state), "expected a comparison operator in preprocessor condition");
        return false;
    }
    state->position++;
    const syn_token *right = peek(state);
    if (!right || (right->kind != STRING && right->kind != NUMBER && right->kind != IDENTIFIER)) {
        fail(state, here(state), "expected a string or a number to compare with");
        return false;
    }
    state->position++;

    const syn_preprocessor_environment *environment = state->environment;
    if (left->kind == NUMBER) {
        if (right->kind != NUMBER) {
            fail(state, &right->location, "a number must be compared with a number");
            return false;
        }
        return compare_order(op->kind, compare_numbers(left->value.number, right->value.number));
    }
    if (left->kind == STRING) {
        if (right->kind != STRING) {
            fail(state, &right->location, "a string must be compared with a string");
            return false;
        }
        return compare_order(op->kind, strcmp(left->value.text.data, right->value.text.data));
    }
    if (left->kind != IDENTIFIER) {
        fail(state, &left->location,
             "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
             "'systemtap_privilege', 'guru_mode', 'CONFIG_...', a number or a string");
        return false;
    }
    const char *name = left->value.text.data;
    char version[128];
    if (strcmp(name, "kernel_v") == 0)
        return compare_version(state, kernel_version(version, sizeof(version), environment->kernel_release),
                               op->kind, right);
    if (strcmp(name, "kernel_vr") == 0)
        return compare_version(state, environment->kernel_release ? environment->kernel_release : "",
                               op->kind, right);
    if (strcmp(name, "systemtap_v") == 0)
        return compare_version(state, SYN_SYSTEMTAP_LANGUAGE_VERSION, op->kind, right);
    if (strcmp(name, "arch") == 0)
        return compare_glob(state, environment->architecture ? environment->architecture : "", op->kind,
                            right, true);
    if (strcmp(name, "runtime") == 0)
        return compare_glob(state, "bpf", op->kind, right, true);
    if (strcmp(name, "systemtap_privilege") == 0)
        return compare_glob(state, "stapdev", op->kind, right, false);
    if (strcmp(name, "guru_mode") == 0) {
        if (right->kind != NUMBER || (op->kind != EQUAL && op->kind != NOT_EQUAL)) {
            fail(state, &right->location, "guru_mode compares with '==' or '!=' and 0 or 1");
            return false;
        }
        return (right->value.number == 0) == (op->kind == EQUAL);
    }
    if (strncmp(name, "CONFIG_", 7) == 0)
        return compare_config(state, name, op->kind, right);
    fail(state, &left->location,
         "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
         "'systemtap_privilege', 'guru_mode', 'CONFIG_...', a number or a string");
    return false;
}

static bool conjunction(evaluator *state)
{
    bool result = comparison(state);
    while (!state->failed && peek(state) && peek(state)->kind == LOGICAL_AND) {
        state->position++;
        bool next = comparison(state);
        result = result && next;
    }
    return result;
}

bool syn_preprocessor_evaluate(const syn_token *tokens, unsigned count, const syn_location *where,
                               const syn_preprocessor_environment *environment,
                               syn_diagnostics *diagnostics)
{
    evaluator state = {.tokens = tokens, .count = count, .where = where, .environment = environment,
                       .diagnostics = diagnostics};
    bool result = conjunction(&state);
    while (!state.failed && peek(&state) && peek(&state)->kind == LOGICAL_OR) {
        state.position++;
        bool next = conjunction(&state);
        result = result || next;
    }
    if (!state.failed && peek(&state))
        fail(&state, here(&state), "expected '&&', '||' or '%?' in preprocessor condition");
    return !state.failed && result;
}
