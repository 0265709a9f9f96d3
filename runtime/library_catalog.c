/* Building the catalog of runtime/library_catalog.h.  Types come from
 * checking every library file at once, as SystemTap's --dump-functions
 * does: a synthetic script with one `probe never {}` and the whole library
 * beside it, every function resolved whether reached or not. */
#include "runtime/library_catalog.h"

#include <string.h>

#include "compiler/library.h"
#include "compiler/semantic.h"
#include "lang/print.h"
#include "lang/program.h"
#include "runtime/state.h"
#include "util/buffer.h"
#include "util/memory.h"

static const char synthetic_script[] = "probe never {}\n";

static syn_catalog_entry *add_entry(syn_catalog *catalog, syn_catalog_kind kind, const char *name)
{
    SYN_GROW(catalog->entries, catalog->capacity, catalog->count + 1);
    syn_catalog_entry *entry = &catalog->entries[catalog->count++];
    memset(entry, 0, sizeof(*entry));
    entry->kind = kind;
    entry->name = name;
    return entry;
}

static void append_type(syn_buffer *out, syn_type type)
{
    if (type == SYN_TYPE_LONG || type == SYN_TYPE_STRING)
        syn_buffer_printf(out, ":%s", syn_type_name(type));
}

static const char *builtin_signature(syn_arena *arena, const syn_builtin *builtin)
{
    syn_buffer out;
    syn_buffer_init(&out);
    syn_buffer_append_string(&out, builtin->name);
    append_type(&out, builtin->return_type);
    syn_buffer_append_char(&out, '(');
    unsigned listed = builtin->maximum_arguments < SYN_BUILTIN_MAX_PARAMETERS ? builtin->maximum_arguments
                                                                             : SYN_BUILTIN_MAX_PARAMETERS;
    unsigned written = 0;
    for (unsigned i = 0; i < listed && builtin->parameters[i] != SYN_TYPE_UNKNOWN; i++) {
        bool optional = i >= builtin->minimum_arguments;
        syn_buffer_printf(&out, "%s%s%s%s", written ? ", " : "", optional ? "[" : "",
                          syn_type_name(builtin->parameters[i]), optional ? "]" : "");
        written++;
    }
    if (builtin->maximum_arguments > listed || (builtin->maximum_arguments == ~0u && written == 0))
        syn_buffer_append_string(&out, written ? ", ..." : "...");
    syn_buffer_append_char(&out, ')');
    const char *signature = syn_arena_strdup(arena, out.data);
    syn_buffer_release(&out);
    return signature;
}

/* The checked copy of a library function: same name and place. */
static const syn_function_info *checked_info(const syn_semantic_program *checked, const syn_function *function)
{
    if (!checked)
        return NULL;
    for (unsigned i = 0; i < checked->function_count; i++) {
        const syn_function *copy = checked->functions[i]->function;
        if (copy->location.source == function->location.source &&
            copy->location.first_line == function->location.first_line &&
            copy->location.first_column == function->location.first_column)
            return checked->functions[i];
    }
    return NULL;
}

static const char *function_signature(syn_arena *arena, const syn_function *function,
                                      const syn_function_info *info)
{
    syn_buffer out;
    syn_buffer_init(&out);
    syn_buffer_append_string(&out, function->name);
    append_type(&out, info ? info->return_type : function->annotation);
    syn_buffer_append_char(&out, '(');
    for (unsigned i = 0; i < function->parameter_count; i++) {
        syn_buffer_printf(&out, "%s%s", i ? ", " : "", function->parameters[i].name);
        append_type(&out, info ? info->parameters[i]->type : function->parameters[i].annotation);
    }
    syn_buffer_append_char(&out, ')');
    const char *signature = syn_arena_strdup(arena, out.data);
    syn_buffer_release(&out);
    return signature;
}

static const char *printed_point(syn_arena *arena, const syn_probe_point *point)
{
    syn_buffer out;
    syn_buffer_init(&out);
    syn_print_probe_point(&out, point);
    const char *text = syn_arena_strdup(arena, out.data ? out.data : "");
    syn_buffer_release(&out);
    return text;
}

static const char *alias_expansion(syn_arena *arena, const syn_probe *alias)
{
    syn_buffer out;
    syn_buffer_init(&out);
    syn_buffer_append_string(&out, alias->kind == SYN_PROBE_EPILOGUE_ALIAS ? "+=" : "=");
    for (unsigned i = 0; i < alias->points.count; i++) {
        syn_buffer_append_string(&out, i ? ", " : " ");
        syn_print_probe_point(&out, alias->points.items[i]);
    }
    const char *text = syn_arena_strdup(arena, out.data);
    syn_buffer_release(&out);
    return text;
}

static void attach_doc(syn_catalog *catalog, syn_catalog_entry *entry, const syn_library_file *file,
                       const syn_location *location)
{
    entry->file = file;
    entry->location = location;
    entry->doc_text = syn_outline_doc_at(&file->outline, location->first_line, location->first_column);
    if (entry->doc_text)
        syn_doc_parse(&entry->doc, entry->doc_text, &catalog->arena);
}

static void add_file_entries(syn_catalog *catalog, const syn_library_file *file, const syn_file *view,
                             const syn_semantic_program *checked)
{
    for (unsigned i = 0; i < view->count; i++) {
        const syn_item *item = &view->items[i];
        if (item->kind == SYN_ITEM_FUNCTION && !item->function->is_private) {
            const syn_function *function = item->function;
            syn_catalog_entry *entry = add_entry(catalog, SYN_CATALOG_FUNCTION, function->name);
            entry->signature = function_signature(&catalog->arena, function, checked_info(checked, function));
            attach_doc(catalog, entry, file, &function->location);
        } else if (item->kind == SYN_ITEM_PROBE && item->probe->kind != SYN_PROBE_PLAIN &&
                   !item->probe->is_private) {
            for (unsigned n = 0; n < item->probe->alias_names.count; n++) {
                const char *name = printed_point(&catalog->arena, item->probe->alias_names.items[n]);
                syn_catalog_entry *entry = add_entry(catalog, SYN_CATALOG_ALIAS, name);
                entry->signature = name;
                entry->expansion = alias_expansion(&catalog->arena, item->probe);
                attach_doc(catalog, entry, file, &item->probe->location);
            }
        }
    }
}

/* The whole library checked beside a script of one `probe never {}`. */
static syn_semantic_program *check_library(syn_state *state, syn_program *program, const syn_file *const *views,
                                           unsigned count, syn_diagnostics *diagnostics)
{
    syn_preprocessor_environment environment = syn_library_environment(state);
    syn_parse_result parsed = syn_program_parse(program, "<library check>", synthetic_script,
                                                sizeof(synthetic_script) - 1, diagnostics, &environment);
    if (!parsed.file)
        return NULL;
    syn_semantic_options options = {
        .library_files = views,
        .library_file_count = count,
        .whole_library = true,
    };
    return syn_semantic_check(program, diagnostics, &options);
}

syn_status syn_catalog_build(syn_state *state, syn_catalog *catalog, bool strict)
{
    memset(catalog, 0, sizeof(*catalog));
    syn_arena_init(&catalog->arena);
    /* While a script runs the library cannot change (syn_add_library_path
     * and the like refuse): reading it leaves the running program's trees be. */
    syn_diagnostics quiet;
    syn_diagnostics_init(&quiet);
    quiet.handler = NULL;
    syn_diagnostics *diagnostics = strict ? &state->diagnostics : &quiet;
    syn_diagnostics_begin(diagnostics);
    syn_status status = SYN_OK;
    if (!syn_library_parse_all(state, diagnostics) && strict)
        status = SYN_ERROR_SYNTAX;

    const syn_file **views;
    const syn_library_file **owners;
    unsigned count = syn_library_winners(state, &catalog->arena, &views, &owners);
    syn_program program;
    syn_program_init(&program);
    syn_semantic_program *checked = NULL;
    if (status == SYN_OK) {
        checked = check_library(state, &program, views, count, diagnostics);
        if (!checked && strict)
            status = SYN_ERROR_SEMANTIC;
    }
    if (status == SYN_OK) {
        for (unsigned i = 0; syn_builtin_at(i); i++) {
            const syn_builtin *builtin = syn_builtin_at(i);
            if (strncmp(builtin->name, "__", 2) == 0)
                continue;   /* internal, as `__` library names are */
            syn_catalog_entry *entry = add_entry(catalog, SYN_CATALOG_BUILTIN, builtin->name);
            entry->builtin = builtin;
            entry->signature = builtin_signature(&catalog->arena, builtin);
        }
        for (unsigned i = 0; i < count; i++)
            add_file_entries(catalog, owners[i], views[i], checked);
    }
    syn_semantic_program_free(checked);
    syn_program_release(&program);
    free(views);
    free(owners);
    syn_diagnostics_release(&quiet);
    return status;
}

void syn_catalog_release(syn_catalog *catalog)
{
    free(catalog->entries);
    syn_arena_release(&catalog->arena);
    memset(catalog, 0, sizeof(*catalog));
}
