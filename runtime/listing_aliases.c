/* The library's probe aliases in syn -l and -L.  stap lists an alias by
 * its name, and with -L adds the values the alias's body sets and the
 * target variables of its points.  Those come from checking a script of
 * one `probe ALIAS {}` against the whole library and this kernel's probe
 * families, so that they read exactly as a script using the alias would
 * see them. */
#include "runtime/listing_aliases.h"

#include <string.h>

#include "compiler/semantic.h"
#include "lang/print.h"
#include "lang/program.h"
#include "runtime/library.h"
#include "runtime/state.h"
#include "util/buffer.h"
#include "util/memory.h"

void syn_line_list_add(syn_line_list *lines, char *line)
{
    SYN_GROW(lines->items, lines->capacity, lines->count + 1);
    lines->items[lines->count++] = line;
}

void syn_line_list_release(syn_line_list *lines)
{
    for (unsigned i = 0; i < lines->count; i++)
        free(lines->items[i]);
    free(lines->items);
    memset(lines, 0, sizeof(*lines));
}

/* An alias that expands to several points names each variable once. */
static void append_variable(syn_buffer *line, const char *prefix, const char *name, const char *type)
{
    syn_buffer word;
    syn_buffer_init(&word);
    syn_buffer_printf(&word, " %s%s:", prefix, name);
    if (!line->data || !strstr(line->data, word.data))
        syn_buffer_printf(line, "%s%s", word.data, type);
    syn_buffer_release(&word);
}

/* The probes derived from the alias, not the library's own probes (those
 * of the files the check took in whole). */
static void append_variables(syn_buffer *line, const syn_semantic_program *checked, const syn_file *alias)
{
    for (unsigned p = 0; p < checked->probe_count; p++) {
        if (checked->probes[p]->file != alias)
            continue;
        const syn_symbol_list *locals = &checked->probes[p]->locals;
        for (unsigned i = 0; i < locals->count; i++)
            append_variable(line, "", locals->items[i]->name, syn_type_name(locals->items[i]->type));
    }
    for (unsigned p = 0; p < checked->probe_count; p++) {
        if (checked->probes[p]->file != alias)
            continue;
        const syn_point *point = checked->probes[p]->resolved;
        for (uint32_t i = 0; point && i < point->variable_count; i++)
            append_variable(line, "$", point->variables[i].name,
                            point->variables[i].c_type ? point->variables[i].c_type : "long");
    }
}

/* The first error of a check, to say why an alias does not work here. */
static void keep_first_error(const syn_diagnostic *diagnostic, void *user_data)
{
    syn_buffer *why = user_data;
    if (diagnostic->severity == SYN_SEVERITY_ERROR && why->length == 0)
        syn_buffer_append_string(why, diagnostic->message);
}

/* When the alias does not check here (a point this kernel lacks, a mistake
 * in the library) the line says why instead of listing variables. */
static void alias_variables(syn_state *state, const char *name, const syn_file *const *views, unsigned count,
                            syn_buffer *line)
{
    syn_buffer text;
    syn_buffer_init(&text);
    syn_buffer_printf(&text, "probe %s {}\n", name);
    syn_diagnostics quiet;
    syn_diagnostics_init(&quiet);
    syn_buffer why;
    syn_buffer_init(&why);
    quiet.handler = keep_first_error;
    quiet.user_data = &why;
    syn_program program;
    syn_program_init(&program);
    syn_preprocessor_environment environment = syn_library_environment(state);
    syn_parse_result parsed = syn_program_parse(&program, "<alias>", text.data, text.length, &quiet, &environment);
    if (parsed.file) {
        syn_semantic_options options = {
            .resolver = &state->resolver,
            .library_files = views,
            .library_file_count = count,
        };
        syn_semantic_program *checked = syn_semantic_check(&program, &quiet, &options);
        if (checked)
            append_variables(line, checked, parsed.file);
        else if (why.length)
            syn_buffer_printf(line, "  # not on this kernel: %s", why.data);
        syn_semantic_program_free(checked);
    }
    syn_program_release(&program);
    syn_buffer_release(&why);
    syn_diagnostics_release(&quiet);
    syn_buffer_release(&text);
}

static void list_file_aliases(syn_state *state, const syn_file *view, const syn_probe_point *point, bool variables,
                              const syn_file *const *views, unsigned count, syn_line_list *lines, unsigned *matched)
{
    for (unsigned i = 0; i < view->count; i++) {
        const syn_item *item = &view->items[i];
        if (item->kind != SYN_ITEM_PROBE || item->probe->kind == SYN_PROBE_PLAIN || item->probe->is_private)
            continue;
        for (unsigned n = 0; n < item->probe->alias_names.count; n++) {
            const syn_probe_point *name = item->probe->alias_names.items[n];
            if (!syn_alias_name_matches(name, point))
                continue;
            (*matched)++;
            syn_buffer line;
            syn_buffer_init(&line);
            syn_print_probe_point(&line, name);
            if (variables) {
                char *printed = syn_strdup(line.data);
                alias_variables(state, printed, views, count, &line);
                free(printed);
            }
            syn_buffer_append_char(&line, '\n');
            syn_line_list_add(lines, syn_buffer_take(&line));
            syn_buffer_release(&line);
        }
    }
}

unsigned syn_list_library_aliases(syn_state *state, const syn_probe_point *point, bool variables,
                                  syn_line_list *lines)
{
    syn_diagnostics quiet;
    syn_diagnostics_init(&quiet);
    quiet.handler = NULL;
    syn_library_parse_all(state, &quiet);
    syn_diagnostics_release(&quiet);
    syn_arena arena;
    syn_arena_init(&arena);
    const syn_file **views;
    const syn_library_file **owners;
    unsigned count = syn_library_winners(state, &arena, &views, &owners);
    unsigned matched = 0;
    for (unsigned i = 0; i < count; i++)
        list_file_aliases(state, views[i], point, variables, views, count, lines, &matched);
    free(views);
    free(owners);
    syn_arena_release(&arena);
    return matched;
}
