/* Pulling library files into a check, on demand.  Starting from the
 * script's files, every need that no loaded file meets is looked up in the
 * outlines of the library's files, in search order; a file whose outline
 * may provide it is parsed, and pulled in when its tree really does.  What
 * a pulled file needs in turn joins the list, so one pass over the growing
 * list reaches the fixed point.  A pulled file is seen through a view
 * without the public definitions already loaded: the script's own
 * definitions win over the library's, and between library files the one
 * pulled first wins. */
#include "runtime/library.h"

#include <fnmatch.h>
#include <string.h>

#include "compiler/library.h"
#include "compiler/semantic.h"
#include "lang/parse.h"
#include "runtime/state.h"
#include "util/memory.h"

void syn_library_init(syn_library *library)
{
    memset(library, 0, sizeof(*library));
    syn_arena_init(&library->arena);
    syn_arena_init(&library->selection);
}

void syn_library_release(syn_library *library)
{
    for (unsigned i = 0; i < library->directory_count; i++)
        free(library->directories[i]);
    free(library->directories);
    for (unsigned i = 0; i < library->file_count; i++) {
        syn_library_file *file = &library->files[i];
        free(file->path);
        free(file->relative);
        free(file->untrusted);
        syn_source_free(file->source);
        syn_outline_release(&file->outline);
    }
    free(library->files);
    free(library->pulled);
    syn_arena_release(&library->arena);
    syn_arena_release(&library->selection);
    syn_library_init(library);
}

void syn_library_forget(syn_library *library)
{
    library->stale = true;
}

/* Library files see the kernel the script sees, but not its arguments:
 * $1 belongs to the script. */
static syn_preprocessor_environment library_environment(syn_state *state)
{
    return (syn_preprocessor_environment){
        .kernel_release = state->kernel_release,
        .architecture = state->architecture,
        .config_lookup = syn_kernel_config_lookup,
        .config_context = &state->kernel_config,
    };
}

/* A file is parsed once it parses; one that did not is parsed again
 * whenever it is asked for, so that its errors reach whoever asks now. */
static const syn_file *parse_file(syn_state *state, syn_library_file *file, syn_diagnostics *diagnostics)
{
    if (file->file)
        return file->file;
    if (file->untrusted) {
        syn_error(diagnostics, NULL, "%s", file->untrusted);
        file->tried = true;
        return NULL;
    }
    syn_preprocessor_environment environment = library_environment(state);
    syn_parse_result result = syn_parse(file->source, &state->library.arena, diagnostics, &environment);
    file->parsed = true;
    file->tried = true;
    file->file = result.file;
    return file->file;
}

/* Whether a file's outline names something that may meet the need. */
static bool outline_may_provide(const syn_outline *outline, const syn_need *need)
{
    syn_outline_kind kind = need->kind == SYN_NEED_FUNCTION ? SYN_OUTLINE_FUNCTION
                            : need->kind == SYN_NEED_GLOBAL ? SYN_OUTLINE_GLOBAL
                                                            : SYN_OUTLINE_ALIAS;
    const char *first = need->kind == SYN_NEED_PROBE_POINT ? need->point->components[0].name : NULL;
    for (unsigned i = 0; i < outline->count; i++) {
        const syn_outline_entry *entry = &outline->entries[i];
        if (entry->kind != kind || entry->is_private)
            continue;
        if (!first) {
            if (strcmp(entry->name, need->name) == 0)
                return true;
        } else if (strcmp(first, "**") == 0 || strcmp(entry->name, "*") == 0 ||
                   fnmatch(first, entry->name, 0) == 0) {
            return true;
        }
    }
    return false;
}

typedef struct selection {
    syn_state *state;
    const syn_file **loaded;   /* the script's files, then the views pulled */
    unsigned loaded_count;
    unsigned script_count;
    syn_need_list needs;
    bool failed;
} selection;

static void load(selection *s, const syn_file *file)
{
    s->loaded = syn_realloc(s->loaded, (s->loaded_count + 1) * sizeof(*s->loaded));
    s->loaded[s->loaded_count++] = file;
    syn_needs_collect(&s->needs, file);
}

static void pull(selection *s, syn_library_file *file, const syn_need *need)
{
    syn_library *library = &s->state->library;
    const syn_file *view = syn_library_view(&library->selection, file->file, s->loaded, s->loaded_count);
    file->pulled = true;
    if (s->state->verbosity >= 1)
        syn_note(&s->state->diagnostics, NULL, "library file %s pulled in for %s", file->path,
                 syn_need_describe(need, &library->selection));
    load(s, view);
}

/* The library files that meet one need, in search order. */
static void provide(selection *s, const syn_need *need)
{
    syn_library *library = &s->state->library;
    bool every = syn_need_takes_every_provider(need);
    for (unsigned i = 0; i < library->file_count; i++) {
        syn_library_file *file = &library->files[i];
        if (file->pulled || !outline_may_provide(&file->outline, need))
            continue;
        if (!parse_file(s->state, file, &s->state->diagnostics)) {
            s->failed = true;
            continue;
        }
        if (!syn_file_provides(file->file, need))
            continue;
        pull(s, file, need);
        if (!every)
            return;
    }
}

/* A stale library is dropped before it is used again; the last check's
 * program refers to its trees, so that goes too. */
static void refresh(syn_state *state)
{
    if (!state->library.stale)
        return;
    syn_ir_program_free(state->ir);
    state->ir = NULL;
    syn_semantic_program_free(state->checked);
    state->checked = NULL;
    syn_library_release(&state->library);
}

void syn_library_keep_selection(syn_library *library, syn_arena *kept)
{
    *kept = library->selection;
    syn_arena_init(&library->selection);
}

void syn_library_restore_selection(syn_library *library, syn_arena *kept)
{
    syn_arena_release(&library->selection);
    library->selection = *kept;
    syn_arena_init(kept);
    library->pulled_count = 0;   /* the views pulled by the failed check are gone */
}

static void prepare(syn_state *state)
{
    syn_library *library = &state->library;
    refresh(state);
    syn_arena_release(&library->selection);
    syn_arena_init(&library->selection);
    library->pulled_count = 0;
    for (unsigned i = 0; i < library->file_count; i++)
        library->files[i].pulled = library->files[i].tried = false;
}

/* A verbose check also parses the files it did not need, and says which
 * ones do not parse, as stap -v does: without -v they cannot get in the
 * way of a script that does not need them. */
typedef struct downgrade {
    syn_diagnostics *diagnostics;
    const syn_source *source;
} downgrade;

static void report_as_warning(const syn_diagnostic *diagnostic, void *user_data)
{
    const downgrade *target = user_data;
    syn_location location = {
        .source = target->source,
        .first_line = diagnostic->line,
        .first_column = diagnostic->column,
        .last_line = diagnostic->end_line,
        .last_column = diagnostic->end_column,
    };
    const syn_location *where = diagnostic->file ? &location : NULL;
    if (diagnostic->severity == SYN_SEVERITY_NOTE)
        syn_note(target->diagnostics, where, "%s", diagnostic->message);
    else
        syn_warning(target->diagnostics, where, "%s", diagnostic->message);
}

static void survey(syn_state *state)
{
    syn_library *library = &state->library;
    for (unsigned i = 0; i < library->file_count; i++) {
        syn_library_file *file = &library->files[i];
        if (file->file || file->tried)
            continue;
        downgrade target = {.diagnostics = &state->diagnostics, .source = file->source};
        syn_diagnostics quiet;
        syn_diagnostics_init(&quiet);
        quiet.handler = report_as_warning;
        quiet.user_data = &target;
        if (!parse_file(state, file, &quiet))
            syn_warning(&state->diagnostics, NULL, "library file %s is skipped: it does not parse", file->path);
        syn_diagnostics_release(&quiet);
    }
}

bool syn_library_select(syn_state *state)
{
    syn_library *library = &state->library;
    prepare(state);
    selection s = {.state = state};
    syn_need_list_init(&s.needs);
    for (const syn_file *file = state->program.files; file; file = file->next)
        load(&s, file);
    s.script_count = s.loaded_count;
    if (state->verbosity >= 1 && !library->listed)
        syn_library_list(state);
    for (unsigned n = 0; n < s.needs.count; n++) {
        /* Pulling a file grows the list: work on a copy. */
        syn_need need = s.needs.items[n];
        if (!syn_need_takes_every_provider(&need) && syn_need_met(&need, s.loaded, s.loaded_count))
            continue;
        if (!library->listed)
            syn_library_list(state);
        provide(&s, &need);
    }
    library->pulled_count = s.loaded_count - s.script_count;
    free(library->pulled);
    library->pulled = syn_calloc(library->pulled_count + 1, sizeof(*library->pulled));
    if (library->pulled_count)
        memcpy(library->pulled, s.loaded + s.script_count, library->pulled_count * sizeof(*library->pulled));
    free(s.loaded);
    syn_need_list_release(&s.needs);
    if (state->verbosity >= 1)
        survey(state);
    return !s.failed;
}

bool syn_library_parse_all(syn_state *state, syn_diagnostics *diagnostics)
{
    syn_library *library = &state->library;
    refresh(state);
    if (!library->listed)
        syn_library_list(state);
    bool parsed = true;
    for (unsigned i = 0; i < library->file_count; i++) {
        if (!parse_file(state, &library->files[i], diagnostics))
            parsed = false;
    }
    return parsed;
}

syn_preprocessor_environment syn_library_environment(syn_state *state)
{
    return library_environment(state);
}

unsigned syn_library_winners(syn_state *state, syn_arena *arena, const syn_file ***views,
                             const syn_library_file ***owners)
{
    syn_library *library = &state->library;
    *views = syn_calloc(library->file_count + 1, sizeof(**views));
    *owners = syn_calloc(library->file_count + 1, sizeof(**owners));
    unsigned count = 0;
    for (unsigned i = 0; i < library->file_count; i++) {
        if (!library->files[i].file)
            continue;
        (*owners)[count] = &library->files[i];
        (*views)[count] = syn_library_view(arena, library->files[i].file, *views, count);
        count++;
    }
    return count;
}
