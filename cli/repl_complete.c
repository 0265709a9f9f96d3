/* Tab completion for the REPL: commands after ':', tracepoint names inside
 * kernel.trace(", kernel function names inside kernel.function(", and
 * otherwise keywords, builtins, library functions, probe aliases and the
 * running script's globals.  The names come from libsyn's listings. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "cli/repl.h"

static repl *completing;

typedef struct candidates {
    char **items;
    bool *calls;                 /* a function: completed with its '(' */
    unsigned count;
    unsigned capacity;
    unsigned next;               /* the generator's place */
    size_t prefix_length;
} candidates;

static candidates found;

static void add_kind(candidates *list, const char *name, size_t length, bool call)
{
    for (unsigned i = 0; i < list->count; i++) {
        if (strlen(list->items[i]) == length && strncmp(list->items[i], name, length) == 0)
            return;
    }
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? 2 * list->capacity : 64;
        list->items = realloc(list->items, list->capacity * sizeof(*list->items));
        list->calls = realloc(list->calls, list->capacity * sizeof(*list->calls));
        if (!list->items || !list->calls)
            abort();
    }
    list->calls[list->count] = call;
    list->items[list->count++] = strndup(name, length);
}

static void add(candidates *list, const char *name, size_t length)
{
    add_kind(list, name, length, false);
}

static void clear(candidates *list)
{
    for (unsigned i = 0; i < list->count; i++)
        free(list->items[i]);
    list->count = list->next = 0;
}

/* What a listing call writes, captured instead of shown. */
typedef syn_status (*listing)(syn_state *state, const void *argument);

static char *captured(listing call, const void *argument)
{
    repl_text text = {0};
    completing->capture = &text;
    call(completing->state, argument);
    completing->capture = NULL;
    return text.data;
}

static syn_status list_points(syn_state *state, const void *pattern)
{
    return syn_list(state, pattern, false);
}

static syn_status list_variables(syn_state *state, const void *point)
{
    return syn_list(state, point, true);
}

static syn_status dump_functions(syn_state *state, const void *unused)
{
    (void)unused;
    return syn_dump_functions(state);
}

static syn_status dump_aliases(syn_state *state, const void *unused)
{
    (void)unused;
    return syn_dump_probe_aliases(state);
}

static syn_status display_globals(syn_state *state, const void *unused)
{
    (void)unused;
    return syn_display(state, NULL);
}

/* The leading name of every line: "tcp_sock_laddr:string (sk:long)",
 * "tcp.listen = ...", "count=0x2a", "names["bash"]=0x3". */
static void add_line_names(candidates *list, char *text, const char *stops, bool calls)
{
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        size_t length = strcspn(line, stops);
        if (length)
            add_kind(list, line, length, calls);
        line = end ? end + 1 : NULL;
    }
}

/* kernel.trace("tcp:tcp_probe") lines: the name between the quotes. */
static void add_quoted_names(candidates *list, char *text)
{
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        char *open = strchr(line, '"');
        if (open && (!end || open < end)) {
            char *close = strchr(open + 1, '"');
            if (close && (!end || close < end))
                add(list, open + 1, (size_t)(close - open - 1));
        }
        line = end ? end + 1 : NULL;
    }
}

/* ---- struct members after -> ------------------------------------------------ */

typedef struct member_query {
    const char *type;
    const char *path;
} member_query;

static syn_status list_members(syn_state *state, const void *argument)
{
    const member_query *query = argument;
    return syn_list_members(state, query->type, query->path);
}

/* The C type of target variable $name at the point of the probe being
 * typed (the last "probe POINT {" of the input so far), from syn -L. */
static char *variable_type(const char *input, const char *name)
{
    const char *probe = NULL;
    for (const char *at = strstr(input, "probe "); at; at = strstr(at + 1, "probe "))
        probe = at;
    if (!probe)
        return NULL;
    probe += 6;
    /* The first point: up to a ',' or '{' outside parentheses and strings. */
    size_t length = 0;
    int depth = 0;
    bool quoted = false;
    for (; probe[length]; length++) {
        char c = probe[length];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == '(')
            depth++;
        else if (!quoted && c == ')')
            depth--;
        else if (!quoted && !depth && (c == ',' || c == '{'))
            break;
    }
    char point[1024];
    snprintf(point, sizeof(point), "%.*s", (int)length, probe);
    char *listed = captured(list_variables, point);
    char *type = NULL;
    char wanted[300];
    snprintf(wanted, sizeof(wanted), " $%s:", name);
    char *at = listed ? strstr(listed, wanted) : NULL;
    if (at) {
        at += strlen(wanted);
        size_t end = strcspn(at, "\n");
        char *next = strstr(at, " $");
        if (next && (size_t)(next - at) < end)
            end = (size_t)(next - at);
        type = strndup(at, end);
    }
    free(listed);
    return type;
}

/* Before `->PREFIX`: a chain `ROOT->a->b` whose ROOT is $name or
 * @cast(..., "TYPE"); the members of what it reaches. */
static void add_members(const char *input, size_t end)
{
    char path[1024] = "";
    size_t cursor = end - 2;   /* at the "->" */
    /* Member names back to the root: each "name" preceded by "->". */
    for (;;) {
        size_t name_start = cursor;
        while (name_start && (isalnum((unsigned char)input[name_start - 1]) || input[name_start - 1] == '_'))
            name_start--;
        if (name_start == cursor || name_start < 2 || strncmp(input + name_start - 2, "->", 2) != 0)
            break;
        /* "name->" goes in front of what the path holds. */
        size_t name_length = cursor - name_start, held = strlen(path), joint = held ? 2 : 0;
        if (name_length + joint + held + 1 > sizeof(path))
            return;
        memmove(path + name_length + joint, path, held + 1);
        memcpy(path, input + name_start, name_length);
        memcpy(path + name_length, "->", joint);
        cursor = name_start - 2;
    }
    char *type = NULL;
    if (cursor && input[cursor - 1] == ')') {
        /* @cast(EXPRESSION, "TYPE"): the string before the closing parenthesis. */
        size_t close = cursor - 1, quote_end = close;
        while (quote_end && input[quote_end] != '"')
            quote_end--;
        size_t quote_start = quote_end;
        while (quote_start && input[quote_start - 1] != '"')
            quote_start--;
        if (quote_end > quote_start && quote_start && strstr(input, "@cast("))
            type = strndup(input + quote_start, quote_end - quote_start);
    } else {
        size_t name_end = cursor;
        while (cursor && (isalnum((unsigned char)input[cursor - 1]) || input[cursor - 1] == '_'))
            cursor--;
        if (cursor && input[cursor - 1] == '$' && name_end > cursor) {
            char name[256];
            snprintf(name, sizeof(name), "%.*s", (int)(name_end - cursor), input + cursor);
            type = variable_type(input, name);
        }
    }
    if (!type)
        return;
    member_query query = {.type = type, .path = path};
    char *listed = captured(list_members, &query);
    add_line_names(&found, listed, ":\n", false);
    free(listed);
    free(type);
}

static const char *const keywords[] = {
    "probe", "global", "function", "private", "if", "else", "while", "for", "foreach", "in", "limit", "break",
    "continue", "next", "return", "delete", "try", "catch", "kernel.trace(\"", "kernel.function(\"", "begin",
    "end", "timer.ms(", "timer.s(", "net.ingress", "net.egress", "process(\"", NULL,
};

static void gather(const char *text, int start)
{
    clear(&found);
    found.prefix_length = strlen(text);
    const char *before = rl_line_buffer;
    const char *trace = "kernel.trace(\"", *function = "kernel.function(\"";
    size_t trace_length = strlen(trace), function_length = strlen(function);
    char pattern[512];
    if (start >= 2 && strncmp(before + start - 2, "->", 2) == 0) {
        /* The input so far: earlier lines of a multi-line input, then this one. */
        repl_text input = {0};
        if (completing->pending.length)
            repl_text_append(&input, completing->pending.data, completing->pending.length);
        size_t offset = input.length;
        repl_text_append(&input, before, (size_t)start);
        add_members(input.data, offset + (size_t)start);
        free(input.data);
    } else if (start == 0 && text[0] == ':') {
        for (unsigned i = 0; repl_command_name(i); i++) {
            snprintf(pattern, sizeof(pattern), ":%s", repl_command_name(i));
            add(&found, pattern, strlen(pattern));
        }
    } else if ((size_t)start >= trace_length && strncmp(before + start - trace_length, trace, trace_length) == 0) {
        snprintf(pattern, sizeof(pattern), "kernel.trace(\"%s*\")", text);
        char *listed = captured(list_points, pattern);
        add_quoted_names(&found, listed);
        free(listed);
    } else if ((size_t)start >= function_length &&
               strncmp(before + start - function_length, function, function_length) == 0) {
        snprintf(pattern, sizeof(pattern), "kernel.function(\"%s*\")", text);
        char *listed = captured(list_points, pattern);
        add_quoted_names(&found, listed);
        free(listed);
    } else {
        for (unsigned i = 0; keywords[i]; i++)
            add(&found, keywords[i], strlen(keywords[i]));
        char *listed = captured(dump_functions, NULL);
        add_line_names(&found, listed, ":( \n", true);
        free(listed);
        listed = captured(dump_aliases, NULL);
        add_line_names(&found, listed, " =\n", false);
        free(listed);
        listed = captured(display_globals, NULL);
        add_line_names(&found, listed, "=[ \n", false);
        free(listed);
    }
}

static char *next_match(const char *text, int state)
{
    (void)state;
    while (found.next < found.count) {
        const char *name = found.items[found.next++];
        if (strncmp(name, text, found.prefix_length) == 0)
            return strdup(name);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    gather(text, start);
    rl_attempted_completion_over = 1;   /* no file names */
    /* A name that ends in a quote or a parenthesis is not followed by a space. */
    rl_completion_append_character = ' ';
    char **matches = rl_completion_matches(text, next_match);
    if (matches && matches[0] && !matches[1]) {
        char last = matches[0][strlen(matches[0]) - 1];
        if (last == '"' || last == '(')
            rl_completion_append_character = '\0';
        for (unsigned i = 0; i < found.count; i++) {
            if (found.calls[i] && strcmp(found.items[i], matches[0]) == 0)
                rl_completion_append_character = '(';
        }
    }
    return matches;
}

void repl_complete_install(repl *r)
{
    completing = r;
    rl_attempted_completion_function = complete;
    rl_completer_word_break_characters = " \t\n\"\\'`@$><=;|&{(,)+-*/%!~^[]";
}
