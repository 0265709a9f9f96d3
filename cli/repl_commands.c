/* The REPL's commands: a leading ':' so that they never clash with the
 * language. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/repl.h"

typedef struct command {
    const char *name;
    const char *arguments;
    const char *summary;
    void (*run)(repl *r, const char *argument);
} command;

static repl_chunk *find_chunk(repl *r, const char *argument)
{
    char *end;
    unsigned long number = strtoul(argument, &end, 10);
    if (end == argument || *end) {
        repl_printf(r, "expected the number of a definition (:list shows them), not '%s'\n", argument);
        return NULL;
    }
    for (unsigned i = 0; i < r->chunk_count; i++) {
        if (r->chunks[i].number == number)
            return &r->chunks[i];
    }
    repl_printf(r, "nothing is numbered %lu (:list shows what is)\n", number);
    return NULL;
}

/* The first line of a definition, for listings. */
static void print_summary(repl *r, const repl_chunk *chunk, const char *state)
{
    const char *text = chunk->text;
    while (isspace((unsigned char)*text))
        text++;
    int length = (int)strcspn(text, "\n");
    if (length > 60)
        length = 60;
    repl_printf(r, "%4u  %-9s %.*s%s\n", chunk->number, state, length, text, text[length] == '\n' &&
                text[length + 1] ? " ..." : "");
}

/* The probes a definition made, with their hits. */
static void print_probes(repl *r, const repl_chunk *chunk)
{
    unsigned count = syn_probe_count(r->state);
    for (unsigned i = 0; i < count; i++) {
        syn_probe_status status;
        if (syn_probe_status_at(r->state, i, &status) != SYN_OK || strcmp(status.chunk, chunk->name) != 0)
            continue;
        if (status.hits_known)
            repl_printf(r, "                %s  hits %llu\n", status.point, status.hits);
        else
            repl_printf(r, "                %s%s\n", status.point, status.in_kernel ? "" : "  (in syn)");
    }
}

static void list(repl *r, const char *argument)
{
    (void)argument;
    if (!r->chunk_count)
        repl_printf(r, "nothing is defined yet: type a probe, a global or a function\n");
    for (unsigned i = 0; i < r->chunk_count; i++) {
        const repl_chunk *chunk = &r->chunks[i];
        print_summary(r, chunk, !chunk->enabled ? "disabled" : chunk->is_probe ? "attached" : "defined");
        if (chunk->enabled)
            print_probes(r, chunk);
    }
    repl_printf(r, "lost events: %llu\n", syn_lost_events(r->state));
}

static void remove_chunk(repl *r, repl_chunk *chunk)
{
    free(chunk->text);
    free(chunk->name);
    unsigned index = (unsigned)(chunk - r->chunks);
    memmove(chunk, chunk + 1, (r->chunk_count - index - 1) * sizeof(*chunk));
    r->chunk_count--;
}

static void detach(repl *r, const char *argument)
{
    repl_chunk *chunk = find_chunk(r, argument);
    if (!chunk)
        return;
    if (chunk->enabled && (syn_unload(r->state, chunk->name) != SYN_OK || syn_update(r->state) != SYN_OK))
        return;   /* the errors were reported: something else still uses it */
    repl_printf(r, "[%u] %s\n", chunk->number, chunk->is_probe ? "detached" : "removed");
    remove_chunk(r, chunk);
}

static void disable(repl *r, const char *argument)
{
    repl_chunk *chunk = find_chunk(r, argument);
    if (!chunk || !chunk->enabled)
        return;
    if (syn_unload(r->state, chunk->name) == SYN_OK && syn_update(r->state) == SYN_OK) {
        chunk->enabled = false;
        repl_printf(r, "[%u] disabled\n", chunk->number);
    }
}

static void enable(repl *r, const char *argument)
{
    repl_chunk *chunk = find_chunk(r, argument);
    if (!chunk || chunk->enabled)
        return;
    if (syn_load_string(r->state, chunk->name, chunk->text, strlen(chunk->text)) == SYN_OK &&
        syn_update(r->state) == SYN_OK) {
        chunk->enabled = true;
        repl_printf(r, "[%u] %s\n", chunk->number, chunk->is_probe ? "attached" : "defined");
    }
}

static void globals(repl *r, const char *argument)
{
    (void)argument;
    syn_display(r->state, NULL);
}

static void clear(repl *r, const char *argument)
{
    char text[256];
    snprintf(text, sizeof(text), "delete %s", argument);
    syn_evaluate(r->state, "<clear>", text, strlen(text));
}

static char *read_file(repl *r, const char *path)
{
    FILE *file = fopen(path, "r");
    if (!file) {
        repl_printf(r, "cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    repl_text text = {0};
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), file)) > 0)
        repl_text_append(&text, buffer, got);
    fclose(file);
    if (!text.data)
        repl_text_append(&text, "", 0);
    return text.data;
}

static void load(repl *r, const char *argument)
{
    char *text = read_file(r, argument);
    if (!text)
        return;
    unsigned number = r->next_number;
    if (syn_load_string(r->state, argument, text, strlen(text)) == SYN_OK && syn_update(r->state) == SYN_OK) {
        r->next_number++;
        repl_keep_chunk(r, number, argument, text)->is_probe = true;   /* a script: its probes */
        repl_printf(r, "[%u] %s loaded\n", number, argument);
    }
    free(text);
}

static void save(repl *r, const char *argument)
{
    FILE *file = fopen(argument, "w");
    if (!file) {
        repl_printf(r, "cannot write %s: %s\n", argument, strerror(errno));
        return;
    }
    unsigned saved = 0;
    for (unsigned i = 0; i < r->chunk_count; i++) {
        if (!r->chunks[i].enabled)
            continue;
        fputs(r->chunks[i].text, file);
        saved++;
    }
    if (fclose(file) != 0)
        repl_printf(r, "writing %s failed: %s\n", argument, strerror(errno));
    else
        repl_printf(r, "%u definitions saved to %s (syn %s runs them)\n", saved, argument, argument);
}

static void probes(repl *r, const char *argument)
{
    syn_list(r->state, argument, false);
}

static void variables(repl *r, const char *argument)
{
    syn_list(r->state, argument, true);
}

static void documentation(repl *r, const char *argument)
{
    syn_document(r->state, argument);
}

static void quit(repl *r, const char *argument)
{
    (void)argument;
    r->quit = true;
}

static void help(repl *r, const char *argument);

static const command commands[] = {
    {"help", "[COMMAND]", "this list, or what a command does", help},
    {"list", "", "what was defined here: number, state, first line", list},
    {"detach", "N", "detach probe N (or remove definition N)", detach},
    {"disable", "N", "detach probe N, keeping it for :enable", disable},
    {"enable", "N", "attach a disabled probe again", enable},
    {"globals", "", "every global and its value", globals},
    {"clear", "NAME", "empty a global (delete NAME)", clear},
    {"load", "FILE", "load a script and attach its probes", load},
    {"save", "FILE", "write the definitions as a script for syn FILE", save},
    {"probes", "PATTERN", "the probe points PATTERN names (syn -l)", probes},
    {"vars", "POINT", "a point's variables and types (syn -L)", variables},
    {"doc", "NAME", "the documentation of a function or probe alias", documentation},
    {"quit", "", "run the end probes, detach everything and leave (Ctrl-D too)", quit},
};

static void help(repl *r, const char *argument)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (*argument && strcmp(argument, commands[i].name) != 0)
            continue;
        repl_printf(r, "  :%-8s %-8s %s\n", commands[i].name, commands[i].arguments, commands[i].summary);
    }
    if (!*argument)
        repl_printf(r, "A probe, global or function typed here is attached or defined at once and numbered;\n"
                       "anything else runs once, against the live globals; a global's name shows it.\n"
                       "Ctrl-C drops the line being typed. doc/repl.md has more.\n");
}

const char *repl_command_name(unsigned index)
{
    return index < sizeof(commands) / sizeof(commands[0]) ? commands[index].name : NULL;
}

bool repl_command(repl *r, const char *line)
{
    const char *name = line + 1;
    size_t length = strcspn(name, " \t");
    const char *argument = name + length;
    while (*argument == ' ' || *argument == '\t')
        argument++;
    char trimmed[4096];
    snprintf(trimmed, sizeof(trimmed), "%s", argument);
    for (size_t end = strlen(trimmed); end && isspace((unsigned char)trimmed[end - 1]); end--)
        trimmed[end - 1] = '\0';
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strlen(commands[i].name) != length || strncmp(commands[i].name, name, length) != 0)
            continue;
        if (commands[i].arguments[0] && commands[i].arguments[0] != '[' && !trimmed[0]) {
            repl_printf(r, "usage: :%s %s\n", commands[i].name, commands[i].arguments);
            return true;
        }
        commands[i].run(r, trimmed);
        return true;
    }
    return false;
}
