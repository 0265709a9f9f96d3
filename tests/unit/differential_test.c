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
#include "tests/unit/tap.h"
#include "util/buffer.h"

#define PROBE_POINT "kernel.trace(\"syscalls:sys_enter_getppid\")"

/* ---- small helpers ------------------------------------------------------------ */

static void *xmalloc(size_t size)
{
    void *memory = malloc(size ? size : 1);
    if (!memory) {
        fputs("out of memory\n", stderr);
        exit(99);
    }
    return memory;
}

static void *xrealloc(void *memory, size_t size)
{
    memory = realloc(memory, size ? size : 1);
    if (!memory) {
        fputs("out of memory\n", stderr);
        exit(99);
    }
    return memory;
}

static char *xstrdup(const char *text)
{
    if (!text)
        return NULL;
    size_t length = strlen(text);
    char *copy = xmalloc(length + 1);
    memcpy(copy, text, length + 1);
    return copy;
}

static __attribute__((format(printf, 1, 2))) char *text_of(const char *format, ...)
{
    syn_buffer out;
    syn_buffer_init(&out);
    va_list args;
    va_start(args, format);
    syn_buffer_vprintf(&out, format, args);
    va_end(args);
    char *text = syn_buffer_take(&out);
    syn_buffer_release(&out);
    return text;
}

/* Texts of generated cases: add_case copies them, and they are all freed when
 * the test ends. */
typedef struct text_pool {
    char **texts;
    size_t count;
} text_pool;

static text_pool case_texts;

static __attribute__((format(printf, 1, 2))) char *case_text(const char *format, ...)
{
    syn_buffer out;
    syn_buffer_init(&out);
    va_list args;
    va_start(args, format);
    syn_buffer_vprintf(&out, format, args);
    va_end(args);
    char *text = syn_buffer_take(&out);
    syn_buffer_release(&out);
    case_texts.texts = realloc(case_texts.texts, (case_texts.count + 1) * sizeof(char *));
    if (!case_texts.texts)
        exit(99);
    case_texts.texts[case_texts.count++] = text;
    return text;
}

static void free_case_texts(void)
{
    for (size_t i = 0; i < case_texts.count; i++)
        free(case_texts.texts[i]);
    free(case_texts.texts);
}

/* A value as a script would write it. */
static void quote_string(syn_buffer *out, const char *text)
{
    syn_buffer_append_char(out, '"');
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            syn_buffer_printf(out, "\\%c", *c);
        else if (*c < 32 || *c >= 127)
            syn_buffer_printf(out, "\\%03o", *c);
        else
            syn_buffer_append_char(out, (char)*c);
    }
    syn_buffer_append_char(out, '"');
}

static int64_t clock_ns(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* ---- cases and groups ----------------------------------------------------------- */

typedef struct test_case {
    char *setup;          /* statements in the side's own probe, before expr */
    char *expr;           /* its value goes to {S}_<i>, in the side's own probe */
    char *after;          /* evaluated in the begin probe for both sides (statistics) */
    const char *known;    /* a known mismatch: what is wrong */
    bool alone;           /* a probe pair of its own (faults, exit) */
    int64_t tolerance;    /* longs may differ by this much (clocks) */
} test_case;

typedef struct group {
    const char *name;
    test_case *cases;
    size_t count;
    size_t capacity;
    uint32_t max_string_length;  /* 0: syn's default */
    uint32_t max_map_entries;    /* 0: syn's default */
    uint32_t chunk;              /* cases per probe pair */
    const char *prelude;         /* functions and the like */
    bool session;                /* compare printed output through a real session */
} group;

static group *group_new(const char *name, uint32_t max_string_length, uint32_t chunk)
{
    group *g = calloc(1, sizeof(*g));
    if (!g)
        exit(99);
    g->name = name;
    g->max_string_length = max_string_length;
    g->chunk = chunk;
    return g;
}

static test_case *add_case(group *g, const char *setup, const char *expr, const char *after)
{
    if (g->count == g->capacity) {
        g->capacity = g->capacity ? 2 * g->capacity : 64;
        g->cases = xrealloc(g->cases, g->capacity * sizeof(*g->cases));
    }
    test_case *c = &g->cases[g->count++];
    memset(c, 0, sizeof(*c));
    c->setup = xstrdup(setup);
    c->expr = xstrdup(expr);
    c->after = xstrdup(after);
    return c;
}

static __attribute__((format(printf, 2, 3))) test_case *add_expr(group *g, const char *format, ...)
{
    syn_buffer out;
    syn_buffer_init(&out);
    va_list args;
    va_start(args, format);
    syn_buffer_vprintf(&out, format, args);
    va_end(args);
    test_case *c = add_case(g, NULL, out.data, NULL);
    syn_buffer_release(&out);
    return c;
}

static void group_free(group *g)
{
    for (size_t i = 0; i < g->count; i++) {
        free(g->cases[i].setup);
        free(g->cases[i].expr);
        free(g->cases[i].after);
    }
    free(g->cases);
    free(g);
}

/* ---- inputs ------------------------------------------------------------------------ */

typedef struct long_input {
    const char *name;
    const char *literal;
    int64_t value;
} long_input;

static const long_input long_inputs[] = {
    {"n0", "0", 0},
    {"n1", "1", 1},
    {"nm1", "-1", -1},
    {"n7", "7", 7},
    {"nm13", "-13", -13},
    {"nmax", "9223372036854775807", INT64_MAX},
    {"nmin", "-9223372036854775808", INT64_MIN},
    {"n55", "0x5555555555555555", 0x5555555555555555LL},
    {"naa", "0xAAAAAAAAAAAAAAAA", (int64_t)0xAAAAAAAAAAAAAAAAULL},
    {"n63", "63", 63},
    {"n64", "64", 64},
    {"n65", "65", 65},
    {"nm64", "-64", -64},
    {"nbig", "1000000007", 1000000007},
    {"nip", "0x0100007f", 0x0100007f},
    {"nu32", "4294967295", 4294967295LL},
    {"n2p31", "2147483648", 2147483648LL},
};
enum { LONG_INPUTS = sizeof(long_inputs) / sizeof(long_inputs[0]) };

typedef struct string_input {
    const char *name;
    const char *value;
} string_input;

static const string_input string_inputs[] = {
    {"s0", ""},
    {"sa", "a"},
    {"sb", "b"},
    {"shello", "hello"},
    {"sHello", "Hello"},
    {"shel", "hel"},
    {"ssyn", "syn!"},
    {"sdig", "42abc"},
    {"shi", "\351t\351"},
    {"sspace", " 1"},
    {"slong", "abcdefghijklmnopqrstuvwxyz01234"},               /* 31 bytes: full at MAXSTRINGLEN=32 */
    {"s40", "0123456789012345678901234567890123456789"},     /* stored truncated at 32 */
};
enum { STRING_INPUTS = sizeof(string_inputs) / sizeof(string_inputs[0]) };

static void declare_inputs(syn_buffer *out)
{
    for (size_t i = 0; i < LONG_INPUTS; i++)
        syn_buffer_printf(out, "global %s = %s\n", long_inputs[i].name, long_inputs[i].literal);
    for (size_t i = 0; i < STRING_INPUTS; i++) {
        syn_buffer_printf(out, "global %s = ", string_inputs[i].name);
        quote_string(out, string_inputs[i].value);
        syn_buffer_append_char(out, '\n');
    }
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
static int64_t kernel_hz(void)
{
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
    if (!syn_bpf_generate(ir, syn_kernel_btf(&run->state->kernel), &run->object, &run->state->diagnostics))
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
        .hz = kernel_hz(),
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

/* `pattern` with every "$" replaced by `value`. */
static char *substitute(const char *pattern, const char *value)
{
    syn_buffer out;
    syn_buffer_init(&out);
    for (const char *p = pattern; *p; p++) {
        if (*p == '$')
            syn_buffer_append_string(&out, value);
        else
            syn_buffer_append_char(&out, *p);
    }
    char *text = syn_buffer_take(&out);
    syn_buffer_release(&out);
    return text;
}

/* ---- the cases --------------------------------------------------------------------------------- */

static const char *const arithmetic_operators[] = {"+", "-", "*", "/", "%", "<<", ">>", ">>>", "&", "|", "^"};
static const char *const comparison_operators[] = {"==", "!=", "<", "<=", ">", ">="};
enum {
    ARITHMETIC_OPERATORS = sizeof(arithmetic_operators) / sizeof(arithmetic_operators[0]),
    COMPARISON_OPERATORS = sizeof(comparison_operators) / sizeof(comparison_operators[0]),
};

static bool is_division(const char *op)
{
    return strcmp(op, "/") == 0 || strcmp(op, "%") == 0;
}

static group *long_arithmetic_cases(void)
{
    group *g = group_new("long arithmetic (every operator, every pair of inputs)", 32, 120);
    for (size_t o = 0; o < ARITHMETIC_OPERATORS; o++) {
        for (size_t a = 0; a < LONG_INPUTS; a++) {
            for (size_t b = 0; b < LONG_INPUTS; b++) {
                if (is_division(arithmetic_operators[o]) && long_inputs[b].value == 0)
                    continue;
                add_expr(g, "%s %s %s", long_inputs[a].name, arithmetic_operators[o], long_inputs[b].name);
            }
        }
    }
    return g;
}

static group *long_literal_cases(void)
{
    static const char *const literals[] = {
        "0", "1", "-1", "5", "63", "64", "65", "-64", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "4294967295", "4294967296", "0x7fffffffffffffff", "-9223372036854775808", "0xdeadbeefcafebabe", "0x80000000",
    };
    static const char *const operands[] = {"n0", "n1", "nm1", "n7", "nm13", "nmax", "nmin", "naa"};
    group *g = group_new("long operators with literal operands, unary operators", 32, 120);
    for (size_t o = 0; o < ARITHMETIC_OPERATORS; o++) {
        for (size_t l = 0; l < sizeof(literals) / sizeof(literals[0]); l++) {
            for (size_t v = 0; v < sizeof(operands) / sizeof(operands[0]); v++) {
                if (!is_division(arithmetic_operators[o]) || strcmp(literals[l], "0") != 0)
                    add_expr(g, "%s %s %s", operands[v], arithmetic_operators[o], literals[l]);
                if (!is_division(arithmetic_operators[o]) || strcmp(operands[v], "n0") != 0)
                    add_expr(g, "%s %s %s", literals[l], arithmetic_operators[o], operands[v]);
            }
        }
    }
    static const char *const unary[] = {"-$", "!$", "~$", "+$", "-(-$)", "!!$", "~~$", "-~$", "~-$", "!-$"};
    for (size_t u = 0; u < sizeof(unary) / sizeof(unary[0]); u++) {
        for (size_t a = 0; a < LONG_INPUTS; a++) {
            char *text = substitute(unary[u], long_inputs[a].name);
            add_expr(g, "%s", text);
            free(text);
        }
    }
    for (size_t l = 0; l < sizeof(literals) / sizeof(literals[0]); l++) {
        add_expr(g, "%s", literals[l]);
        add_expr(g, "-(%s)", literals[l]);
        add_expr(g, "~(%s)", literals[l]);
        add_expr(g, "!(%s)", literals[l]);
    }
    /* Precedence and chains. */
    add_expr(g, "n7 + nm13 * n7 - n1 << n7 >> n1");
    add_expr(g, "n7 | nm13 & n55 ^ naa");
    add_expr(g, "nmax + n1 == nmin");
    add_expr(g, "nmin - n1 == nmax");
    add_expr(g, "nmin * nm1");
    add_expr(g, "nmin / nm1");
    add_expr(g, "nmin %% nm1");
    add_expr(g, "-nmin");
    add_expr(g, "nm13 / n7 * n7 + nm13 %% n7");
    add_expr(g, "n7 - -n7 - - -n7");
    return g;
}

static group *long_comparison_cases(void)
{
    group *g = group_new("long comparisons (every operator, every pair of inputs)", 32, 150);
    for (size_t o = 0; o < COMPARISON_OPERATORS; o++) {
        for (size_t a = 0; a < LONG_INPUTS; a++) {
            for (size_t b = 0; b < LONG_INPUTS; b++)
                add_expr(g, "%s %s %s", long_inputs[a].name, comparison_operators[o], long_inputs[b].name);
        }
        add_expr(g, "n7 %s 7", comparison_operators[o]);
        add_expr(g, "-9223372036854775808 %s nmin", comparison_operators[o]);
        add_expr(g, "nu32 %s 4294967295", comparison_operators[o]);
        add_expr(g, "(n7 %s nm13) + (nm13 %s n7) * 2", comparison_operators[o], comparison_operators[o]);
    }
    return g;
}

static group *string_operator_cases(uint32_t max_string_length)
{
    group *g = group_new(max_string_length == 32 ? "string concatenation and comparison (MAXSTRINGLEN=32)"
                                                 : "string concatenation and comparison (MAXSTRINGLEN=512)",
                         max_string_length, max_string_length > 64 ? 4 : 60);
    for (size_t a = 0; a < STRING_INPUTS; a++) {
        for (size_t b = 0; b < STRING_INPUTS; b++) {
            add_expr(g, "%s . %s", string_inputs[a].name, string_inputs[b].name);
            add_expr(g, "strlen(%s . %s)", string_inputs[a].name, string_inputs[b].name);
            for (size_t o = 0; o < COMPARISON_OPERATORS; o++)
                add_expr(g, "%s %s %s", string_inputs[a].name, comparison_operators[o], string_inputs[b].name);
        }
        add_expr(g, "%s", string_inputs[a].name);
        add_expr(g, "%s . %s . %s", string_inputs[a].name, string_inputs[a].name, string_inputs[a].name);
        add_expr(g, "\"<\" . %s . \">\"", string_inputs[a].name);
        add_expr(g, "%s . \"0123456789012345678901234567890123456789\"", string_inputs[a].name);
        add_expr(g, "%s . slong . slong", string_inputs[a].name);
        add_expr(g, "%s == \"hello\"", string_inputs[a].name);
        add_expr(g, "\"hello\" < %s", string_inputs[a].name);
    }
    add_expr(g, "\"0123456789012345678901234567890123456789\"");
    add_expr(g, "\"\" . \"\"");
    add_expr(g, "s40 == \"0123456789012345678901234567890123456789\"");
    add_expr(g, "slong . \"x\" == slong");
    add_expr(g, "(shello . ssyn) . (sa . sb) . (s0 . shel)");
    add_expr(g, "shello . (ssyn . (sa . (sb . (s0 . shel))))");
    return g;
}

static group *string_builtin_cases(void)
{
    group *g = group_new("string builtins: strlen, substr, isdigit, stringat, ip_ntop", 32, 40);
    static const char *const texts[] = {"shello", "slong", "s0", "s40", "shi", "sa"};
    static const char *const starts[] = {"-1", "0", "1", "2", "4", "5", "30", "31", "32", "100", "nmax", "nmin"};
    static const char *const lengths[] = {"-1", "0", "1", "2", "3", "5", "31", "32", "nmax", "nmin"};
    for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
        for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
            for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++)
                add_expr(g, "substr(%s, %s, %s)", texts[t], starts[s], lengths[l]);
        }
    }
    add_expr(g, "substr(shello . ssyn, 3, 4)");
    add_expr(g, "substr(\"literal text\", n1, n7)");
    add_expr(g, "substr(substr(slong, 5, 20), 5, 5)");
    for (size_t s = 0; s < STRING_INPUTS; s++) {
        const char *name = string_inputs[s].name;
        add_expr(g, "strlen(%s)", name);
        add_expr(g, "isdigit(%s)", name);
        size_t length = strlen(string_inputs[s].value);
        if (length > 31)
            length = 31;
        for (size_t i = 0; i < length; i++)
            add_expr(g, "stringat(%s, %zu)", name, i);
    }
    static const char *const digit_tests[] = {"\"\"", "\"0\"", "\"9\"", "\"/\"", "\":\"", "\" 1\"", "\"5abc\"",
                                              "\"a5\""};
    for (size_t d = 0; d < sizeof(digit_tests) / sizeof(digit_tests[0]); d++)
        add_expr(g, "isdigit(%s)", digit_tests[d]);
    add_expr(g, "stringat(shello . ssyn, 7)");
    add_expr(g, "stringat(\"xyz\", n1)");
    add_expr(g, "strlen(\"\")");
    add_expr(g, "strlen(\"0123456789012345678901234567890123456789\")");
    for (size_t a = 0; a < LONG_INPUTS; a++)
        add_expr(g, "ip_ntop(%s)", long_inputs[a].name);
    static const char *const addresses[] = {"0", "0xffffffff", "0x0100000a", "0x04030201", "256", "0x100000000",
                                            "0x6400a8c0", "0x0a0a0a0a", "0x64646464", "0x09630a01"};
    for (size_t a = 0; a < sizeof(addresses) / sizeof(addresses[0]); a++)
        add_expr(g, "ip_ntop(%s)", addresses[a]);
    add_expr(g, "ip_ntop(nip) . \":\" . ip_ntop(nm1)");
    add_expr(g, "strlen(ip_ntop(nm1))");
    return g;
}

static group *logical_cases(void)
{
    group *g = group_new("&&, || (short-circuit), ?: and !", 32, 8);
    static const char *const values[] = {"n0", "n1", "nm1", "n7", "nmin"};
    enum { VALUES = sizeof(values) / sizeof(values[0]) };
    for (size_t a = 0; a < VALUES; a++) {
        for (size_t b = 0; b < VALUES; b++) {
            const char *x = values[a], *y = values[b];
            add_expr(g, "%s && %s", x, y);
            add_expr(g, "%s || %s", x, y);
            add_expr(g, "!%s || %s", x, y);
            add_expr(g, "%s && !%s", x, y);
            add_expr(g, "(%s && %s) + (%s || %s) * 2", x, y, y, x);
            add_expr(g, "%s ? %s : n55", x, y);
            add_expr(g, "%s ? shello : %s ? ssyn : s0", x, y);
            add_case(g, "{S}c{i} = 0", case_text("%s && ({S}c{i} = %s)", x, y), NULL);
            add_case(g, "{S}c{i} = 0", case_text("%s || ({S}c{i} = %s)", x, y), NULL);
            add_case(g, "{S}c{i} = 5", case_text("%s && ++{S}c{i} && %s", x, y), NULL);
            add_case(g, "{S}c{i} = 5", case_text("%s || {S}c{i}++ || %s", x, y), NULL);
            add_case(g, case_text("if (%s && {S}c{i}++) {S}d{i} = 1; if (%s || {S}c{i}--) {S}e{i} = 2", x, y), NULL,
                     NULL);
            add_case(g, case_text("{S}t{i} = 0; {S}f{i} = 0; {S}v{i} = %s ? ({S}t{i} = %s) : ({S}f{i} = -%s)", x, y, y),
                     NULL, NULL);
            add_case(g, "{S}s{i} = \"\"", case_text("%s ? ({S}s{i} = shello) : ({S}s{i} = ssyn . \"?\")", x), NULL);
        }
        add_expr(g, "!%s", values[a]);
        add_expr(g, "!!%s", values[a]);
        add_expr(g, "%s ? %s ? 1 : 2 : 3", values[a], values[(a + 1) % VALUES]);
        add_expr(g, "%s && n1 || n0 && %s", values[a], values[(a + 2) % VALUES]);
    }
    /* The pieces of a string comparison short-circuit too. */
    add_case(g, "{S}n{i} = 0", "shello == \"hello\" || (({S}n{i} = 1) && sa < sb)", NULL);
    add_case(g, "{S}n{i} = 0", "shello != \"hello\" && (({S}n{i} = 1) && sa < sb)", NULL);
    add_expr(g, "(n7 > nm13 ? shello : ssyn) . (n0 ? \"x\" : \"y\")");
    add_expr(g, "strlen(n1 ? slong . slong : s0)");
    return g;
}

static group *assignment_cases(void)
{
    group *g = group_new("assignment operators on globals, locals and array elements", 32, 30);
    static const char *const operators[] = {"+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="};
    static const char *const lefts[] = {"n7", "nm13", "nmax", "nmin", "n0", "naa"};
    static const char *const rights[] = {"n7", "nm13", "nm1", "n1", "n64", "n65", "nmax", "nmin", "n0"};
    for (size_t o = 0; o < sizeof(operators) / sizeof(operators[0]); o++) {
        const char *op = operators[o];
        bool division = strcmp(op, "/=") == 0 || strcmp(op, "%=") == 0;
        for (size_t a = 0; a < sizeof(lefts) / sizeof(lefts[0]); a++) {
            for (size_t b = 0; b < sizeof(rights) / sizeof(rights[0]); b++) {
                const char *x = lefts[a], *y = rights[b];
                if (division && strcmp(y, "n0") == 0)
                    continue;
                /* value used, value unused (the atomic add of += and -=) */
                add_case(g, case_text("{S}x{i} = %s", x), case_text("{S}x{i} %s %s", op, y), NULL);
                add_case(g, case_text("{S}y{i} = %s; {S}y{i} %s %s", x, op, y), NULL, NULL);
                add_case(g, case_text("l{i} = %s; {S}z{i} = (l{i} %s %s); {S}w{i} = l{i}", x, op, y), NULL, NULL);
                add_case(g, case_text("{S}a{i}[n1] = %s", x), case_text("{S}a{i}[n1] %s %s", op, y), NULL);
                add_case(g, case_text("{S}b{i}[shello] = %s; {S}b{i}[shello] %s %s", x, op, y), NULL, NULL);
            }
        }
        add_case(g, NULL, case_text("{S}fresh{i} %s n7", op), NULL);
        add_case(g, case_text("{S}freshu{i} %s n7", op), NULL, NULL);
        add_case(g, case_text("{S}fa{i}[n7] %s nm13", op), NULL, NULL);
    }
    static const char *const strings[] = {"s0", "sa", "shello", "slong", "s40", "shi"};
    for (size_t a = 0; a < sizeof(strings) / sizeof(strings[0]); a++) {
        for (size_t b = 0; b < sizeof(strings) / sizeof(strings[0]); b++) {
            const char *x = strings[a], *y = strings[b];
            add_case(g, case_text("{S}x{i} = %s", x), case_text("{S}x{i} .= %s", y), NULL);
            add_case(g, case_text("{S}y{i} = %s; {S}y{i} .= %s; {S}y{i} .= \"!\"", x, y), NULL, NULL);
            add_case(g, case_text("t{i} = %s; t{i} .= %s; {S}z{i} = t{i}; t{i} = \"<\" . t{i}; {S}w{i} = t{i}", x, y),
                     NULL, NULL);
            add_case(g, case_text("{S}a{i}[%s] = %s", y, x), case_text("{S}a{i}[%s] .= %s", y, y), NULL);
        }
    }
    /* Chained and nested assignments. */
    add_case(g, NULL, "{S}p{i} = {S}q{i} = n7 * n7", NULL);
    add_case(g, "{S}p{i} = n7", "{S}p{i} += {S}p{i} *= n7", NULL);
    add_case(g, "l{i} = n7", "l{i} += l{i} *= nm13", NULL);
    add_case(g, "t{i} = shello", "t{i} .= t{i} .= ssyn", NULL);
    add_case(g, "t{i} = shello; t{i} = t{i} . t{i}; t{i} = ssyn . t{i} . ssyn", "t{i}", NULL);
    add_case(g, "l{i} = n7; l{i} = l{i} * l{i} - l{i}", "l{i}", NULL);
    return g;
}

static group *increment_cases(void)
{
    group *g = group_new("++ and -- (prefix, postfix; globals, locals, array elements)", 32, 40);
    static const char *const starts[] = {"n0", "nmax", "nmin", "nm1", "n7"};
    static const char *const forms[] = {"++$", "$++", "--$", "$--"};
    for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
        for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
            const char *start = starts[s];
            char *global_form = substitute(forms[f], "{S}g{i}");
            char *unused_form = substitute(forms[f], "{S}h{i}");
            char *local_form = substitute(forms[f], "l{i}");
            char *long_key_form = substitute(forms[f], "{S}a{i}[nm13]");
            char *string_key_form = substitute(forms[f], "{S}b{i}[ssyn]");
            add_case(g, case_text("{S}g{i} = %s", start), global_form, NULL);
            add_case(g, case_text("{S}h{i} = %s; %s", start, unused_form), NULL, NULL);
            add_case(g, case_text("l{i} = %s; {S}r{i} = %s; {S}v{i} = l{i}", start, local_form), NULL, NULL);
            add_case(g, case_text("l{i} = %s; %s; {S}v{i} = l{i}", start, local_form), NULL, NULL);
            add_case(g, case_text("{S}a{i}[nm13] = %s", start), long_key_form, NULL);
            add_case(g, case_text("{S}a{i}[nm13] = %s; %s", start, long_key_form), NULL, NULL);
            add_case(g, case_text("{S}b{i}[ssyn] = %s", start), string_key_form, NULL);
            add_case(g, case_text("{S}b{i}[ssyn] = %s; %s; %s", start, string_key_form, string_key_form), NULL, NULL);
            free(global_form);
            free(unused_form);
            free(local_form);
            free(long_key_form);
            free(string_key_form);
        }
    }
    add_case(g, NULL, "{S}fresh{i}++", NULL);
    add_case(g, NULL, "--{S}fresh{i}", NULL);
    add_case(g, "{S}fa{i}[n1]++; {S}fa{i}[n1]++; ++{S}fa{i}[n7]", NULL, NULL);
    add_case(g, "{S}g{i} = n7", "{S}g{i}++ + {S}g{i}++ * 10 + ++{S}g{i} * 100", NULL);
    add_case(g, "l{i} = n7", "l{i}++ + l{i}++ * 10 + ++l{i} * 100", NULL);
    add_case(g, "l{i} = n7", "l{i} + l{i}++", NULL);
    add_case(g, "{S}g{i} = n7", "{S}g{i} + {S}g{i}++", NULL);
    return g;
}

static group *array_cases(void)
{
    group *g = group_new("arrays: store, load, in, delete, += with long, string and mixed keys", 32, 25);
    add_case(g, "{S}a{i}[n7] = n1; {S}a{i}[nm13] = nmax", "{S}a{i}[n7] + {S}a{i}[nm13]", NULL);
    add_case(g, "{S}a{i}[n7] = n1", "{S}a{i}[n1]", NULL);
    add_case(g, "{S}a{i}[n7] = n1", "[n7] in {S}a{i}", NULL);
    add_case(g, "{S}a{i}[n7] = n1", "[nm13] in {S}a{i}", NULL);
    add_case(g, "{S}a{i}[n7] = n1", "!([n7] in {S}a{i})", NULL);
    add_case(g, "{S}a{i}[n7] = n1; delete {S}a{i}[n7]", "[n7] in {S}a{i}", NULL);
    add_case(g, "{S}a{i}[n7] = n1; delete {S}a{i}[n1]", "[n7] in {S}a{i}", NULL);
    add_case(g, "{S}a{i}[nmin] = n1; {S}a{i}[nmax] = n7; {S}a{i}[n0] = nm1", "{S}a{i}[nmin] * 100 + {S}a{i}[nmax]", NULL);
    add_case(g, "{S}a{i}[n7] = n1; {S}a{i}[n7] = n55", "{S}a{i}[n7]", NULL);
    add_case(g, "{S}c{i}[\"hello\"] = 4; {S}c{i}[shello . \"x\"] = 5", "{S}c{i}[shello] * 10 + {S}c{i}[\"hellox\"]",
             NULL);
    add_case(g, "{S}c{i}[s0] = 4", "{S}c{i}[\"\"] + ([\"\"] in {S}c{i}) + ([\"a\"] in {S}c{i})", NULL);
    add_case(g, "{S}c{i}[shi] = 4; {S}c{i}[sa] = 1; delete {S}c{i}[sa]", "[shi] in {S}c{i}", NULL);
    add_case(g, "{S}d{i}[n1] = ssyn . \"?\"", "{S}d{i}[n1] . \"|\" . {S}d{i}[n7]", NULL);
    add_case(g, "{S}d{i}[n1] = slong . slong", "{S}d{i}[n1]", NULL);
    add_case(g, "{S}d{i}[n1] = slong; {S}d{i}[n1] = sa", "{S}d{i}[n1]", NULL);
    add_case(g, "{S}e{i}[n1, shello] = 10; {S}e{i}[n1, sa] = 20; {S}e{i}[n7, sa] = 30",
             "{S}e{i}[n1, \"hello\"] * 100 + {S}e{i}[1, \"a\"] + ([n7, \"a\"] in {S}e{i}) + ([n7, \"b\"] in {S}e{i})",
             NULL);
    add_case(g, "{S}e{i}[sa, n1, sb] = shello; {S}e{i}[sb, n1, sa] = ssyn", "{S}e{i}[sa, 1, sb] . {S}e{i}[sb, 1, sa]",
             NULL);
    add_case(g, "{S}f{i}[slong . \"tail\"] = 1", "([slong] in {S}f{i}) * 10 + {S}f{i}[slong]", NULL);
    add_case(g, "{S}f{i}[\"0123456789012345678901234567890123456789\"] = 3", "{S}f{i}[s40]", NULL);
    add_case(g, "{S}h{i}[n1] += n7; {S}h{i}[n1] += n7; {S}h{i}[n1] -= nm13; {S}h{i}[n7] += n1", "{S}h{i}[n1]", NULL);
    add_case(g, "{S}h{i}[n1] = nmax; {S}h{i}[n1] += n1", "{S}h{i}[n1]", NULL);
    add_case(g, "{S}h{i}[n1] = n7", "({S}h{i}[n1] += n7) * 100 + {S}h{i}[n1]", NULL);
    add_case(g, "{S}j{i}[shello, n7] += n7; {S}j{i}[shello, n7] += n7", "{S}j{i}[shello, n7]", NULL);
    add_case(g, "delete {S}k{i}[n1]; {S}k{i}[n7] = 1; delete {S}k{i}[n7]; delete {S}k{i}[n7]", "[n7] in {S}k{i}", NULL);
    add_case(g, "{S}m{i}[n1] = n1; {S}m{i}[n7] = {S}m{i}[n1] + 1; {S}m{i}[{S}m{i}[n7]] = 9", "{S}m{i}[2]", NULL);
    add_case(g, "{S}p{i}[strlen(shello)] = shello; {S}p{i}[strlen(ssyn)] = ssyn", "{S}p{i}[5] . {S}p{i}[4]", NULL);
    add_case(g, "{S}q{i}[n7 > n1] = 1; {S}q{i}[n7 < n1] = 2", "{S}q{i}[1] * 10 + {S}q{i}[0]", NULL);
    add_case(g, "{S}r{i}[substr(shello, 1, 3)] = 1", "[\"ell\"] in {S}r{i}", NULL);
    add_case(g, "{S}x{i}[ip_ntop(nip)] = 5", "{S}x{i}[\"127.0.0.1\"]", NULL);
    for (size_t a = 0; a < LONG_INPUTS; a++)
        add_case(g, case_text("{S}all{i}[%s] = %s", long_inputs[a].name, long_inputs[a].name), NULL, NULL);
    for (size_t s = 0; s < STRING_INPUTS; s++) {
        add_case(g, case_text("{S}alls{i}[%s] = %s", string_inputs[s].name, string_inputs[s].name), NULL, NULL);
        add_case(g, case_text("{S}allk{i}[%s, strlen(%s)] = strlen(%s)", string_inputs[s].name, string_inputs[s].name,
                            string_inputs[s].name),
                 NULL, NULL);
    }
    return g;
}

static group *array_full_cases(void)
{
    group *g = group_new("full arrays and statistics (MAXMAPENTRIES=4; each case alone)", 32, 1);
    g->max_map_entries = 4;
    static const char *const fillers[] = {
        "for (i{i} = 0; i{i} < 4; i{i}++) {S}a{i}[i{i}] = i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i}] = i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i}] += i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i} % 4] += i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[substr(slong, i{i} % 5, 1)] = shello",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i}]++",
        "for (i{i} = 0; i{i} < 6; i{i}++) {S}a{i}[i{i}, sb] <<< i{i}",
        "for (i{i} = 0; i{i} < 4; i{i}++) {S}a{i}[i{i}, sb] <<< i{i}",
        "for (i{i} = 0; i{i} < 6; i{i}++) { {S}a{i}[i{i}] = 1; delete {S}a{i}[i{i} - 1] }",
        "for (i{i} = 0; i{i} < 6; i{i}++) try { {S}a{i}[i{i}] = 1 } catch { {S}c{i}++ }",
    };
    for (size_t f = 0; f < sizeof(fillers) / sizeof(fillers[0]); f++)
        add_case(g, case_text("%s; {S}done{i} = 1", fillers[f]), NULL, NULL)->alone = true;
    return g;
}

static group *statistic_cases(void)
{
    group *g = group_new("statistics: <<< in the probe, @count @sum @min @max @avg @variance and histograms read "
                         "in begin",
                         32, 20);
    static const char *const sets[] = {
        "5", "1, 2, 3, 4", "-5, -3", "n7, nm13, nmax", "nmin, nmax", "nmin, nm1", "0, 0, 0", "n55, naa, n64",
        "1000, -1000, 999", "nm1, nm1, nm1, n0", "1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 65536",
    };
    static const char *const aggregates[] = {"@count", "@sum", "@min", "@max", "@avg", "@variance"};
    for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
        syn_buffer setup;
        syn_buffer_init(&setup);
        char *copy = xstrdup(sets[s]);
        size_t first = g->count;
        for (char *value = strtok(copy, ", "); value; value = strtok(NULL, ", "))
            syn_buffer_printf(&setup, "{S}st%zu <<< %s; {S}hl%zu <<< %s; {S}hn%zu <<< %s; ", first, value, first, value,
                              first, value);
        free(copy);
        add_case(g, setup.data, NULL, NULL);
        syn_buffer_release(&setup);
        for (size_t a = 0; a < sizeof(aggregates) / sizeof(aggregates[0]); a++)
            add_case(g, NULL, NULL, case_text("%s({S}st%zu)", aggregates[a], first));
        add_case(g, NULL, NULL, case_text("@variance({S}st%zu, 2)", first));
        for (int bucket = 0; bucket < 128; bucket += 9)
            add_case(g, NULL, NULL, case_text("@hist_log({S}hl%zu)[%d]", first, bucket));
        for (int bucket = 0; bucket < 13; bucket++)
            add_case(g, NULL, NULL, case_text("@hist_linear({S}hn%zu, 0, 100, 10)[%d]", first, bucket));
    }
    size_t first = g->count;
    add_case(g, case_text("{S}sa%zu[n1] <<< n7; {S}sa%zu[n1] <<< n1; {S}sa%zu[nm1] <<< 3; {S}ss%zu[shello] <<< 4; "
                        "{S}ss%zu[shello] <<< -4; {S}sk%zu[sa, n7] <<< 100",
                        first, first, first, first, first, first),
             NULL, NULL);
    static const char *const keyed[] = {"@count({S}sa$[n1])", "@sum({S}sa$[n1])", "@max({S}sa$[nm1])",
                                        "@avg({S}ss$[\"hello\"])", "@min({S}sk$[\"a\", 7])",
                                        "[n1] in {S}sa$", "[n7] in {S}sa$", "[shello] in {S}ss$",
                                        "@count({S}sa$[n7])", "@sum({S}ss$[sa])"};
    char number[32];
    snprintf(number, sizeof(number), "%zu", first);
    for (size_t k = 0; k < sizeof(keyed) / sizeof(keyed[0]); k++) {
        char *text = substitute(keyed[k], number);
        add_case(g, NULL, NULL, text);
        free(text);
    }
    return g;
}

static group *context_cases(void)
{
    group *g = group_new("context builtins (the kernel runs the program in this process)", 32, 40);
    static const char *const longs[] = {"pid()", "tid()", "ppid()", "uid()", "gid()", "euid()", "egid()", "cpu()",
                                        "target()", "is_return()"};
    for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
        add_expr(g, "%s", longs[i]);
    add_expr(g, "execname()");
    add_expr(g, "strlen(execname())");
    add_expr(g, "pid() == target()");
    add_case(g, "r{i} = randint(10)", "r{i} >= 0 && r{i} < 10", NULL);
    add_case(g, "r{i} = randint(1)", "r{i}", NULL);
    add_case(g, "r{i} = randint(nmax)", "r{i} >= 0", NULL);
    /* task_current() is not compared: in a userspace probe there is no current
     * kernel task to point to, and it is 0 by design (doc/builtins.md). */
    return g;
}

static group *clock_cases(void)
{
    group *g = group_new("clocks (equal within two seconds)", 32, 40);
    add_expr(g, "gettimeofday_s()")->tolerance = 2;
    add_expr(g, "gettimeofday_ms()")->tolerance = 2000;
    add_expr(g, "gettimeofday_us()")->tolerance = 2000000;
    add_expr(g, "gettimeofday_ns()")->tolerance = 2000000000;
    add_expr(g, "ktime_get_ns()")->tolerance = 2000000000;
    add_expr(g, "local_clock_ns()")->tolerance = 2000000000;
    add_expr(g, "jiffies()")->tolerance = 2000;
    return g;
}

static group *control_flow_cases(void)
{
    group *g = group_new("statements: if, for, while, break, continue, next, functions", 32, 6);
    g->prelude = "function f_add(a, b) { return a + b }\n"
                 "function f_str(s) { return \"<\" . s . \">\" }\n"
                 "function f_max(a, b) { if (a > b) return a; return b }\n"
                 "function f_sum(n) { t = 0; for (j = 0; j < n; j++) t += j; return t }\n"
                 "function f_mixed(s, n) { return substr(s, n, 3) . f_str(s) }\n"
                 "function f_void(n) { if (n > 5) return; n = n * 2 }\n";
    add_case(g, "{S}s{i} = 0; for (i{i} = 0; i{i} < 10; i{i}++) {S}s{i} += i{i}", "{S}s{i}", NULL);
    add_case(g, "{S}s{i} = 0; for (i{i} = 10; i{i} > 0; i{i} -= 3) {S}s{i} = {S}s{i} * 10 + i{i}", "{S}s{i}", NULL);
    add_case(g, "j{i} = 0; {S}w{i} = 0; while (j{i} < 20) { j{i}++; if (j{i} % 3 == 0) continue; "
                "if (j{i} > 14) break; {S}w{i} += j{i} }",
             "{S}w{i}", NULL);
    add_case(g, "if (n7 > nm13) { {S}x{i} = 1 } else { {S}x{i} = 2 }", "{S}x{i}", NULL);
    add_case(g, "if (n7 < nm13) { {S}x{i} = 1 } else if (n0) { {S}x{i} = 2 } else { {S}x{i} = 3 }", "{S}x{i}", NULL);
    add_case(g, "if (shello < ssyn) {S}x{i} = shello else {S}x{i} = ssyn", "{S}x{i}", NULL);
    add_case(g, "t{i} = \"\"; for (i{i} = 0; i{i} < 12; i{i}++) t{i} .= sa . sb", "t{i}", NULL);
    /* Alone: with other statements in its probe the verifier gives up (1M instructions). */
    add_case(g, "t{i} = \"\"; i{i} = 0; while (i{i} < strlen(shello)) { t{i} = substr(shello, i{i}, 1) . t{i}; i{i}++ }",
             "t{i}", NULL)
        ->alone = true;
    static const char *const calls[][2] = {
        {NULL, "f_add(n7, nm13) * f_add(nmax, n1)"},
        {NULL, "f_str(shello) . f_str(s0)"},
        {NULL, "f_max(n7, nm13) + f_max(nmin, nmax) * 0 + f_max(n1, n1)"},
        {NULL, "f_sum(10) + f_sum(0)"},
        {NULL, "f_mixed(ssyn, 1) . f_mixed(slong, 29)"},
        {"f_void(n7); f_void(n1)", "1"},
        {NULL, "f_add(f_add(n1, n7), f_add(nm13, f_max(n0, nm1)))"},
    };
    for (size_t c = 0; c < sizeof(calls) / sizeof(calls[0]); c++) {
        add_case(g, calls[c][0], calls[c][1], NULL);
    }
    add_case(g, "if (n0) { l{i} = 5 }", "l{i} + 1", NULL);
    add_case(g, "if (n0) { t{i} = \"x\" }", "t{i} . \"|\"", NULL);
    add_case(g, "if (({S}a{i} = n7 * 2) > 10) {S}b{i} = {S}a{i}", "({S}c{i} = shello) == \"hello\"", NULL);
    add_case(g, "l{i} = 0; while ((l{i} += 3) < 20) {S}c{i}++", "l{i}", NULL);
    add_case(g, "{S}n{i} = 1", NULL, NULL);
    return g;
}

static group *fault_cases(void)
{
    group *g = group_new("faults and try/catch (each case in a probe pair of its own)", 32, 1);
    static const char *const faulting[] = {
        "n7 / n0", "n7 % n0", "nmin / n0", "n0 % n0", "n7 / (n1 - n1)", "stringat(shello, 5)",
        "stringat(shello, -1)", "stringat(s0, 0)", "stringat(slong, nmax)", "randint(0)", "randint(-5)",
    };
    for (size_t f = 0; f < sizeof(faulting) / sizeof(faulting[0]); f++) {
        const char *expression = faulting[f];
        add_case(g, case_text("{S}a{i} = 1; {S}b{i} = %s; {S}c{i} = 1", expression), NULL, NULL)->alone = true;
        add_case(g, case_text("try { {S}a{i} = 1; {S}b{i} = %s; {S}c{i} = 1 } catch { {S}d{i} = 1 }", expression), NULL,
                 NULL)
            ->alone = true;
    }
    static const char *const messages[] = {"n7 / n0", "n7 % n0"};
    for (size_t f = 0; f < sizeof(messages) / sizeof(messages[0]); f++) {
        const char *expression = messages[f];
        add_case(g, case_text("try { {S}b{i} = %s } catch (m{i}) { {S}m{i} = m{i} }", expression), NULL, NULL)->alone =
            true;
    }
    static const char *const other_messages[] = {"stringat(shello, 5)", "stringat(shello, -1)", "randint(0)"};
    for (size_t f = 0; f < sizeof(other_messages) / sizeof(other_messages[0]); f++)
        add_case(g, case_text("try { {S}b{i} = %s } catch (m{i}) { {S}m{i} = m{i} }", other_messages[f]), NULL, NULL)
            ->alone = true;
    add_case(g, "{S}a{i} = 1; error(\"boom\"); {S}b{i} = 1", NULL, NULL)->alone = true;
    add_case(g, "try { error(\"boom \" . shello) } catch (m{i}) { {S}m{i} = m{i} }", NULL, NULL)->alone = true;
    add_case(g, "try { try { {S}x{i} = n1 / n0 } catch (m{i}) { {S}m{i} = m{i}; error(\"again\") } } catch (o{i}) "
                "{ {S}o{i} = o{i} }",
             NULL, NULL)
        ->alone = true;
    add_case(g, "try { {S}x{i} = n1 } catch { {S}x{i} = 2 }", NULL, NULL)->alone = true;
    add_case(g, "{S}e{i} = 1; exit(); {S}f{i} = 2", NULL, NULL)->alone = true;
    add_case(g, "{S}e{i} = 1; if (n0) exit(); {S}f{i} = 2", NULL, NULL)->alone = true;
    add_case(g, "{S}e{i} = 1; next; {S}f{i} = 2", NULL, NULL)->alone = true;
    return g;
}

static group *output_cases(void)
{
    group *g = group_new("printed output: printf, print, println, printd, printdln, log, warn (real session)", 0, 0);
    g->session = true;
    static const char *const statements[] = {
        "printf(\"{P}{i}|%d|%d|%d|%d\\n\", n0, nm1, nmin, nmax)",
        "printf(\"{P}{i}|%x|%X|%o|%u\\n\", nm1, n55, n7, nm13)",
        "printf(\"{P}{i}|%5d|%-5d|%05d|%+d|%i\\n\", n7, n7, nm13, n7, nm13)",
        "printf(\"{P}{i}|%s|%10s|%-10s|%.2s|\\n\", shello, ssyn, sa, shello)",
        "printf(\"{P}{i}|%c%c%c\\n\", 65, n7 + 60, 0x21)",
        "printf(\"{P}{i}|%s|%s|%s\\n\", slong, s40, shi)",
        "printf(\"{P}{i}|%s|%d|%s|%d|%s|%d|%s|%d|%s|%d\\n\", sa, n1, sb, n7, shello, nm13, ssyn, nmax, s0, nmin)",
        "printf(\"{P}{i}|%s\\n\", shello . \" \" . ssyn . \" \" . slong . slong)",
        "printf(\"{P}{i}|%s|%s\\n\", substr(shello, 1, 3), ip_ntop(nip))",
        "printf(\"{P}{i}|%d|%d\\n\", strlen(slong . slong), isdigit(sdig))",
        "printf(\"{P}{i}|%*d|%-*s|\\n\", 6, n7, 8, ssyn)",
        "printf(\"{P}{i}|%%|%p|%#x|%#o\\n\", n7, n55, n7)",
        "printf(\"{P}{i}|no values\\n\")",
        "print(\"{P}{i}|\", n7, shello, nm13, \"\\n\")",
        "println(\"{P}{i}|\", nm13, ssyn, nmin)",
        "printdln(\"--\", \"{P}{i}|\", n1, shello, nmax)",
        "printd(\",\", \"{P}{i}|\", n1, shello); println(\"\")",
        "log(\"{P}{i}|\" . shello . ssyn)",
    };
    for (size_t s = 0; s < sizeof(statements) / sizeof(statements[0]); s++)
        add_case(g, statements[s], NULL, NULL);
    add_case(g, "warn(\"{P}{i}|\" . ssyn)", NULL, NULL);
    return g;
}

/* ---- random expressions --------------------------------------------------------------------- */

typedef struct random_state {
    uint64_t state;
} random_state;

static uint64_t random_next(random_state *r)
{
    /* xorshift64* */
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return r->state * 2685821657736338717ULL;
}

static unsigned random_below(random_state *r, unsigned n)
{
    return (unsigned)((random_next(r) >> 11) % n);
}

static void random_string(syn_buffer *out, random_state *r, int depth);

static void random_long(syn_buffer *out, random_state *r, int depth)
{
    static const char *const literals[] = {"0", "1", "2", "3", "5", "-1", "-7", "63", "64", "100", "0x7fffffff",
                                           "0x80000000", "4294967296", "9223372036854775807", "0xdeadbeefcafe"};
    if (depth <= 0 || random_below(r, 5) == 0) {
        if (random_below(r, 3) == 0)
            syn_buffer_append_string(out, literals[random_below(r, sizeof(literals) / sizeof(literals[0]))]);
        else
            syn_buffer_append_string(out, long_inputs[random_below(r, LONG_INPUTS)].name);
        return;
    }
    unsigned kind = random_below(r, 20);
    syn_buffer_append_char(out, '(');
    if (kind < 9) {
        const char *op = arithmetic_operators[random_below(r, ARITHMETIC_OPERATORS)];
        random_long(out, r, depth - 1);
        syn_buffer_printf(out, " %s ", op);
        if (is_division(op)) {
            /* Never zero: x | 1 keeps the sign. */
            syn_buffer_append_char(out, '(');
            random_long(out, r, depth - 1);
            syn_buffer_append_string(out, " | 1)");
        } else {
            random_long(out, r, depth - 1);
        }
    } else if (kind < 11) {
        static const char *const unary[] = {"-", "!", "~"};
        syn_buffer_append_string(out, unary[random_below(r, 3)]);
        syn_buffer_append_char(out, '(');
        random_long(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else if (kind < 13) {
        random_long(out, r, depth - 1);
        syn_buffer_printf(out, " %s ", comparison_operators[random_below(r, COMPARISON_OPERATORS)]);
        random_long(out, r, depth - 1);
    } else if (kind == 13) {
        random_string(out, r, depth - 1);
        syn_buffer_printf(out, " %s ", comparison_operators[random_below(r, COMPARISON_OPERATORS)]);
        random_string(out, r, depth - 1);
    } else if (kind == 14) {
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, random_below(r, 2) ? " && " : " || ");
        random_long(out, r, depth - 1);
    } else if (kind == 15) {
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, " ? ");
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, " : ");
        random_long(out, r, depth - 1);
    } else if (kind == 16) {
        syn_buffer_append_string(out, "strlen(");
        random_string(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else if (kind == 17) {
        syn_buffer_append_string(out, "isdigit(");
        random_string(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else {
        /* stringat in range: T is never empty, the index is below its length. */
        syn_buffer text;
        syn_buffer_init(&text);
        syn_buffer_append_char(&text, '(');
        random_string(&text, r, depth - 1);
        syn_buffer_append_string(&text, " . \"x\")");
        syn_buffer_printf(out, "stringat(%s, (", text.data);
        random_long(out, r, depth - 1);
        syn_buffer_printf(out, " & 15) %% strlen(%s))", text.data);
        syn_buffer_release(&text);
    }
    syn_buffer_append_char(out, ')');
}

static void random_string(syn_buffer *out, random_state *r, int depth)
{
    static const char *const literals[] = {"\"\"", "\"x\"", "\"hello\"", "\"12ab\"",
                                           "\"A literal string longer than 32 bytes!\""};
    if (depth <= 0 || random_below(r, 4) == 0) {
        if (random_below(r, 3) == 0)
            syn_buffer_append_string(out, literals[random_below(r, sizeof(literals) / sizeof(literals[0]))]);
        else
            syn_buffer_append_string(out, string_inputs[random_below(r, STRING_INPUTS)].name);
        return;
    }
    unsigned kind = random_below(r, 8);
    if (kind < 4) {
        syn_buffer_append_char(out, '(');
        random_string(out, r, depth - 1);
        syn_buffer_append_string(out, " . ");
        random_string(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else if (kind < 6) {
        syn_buffer_append_string(out, "substr(");
        random_string(out, r, depth - 1);
        syn_buffer_append_string(out, ", ");
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, ", ");
        random_long(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else if (kind == 6) {
        syn_buffer_append_string(out, "ip_ntop(");
        random_long(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    } else {
        syn_buffer_append_char(out, '(');
        random_long(out, r, depth - 1);
        syn_buffer_append_string(out, " ? ");
        random_string(out, r, depth - 1);
        syn_buffer_append_string(out, " : ");
        random_string(out, r, depth - 1);
        syn_buffer_append_char(out, ')');
    }
}

static group *random_cases(uint64_t seed, bool strings, size_t count)
{
    static char names[2][96];
    snprintf(names[strings], sizeof(names[strings]), "random %s expressions (seed %" PRIu64 ")",
             strings ? "string" : "long", seed);
    group *g = group_new(names[strings], 32, 1);
    random_state r = {.state = seed * 2 + 1 + (strings ? 0x9e3779b97f4a7c15ULL : 0)};
    for (size_t i = 0; i < count; i++) {
        syn_buffer text;
        syn_buffer_init(&text);
        if (strings)
            random_string(&text, &r, 4);
        else
            random_long(&text, &r, 4);
        add_case(g, NULL, text.data, NULL);
        syn_buffer_release(&text);
    }
    return g;
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
