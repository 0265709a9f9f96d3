/* The public API: state lifecycle, options, loading, checking and dumps. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "compiler/lower.h"
#include "compiler/semantic.h"
#include "runtime/probes/family.h"
#include "lang/print.h"
#include "runtime/state.h"
#include "runtime/trust.h"
#include "util/buffer.h"
#include "util/memory.h"

const char *syn_version(void)
{
    return SYN_VERSION;
}

const char *syn_status_string(syn_status status)
{
    switch (status) {
    case SYN_OK: return "success";
    case SYN_ERROR_USAGE: return "invalid argument or option";
    case SYN_ERROR_IO: return "cannot read the script";
    case SYN_ERROR_SYNTAX: return "syntax error";
    case SYN_ERROR_SEMANTIC: return "semantic error";
    case SYN_ERROR_VERIFIER: return "rejected by the kernel's BPF verifier";
    case SYN_ERROR_ATTACH: return "the kernel refused to attach a probe";
    case SYN_ERROR_PERMISSION: return "missing privilege";
    case SYN_ERROR_RUNTIME: return "runtime error in the script";
    case SYN_ERROR_UNSUPPORTED: return "not supported";
    case SYN_ERROR_STATE: return "not valid at this point";
    case SYN_ERROR_INCOMPLETE: return "the script ends where more was expected";
    }
    return "unknown status";
}

/* SystemTap names architectures after the kernel's arch/ folders. */
static const char *systemtap_architecture(const char *machine)
{
    if (strcmp(machine, "aarch64") == 0)
        return "arm64";
    if (strncmp(machine, "ppc", 3) == 0)
        return "powerpc";
    if (strncmp(machine, "s390", 4) == 0)
        return "s390";
    if (machine[0] == 'i' && strcmp(machine + 2, "86") == 0)
        return "i386";
    if (strncmp(machine, "arm", 3) == 0)
        return "arm";
    return machine;
}

syn_state *syn_new(void)
{
    syn_state *state = syn_calloc(1, sizeof(*state));
    syn_diagnostics_init(&state->diagnostics);
    syn_program_init(&state->program);
    syn_library_init(&state->library);
    state->stats_fd = -1;
    struct utsname name;
    if (uname(&name) == 0) {
        state->kernel_release = syn_strdup(name.release);
        state->architecture = syn_strdup(systemtap_architecture(name.machine));
    } else {
        state->kernel_release = syn_strdup("");
        state->architecture = syn_strdup("");
    }
    syn_kernel_config_init(&state->kernel_config, state->kernel_release);
    syn_kernel_init(&state->kernel);
    state->resolver = syn_probe_resolver_for(&state->kernel);
    return state;
}

static void release_strings(char **strings, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        free(strings[i]);
    free(strings);
}

void syn_free(syn_state *state)
{
    if (!state)
        return;
    syn_session_free(state);
    syn_count_hits(state, false);
    syn_state_release_hosts(state);
    free(state->returned_string);
    free(state->returned_buckets);
    free(state->returned_lows);
    syn_ir_program_free(state->ir);
    syn_semantic_program_free(state->checked);
    syn_program_release(&state->program);
    syn_library_release(&state->library);
    syn_kernel_release(&state->kernel);
    release_strings(state->arguments, (unsigned)state->argument_count);
    syn_settings_release(&state->defines);
    syn_settings_release(&state->global_initializers);
    release_strings(state->library_paths, state->library_path_count);
    syn_kernel_config_release(&state->kernel_config);
    syn_diagnostics_release(&state->diagnostics);
    free(state->kernel_release);
    free(state->architecture);
    free(state);
}

void syn_set_diagnostic_handler(syn_state *state, syn_diagnostic_handler handler, void *user_data)
{
    state->diagnostics.handler = handler;
    state->diagnostics.user_data = user_data;
}

void syn_set_output_handler(syn_state *state, syn_output_handler handler, void *user_data)
{
    state->output_handler = handler;
    state->output_data = user_data;
    state->output_file = NULL;
}

void syn_set_output_file(syn_state *state, FILE *file)
{
    state->output_handler = NULL;
    state->output_file = file;
}

void syn_set_warning_mode(syn_state *state, syn_warning_mode mode)
{
    state->diagnostics.warning_mode = mode;
}

void syn_state_output(syn_state *state, const char *text, size_t length)
{
    if (state->output_handler) {
        state->output_handler(text, length, state->output_data);
        return;
    }
    FILE *file = state->output_file ? state->output_file : stdout;
    fwrite(text, 1, length, file);
}

unsigned syn_error_count(const syn_state *state)
{
    return state->diagnostics.error_count;
}

unsigned syn_warning_count(const syn_state *state)
{
    return state->diagnostics.warning_count;
}

syn_status syn_set_arguments(syn_state *state, int count, const char *const *arguments)
{
    if (count < 0 || (count > 0 && !arguments))
        return SYN_ERROR_USAGE;
    release_strings(state->arguments, (unsigned)state->argument_count);
    state->arguments = syn_calloc((size_t)count + 1, sizeof(char *));
    for (int i = 0; i < count; i++)
        state->arguments[i] = syn_strdup(arguments[i] ? arguments[i] : "");
    state->argument_count = count;
    return SYN_OK;
}

static bool valid_name(const char *name)
{
    if (!name || !*name || (*name >= '0' && *name <= '9'))
        return false;
    for (const char *c = name; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return false;
    }
    return true;
}

syn_status syn_define(syn_state *state, const char *name, const char *value)
{
    if (!valid_name(name) || !value)
        return SYN_ERROR_USAGE;
    syn_settings_set(&state->defines, name, value);
    return SYN_OK;
}

syn_status syn_set_global_initializer(syn_state *state, const char *name, const char *value)
{
    if (!valid_name(name) || !value)
        return SYN_ERROR_USAGE;
    syn_settings_set(&state->global_initializers, name, value);
    return SYN_OK;
}

syn_status syn_add_library_path(syn_state *state, const char *directory)
{
    if (!directory || !*directory)
        return SYN_ERROR_USAGE;
    /* The running program's library trees must outlive it. */
    if (state->session)
        return SYN_ERROR_STATE;
    state->library_paths = syn_realloc(state->library_paths,
                                       (state->library_path_count + 1) * sizeof(char *));
    state->library_paths[state->library_path_count++] = syn_strdup(directory);
    syn_library_forget(&state->library);
    return SYN_OK;
}

syn_status syn_set_kernel_release(syn_state *state, const char *release)
{
    if (!release || !*release)
        return SYN_ERROR_USAGE;
    /* The running program's library trees must outlive it. */
    if (state->session)
        return SYN_ERROR_STATE;
    free(state->kernel_release);
    state->kernel_release = syn_strdup(release);
    syn_kernel_config_release(&state->kernel_config);
    syn_kernel_config_init(&state->kernel_config, release);
    syn_library_forget(&state->library);
    return SYN_OK;
}

syn_status syn_set_architecture(syn_state *state, const char *architecture)
{
    if (!architecture || !*architecture)
        return SYN_ERROR_USAGE;
    /* The running program's library trees must outlive it. */
    if (state->session)
        return SYN_ERROR_STATE;
    free(state->architecture);
    state->architecture = syn_strdup(architecture);
    syn_library_forget(&state->library);
    return SYN_OK;
}

void syn_set_output_format(syn_state *state, syn_output_kind format)
{
    state->output_json = format == SYN_OUTPUT_JSON;
}

void syn_set_growing(syn_state *state, bool growing)
{
    state->growing = growing;
}

void syn_set_background_detach(syn_state *state, bool background)
{
    state->background_detach = background;
}

syn_status syn_set_kernel_features(syn_state *state, const char *features)
{
    char error[256];
    if (!features || !syn_kernel_features_force(&state->kernel.features, features, error, sizeof(error))) {
        syn_error(&state->diagnostics, NULL, "kernel features: %s", features ? error : "none given");
        return SYN_ERROR_USAGE;
    }
    return SYN_OK;
}

void syn_set_target_command(syn_state *state, const char *command)
{
    free(state->kernel.target_command);
    state->kernel.target_command = command ? syn_strdup(command) : NULL;
}

static syn_status load(syn_state *state, const char *chunk_name, const char *text, size_t length, bool statements)
{
    if (!text)
        return SYN_ERROR_USAGE;
    syn_diagnostics_begin(&state->diagnostics);
    syn_preprocessor_environment environment = {
        .kernel_release = state->kernel_release,
        .architecture = state->architecture,
        .arguments = (const char *const *)state->arguments,
        .argument_count = state->argument_count,
        .config_lookup = syn_kernel_config_lookup,
        .config_context = &state->kernel_config,
        .probe_exists = syn_probe_point_exists,
        .probe_context = state,
    };
    const char *name = chunk_name ? chunk_name : "<input>";
    syn_parse_result result =
        statements ? syn_program_parse_statements(&state->program, name, text, length, &state->diagnostics,
                                                  &environment)
                   : syn_program_parse(&state->program, name, text, length, &state->diagnostics, &environment);
    if (!result.file)
        return result.incomplete ? SYN_ERROR_INCOMPLETE : SYN_ERROR_SYNTAX;
    syn_state_program_changed(state);
    return SYN_OK;
}

void syn_state_program_changed(syn_state *state)
{
    if (state->session)
        return;
    syn_ir_program_free(state->ir);
    state->ir = NULL;
    syn_semantic_program_free(state->checked);
    state->checked = NULL;
}

syn_status syn_load_string(syn_state *state, const char *chunk_name, const char *text, size_t length)
{
    return load(state, chunk_name, text, length, false);
}

syn_status syn_load_statements(syn_state *state, const char *chunk_name, const char *text, size_t length)
{
    return load(state, chunk_name, text, length, true);
}

static syn_status read_whole_file(syn_state *state, const char *path, syn_buffer *content)
{
    int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        syn_error(&state->diagnostics, NULL, "cannot open '%s': %s", path, strerror(errno));
        return SYN_ERROR_IO;
    }
    struct stat info;
    if (fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
        syn_error(&state->diagnostics, NULL, "cannot read '%s': it is a directory", path);
        close(fd);
        return SYN_ERROR_IO;
    }
    char why[PATH_MAX * 2 + 200];
    if (strcmp(path, "-") != 0 && !syn_file_trusted(path, &info, why, sizeof(why))) {
        syn_error(&state->diagnostics, NULL, "%s", why);
        close(fd);
        return SYN_ERROR_PERMISSION;
    }
    char chunk[65536];
    for (;;) {
        ssize_t count = read(fd, chunk, sizeof(chunk));
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            syn_error(&state->diagnostics, NULL, "cannot read '%s': %s", path, strerror(errno));
            close(fd);
            return SYN_ERROR_IO;
        }
        if (count == 0)
            break;
        syn_buffer_append(content, chunk, (size_t)count);
    }
    close(fd);
    return SYN_OK;
}

syn_status syn_load_file(syn_state *state, const char *path)
{
    if (!path)
        return SYN_ERROR_USAGE;
    syn_buffer content;
    syn_buffer_init(&content);
    syn_status status = read_whole_file(state, path, &content);
    if (status == SYN_OK)
        status = syn_load_string(state, strcmp(path, "-") == 0 ? "<stdin>" : path,
                                 content.data ? content.data : "", content.length);
    syn_buffer_release(&content);
    return status;
}

syn_status syn_check(syn_state *state)
{
    if (state->session && !state->updating) {
        syn_error(&state->diagnostics, NULL, "syn_check: a script is running; syn_update checks what was loaded since");
        return SYN_ERROR_STATE;
    }
    if (!state->program.files) {
        syn_error(&state->diagnostics, NULL, "no script was loaded");
        return SYN_ERROR_STATE;
    }
    syn_diagnostics_begin(&state->diagnostics);
    syn_ir_program_free(state->ir);
    state->ir = NULL;
    syn_semantic_program_free(state->checked);
    state->checked = NULL;
    /* The library files the program needs join it here, before any name is
     * resolved (runtime/library.c). */
    if (!syn_library_select(state))
        return SYN_ERROR_SYNTAX;
    syn_semantic_options options = {
        .global_initializers = state->global_initializers.items,
        .global_initializer_count = state->global_initializers.count,
        .resolver = &state->resolver,
        .library_files = state->library.pulled,
        .library_file_count = state->library.pulled_count,
        .host_functions = state->host_signatures,
        .host_function_count = state->host_count,
    };
    state->checked = syn_semantic_check(&state->program, &state->diagnostics, &options);
    return state->checked ? SYN_OK : SYN_ERROR_SEMANTIC;
}

static bool define_number(syn_state *state, const char *name, uint32_t fallback, uint32_t minimum,
                          uint32_t maximum, uint32_t *value)
{
    const char *text = syn_settings_get(&state->defines, name);
    *value = fallback;
    if (!text)
        return true;
    char *end;
    errno = 0;
    unsigned long long number = strtoull(text, &end, 0);
    if (errno || *end || number < minimum || number > maximum) {
        syn_error(&state->diagnostics, NULL, "-D %s=%s: expected a number from %u to %u", name, text, minimum,
                  maximum);
        return false;
    }
    *value = (uint32_t)number;
    return true;
}

static struct btf *kernel_types(void *context)
{
    return syn_kernel_btf(context);
}

syn_status syn_compile(syn_state *state)
{
    if (state->ir)
        return SYN_OK;
    if (!state->checked) {
        syn_status status = syn_check(state);
        if (status != SYN_OK)
            return status;
    }
    syn_lower_options options = {.btf = kernel_types, .btf_context = &state->kernel, .growing = state->growing};
    if (!define_number(state, "MAXSTRINGLEN", 512, 16, 4096, &options.max_string_length) ||
        !define_number(state, "MAXMAPENTRIES", 2048, 1, 1u << 24, &options.max_map_entries))
        return SYN_ERROR_USAGE;
    syn_diagnostics_begin(&state->diagnostics);
    state->ir = syn_lower(state->checked, &options, &state->diagnostics);
    return state->ir ? SYN_OK : SYN_ERROR_SEMANTIC;
}

syn_status syn_dump(syn_state *state, int stage)
{
    syn_buffer out;
    syn_buffer_init(&out);
    syn_status status = SYN_OK;
    if (stage == 1) {
        syn_buffer_append_string(&out, "# parse tree dump\n");
        for (const syn_file *file = state->program.files; file; file = file->next)
            syn_print_file(&out, file);
    } else if (stage == 2) {
        if (state->checked)
            syn_semantic_dump(&out, state->checked);
        else
            status = SYN_ERROR_STATE;
    } else if (stage == 3) {
        status = syn_compile(state);
        if (status == SYN_OK)
            syn_ir_print(&out, state->ir);
    } else if (stage == 4) {
        status = syn_session_verify(state, &out);
    } else {
        status = SYN_ERROR_USAGE;
    }
    if (out.length)
        syn_state_output(state, out.data, out.length);
    syn_buffer_release(&out);
    return status;
}

void syn_set_verbosity(syn_state *state, int level)
{
    state->verbosity = level;
}

void syn_set_buffer_size(syn_state *state, unsigned megabytes)
{
    state->ring_bytes = megabytes ? megabytes * 1024u * 1024u : 0;
}
