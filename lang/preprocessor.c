#include "lang/preprocessor.h"

#include <string.h>

#include "lang/grammar.h"
#include "lang/lexer.h"
#include "util/buffer.h"
#include "util/memory.h"

/* A macro that keeps expanding into itself would never end, and one that
 * doubles at each level would exhaust memory long before. */
enum { SYN_MAX_MACRO_DEPTH = 64, SYN_MAX_EXPANDED_TOKENS = 1000000 };

typedef struct token_array {
    syn_token *items;
    unsigned count;
    unsigned capacity;
} token_array;

/* Tokens pushed in front of the lexer: a macro expansion or a $1. */
typedef struct pending {
    syn_token *tokens;
    unsigned count;
    unsigned position;
    unsigned depth;        /* macro expansions this came through */
} pending;

typedef struct conditional {
    syn_location location; /* of its %( */
    bool in_else;
} conditional;

typedef struct macro {
    char *name;
    char **parameters;
    unsigned parameter_count;
    bool takes_arguments;  /* declared with parentheses */
    token_array body;
    syn_location location;
    struct macro *next;
} macro;

struct syn_preprocessor {
    syn_lexer lexer;
    syn_arena *arena;
    syn_diagnostics *diagnostics;
    const syn_preprocessor_environment *environment;
    pending *stack;
    unsigned stack_count;
    unsigned stack_capacity;
    conditional *conditionals;
    unsigned conditional_count;
    unsigned conditional_capacity;
    macro *macros;
    bool incomplete;
    uint64_t expanded_tokens;
    bool expansion_limit_reported;
};

static const struct {
    const char *name;
    int kind;
    int stat;
} builtin_at_words[] = {
    {"count", STAT_OP, SYN_STAT_COUNT},   {"sum", STAT_OP, SYN_STAT_SUM},
    {"min", STAT_OP, SYN_STAT_MIN},       {"max", STAT_OP, SYN_STAT_MAX},
    {"avg", STAT_OP, SYN_STAT_AVG},       {"variance", STAT_OP, SYN_STAT_VARIANCE},
    {"hist_log", HIST_LOG, 0},            {"hist_linear", HIST_LINEAR, 0},
    {"cast", AT_CAST, 0},                 {"var", AT_VAR, 0},
    {"defined", AT_DEFINED, 0},           {"entry", AT_ENTRY, 0},
    {"choose_defined", AT_CHOOSE_DEFINED, 0}, {"const", AT_CONST, 0},
};

static int builtin_at_word(const char *name, int *stat)
{
    for (size_t i = 0; i < sizeof(builtin_at_words) / sizeof(builtin_at_words[0]); i++) {
        if (strcmp(builtin_at_words[i].name, name) == 0) {
            *stat = builtin_at_words[i].stat;
            return builtin_at_words[i].kind;
        }
    }
    return 0;
}

syn_preprocessor *syn_preprocessor_new(const syn_source *source, syn_arena *arena,
                                       syn_diagnostics *diagnostics,
                                       const syn_preprocessor_environment *environment)
{
    syn_preprocessor *preprocessor = syn_calloc(1, sizeof(*preprocessor));
    preprocessor->arena = arena;
    preprocessor->diagnostics = diagnostics;
    preprocessor->environment = environment;
    syn_lexer_init(&preprocessor->lexer, source, arena, diagnostics);
    if (syn_lexer_open(&preprocessor->lexer) != 0) {
        syn_preprocessor_free(preprocessor);
        return NULL;
    }
    return preprocessor;
}

void syn_preprocessor_free(syn_preprocessor *preprocessor)
{
    if (!preprocessor)
        return;
    syn_lexer_release(&preprocessor->lexer);
    for (macro *m = preprocessor->macros, *next; m; m = next) {
        next = m->next;
        free(m->parameters);
        free(m->body.items);
        free(m);
    }
    for (unsigned i = 0; i < preprocessor->stack_count; i++)
        free(preprocessor->stack[i].tokens);
    free(preprocessor->stack);
    free(preprocessor->conditionals);
    free(preprocessor);
}

bool syn_preprocessor_incomplete(const syn_preprocessor *preprocessor)
{
    return preprocessor->incomplete;
}

static void token_array_append(token_array *array, const syn_token *token)
{
    SYN_GROW(array->items, array->capacity, array->count + 1);
    array->items[array->count++] = *token;
}

static void push_tokens(syn_preprocessor *preprocessor, token_array *tokens, unsigned depth)
{
    if (tokens->count == 0) {
        free(tokens->items);
        return;
    }
    SYN_GROW(preprocessor->stack, preprocessor->stack_capacity, preprocessor->stack_count + 1);
    preprocessor->stack[preprocessor->stack_count++] =
        (pending){.tokens = tokens->items, .count = tokens->count, .depth = depth};
}

/* The next token before any preprocessing; `depth` tells how many macro
 * expansions it came through. */
static int next_raw(syn_preprocessor *preprocessor, syn_token *token, unsigned *depth)
{
    while (preprocessor->stack_count) {
        pending *top = &preprocessor->stack[preprocessor->stack_count - 1];
        if (top->position < top->count) {
            *token = top->tokens[top->position++];
            *depth = top->depth;
            return token->kind;
        }
        free(top->tokens);
        preprocessor->stack_count--;
    }
    *depth = 0;
    int kind = syn_lexer_scan(&preprocessor->lexer, token);
    if (kind == END_OF_INPUT_IN_TOKEN) {
        preprocessor->incomplete = true;
        token->kind = kind = END_OF_INPUT;
    }
    return kind;
}

/* ---- script arguments ------------------------------------------------------ */

static bool argument_in_range(syn_preprocessor *preprocessor, const syn_token *token)
{
    int count = preprocessor->environment->argument_count;
    if (token->value.number >= 1 && token->value.number <= count)
        return true;
    syn_error(preprocessor->diagnostics, &token->location,
              "command line argument index %lld out of range [1-%d]", (long long)token->value.number,
              count);
    return false;
}

/* $N stands for the argument's text as script source, as in SystemTap. */
/* After an error, a harmless token stands in for the argument so that the
 * parser does not report a second error about the same place. */
static void push_placeholder(syn_preprocessor *preprocessor, const syn_token *token, int kind, unsigned depth)
{
    token_array tokens = {0};
    syn_token placeholder = *token;
    placeholder.kind = kind;
    if (kind == STRING)
        placeholder.value.text = (syn_text){.data = syn_arena_strdup(preprocessor->arena, ""), .length = 0};
    else
        placeholder.value.number = 0;
    token_array_append(&tokens, &placeholder);
    push_tokens(preprocessor, &tokens, depth);
}

static void substitute_argument_source(syn_preprocessor *preprocessor, const syn_token *token,
                                       unsigned depth)
{
    if (!argument_in_range(preprocessor, token)) {
        push_placeholder(preprocessor, token, NUMBER, depth);
        return;
    }
    const char *text = preprocessor->environment->arguments[token->value.number - 1];
    char name[32];
    snprintf(name, sizeof(name), "argument $%lld", (long long)token->value.number);
    syn_source *source = syn_source_new(name, text, strlen(text));
    syn_lexer lexer;
    syn_lexer_init(&lexer, source, preprocessor->arena, preprocessor->diagnostics);
    token_array tokens = {0};
    if (syn_lexer_open(&lexer) == 0) {
        syn_token part;
        bool nested_reported = false;
        while (syn_lexer_scan(&lexer, &part) != END_OF_INPUT && part.kind != END_OF_INPUT_IN_TOKEN) {
            part.location = token->location;
            /* An argument that names arguments would substitute forever. */
            if (part.kind == ARGUMENT_NUMBER || part.kind == ARGUMENT_STRING) {
                if (!nested_reported)
                    syn_error(preprocessor->diagnostics, &token->location,
                              "invalid nested substitution of command line arguments");
                nested_reported = true;
                continue;
            }
            token_array_append(&tokens, &part);
        }
        if (nested_reported) {
            tokens.count = 0;
            syn_token placeholder = *token;
            placeholder.kind = NUMBER;
            placeholder.value.number = 0;
            token_array_append(&tokens, &placeholder);
        }
    }
    syn_lexer_release(&lexer);
    syn_source_free(source);
    push_tokens(preprocessor, &tokens, depth);
}

static syn_text arena_text(syn_arena *arena, const char *text)
{
    size_t length = strlen(text);
    return (syn_text){.data = syn_arena_strndup(arena, text, length), .length = length};
}

/* Rewrites @N, $# and @# into literals; returns false when the token should
 * be dropped. */
static bool substitute_argument_literal(syn_preprocessor *preprocessor, syn_token *token)
{
    int count = preprocessor->environment->argument_count;
    switch (token->kind) {
    case ARGUMENT_STRING:
        if (!argument_in_range(preprocessor, token)) {
            token->kind = STRING;
            token->value.text = arena_text(preprocessor->arena, "");
            return true;
        }
        token->kind = STRING;
        token->value.text =
            arena_text(preprocessor->arena, preprocessor->environment->arguments[token->value.number - 1]);
        return true;
    case ARGUMENT_COUNT:
        token->kind = NUMBER;
        token->value.number = count;
        return true;
    case ARGUMENT_COUNT_STRING: {
        char digits[16];
        snprintf(digits, sizeof(digits), "%d", count);
        token->kind = STRING;
        token->value.text = arena_text(preprocessor->arena, digits);
        return true;
    }
    default:
        return true;
    }
}

/* ---- conditionals ---------------------------------------------------------- */

enum branch_end { BRANCH_ELSE, BRANCH_CLOSE, BRANCH_END };

/* Skips the tokens of a branch not taken, nested conditionals included. */
static enum branch_end skip_branch(syn_preprocessor *preprocessor, bool stop_at_else,
                                   const syn_location *opening)
{
    unsigned nesting = 0;
    syn_token token;
    unsigned depth;
    for (;;) {
        switch (next_raw(preprocessor, &token, &depth)) {
        case PP_OPEN:
            nesting++;
            break;
        case PP_CLOSE:
            if (nesting == 0)
                return BRANCH_CLOSE;
            nesting--;
            break;
        case PP_ELSE:
            if (nesting == 0) {
                if (stop_at_else)
                    return BRANCH_ELSE;
                syn_error(preprocessor->diagnostics, &token.location,
                          "invalid conditional - duplicate '%%:'");
            }
            break;
        case END_OF_INPUT:
            syn_error(preprocessor->diagnostics, opening, "incomplete conditional at end of file");
            preprocessor->incomplete = true;
            return BRANCH_END;
        default:
            break;
        }
    }
}

static void push_conditional(syn_preprocessor *preprocessor, const syn_location *location, bool in_else)
{
    SYN_GROW(preprocessor->conditionals, preprocessor->conditional_capacity,
             preprocessor->conditional_count + 1);
    preprocessor->conditionals[preprocessor->conditional_count++] =
        (conditional){.location = *location, .in_else = in_else};
}

/* Reads the condition after %( up to %?; false when it is malformed. */
static bool read_condition(syn_preprocessor *preprocessor, const syn_token *opening, bool *ended, bool *closed)
{
    token_array condition = {0};
    syn_token token;
    unsigned depth;
    bool valid = true;
    for (;;) {
        int kind = next_raw(preprocessor, &token, &depth);
        if (kind == PP_THEN)
            break;
        if (kind == END_OF_INPUT || kind == PP_OPEN || kind == PP_ELSE || kind == PP_CLOSE) {
            syn_error(preprocessor->diagnostics, &token.location,
                      "expected '%%?' marker for conditional");
            if (kind == END_OF_INPUT) {
                preprocessor->incomplete = true;
                *ended = true;
            }
            /* %( ... %) without %?: the conditional ends there. */
            if (kind == PP_CLOSE)
                *closed = true;
            valid = false;
            break;
        }
        if (kind == ARGUMENT_NUMBER) {
            substitute_argument_source(preprocessor, &token, depth);
            continue;
        }
        if (substitute_argument_literal(preprocessor, &token))
            token_array_append(&condition, &token);
    }
    bool result = valid && syn_preprocessor_evaluate(condition.items, condition.count, &opening->location,
                                                     preprocessor->environment, preprocessor->diagnostics);
    free(condition.items);
    return result;
}

/* Handles %( ... ; returns false when the input ended. */
static bool open_conditional(syn_preprocessor *preprocessor, const syn_token *opening)
{
    bool ended = false, closed = false;
    bool taken = read_condition(preprocessor, opening, &ended, &closed);
    if (ended)
        return false;
    if (closed)
        return true;
    if (taken) {
        push_conditional(preprocessor, &opening->location, false);
        return true;
    }
    switch (skip_branch(preprocessor, true, &opening->location)) {
    case BRANCH_ELSE:
        push_conditional(preprocessor, &opening->location, true);
        return true;
    case BRANCH_CLOSE:
        return true;
    case BRANCH_END:
        return false;
    }
    return true;
}

/* Handles %: reached at the end of a taken branch; false when the input ended. */
static bool else_of_taken_branch(syn_preprocessor *preprocessor, const syn_token *token)
{
    if (preprocessor->conditional_count == 0) {
        syn_error(preprocessor->diagnostics, &token->location, "'%%:' without a matching '%%('");
        return true;
    }
    conditional *current = &preprocessor->conditionals[preprocessor->conditional_count - 1];
    if (current->in_else) {
        syn_error(preprocessor->diagnostics, &token->location, "invalid conditional - duplicate '%%:'");
        return true;
    }
    syn_location opening = current->location;
    preprocessor->conditional_count--;
    return skip_branch(preprocessor, false, &opening) != BRANCH_END;
}

static void close_conditional(syn_preprocessor *preprocessor, const syn_token *token)
{
    if (preprocessor->conditional_count == 0) {
        syn_error(preprocessor->diagnostics, &token->location, "'%%)' without a matching '%%('");
        return;
    }
    preprocessor->conditional_count--;
}

/* ---- macros ----------------------------------------------------------------- */

static macro *find_macro(syn_preprocessor *preprocessor, const char *name)
{
    for (macro *m = preprocessor->macros; m; m = m->next) {
        if (strcmp(m->name, name) == 0)
            return m;
    }
    return NULL;
}

static void free_macro(macro *m)
{
    free(m->parameters);
    free(m->body.items);
    free(m);
}

/* Reads one parameter list entry of `@define name(a, b)`; false on error. */
static bool read_macro_parameters(syn_preprocessor *preprocessor, macro *m, syn_token *last)
{
    syn_token token;
    unsigned depth;
    bool ok = false;
    unsigned capacity = 0;
    int kind = next_raw(preprocessor, &token, &depth);
    if (kind == ')') {
        *last = token;
        return true;
    }
    for (;;) {
        if (kind != IDENTIFIER) {
            syn_error(preprocessor->diagnostics, &token.location,
                      "expected a parameter name in the definition of macro '@%s'", m->name);
            break;
        }
        for (unsigned i = 0; i < m->parameter_count; i++) {
            if (strcmp(m->parameters[i], token.value.text.data) == 0)
                syn_error(preprocessor->diagnostics, &token.location,
                          "duplicate parameter name '%s'", token.value.text.data);
        }
        SYN_GROW(m->parameters, capacity, m->parameter_count + 1);
        m->parameters[m->parameter_count++] = token.value.text.data;
        kind = next_raw(preprocessor, &token, &depth);
        if (kind == ')') {
            ok = true;
            break;
        }
        if (kind != ',') {
            syn_error(preprocessor->diagnostics, &token.location, "expected ',' or ')' in macro parameters");
            break;
        }
        kind = next_raw(preprocessor, &token, &depth);
    }
    *last = token;
    return ok;
}

/* Reads the body of a definition, from its %( to the matching %). */
static bool read_macro_body(syn_preprocessor *preprocessor, macro *m, syn_token token)
{
    unsigned depth;
    if (token.kind != PP_OPEN) {
        syn_error(preprocessor->diagnostics, &token.location,
                  "expected '%%(' to begin the body of macro '@%s'", m->name);
        return false;
    }
    unsigned nesting = 0;
    for (;;) {
        int kind = next_raw(preprocessor, &token, &depth);
        if (kind == END_OF_INPUT) {
            syn_error(preprocessor->diagnostics, &m->location, "unterminated definition of macro '@%s'",
                      m->name);
            preprocessor->incomplete = true;
            return false;
        }
        if (kind == PP_OPEN)
            nesting++;
        if (kind == PP_CLOSE && nesting-- == 0)
            return true;
        token_array_append(&m->body, &token);
    }
}

/* After a faulty @define, the rest of the definition (a parameter list,
 * a %( body %)) is skipped so that it causes no further errors. */
static void discard_definition(syn_preprocessor *preprocessor, syn_token token, bool inside_parameters)
{
    unsigned depth;
    int kind = token.kind;
    if (inside_parameters || kind == '(') {
        while (kind != ')' && kind != END_OF_INPUT && kind != PP_OPEN)
            kind = next_raw(preprocessor, &token, &depth);
        if (kind == ')')
            kind = next_raw(preprocessor, &token, &depth);
    }
    if (kind == PP_OPEN) {
        unsigned nesting = 0;
        for (;;) {
            kind = next_raw(preprocessor, &token, &depth);
            if (kind == END_OF_INPUT || (kind == PP_CLOSE && nesting-- == 0))
                return;
            if (kind == PP_OPEN)
                nesting++;
        }
    }
    if (kind != END_OF_INPUT) {
        token_array again = {0};
        token_array_append(&again, &token);
        push_tokens(preprocessor, &again, depth);
    }
}

static void define_macro(syn_preprocessor *preprocessor, const syn_token *define)
{
    syn_token token;
    unsigned depth;
    if (next_raw(preprocessor, &token, &depth) != IDENTIFIER) {
        syn_error(preprocessor->diagnostics, &token.location, "expected a macro name after @define");
        if (token.kind != END_OF_INPUT) {
            next_raw(preprocessor, &token, &depth);
            discard_definition(preprocessor, token, false);
        }
        return;
    }
    macro *m = syn_calloc(1, sizeof(*m));
    m->name = token.value.text.data;
    m->location = syn_location_join(define->location, token.location);
    int stat;
    if (builtin_at_word(m->name, &stat) || strcmp(m->name, "define") == 0) {
        syn_error(preprocessor->diagnostics, &token.location, "cannot redefine the built-in '@%s'", m->name);
        free_macro(m);
        next_raw(preprocessor, &token, &depth);
        discard_definition(preprocessor, token, false);
        return;
    }
    int kind = next_raw(preprocessor, &token, &depth);
    if (kind == '(') {
        m->takes_arguments = true;
        if (!read_macro_parameters(preprocessor, m, &token)) {
            free_macro(m);
            discard_definition(preprocessor, token, token.kind != ')');
            return;
        }
        next_raw(preprocessor, &token, &depth);
    }
    if (!read_macro_body(preprocessor, m, token)) {
        free_macro(m);
        return;
    }
    macro *previous = find_macro(preprocessor, m->name);
    if (previous) {
        syn_error(preprocessor->diagnostics, &m->location,
                  "attempt to redefine macro '@%s' in the same file", m->name);
        syn_note(preprocessor->diagnostics, &previous->location, "macro '@%s' first defined here",
                 previous->name);
        free_macro(m);
        return;
    }
    m->next = preprocessor->macros;
    preprocessor->macros = m;
}

/* Collects the arguments of @name(a, b): token lists split at top-level
 * commas.  Returns the count read, or -1 on error. */
static int read_macro_arguments(syn_preprocessor *preprocessor, const macro *m, const syn_token *call,
                                token_array *arguments, unsigned max_arguments)
{
    syn_token token;
    unsigned depth;
    if (next_raw(preprocessor, &token, &depth) != '(') {
        syn_error(preprocessor->diagnostics, &call->location,
                  "expected '(' in invocation of macro '@%s'", m->name);
        /* The token is someone else's: give it back. */
        if (token.kind != END_OF_INPUT) {
            token_array again = {0};
            token_array_append(&again, &token);
            push_tokens(preprocessor, &again, depth);
        }
        return -1;
    }
    int count = 0;
    unsigned nesting = 0;
    bool empty = true;
    for (;;) {
        int kind = next_raw(preprocessor, &token, &depth);
        if (kind == END_OF_INPUT) {
            syn_error(preprocessor->diagnostics, &call->location,
                      "unterminated invocation of macro '@%s'", m->name);
            preprocessor->incomplete = true;
            return -1;
        }
        if (nesting == 0 && (kind == ',' || kind == ')')) {
            if (kind == ')' && empty && count == 0)
                return 0;
            count++;
            empty = true;
            if (kind == ')')
                return count;
            continue;
        }
        if (kind == '(' || kind == '[' || kind == '{')
            nesting++;
        if ((kind == ')' || kind == ']' || kind == '}') && nesting > 0)
            nesting--;
        empty = false;
        if ((unsigned)count < max_arguments)
            token_array_append(&arguments[count], &token);
    }
}

static void expand_macro(syn_preprocessor *preprocessor, const macro *m, const syn_token *call,
                         unsigned depth)
{
    if (depth >= SYN_MAX_MACRO_DEPTH) {
        syn_error(preprocessor->diagnostics, &call->location,
                  "macro '@%s' expands more than %d levels deep (does it use itself?)", m->name,
                  SYN_MAX_MACRO_DEPTH);
        return;
    }
    unsigned parameters = m->parameter_count;
    token_array *arguments = syn_calloc(parameters + 1, sizeof(*arguments));
    if (m->takes_arguments) {
        int count = read_macro_arguments(preprocessor, m, call, arguments, parameters);
        if (count >= 0 && (unsigned)count != parameters) {
            syn_error(preprocessor->diagnostics, &call->location, "too %s parameters for macro '@%s' (expected %u)",
                      (unsigned)count > parameters ? "many" : "few", m->name, parameters);
            count = -1;
        }
        if (count < 0)
            parameters = 0;
    }
    bool usable = !m->takes_arguments || parameters == m->parameter_count;
    if (usable && preprocessor->expanded_tokens > SYN_MAX_EXPANDED_TOKENS) {
        if (!preprocessor->expansion_limit_reported)
            syn_error(preprocessor->diagnostics, &call->location,
                      "macro expansion produces more than %d tokens", SYN_MAX_EXPANDED_TOKENS);
        preprocessor->expansion_limit_reported = true;
        usable = false;
    }
    token_array expansion = {0};
    for (unsigned i = 0; usable && i < m->body.count; i++) {
        const syn_token *token = &m->body.items[i];
        unsigned parameter = 0;
        if (token->kind == AT_WORD) {
            while (parameter < parameters && strcmp(m->parameters[parameter], token->value.text.data) != 0)
                parameter++;
        }
        if (token->kind == AT_WORD && parameter < parameters) {
            for (unsigned j = 0; j < arguments[parameter].count; j++)
                token_array_append(&expansion, &arguments[parameter].items[j]);
        } else {
            token_array_append(&expansion, token);
        }
    }
    for (unsigned i = 0; i < m->parameter_count + 1; i++)
        free(arguments[i].items);
    free(arguments);
    preprocessor->expanded_tokens += expansion.count;
    push_tokens(preprocessor, &expansion, depth + 1);
}

/* An @word is a built-in operator, @define, or a macro use.  Returns the
 * token kind to hand on, or 0 when the token was consumed. */
static int at_word(syn_preprocessor *preprocessor, syn_token *token, unsigned depth)
{
    const char *name = token->value.text.data;
    int stat = 0;
    int kind = builtin_at_word(name, &stat);
    if (kind) {
        token->kind = kind;
        token->value.number = stat;
        return kind;
    }
    if (strcmp(name, "define") == 0) {
        define_macro(preprocessor, token);
        return 0;
    }
    const macro *m = find_macro(preprocessor, name);
    if (m) {
        expand_macro(preprocessor, m, token, depth);
        return 0;
    }
    syn_error(preprocessor->diagnostics, &token->location, "unknown macro or operator '@%s'", name);
    return 0;
}

int syn_preprocessor_next(syn_preprocessor *preprocessor, syn_token *token)
{
    for (;;) {
        unsigned depth;
        int kind = next_raw(preprocessor, token, &depth);
        switch (kind) {
        case PP_OPEN:
            if (!open_conditional(preprocessor, token))
                return token->kind = END_OF_INPUT;
            continue;
        case PP_ELSE:
            if (!else_of_taken_branch(preprocessor, token))
                return token->kind = END_OF_INPUT;
            continue;
        case PP_CLOSE:
            close_conditional(preprocessor, token);
            continue;
        case PP_THEN:
            syn_error(preprocessor->diagnostics, &token->location, "'%%?' without a matching '%%('");
            continue;
        case AT_WORD:
            kind = at_word(preprocessor, token, depth);
            if (kind)
                return kind;
            continue;
        case ARGUMENT_NUMBER:
            substitute_argument_source(preprocessor, token, depth);
            continue;
        case ARGUMENT_STRING:
        case ARGUMENT_COUNT:
        case ARGUMENT_COUNT_STRING:
            if (substitute_argument_literal(preprocessor, token))
                return token->kind;
            continue;
        case END_OF_INPUT:
            if (preprocessor->conditional_count) {
                syn_error(preprocessor->diagnostics,
                          &preprocessor->conditionals[preprocessor->conditional_count - 1].location,
                          "incomplete conditional at end of file");
                preprocessor->conditional_count = 0;
                preprocessor->incomplete = true;
            }
            return kind;
        default:
            return kind;
        }
    }
}
