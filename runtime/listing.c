/* syn -l and -L: the probe points a pattern names on this kernel, as
 * stap -l and -L print them, one a line and sorted; -L adds each point's
 * target variables with their C types. */
#include <stdlib.h>
#include <string.h>

#include "lang/parse.h"
#include "lang/source.h"
#include "runtime/probes/family.h"
#include "runtime/state.h"
#include "util/buffer.h"
#include "util/memory.h"

static int compare_lines(const void *left, const void *right)
{
    return strcmp(*(char *const *)left, *(char *const *)right);
}

static char *describe(const syn_point *point, bool variables)
{
    syn_buffer line;
    syn_buffer_init(&line);
    syn_buffer_append_string(&line, point->name);
    for (uint32_t i = 0; variables && i < point->variable_count; i++)
        syn_buffer_printf(&line, " $%s:%s", point->variables[i].name,
                          point->variables[i].c_type ? point->variables[i].c_type : "long");
    syn_buffer_append_char(&line, '\n');
    char *text = syn_buffer_take(&line);
    syn_buffer_release(&line);
    return text;
}

/* The points of every probe point the script text names, resolved. */
static bool resolve_all(syn_state *state, const syn_file *file, syn_point_list *points, syn_arena *arena)
{
    bool resolved = true;
    for (unsigned i = 0; i < file->count; i++) {
        const syn_item *item = &file->items[i];
        if (item->kind != SYN_ITEM_PROBE)
            continue;
        for (unsigned p = 0; p < item->probe->points.count; p++) {
            if (!state->resolver.resolve(state->resolver.context, item->probe->points.items[p], points, arena,
                                         &state->diagnostics))
                resolved = false;
        }
    }
    return resolved;
}

/* A pattern is parsed as the point of a probe, so it is written as in a script. */
static syn_source *pattern_source(const char *pattern)
{
    syn_buffer text;
    syn_buffer_init(&text);
    syn_buffer_printf(&text, "probe %s {}", pattern);
    syn_source *source = syn_source_new("<pattern>", text.data, text.length);
    syn_buffer_release(&text);
    return source;
}

static void say_nothing(const syn_diagnostic *diagnostic, void *data)
{
    (void)diagnostic;
    (void)data;
}

bool syn_probe_point_exists(void *context, const char *point)
{
    syn_state *state = context;
    syn_diagnostics quiet;
    syn_diagnostics_init(&quiet);
    quiet.handler = say_nothing;
    syn_source *source = pattern_source(point);
    syn_arena arena;
    syn_arena_init(&arena);
    syn_preprocessor_environment environment = {.kernel_release = state->kernel_release,
                                                .architecture = state->architecture};
    syn_parse_result parsed = syn_parse(source, &arena, &quiet, &environment);
    syn_point_list points = {0};
    bool exists = false;
    if (parsed.file) {
        for (unsigned i = 0; i < parsed.file->count; i++) {
            const syn_item *item = &parsed.file->items[i];
            for (unsigned p = 0; item->kind == SYN_ITEM_PROBE && p < item->probe->points.count; p++) {
                syn_probe_point plain = *item->probe->points.items[p];
                plain.optional = true; /* nothing found is an answer, not an error */
                state->resolver.resolve(state->resolver.context, &plain, &points, &arena, &quiet);
            }
        }
        exists = points.count > 0;
    }
    syn_arena_release(&arena);
    syn_source_free(source);
    syn_diagnostics_release(&quiet);
    return exists;
}

syn_status syn_list(syn_state *state, const char *pattern, bool variables)
{
    if (!pattern)
        return SYN_ERROR_USAGE;
    syn_diagnostics_begin(&state->diagnostics);
    syn_source *source = pattern_source(pattern);
    syn_arena arena;
    syn_arena_init(&arena);
    syn_preprocessor_environment environment = {.kernel_release = state->kernel_release,
                                                .architecture = state->architecture};
    syn_parse_result parsed = syn_parse(source, &arena, &state->diagnostics, &environment);
    syn_status status = SYN_ERROR_SYNTAX;
    if (parsed.file) {
        syn_point_list points = {0};
        bool resolved = resolve_all(state, parsed.file, &points, &arena);
        char **lines = syn_malloc((points.count + 1) * sizeof(char *));
        for (uint32_t i = 0; i < points.count; i++)
            lines[i] = describe(points.items[i], variables);
        qsort(lines, points.count, sizeof(char *), compare_lines);
        for (uint32_t i = 0; i < points.count; i++) {
            if (i == 0 || strcmp(lines[i], lines[i - 1]) != 0)
                syn_state_output(state, lines[i], strlen(lines[i]));
        }
        for (uint32_t i = 0; i < points.count; i++)
            free(lines[i]);
        free(lines);
        status = points.count ? SYN_OK : resolved ? SYN_ERROR_UNSUPPORTED : SYN_ERROR_SEMANTIC;
    }
    syn_arena_release(&arena);
    syn_source_free(source);
    return status;
}

syn_status syn_list_probe_types(syn_state *state)
{
    unsigned count;
    const syn_probe_family *const *families = syn_probe_families(&count);
    for (unsigned f = 0; f < count; f++) {
        /* A synopsis lists its forms separated by ", ". */
        const char *form = families[f]->synopsis;
        while (*form) {
            const char *end = strstr(form, ", ");
            size_t length = end ? (size_t)(end - form) : strlen(form);
            syn_state_output(state, form, length);
            syn_state_output(state, "\n", 1);
            form += length + (end ? 2 : 0);
        }
    }
    return SYN_OK;
}
