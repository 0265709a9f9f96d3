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
typedef syn_status (*listing)(syn_state *state, const char *argument);

static char *captured(listing call, const char *argument)
{
    repl_text text = {0};
    completing->capture = &text;
    call(completing->state, argument);
    completing->capture = NULL;
    return text.data;
}

static syn_status list_points(syn_state *state, const char *pattern)
{
    return syn_list(state, pattern, false);
}

static syn_status dump_functions(syn_state *state, const char *unused)
{
    (void)unused;
    return syn_dump_functions(state);
}

static syn_status dump_aliases(syn_state *state, const char *unused)
{
    (void)unused;
    return syn_dump_probe_aliases(state);
}

static syn_status display_globals(syn_state *state, const char *unused)
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
    if (start == 0 && text[0] == ':') {
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
