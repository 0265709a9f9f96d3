/* The public API's view of the library: syn --doc NAME, --dump-functions,
 * --dump-probe-aliases and the Markdown reference page (doc/stdlib.md). */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/library_catalog.h"
#include "runtime/state.h"
#include "util/buffer.h"
#include "util/memory.h"

static void flush(syn_state *state, syn_buffer *out)
{
    if (out->length)
        syn_state_output(state, out->data, out->length);
    syn_buffer_release(out);
}

static int compare_entries(const void *a, const void *b)
{
    const syn_catalog_entry *first = *(const syn_catalog_entry *const *)a;
    const syn_catalog_entry *second = *(const syn_catalog_entry *const *)b;
    int order = strcmp(first->name, second->name);
    if (order)
        return order;
    return strcmp(first->signature, second->signature);
}

/* The entries of the given kinds, sorted by name; free() the array. */
static const syn_catalog_entry **sorted(const syn_catalog *catalog, bool (*wanted)(const syn_catalog_entry *),
                                        unsigned *count)
{
    const syn_catalog_entry **items = syn_calloc(catalog->count + 1, sizeof(*items));
    *count = 0;
    for (unsigned i = 0; i < catalog->count; i++) {
        if (wanted(&catalog->entries[i]))
            items[(*count)++] = &catalog->entries[i];
    }
    if (*count)
        qsort(items, *count, sizeof(*items), compare_entries);
    return items;
}

static bool is_function(const syn_catalog_entry *entry)
{
    return entry->kind != SYN_CATALOG_ALIAS;
}

static bool is_alias(const syn_catalog_entry *entry)
{
    return entry->kind == SYN_CATALOG_ALIAS;
}

static bool any_entry(const syn_catalog_entry *entry)
{
    (void)entry;
    return true;
}

/* ---- syn --doc NAME ----------------------------------------------------- */

static void indented(syn_buffer *out, const char *text)
{
    for (const char *line = text; *line;) {
        const char *newline = strchr(line, '\n');
        size_t length = newline ? (size_t)(newline - line) : strlen(line);
        if (length)
            syn_buffer_printf(out, "    %.*s\n", (int)length, line);
        else
            syn_buffer_append_char(out, '\n');
        line = newline ? newline + 1 : line + length;
    }
}

static const char *where_builtins_run(const syn_builtin *builtin)
{
    if (builtin->in_kernel && builtin->in_userspace)
        return "kernel probes and syn's own (begin, end, error, timers)";
    if (builtin->in_kernel)
        return "kernel probes only";
    return "syn's own probes only (begin, end, error, timers)";
}

static void document_entry(syn_buffer *out, const syn_catalog_entry *entry)
{
    const char *summary = entry->kind == SYN_CATALOG_BUILTIN ? entry->builtin->summary : entry->doc.summary;
    syn_buffer_printf(out, "NAME\n    %s%s%s%s\n\nSYNOPSIS\n    %s%s%s%s\n",
                      entry->kind == SYN_CATALOG_ALIAS ? "probe " : "function ", entry->name,
                      summary && *summary ? " - " : "", summary ? summary : "",
                      entry->kind == SYN_CATALOG_ALIAS ? "probe " : "", entry->signature,
                      entry->expansion ? " " : "", entry->expansion ? entry->expansion : "");
    if (entry->doc.parameter_count) {
        syn_buffer_printf(out, "\n%s\n", entry->kind == SYN_CATALOG_ALIAS ? "VALUES" : "ARGUMENTS");
        for (unsigned i = 0; i < entry->doc.parameter_count; i++)
            syn_buffer_printf(out, "    %s: %s\n", entry->doc.parameters[i].name, entry->doc.parameters[i].text);
    }
    if (entry->doc.description) {
        syn_buffer_append_string(out, "\nDESCRIPTION\n");
        indented(out, entry->doc.description);
    }
    if (entry->kind == SYN_CATALOG_BUILTIN) {
        syn_buffer_printf(out, "\nBUILT IN\n    runs in %s\n", where_builtins_run(entry->builtin));
    } else {
        syn_buffer_printf(out, "\nFILE\n    %s:%u\n", entry->file->path, entry->location->first_line);
        if (!entry->doc_text)
            syn_buffer_append_string(out, "    (no doc comment)\n");
    }
}

syn_status syn_document(syn_state *state, const char *name)
{
    if (!name || !*name)
        return SYN_ERROR_USAGE;
    syn_catalog catalog;
    syn_status status = syn_catalog_build(state, &catalog, false);
    if (status != SYN_OK) {
        syn_catalog_release(&catalog);
        return status;
    }
    unsigned count;
    const syn_catalog_entry **entries = sorted(&catalog, any_entry, &count);
    syn_buffer out;
    syn_buffer_init(&out);
    unsigned found = 0;
    for (unsigned i = 0; i < count; i++) {
        if (fnmatch(name, entries[i]->name, 0) != 0)
            continue;
        if (found++)
            syn_buffer_append_char(&out, '\n');
        document_entry(&out, entries[i]);
    }
    flush(state, &out);
    free(entries);
    syn_catalog_release(&catalog);
    if (!found) {
        syn_error(&state->diagnostics, NULL,
                  "no built-in function, library function or probe alias is named '%s' (syn --dump-functions "
                  "and syn --dump-probe-aliases list them)",
                  name);
        return SYN_ERROR_USAGE;
    }
    return SYN_OK;
}

/* ---- the listings ---------------------------------------------------------- */

static syn_status list(syn_state *state, bool (*wanted)(const syn_catalog_entry *))
{
    syn_catalog catalog;
    syn_status status = syn_catalog_build(state, &catalog, true);
    if (status == SYN_OK) {
        unsigned count;
        const syn_catalog_entry **entries = sorted(&catalog, wanted, &count);
        syn_buffer out;
        syn_buffer_init(&out);
        for (unsigned i = 0; i < count; i++) {
            syn_buffer_append_string(&out, entries[i]->signature);
            if (entries[i]->expansion)
                syn_buffer_printf(&out, " %s", entries[i]->expansion);
            syn_buffer_append_char(&out, '\n');
        }
        flush(state, &out);
        free(entries);
    }
    syn_catalog_release(&catalog);
    return status;
}

syn_status syn_dump_functions(syn_state *state)
{
    return list(state, is_function);
}

syn_status syn_dump_probe_aliases(syn_state *state)
{
    return list(state, is_alias);
}

/* ---- the reference page ---------------------------------------------------- */

static void reference_entry(syn_buffer *out, const syn_catalog_entry *entry)
{
    syn_buffer_printf(out, "### `%s%s`\n\n", entry->kind == SYN_CATALOG_ALIAS ? "probe " : "", entry->signature);
    if (entry->doc.summary && *entry->doc.summary)
        syn_buffer_printf(out, "%s.\n\n", entry->doc.summary);
    if (entry->expansion)
        syn_buffer_printf(out, "Expands to `%s`.\n\n", entry->expansion + (entry->expansion[0] == '+' ? 3 : 2));
    if (entry->doc.parameter_count) {
        syn_buffer_printf(out, "%s:\n\n", entry->kind == SYN_CATALOG_ALIAS ? "Values" : "Arguments");
        for (unsigned i = 0; i < entry->doc.parameter_count; i++)
            syn_buffer_printf(out, "- `%s`: %s\n", entry->doc.parameters[i].name, entry->doc.parameters[i].text);
        syn_buffer_append_char(out, '\n');
    }
    if (entry->doc.description)
        syn_buffer_printf(out, "%s\n\n", entry->doc.description);
}

/* What the doc comment opening a file says about it (lang/outline.h). */
static void file_section(syn_buffer *out, const syn_library_file *file, syn_arena *arena)
{
    if (!file->outline.file_doc)
        return;
    syn_doc doc;
    syn_doc_parse(&doc, file->outline.file_doc, arena);
    if (*doc.summary)
        syn_buffer_printf(out, "%s.\n\n", doc.summary);
    if (doc.description)
        syn_buffer_printf(out, "%s\n\n", doc.description);
}

/* Undocumented or misnamed entries make the page worse without failing it. */
static void check_doc(syn_state *state, const syn_catalog_entry *entry)
{
    const char *what = entry->kind == SYN_CATALOG_ALIAS ? "probe alias" : "function";
    if (!entry->doc_text)
        syn_warning(&state->diagnostics, entry->location, "%s '%s' has no doc comment", what, entry->name);
    else if (entry->doc.name && strcmp(entry->doc.name, entry->name) != 0)
        syn_warning(&state->diagnostics, entry->location, "the doc comment of %s '%s' names '%s'", what,
                    entry->name, entry->doc.name);
}

syn_status syn_document_library(syn_state *state)
{
    syn_catalog catalog;
    syn_status status = syn_catalog_build(state, &catalog, true);
    if (status != SYN_OK) {
        syn_catalog_release(&catalog);
        return status;
    }
    syn_buffer out;
    syn_buffer_init(&out);
    syn_buffer_append_string(&out,
                             "# The standard library\n\n"
                             "<!-- Generated from the library's doc comments by `syn --doc-reference` "
                             "(make stdlib-doc): edit those, not this page. -->\n\n"
                             "Functions and probe aliases a script uses without declaring them. A library "
                             "file joins a script only when the script uses something it defines; "
                             "doc/library.md tells how. `syn --doc NAME` shows one entry.\n");
    const syn_library_file *current = NULL;
    for (unsigned i = 0; i < catalog.count; i++) {
        const syn_catalog_entry *entry = &catalog.entries[i];
        /* A leading "__" marks a library's internals, as in SystemTap's
         * tapsets: no script should call them, so the reference leaves them out. */
        if (entry->kind == SYN_CATALOG_BUILTIN || strncmp(entry->name, "__", 2) == 0)
            continue;
        if (entry->file != current) {
            current = entry->file;
            syn_buffer_printf(&out, "\n## %s\n\n", current->relative);
            file_section(&out, current, &catalog.arena);
        }
        check_doc(state, entry);
        reference_entry(&out, entry);
    }
    /* One newline at the end, whatever the last entry ended with. */
    while (out.length > 1 && out.data[out.length - 1] == '\n' && out.data[out.length - 2] == '\n')
        out.data[--out.length] = '\0';
    flush(state, &out);
    syn_catalog_release(&catalog);
    return SYN_OK;
}
