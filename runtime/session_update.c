/* Loading more into a running script: syn_update, syn_unload and
 * syn_evaluate (what the REPL does).  The whole program is checked and
 * compiled again; the running one is then brought in line with it without
 * disturbing what did not change: a global whose layout is the same keeps
 * its map and so its values, a kernel program whose instructions are the
 * same stays attached as it is, and only the begin probes of the scripts
 * new to it run.  When anything fails the running program is left as it
 * was and the scripts loaded since the last update are taken back out. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "compiler/semantic.h"
#include "runtime/display.h"
#include "runtime/library.h"
#include "runtime/session.h"
#include "runtime/state.h"
#include "util/memory.h"

void syn_session_remember_files(syn_state *state)
{
    syn_session *session = state->session;
    uint32_t count = 0;
    for (syn_file *file = state->program.files; file; file = file->next)
        count++;
    free(session->applied);
    session->applied = syn_calloc(count + 1, sizeof(*session->applied));
    session->applied_count = 0;
    for (syn_file *file = state->program.files; file; file = file->next)
        session->applied[session->applied_count++] = file;
}

/* Back to the files the running program was made from. */
static void restore_files(syn_state *state)
{
    syn_session *session = state->session;
    syn_program *program = &state->program;
    program->files = program->last_file = NULL;
    for (uint32_t i = 0; i < session->applied_count; i++) {
        syn_file *file = session->applied[i];
        file->next = NULL;
        if (program->last_file)
            program->last_file->next = file;
        else
            program->files = file;
        program->last_file = file;
    }
}

/* The running program's compiled forms, kept while the next is made. */
typedef struct running {
    struct syn_semantic_program *checked;
    syn_ir_program *ir;
    syn_arena selection;
} running;

static syn_status fail(syn_state *state, running *old, syn_status status)
{
    syn_semantic_program_free(state->checked);
    syn_ir_program_free(state->ir);
    state->checked = old->checked;
    state->ir = old->ir;
    syn_library_restore_selection(&state->library, &old->selection);
    restore_files(state);
    state->diagnostics.at_run_time = true;
    return status;
}

static syn_verifier_log log_detail(const syn_state *state)
{
    return state->verbosity >= 2 ? SYN_VERIFIER_LOG_EVERY
         : state->verbosity == 1 ? SYN_VERIFIER_LOG_REJECTED
                                 : SYN_VERIFIER_LOG_NONE;
}

/* Loads and attaches the new version's kernel programs beside the running
 * ones; false (reported) when the kernel refuses one. */
static syn_status load_new_version(syn_state *state, syn_maps *maps, syn_bpf_object *object, syn_loader *loader)
{
    syn_session *session = state->session;
    char error[512];
    if (!syn_maps_adopt(maps, state->ir, &session->maps, error, sizeof(error))) {
        syn_error(&state->diagnostics, NULL, "%s", error);
        syn_maps_release_beside(maps, &session->maps);
        return SYN_ERROR_ATTACH;
    }
    if (!syn_bpf_generate(state->ir, syn_kernel_btf_source(&state->kernel), object, &state->diagnostics)) {
        syn_bpf_object_release(object);
        syn_maps_release_beside(maps, &session->maps);
        return SYN_ERROR_SEMANTIC;
    }
    syn_buffer log;
    syn_buffer_init(&log);
    syn_status status = syn_loader_update(loader, object, maps, &session->loader, &session->object, &session->maps,
                                          &state->diagnostics, log_detail(state), &log);
    if (log.length)
        syn_note(&state->diagnostics, NULL, "the kernel's BPF verifier log:\n%.*s", (int)log.length, log.data);
    syn_buffer_release(&log);
    if (status == SYN_OK)
        status = syn_loader_attach(loader, &state->kernel, &state->diagnostics);
    if (status != SYN_OK) {
        syn_loader_give_back(loader, &session->loader);
        syn_loader_release(loader);
        syn_bpf_object_release(object);
        syn_maps_release_beside(maps, &session->maps);
    }
    return status;
}

syn_status syn_update(syn_state *state)
{
    syn_session *session = state->session;
    if (!session) {
        syn_error(&state->diagnostics, NULL, "syn_update: no script is running (call syn_start first)");
        return SYN_ERROR_STATE;
    }
    if (session->finished) {
        syn_error(&state->diagnostics, NULL, "syn_update: the script has ended");
        return SYN_ERROR_STATE;
    }
    running old = {.checked = state->checked, .ir = state->ir};
    state->checked = NULL;
    state->ir = NULL;
    syn_library_keep_selection(&state->library, &old.selection);
    state->diagnostics.at_run_time = false;
    state->updating = true;
    state->growing = true;   /* from now on its statistics keep their layout */
    syn_status status = syn_compile(state);
    state->updating = false;
    if (status != SYN_OK)
        return fail(state, &old, status);

    syn_maps maps;
    syn_bpf_object object = {0};
    syn_loader loader;
    struct timespec started, attached;
    clock_gettime(CLOCK_MONOTONIC, &started);
    status = load_new_version(state, &maps, &object, &loader);
    if (status != SYN_OK)
        return fail(state, &old, status);
    clock_gettime(CLOCK_MONOTONIC, &attached);
    if (state->verbosity >= 1) {
        uint32_t kept = syn_loader_kept(&loader);
        syn_note(&state->diagnostics, NULL, "%u kernel programs attached in %.1f ms, %u kept as they were",
                 loader.count - kept,
                 (double)(attached.tv_sec - started.tv_sec) * 1e3 + (double)(attached.tv_nsec - started.tv_nsec) / 1e6,
                 kept);
    }

    /* What the old version's probes wrote is rendered with its tables. */
    if (session->ring)
        ring_buffer__consume(session->ring);
    syn_loader_release(&session->loader);        /* detaches the programs not taken over */
    syn_bpf_object_release(&session->object);
    syn_maps_release_beside(&session->maps, &maps);
    session->maps = maps;
    session->object = object;
    session->loader = loader;
    session->program = state->ir;
    syn_interpreter_free(session->interpreter);
    session->interpreter = syn_session_new_interpreter(state);
    syn_session_stop_timers(session);
    syn_semantic_program_free(old.checked);
    syn_ir_program_free(old.ir);
    syn_arena_release(&old.selection);
    syn_session_remember_files(state);

    state->diagnostics.at_run_time = true;
    syn_session_run_userspace(state, SYN_USERSPACE_BEGIN);
    if (!session->finished && !syn_session_start_timers(state))
        return SYN_ERROR_ATTACH;
    return session->failed ? SYN_ERROR_RUNTIME : SYN_OK;
}

syn_status syn_unload(syn_state *state, const char *chunk_name)
{
    if (!chunk_name)
        return SYN_ERROR_USAGE;
    for (syn_file *file = state->program.files; file; file = file->next) {
        if (strcmp(file->source->name, chunk_name) == 0) {
            syn_program_remove(&state->program, file);
            syn_state_program_changed(state);
            return SYN_OK;
        }
    }
    syn_error(&state->diagnostics, NULL, "no script named '%s' is loaded", chunk_name);
    return SYN_ERROR_USAGE;
}

syn_status syn_evaluate(syn_state *state, const char *chunk_name, const char *text, size_t length)
{
    if (!state->session)
        return SYN_ERROR_STATE;
    syn_status status = syn_load_statements(state, chunk_name, text, length);
    if (status != SYN_OK)
        return status;
    syn_file *added = state->program.last_file;
    syn_session *session = state->session;
    session->errors_forgiven = true;
    unsigned errors = state->diagnostics.error_count;
    status = syn_update(state);
    session->errors_forgiven = false;
    if (status == SYN_OK && state->diagnostics.error_count > errors)
        status = SYN_ERROR_RUNTIME;
    if (status == SYN_OK || status == SYN_ERROR_RUNTIME) {
        /* Ran once as a begin probe; the program goes back to what it was. */
        syn_program_remove(&state->program, added);
        syn_status after = state->session && !state->session->finished ? syn_update(state) : SYN_OK;
        if (status == SYN_OK)
            status = after;
    }
    return status;
}

syn_status syn_display(syn_state *state, const char *name)
{
    syn_session *session = state->session;
    if (!session)
        return SYN_ERROR_STATE;
    syn_buffer out;
    syn_buffer_init(&out);
    bool found = false;
    for (uint32_t i = 0; i < session->program->global_count; i++) {
        const char *global = session->program->globals[i].name;
        /* Hidden globals (the library's __ names, @entry's arrays) are its own business. */
        if (name ? strcmp(global, name) == 0 : strncmp(global, "__", 2) != 0 && global[0] != '@') {
            syn_display_global(&out, &session->maps, i, state->output_json);
            found = true;
        }
    }
    if (out.length)
        syn_state_output(state, out.data, out.length);
    syn_buffer_release(&out);
    if (name && !found) {
        syn_error(&state->diagnostics, NULL, "no global named '%s' in the running script", name);
        return SYN_ERROR_USAGE;
    }
    return SYN_OK;
}

unsigned syn_probe_count(const syn_state *state)
{
    return state->session ? state->session->program->probe_count : 0;
}

/* Runs of a loaded program, from the kernel's accounting (bpf_stats). */
static bool program_runs(const syn_session *session, const syn_ir_probe *probe, unsigned long long *runs)
{
    for (uint32_t p = 0; p < session->loader.count; p++) {
        const syn_loaded_program *loaded = &session->loader.programs[p];
        if (loaded->program->probe != probe || loaded->fd < 0)
            continue;
        struct bpf_prog_info info;
        uint32_t length = sizeof(info);
        memset(&info, 0, sizeof(info));
        if (bpf_obj_get_info_by_fd(loaded->fd, &info, &length) != 0)
            return false;
        *runs = info.run_cnt;
        return true;
    }
    return false;
}

syn_status syn_probe_status_at(syn_state *state, unsigned index, syn_probe_status *status)
{
    syn_session *session = state->session;
    if (!session || index >= session->program->probe_count)
        return SYN_ERROR_USAGE;
    const syn_ir_probe *probe = &session->program->probes[index];
    memset(status, 0, sizeof(*status));
    status->chunk = probe->derived->file->source->name;
    status->point = probe->point;
    status->in_kernel = probe->in_kernel;
    status->hits_known = probe->in_kernel && state->stats_fd >= 0 && program_runs(session, probe, &status->hits);
    return SYN_OK;
}

syn_status syn_count_hits(syn_state *state, bool on)
{
    if (!on) {
        if (state->stats_fd >= 0)
            close(state->stats_fd);
        state->stats_fd = -1;
        return SYN_OK;
    }
    if (state->stats_fd < 0)
        state->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (state->stats_fd < 0) {
        syn_error(&state->diagnostics, NULL, "the kernel's accounting of BPF programs cannot be turned on: %s",
                  strerror(errno));
        return SYN_ERROR_PERMISSION;
    }
    return SYN_OK;
}

unsigned long long syn_lost_events(const syn_state *state)
{
    return state->session ? syn_maps_lost_events(&state->session->maps) : 0;
}
