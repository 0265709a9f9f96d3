/* syn -l and -L: the probe points a pattern names on this kernel, as
 * stap -l and -L print them, one a line and sorted; -L adds each point's
 * target variables with their C types.  The library's probe aliases that
 * the pattern names are listed with them (runtime/listing_aliases.c). */
#include <stdlib.h>
#include <string.h>

#include "lang/parse.h"
#include "lang/source.h"
#include "runtime/listing_aliases.h"
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

/* The points of every probe point the script text names, resolved, and
 * the library aliases it names.  A point that names an alias need not
 * name a probe family's point too. */
static bool resolve_all(syn_state *state, const syn_file *file, bool variables, syn_point_list *points,
                        syn_line_list *aliases, syn_arena *arena)
{
    bool resolved = true;
    for (unsigned i = 0; i < file->count; i++) {
        const syn_item *item = &file->items[i];
        if (item->kind != SYN_ITEM_PROBE)
            continue;
        for (unsigned p = 0; p < item->probe->points.count; p++) {
            syn_probe_point written = *item->probe->points.items[p];
            if (syn_list_library_aliases(state, &written, variables, aliases))
                written.optional = true;
            if (!state->resolver.resolve(state->resolver.context, &written, points, arena, &state->diagnostics))
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
        syn_line_list lines = {0};
        bool resolved = resolve_all(state, parsed.file, variables, &points, &lines, &arena);
        for (uint32_t i = 0; i < points.count; i++)
            syn_line_list_add(&lines, describe(points.items[i], variables));
        if (lines.count)
            qsort(lines.items, lines.count, sizeof(char *), compare_lines);
        for (unsigned i = 0; i < lines.count; i++) {
            if (i == 0 || strcmp(lines.items[i], lines.items[i - 1]) != 0)
                syn_state_output(state, lines.items[i], strlen(lines.items[i]));
        }
        status = lines.count ? SYN_OK : resolved ? SYN_ERROR_UNSUPPORTED : SYN_ERROR_SEMANTIC;
        syn_line_list_release(&lines);
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
