/* Differential test of the two back ends: the same expressions compiled to
 * eBPF and run in the kernel (BPF_PROG_TEST_RUN), and run by the IR
 * interpreter, must leave the same values behind.
 *
 * Each group of cases becomes one script.  Inputs are globals the back ends
 * cannot fold.  A case is a template in which "{S}" stands for the side's
 * prefix ("k_" in the kernel probe, "u_" in the begin probe), "{P}" for the
 * bare side letter and "{i}" for the case's number; its expression is stored
 * in {S}_<i>, and every {S}name global it mentions is compared too (scalars
 * by value, arrays and statistics element by element).  Cases are packed
 * into pairs of probes (a kernel probe run through BPF_PROG_TEST_RUN, then a
 * begin probe run by the interpreter); a pair must fault, or exit, on both
 * sides or on neither.  The kernel probe's program is loaded as a raw
 * tracepoint program so that the kernel can run it on demand: its body only
 * reads globals, so the type does not change its code.
 *
 * Printed output is compared through a real session instead (the probe
 * attached to the getppid system call), so that the kernel's records go
 * through the product's own reader.
 *
 * Cases known to disagree (bugs not fixed yet) run in a group of their own,
 * reported as TODO.  Needs root and BPF; otherwise the whole test is
 * skipped.
 *
 * Environment: SYN_DIFF_SEED (the random expressions' seed),
 * SYN_DIFF_ONLY (run only groups whose name contains it),
 * SYN_DIFF_VERBOSE (print each failing script and each pair's outcome). */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "compiler/bpf_program.h"
#include "compiler/ir.h"
#include "runtime/interpreter.h"
#include "runtime/loader.h"
#include "runtime/maps.h"
#include "runtime/state.h"
#include "syn/syn.h"
#include "tests/unit/differential_cases.h"
#include "tests/unit/tap.h"
#include "util/buffer.h"

#define PROBE_POINT "kernel.trace(\"syscalls:sys_enter_getppid\")"


static int64_t clock_ns(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* ---- templates ----------------------------------------------------------------------- */

/* side: 'k' or 'u'. */
static void expand(syn_buffer *out, const char *template, char side, size_t id)
{
    for (const char *p = template; *p;) {
        if (strncmp(p, "{S}", 3) == 0) {
            syn_buffer_append_char(out, side);
            syn_buffer_append_char(out, '_');
            p += 3;
        } else if (strncmp(p, "{P}", 3) == 0) {
            syn_buffer_append_char(out, side);
            p += 3;
        } else if (strncmp(p, "{i}", 3) == 0) {
            syn_buffer_printf(out, "%zu", id);
            p += 3;
        } else {
            syn_buffer_append_char(out, *p++);
        }
    }
}

typedef struct name_set {
    char **names;
    size_t count;
    size_t capacity;
} name_set;

static void name_set_add(name_set *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->names[i], name) == 0)
            return;
    }
    if (set->count == set->capacity) {
        set->capacity = set->capacity ? 2 * set->capacity : 32;
        set->names = xrealloc(set->names, set->capacity * sizeof(char *));
    }
    set->names[set->count++] = xstrdup(name);
}

static void name_set_release(name_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        free(set->names[i]);
    free(set->names);
    memset(set, 0, sizeof(*set));
}

/* The {S}name globals a template mentions, without the prefix. */
static void side_globals(name_set *set, const char *template, size_t id)
{
    if (!template)
        return;
    for (const char *p = template; (p = strstr(p, "{S}")) != NULL;) {
        p += 3;
        syn_buffer name;
        syn_buffer_init(&name);
        for (;;) {
            if (strncmp(p, "{i}", 3) == 0) {
                syn_buffer_printf(&name, "%zu", id);
                p += 3;
            } else if (isalnum((unsigned char)*p) || *p == '_') {
                syn_buffer_append_char(&name, *p++);
            } else {
                break;
            }
        }
        if (name.length)
            name_set_add(set, name.data);
        syn_buffer_release(&name);
    }
}

/* The case as the kernel side reads, for messages. */
static char *describe(const test_case *c, size_t id)
{
    syn_buffer out;
    syn_buffer_init(&out);
    if (c->setup) {
        expand(&out, c->setup, 'k', id);
        if (c->expr || c->after)
            syn_buffer_append_string(&out, "; ");
    }
    if (c->expr)
        expand(&out, c->expr, 'k', id);
    if (c->after) {
        syn_buffer_append_string(&out, "[in begin] ");
        expand(&out, c->after, 'k', id);
    }
    char *text = syn_buffer_take(&out);
    syn_buffer_release(&out);
    return text;
}

/* ---- diagnostics and the interpreter's host ------------------------------------------- */

static void capture_diagnostic(const syn_diagnostic *diagnostic, void *data)
{
    syn_buffer *log = data;
    if (diagnostic->severity == SYN_SEVERITY_ERROR)
        syn_buffer_append_string(log, diagnostic->rendered ? diagnostic->rendered : diagnostic->message);
}

typedef struct host_context {
    syn_buffer output;
    bool exited;
} host_context;

static void host_output(void *context, const char *text, size_t length)
{
    host_context *host = context;
    syn_buffer_append(&host->output, text, length);
}

static void host_exit(void *context)
{
    host_context *host = context;
    host->exited = true;
}

/* ---- running a script ----------------------------------------------------------------- */

typedef struct pair_outcome {
    bool kernel_fault;
    bool user_fault;
    bool kernel_exit;
    bool user_exit;
    char *user_error;
    size_t first_case;        /* indices into the run's case list */
    size_t case_count;
} pair_outcome;

typedef struct script_run {
    syn_state *state;
    syn_maps maps;
    syn_bpf_object object;
    syn_loader loader;
    bool maps_created;
    bool generated;
    bool loaded;
    syn_buffer log;
    bool permission_denied;
    char *failure;            /* why the script did not run */
    pair_outcome *pairs;
    size_t pair_count;
} script_run;

static void script_run_release(script_run *run)
{
    if (run->loaded || run->loader.programs)
        syn_loader_release(&run->loader);
    if (run->generated)
        syn_bpf_object_release(&run->object);
    if (run->maps_created)
        syn_maps_release(&run->maps);
    syn_free(run->state);
    syn_buffer_release(&run->log);
    for (size_t p = 0; p < run->pair_count; p++)
        free(run->pairs[p].user_error);
    free(run->pairs);
    free(run->failure);
    memset(run, 0, sizeof(*run));
}

static bool fail_run(script_run *run, const char *stage)
{
    run->failure = text_of("%s failed:\n%s", stage, run->log.data ? run->log.data : "(no message)");
    return false;
}

static int64_t reserved_word(const syn_maps *maps, uint32_t offset)
{
    int64_t value;
    memcpy(&value, maps->globals + offset, sizeof(value));
    return value;
}

/* Compiles `text`, loads its kernel probes, then runs kernel probe j and
 * begin probe j for each pair j in turn. */
/* CONFIG_HZ of the running kernel, as the session gives it to the interpreter. */
static int64_t kernel_hz(void *context)
{
    (void)context;
    syn_kernel_config config;
    syn_kernel_config_init(&config, NULL);
    const char *value = syn_kernel_config_lookup(&config, "CONFIG_HZ");
    int64_t hz = value ? strtoll(value, NULL, 10) : 250;
    syn_kernel_config_release(&config);
    return hz > 0 ? hz : 250;
}

static bool run_script(script_run *run, const char *text, uint32_t max_string_length, uint32_t max_map_entries,
                       size_t pair_count)
{
    memset(run, 0, sizeof(*run));
    syn_buffer_init(&run->log);
    run->pairs = calloc(pair_count + 1, sizeof(pair_outcome));
    if (!run->pairs)
        exit(99);
    run->pair_count = pair_count;
    run->state = syn_new();
    syn_set_diagnostic_handler(run->state, capture_diagnostic, &run->log);
    if (max_string_length) {
        char value[32];
        snprintf(value, sizeof(value), "%u", max_string_length);
        syn_define(run->state, "MAXSTRINGLEN", value);
    }
    if (max_map_entries) {
        char value[32];
        snprintf(value, sizeof(value), "%u", max_map_entries);
        syn_define(run->state, "MAXMAPENTRIES", value);
    }
    if (syn_load_string(run->state, "differential", text, strlen(text)) != SYN_OK)
        return fail_run(run, "parsing");
    if (syn_compile(run->state) != SYN_OK)
        return fail_run(run, "checking and lowering");
    const syn_ir_program *ir = run->state->ir;
    char error[512];
    if (!syn_maps_create(&run->maps, ir, 1u << 16, error, sizeof(error))) {
        run->permission_denied = errno == EPERM;
        run->failure = text_of("creating the maps failed: %s", error);
        syn_maps_release(&run->maps);
        return false;
    }
    run->maps_created = true;
    int64_t pid = getpid();
    syn_maps_set_reserved(&run->maps, SYN_IR_RESERVED_TARGET, pid);
    syn_maps_set_reserved(&run->maps, SYN_IR_RESERVED_REALTIME_OFFSET,
                          clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME));
    run->generated = true;
    if (!syn_bpf_generate(ir, syn_kernel_btf_source(&run->state->kernel), &run->object, &run->state->diagnostics))
        return fail_run(run, "generating BPF");
    for (uint32_t p = 0; p < run->object.program_count; p++) {
        run->object.programs[p].type = BPF_PROG_TYPE_RAW_TRACEPOINT;
        run->object.programs[p].expected_attach_type = 0;
        run->object.programs[p].attach_btf_id = 0;
    }
    syn_status status = syn_loader_load(&run->loader, &run->object, &run->maps, &run->state->diagnostics,
                                        SYN_VERIFIER_LOG_NONE, NULL);
    if (status != SYN_OK) {
        run->permission_denied = status == SYN_ERROR_PERMISSION;
        return fail_run(run, "loading into the kernel");
    }
    run->loaded = true;

    const syn_ir_probe **begins = xmalloc((ir->probe_count + 1) * sizeof(*begins));
    size_t begin_count = 0;
    for (uint32_t p = 0; p < ir->probe_count; p++) {
        if (!ir->probes[p].in_kernel)
            begins[begin_count++] = &ir->probes[p];
    }
    if (begin_count != pair_count || run->loader.count != pair_count) {
        free(begins);
        run->failure = text_of("expected %zu probe pairs, found %zu begin and %u kernel probes", pair_count,
                               begin_count, run->loader.count);
        return false;
    }
    host_context host_data;
    syn_buffer_init(&host_data.output);
    host_data.exited = false;
    syn_interpreter_host host = {
        .output = host_output,
        .warning = host_output,
        .exit = host_exit,
        .context = &host_data,
        .interrupted = NULL,
        .target_pid = pid,
        .hz = kernel_hz,
    };
    syn_interpreter *interpreter = syn_interpreter_new(ir, &run->maps, &host, &run->state->diagnostics);
    bool ok = true;
    for (size_t j = 0; j < pair_count && ok; j++) {
        pair_outcome *outcome = &run->pairs[j];
        syn_maps_set_reserved(&run->maps, SYN_IR_RESERVED_FAULT, 0);
        syn_maps_set_reserved(&run->maps, SYN_IR_RESERVED_EXIT, 0);
        uint64_t context[1] = {0};
        LIBBPF_OPTS(bpf_test_run_opts, options, .ctx_in = context, .ctx_size_in = sizeof(context));
        if (bpf_prog_test_run_opts(run->loader.programs[j].fd, &options) != 0) {
            run->permission_denied = errno == EPERM;
            run->failure = text_of("BPF_PROG_TEST_RUN of probe pair %zu failed: %s", j, strerror(errno));
            ok = false;
            break;
        }
        outcome->kernel_fault = reserved_word(&run->maps, SYN_IR_RESERVED_FAULT) != 0;
        outcome->kernel_exit = reserved_word(&run->maps, SYN_IR_RESERVED_EXIT) != 0;
        host_data.exited = false;
        size_t before = run->log.length;
        outcome->user_fault = !syn_interpreter_run(interpreter, begins[j]);
        outcome->user_exit = host_data.exited;
        if (run->log.length > before)
            outcome->user_error = xstrdup(run->log.data + before);
    }
    syn_interpreter_free(interpreter);
    syn_buffer_release(&host_data.output);
    free(begins);
    return ok;
}

/* ---- comparing ------------------------------------------------------------------------ */

static int compare_lines(const void *left, const void *right)
{
    return strcmp(*(char *const *)left, *(char *const *)right);
}

static void value_text(syn_buffer *out, const syn_map_value *value)
{
    if (value->string)
        quote_string(out, value->string);
    else
        syn_buffer_printf(out, "%" PRId64, value->number);
}

/* A global as text: scalars by value, arrays and statistics as their sorted elements. */
static char *dump_global(const syn_maps *maps, uint32_t index)
{
    const syn_ir_global *global = &maps->program->globals[index];
    syn_buffer out;
    syn_buffer_init(&out);
    if (global->kind == SYN_IR_GLOBAL_SCALAR) {
        syn_map_value value = {.number = 0, .string = NULL};
        if (global->value_kind == SYN_IR_STRING)
            value.string = syn_maps_global_string(maps, index);
        else
            value.number = syn_maps_global_long(maps, index);
        value_text(&out, &value);
        char *text = syn_buffer_take(&out);
        syn_buffer_release(&out);
        return text;
    }
    uint8_t *keys = NULL;
    uint32_t count = syn_maps_keys(maps, index, &keys);
    uint32_t key_size = maps->key_sizes[index];
    char **lines = xmalloc((count + 1) * sizeof(char *));
    char *string_buffer = xmalloc(maps->program->max_string_length + 1);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *key = keys + (size_t)i * key_size;
        syn_map_value decoded[SYN_IR_MAX_ARGUMENTS];
        syn_maps_decode_key(maps, index, key, decoded);
        syn_buffer line;
        syn_buffer_init(&line);
        syn_buffer_append_char(&line, '[');
        for (uint32_t k = 0; k < global->key_count; k++) {
            if (k)
                syn_buffer_append_char(&line, ',');
            value_text(&line, &decoded[k]);
        }
        syn_buffer_append_string(&line, "]=");
        if (global->kind == SYN_IR_GLOBAL_STATISTIC) {
            syn_statistic statistic;
            memset(&statistic, 0, sizeof(statistic));
            bool found = syn_maps_stat_read(maps, index, key, &statistic);
            if (!found || statistic.count == 0) {
                syn_statistic_release(&statistic);
                syn_buffer_release(&line);
                continue;
            }
            syn_buffer_printf(&line, "{count %" PRId64 " sum %" PRId64 " min %" PRId64 " max %" PRId64
                              " squares %" PRId64 " buckets",
                              statistic.count, statistic.sum, statistic.min, statistic.max,
                              statistic.sum_squares);
            for (uint32_t b = 0; b < statistic.bucket_count; b++) {
                if (statistic.buckets[b])
                    syn_buffer_printf(&line, " %u:%" PRId64, b, statistic.buckets[b]);
            }
            syn_buffer_append_char(&line, '}');
            syn_statistic_release(&statistic);
        } else {
            syn_map_value value;
            syn_maps_lookup(maps, index, key, &value, string_buffer);
            value_text(&line, &value);
        }
        lines[kept++] = syn_buffer_take(&line);
        syn_buffer_release(&line);
    }
    qsort(lines, kept, sizeof(char *), compare_lines);
    syn_buffer_append_char(&out, '{');
    for (uint32_t i = 0; i < kept; i++) {
        syn_buffer_append_string(&out, i ? ", " : "");
        syn_buffer_append_string(&out, lines[i]);
        free(lines[i]);
    }
    syn_buffer_append_char(&out, '}');
    free(lines);
    free(keys);
    free(string_buffer);
    char *text = syn_buffer_take(&out);
    syn_buffer_release(&out);
    return text;
}

static int64_t find_global(const syn_ir_program *ir, const char *name)
{
    for (uint32_t g = 0; g < ir->global_count; g++) {
        if (strcmp(ir->globals[g].name, name) == 0)
            return g;
    }
    return -1;
}

typedef struct report {
    size_t mismatches;
    syn_buffer details;
} report;

enum { REPORT_DETAIL_LIMIT = 25 };

static __attribute__((format(printf, 2, 3))) void report_mismatch(report *r, const char *format, ...)
{
    r->mismatches++;
    if (r->mismatches > REPORT_DETAIL_LIMIT)
        return;
    va_list args;
    va_start(args, format);
    syn_buffer_vprintf(&r->details, format, args);
    va_end(args);
    syn_buffer_append_char(&r->details, '\n');
}

/* Compares the kernel's and the interpreter's copy of one global pair. */
static void compare_pair(report *r, const syn_maps *maps, int64_t kernel, int64_t user, int64_t tolerance,
                         const char *what)
{
    if (kernel < 0 || user < 0) {
        report_mismatch(r, "%s: result globals missing", what);
        return;
    }
    const syn_ir_global *global = &maps->program->globals[kernel];
    if (global->kind == SYN_IR_GLOBAL_SCALAR && global->value_kind == SYN_IR_LONG && tolerance > 0) {
        int64_t a = syn_maps_global_long(maps, (uint32_t)kernel), b = syn_maps_global_long(maps, (uint32_t)user);
        uint64_t difference = a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
        if (difference > (uint64_t)tolerance)
            report_mismatch(r, "%s: kernel %" PRId64 ", interpreter %" PRId64 " (more than %" PRId64 " apart)", what,
                            a, b, tolerance);
        return;
    }
    char *kernel_text = dump_global(maps, (uint32_t)kernel);
    char *user_text = dump_global(maps, (uint32_t)user);
    if (strcmp(kernel_text, user_text) != 0)
        report_mismatch(r, "%s: kernel %s, interpreter %s", what, kernel_text, user_text);
    free(kernel_text);
    free(user_text);
}

/* ---- building and running a group ------------------------------------------------------- */

/* Cases `selected` of `g` as one script: pairs of probes of at most
 * g->chunk cases, a case that must be alone in a pair of its own. */
static void run_cases(const group *g, const size_t *selected, size_t selected_count, report *r, bool *skip,
                      char **skip_reason)
{
    syn_buffer script;
    syn_buffer_init(&script);
    declare_inputs(&script);
    if (g->prelude)
        syn_buffer_printf(&script, "%s\n", g->prelude);
    name_set sides = {0};
    for (size_t s = 0; s < selected_count; s++) {
        size_t id = selected[s];
        const test_case *c = &g->cases[id];
        side_globals(&sides, c->setup, id);
        side_globals(&sides, c->expr, id);
        side_globals(&sides, c->after, id);
        if (c->expr || c->after)
            syn_buffer_printf(&script, "global k__%zu, u__%zu\n", id, id);
    }
    for (size_t n = 0; n < sides.count; n++)
        syn_buffer_printf(&script, "global k_%s, u_%s\n", sides.names[n], sides.names[n]);

    /* Pairs of probes. */
    size_t *pair_start = xmalloc((selected_count + 1) * sizeof(size_t));
    size_t pair_count = 0;
    for (size_t s = 0; s < selected_count;) {
        size_t end = s + 1;
        if (!g->cases[selected[s]].alone) {
            while (end < selected_count && end - s < g->chunk && !g->cases[selected[end]].alone)
                end++;
        }
        pair_start[pair_count++] = s;
        syn_buffer kernel_body, user_body;
        syn_buffer_init(&kernel_body);
        syn_buffer_init(&user_body);
        for (size_t t = s; t < end; t++) {
            size_t id = selected[t];
            const test_case *c = &g->cases[id];
            if (c->setup) {
                expand(&kernel_body, c->setup, 'k', id);
                syn_buffer_append_char(&kernel_body, '\n');
                expand(&user_body, c->setup, 'u', id);
                syn_buffer_append_char(&user_body, '\n');
            }
            if (c->expr) {
                syn_buffer_printf(&kernel_body, "k__%zu = (", id);
                expand(&kernel_body, c->expr, 'k', id);
                syn_buffer_append_string(&kernel_body, ")\n");
                syn_buffer_printf(&user_body, "u__%zu = (", id);
                expand(&user_body, c->expr, 'u', id);
                syn_buffer_append_string(&user_body, ")\n");
            }
            if (c->after) {
                syn_buffer_printf(&user_body, "k__%zu = (", id);
                expand(&user_body, c->after, 'k', id);
                syn_buffer_printf(&user_body, ")\nu__%zu = (", id);
                expand(&user_body, c->after, 'u', id);
                syn_buffer_append_string(&user_body, ")\n");
            }
        }
        syn_buffer_printf(&script, "probe %s {\n%s}\nprobe begin {\n%s}\n", PROBE_POINT,
                          kernel_body.data ? kernel_body.data : "", user_body.data ? user_body.data : "");
        syn_buffer_release(&kernel_body);
        syn_buffer_release(&user_body);
        s = end;
    }
    pair_start[pair_count] = selected_count;

    script_run run;
    script_run *active = &run;
    bool ok = run_script(active, script.data, g->max_string_length, g->max_map_entries, pair_count);
    if (!ok) {
        if (active->permission_denied) {
            *skip = true;
            free(*skip_reason);
            *skip_reason = xstrdup(active->failure ? active->failure : "permission denied");
        }
        report_mismatch(r, "%s", active->failure ? active->failure : "the script did not run");
        if (getenv("SYN_DIFF_VERBOSE"))
            diag("script:\n%s", script.data);
        script_run_release(active);
        free(pair_start);
        name_set_release(&sides);
        syn_buffer_release(&script);
        return;
    }
    const syn_ir_program *ir = active->state->ir;

    /* Result globals, found once. */
    size_t max_id = 0;
    for (size_t s = 0; s < selected_count; s++) {
        if (selected[s] > max_id)
            max_id = selected[s];
    }
    int64_t *kernel_result = xmalloc((max_id + 1) * sizeof(int64_t));
    int64_t *user_result = xmalloc((max_id + 1) * sizeof(int64_t));
    for (size_t i = 0; i <= max_id; i++)
        kernel_result[i] = user_result[i] = -1;
    for (uint32_t gi = 0; gi < ir->global_count; gi++) {
        const char *name = ir->globals[gi].name;
        if ((name[0] == 'k' || name[0] == 'u') && name[1] == '_' && name[2] == '_' && isdigit((unsigned char)name[3])) {
            size_t id = strtoul(name + 3, NULL, 10);
            if (id <= max_id)
                (name[0] == 'k' ? kernel_result : user_result)[id] = gi;
        }
    }

    for (size_t j = 0; j < pair_count; j++) {
        pair_outcome *outcome = &active->pairs[j];
        if (getenv("SYN_DIFF_VERBOSE"))
            diag("pair %zu: kernel %s%s, interpreter %s%s", j, outcome->kernel_fault ? "faulted" : "ran",
                 outcome->kernel_exit ? " (exit)" : "", outcome->user_fault ? "faulted" : "ran",
                 outcome->user_exit ? " (exit)" : "");
        if (outcome->kernel_fault != outcome->user_fault || outcome->kernel_exit != outcome->user_exit) {
            syn_buffer cases;
            syn_buffer_init(&cases);
            for (size_t t = pair_start[j]; t < pair_start[j + 1]; t++) {
                char *text = describe(&g->cases[selected[t]], selected[t]);
                syn_buffer_printf(&cases, "%s%s", t > pair_start[j] ? " | " : "", text);
                free(text);
            }
            report_mismatch(r, "`%s`: kernel %s%s, interpreter %s%s%s%s", cases.data,
                            outcome->kernel_fault ? "faulted" : "did not fault",
                            outcome->kernel_exit ? " (exit)" : "",
                            outcome->user_fault ? "faulted" : "did not fault", outcome->user_exit ? " (exit)" : "",
                            outcome->user_error ? ": " : "", outcome->user_error ? outcome->user_error : "");
            syn_buffer_release(&cases);
        }
    }
    for (size_t s = 0; s < selected_count; s++) {
        size_t id = selected[s];
        const test_case *c = &g->cases[id];
        if (!c->expr && !c->after)
            continue;
        char *text = describe(c, id);
        char *what = text_of("`%s`", text);
        compare_pair(r, &active->maps, kernel_result[id], user_result[id], c->tolerance, what);
        free(what);
        free(text);
    }
    for (size_t n = 0; n < sides.count; n++) {
        char kernel_name[256], user_name[256];
        snprintf(kernel_name, sizeof(kernel_name), "k_%s", sides.names[n]);
        snprintf(user_name, sizeof(user_name), "u_%s", sides.names[n]);
        char *what = text_of("global {S}%s", sides.names[n]);
        compare_pair(r, &active->maps, find_global(ir, kernel_name), find_global(ir, user_name), 0, what);
        free(what);
    }
    free(kernel_result);
    free(user_result);
    script_run_release(active);
    free(pair_start);
    name_set_release(&sides);
    syn_buffer_release(&script);
}

/* ---- printed output, through a real session ----------------------------------------------- */

typedef struct session_capture {
    syn_buffer output;
    syn_buffer warnings;
    syn_buffer errors;
} session_capture;

static void session_output(const char *data, size_t length, void *user_data)
{
    session_capture *capture = user_data;
    syn_buffer_append(&capture->output, data, length);
}

static void session_diagnostic(const syn_diagnostic *diagnostic, void *user_data)
{
    session_capture *capture = user_data;
    if (diagnostic->severity == SYN_SEVERITY_WARNING) {
        syn_buffer_append_string(&capture->warnings, diagnostic->message);
        syn_buffer_append_char(&capture->warnings, '\n');
    } else if (diagnostic->severity == SYN_SEVERITY_ERROR) {
        syn_buffer_append_string(&capture->errors, diagnostic->rendered ? diagnostic->rendered : diagnostic->message);
    }
}

typedef struct printed_line {
    char *text;
    const char *channel;
} printed_line;

/* Lines "<side><id>|text" of one channel, by id. */
static void collect_lines(const char *text, const char *channel, printed_line *kernel, printed_line *user,
                          size_t count)
{
    const char *line = text ? text : "";
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        const char *p = line;
        const char *channel_name = channel;
        if (strncmp(p, "WARNING: ", 9) == 0) {
            p += 9;
            channel_name = strcmp(channel, "stdout") == 0 ? "stdout as WARNING:" : channel;
        }
        if ((*p == 'k' || *p == 'u') && isdigit((unsigned char)p[1])) {
            char *after;
            size_t id = strtoul(p + 1, &after, 10);
            if (*after == '|' && id < count) {
                printed_line *slot = *p == 'k' ? &kernel[id] : &user[id];
                size_t skip = (size_t)(after + 1 - line);
                char *copy = xmalloc(length - skip + 1);
                memcpy(copy, after + 1, length - skip);
                copy[length - skip] = '\0';
                free(slot->text);
                slot->text = copy;
                slot->channel = channel_name;
            }
        }
        line += length;
        if (*line == '\n')
            line++;
    }
}

static void run_session_cases(const group *g, const size_t *selected, size_t selected_count, report *r)
{
    syn_buffer script;
    syn_buffer_init(&script);
    declare_inputs(&script);
    if (g->prelude)
        syn_buffer_printf(&script, "%s\n", g->prelude);
    syn_buffer kernel_body, user_body;
    syn_buffer_init(&kernel_body);
    syn_buffer_init(&user_body);
    for (size_t s = 0; s < selected_count; s++) {
        const test_case *c = &g->cases[selected[s]];
        expand(&kernel_body, c->setup, 'k', selected[s]);
        syn_buffer_append_char(&kernel_body, '\n');
        expand(&user_body, c->setup, 'u', selected[s]);
        syn_buffer_append_char(&user_body, '\n');
    }
    syn_buffer_printf(&script, "probe %s {\nif (pid() == target()) {\n%sexit()\n}\n}\nprobe begin {\n%s}\n", PROBE_POINT,
                      kernel_body.data ? kernel_body.data : "", user_body.data ? user_body.data : "");
    syn_buffer_release(&kernel_body);
    syn_buffer_release(&user_body);

    session_capture capture;
    syn_buffer_init(&capture.output);
    syn_buffer_init(&capture.warnings);
    syn_buffer_init(&capture.errors);
    syn_state *state = syn_new();
    syn_set_diagnostic_handler(state, session_diagnostic, &capture);
    syn_set_output_handler(state, session_output, &capture);
    if (g->max_string_length) {
        char value[32];
        snprintf(value, sizeof(value), "%u", g->max_string_length);
        syn_define(state, "MAXSTRINGLEN", value);
    }
    syn_set_target_pid(state, getpid());
    syn_status status = syn_load_string(state, "differential", script.data, script.length);
    if (status == SYN_OK)
        status = syn_start(state);
    if (status != SYN_OK) {
        report_mismatch(r, "the session did not start (%s):\n%s", syn_status_string(status),
                        capture.errors.data ? capture.errors.data : "");
    } else {
        syscall(SYS_getppid);
        int64_t deadline = clock_ns(CLOCK_MONOTONIC) + 5000000000LL;
        while (!syn_finished(state) && clock_ns(CLOCK_MONOTONIC) < deadline)
            syn_service(state, 50);
        if (!syn_finished(state))
            report_mismatch(r, "the kernel probe did not run within 5 seconds");
        syn_stop(state);
        size_t max_id = 0;
        for (size_t s = 0; s < selected_count; s++)
            max_id = selected[s] > max_id ? selected[s] : max_id;
        printed_line *kernel = calloc(max_id + 1, sizeof(printed_line));
        printed_line *user = calloc(max_id + 1, sizeof(printed_line));
        if (!kernel || !user)
            exit(99);
        collect_lines(capture.output.data, "stdout", kernel, user, max_id + 1);
        collect_lines(capture.warnings.data, "warning", kernel, user, max_id + 1);
        for (size_t s = 0; s < selected_count; s++) {
            size_t id = selected[s];
            char *what = describe(&g->cases[id], id);
            const printed_line *k = &kernel[id], *u = &user[id];
            if (!k->text || !u->text || strcmp(k->text, u->text) != 0 || strcmp(k->channel, u->channel) != 0)
                report_mismatch(r, "`%s`: kernel printed \"%s\" (%s), interpreter printed \"%s\" (%s)", what,
                                k->text ? k->text : "(nothing)", k->text ? k->channel : "-",
                                u->text ? u->text : "(nothing)", u->text ? u->channel : "-");
            free(what);
        }
        for (size_t i = 0; i <= max_id; i++) {
            free(kernel[i].text);
            free(user[i].text);
        }
        free(kernel);
        free(user);
    }
    syn_free(state);
    syn_buffer_release(&capture.output);
    syn_buffer_release(&capture.warnings);
    syn_buffer_release(&capture.errors);
    syn_buffer_release(&script);
}

/* ---- reporting a group ----------------------------------------------------------------------- */

static bool skip_everything;
static char *skip_reason;

static void print_details(const report *r)
{
    if (r->details.length)
        diag("%s", r->details.data);
    if (r->mismatches > REPORT_DETAIL_LIMIT)
        diag("... and %zu more", r->mismatches - REPORT_DETAIL_LIMIT);
}

static void run_group(group *g)
{
    size_t *regular = xmalloc((g->count + 1) * sizeof(size_t));
    size_t *known = xmalloc((g->count + 1) * sizeof(size_t));
    size_t regular_count = 0, known_count = 0;
    for (size_t i = 0; i < g->count; i++) {
        if (g->cases[i].known)
            known[known_count++] = i;
        else
            regular[regular_count++] = i;
    }
    report r = {0};
    syn_buffer_init(&r.details);
    if (regular_count) {
        if (g->session)
            run_session_cases(g, regular, regular_count, &r);
        else
            run_cases(g, regular, regular_count, &r, &skip_everything, &skip_reason);
    }
    ok(r.mismatches == 0, "%s: %zu cases agree", g->name, regular_count);
    print_details(&r);
    syn_buffer_release(&r.details);

    if (known_count) {
        report k = {0};
        syn_buffer_init(&k.details);
        if (g->session)
            run_session_cases(g, known, known_count, &k);
        else
            run_cases(g, known, known_count, &k, &skip_everything, &skip_reason);
        if (k.mismatches) {
            /* TODO: a known bug; not a failure of the test. */
            tap_test_count++;
            printf("not ok %d - %s: %zu known mismatches # TODO known bugs, see below\n", tap_test_count, g->name,
                   known_count);
            for (size_t i = 0; i < known_count; i++) {
                char *text = describe(&g->cases[known[i]], known[i]);
                diag("known: `%s`: %s", text, g->cases[known[i]].known);
                free(text);
            }
            print_details(&k);
        } else {
            ok(1, "%s: %zu cases known to disagree now agree", g->name, known_count);
            diag("the known mismatches of '%s' agree now: take them off the known list", g->name);
        }
        syn_buffer_release(&k.details);
    }
    free(regular);
    free(known);
    fflush(stdout);
}

/* The harness must see a difference where there is one: a value, globals
 * and a fault that differ by side on purpose.  The value also checks that
 * the inputs hold what declare_inputs meant. */
static void self_check(void)
{
    group *g = group_new("self-check", 32, 8);
    add_case(g, NULL,
             "\"{P}\" . (n7 * nm13 == -91 && nmin < 0 && naa == -6148914691236517206 && shi == \"\\351t\\351\" "
             "&& strlen(s40) == 31 ? \"ok\" : \"bad\")",
             NULL);
    add_case(g, "{S}x{i} = \"{P}\"", NULL, NULL);
    add_case(g, "{S}y{i} = n7 / (\"{P}\" == \"k\" ? n0 : n1)", NULL, NULL)->alone = true;
    size_t selected[] = {0, 1, 2};
    report r = {0};
    syn_buffer_init(&r.details);
    run_cases(g, selected, 3, &r, &skip_everything, &skip_reason);
    bool values_seen = r.details.data && strstr(r.details.data, "kernel \"kok\", interpreter \"uok\"");
    /* The fault, the value, {S}x and {S}y (assigned by the side that did not fault). */
    if (!ok(r.mismatches == 4 && values_seen, "the harness reports the differences planted in it"))
        print_details(&r);
    syn_buffer_release(&r.details);
    group_free(g);
}

/* ---- main ------------------------------------------------------------------------------------ */

/* Can this process load BPF at all?  NULL when it can, else why not. */
static const char *bpf_unavailable(void)
{
    static char reason[256];
    if (geteuid() != 0)
        return "not root: loading BPF programs needs CAP_BPF and CAP_PERFMON";
    int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "syn_probe", 4, 8, 1, NULL);
    if (fd < 0) {
        snprintf(reason, sizeof(reason), "BPF is unavailable: creating a map failed: %s", strerror(errno));
        return reason;
    }
    close(fd);
    struct bpf_insn program[] = {
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
        {.code = BPF_JMP | BPF_EXIT},
    };
    fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "syn_probe", "GPL", program, 2, NULL);
    if (fd < 0) {
        snprintf(reason, sizeof(reason), "BPF is unavailable: loading a program failed: %s", strerror(errno));
        return reason;
    }
    uint64_t context = 0;
    LIBBPF_OPTS(bpf_test_run_opts, options, .ctx_in = &context, .ctx_size_in = sizeof(context));
    int result = bpf_prog_test_run_opts(fd, &options);
    close(fd);
    if (result != 0) {
        snprintf(reason, sizeof(reason), "BPF_PROG_TEST_RUN is unavailable: %s", strerror(errno));
        return reason;
    }
    /* The probe point must resolve (tracefs and the syscall tracepoints). */
    syn_state *state = syn_new();
    syn_buffer log;
    syn_buffer_init(&log);
    syn_set_diagnostic_handler(state, capture_diagnostic, &log);
    const char *script = "global x\nprobe " PROBE_POINT " { x = 1 }\n";
    syn_status status = syn_load_string(state, "probe", script, strlen(script));
    if (status == SYN_OK)
        status = syn_compile(state);
    if (status != SYN_OK) {
        snprintf(reason, sizeof(reason), "the probe point %s does not resolve here: %.150s", PROBE_POINT,
                 log.data ? log.data : "");
        for (char *c = reason; *c; c++) {
            if (*c == '\n')
                *c = ' ';
        }
    }
    syn_buffer_release(&log);
    syn_free(state);
    return status == SYN_OK ? NULL : reason;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *unavailable = bpf_unavailable();
    if (unavailable) {
        printf("1..0 # SKIP %s\n", unavailable);
        return 0;
    }
    /* cpu() must read the same on both sides: stay on one CPU. */
    int cpu = sched_getcpu();
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof(set), &set);
    }
    uint64_t seed = 20240601;
    const char *seed_text = getenv("SYN_DIFF_SEED");
    if (seed_text && *seed_text)
        seed = strtoull(seed_text, NULL, 0);

    group *(*const builders[])(void) = {
        long_arithmetic_cases, long_literal_cases, long_comparison_cases, string_builtin_cases, logical_cases,
        assignment_cases,      increment_cases,    array_cases,           array_full_cases,     statistic_cases,
        context_cases,
        clock_cases,           control_flow_cases, fault_cases,           output_cases,
    };
    const char *only = getenv("SYN_DIFF_ONLY");
    self_check();
    group *groups[32];
    size_t group_count = 0;
    for (size_t b = 0; b < sizeof(builders) / sizeof(builders[0]); b++) {
        groups[group_count++] = builders[b]();
        if (b == 2) {
            groups[group_count++] = string_operator_cases(32);
            groups[group_count++] = string_operator_cases(512);
        }
    }
    groups[group_count++] = random_cases(seed, false, 300);
    groups[group_count++] = random_cases(seed, true, 100);
    for (size_t i = 0; i < group_count; i++) {
        if (!skip_everything && (!only || strstr(groups[i]->name, only)))
            run_group(groups[i]);
        group_free(groups[i]);
    }
    free_case_texts();
    if (skip_everything && tap_test_count == 0) {
        printf("1..0 # SKIP %s\n", skip_reason ? skip_reason : "BPF is unavailable");
        free(skip_reason);
        return 0;
    }
    free(skip_reason);
    return done_testing();
}
