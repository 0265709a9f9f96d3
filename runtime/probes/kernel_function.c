/* kernel.function("F"), .call, .return; module("M").function("F");
 * kprobe.function("F"), kprobe.module("M").function("F") and their .return:
 * the kernel's functions, named by its BTF (wildcards allowed), their
 * parameters typed by the function's prototype, $return in return probes.
 *
 * A probe attaches through a BPF trampoline (fentry/fexit) when the kernel
 * has them, else through a kprobe or kretprobe; kprobe.* prefers kprobes.
 * A kernel with neither (no CONFIG_KPROBES, trampolines refused) gets one
 * sentence saying so, and an optional point (?) is left out quietly, so a
 * library alias can fall back to a tracepoint.
 *
 * In a kretprobe the parameters' registers are gone by the time the
 * function returns, so there $param is read at the entry: the point's entry
 * sibling captures it (compiler/lower_entry.c), as @entry(...) values are. */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "runtime/probes/arguments.h"
#include "runtime/probes/family.h"
#include "runtime/probes/probe_events.h"

enum { SYN_MAX_FUNCTION_MATCHES = 512 };

typedef enum mechanism {
    MECHANISM_NONE,
    MECHANISM_TRAMPOLINE,        /* fentry, fexit */
    MECHANISM_KPROBE,            /* kprobe, kretprobe */
} mechanism;

extern const syn_probe_family syn_family_kernel_function;

/* The written point, taken apart. */
typedef struct function_point {
    bool kprobe_spelling;        /* kprobe.function(...) */
    const char *module;          /* module("M"), or NULL for the kernel itself */
    const char *pattern;
    bool is_return;
    bool call;                   /* .call: a non-inlined call, the same here */
} function_point;

static bool take_apart(const syn_probe_point *point, function_point *out, syn_diagnostics *diagnostics,
                       bool *mine)
{
    memset(out, 0, sizeof(*out));
    *mine = false;
    unsigned index = 0;
    if (syn_component_is(point, 0, "kprobe")) {
        out->kprobe_spelling = true;
        index = 1;
    }
    if (index < point->count && strcmp(point->components[index].name, "module") == 0) {
        out->module = syn_component_string(point, index);
        index++;
    } else if (!out->kprobe_spelling) {
        if (!syn_component_is(point, 0, "kernel"))
            return false;
        index = 1;
    }
    if (index >= point->count || strcmp(point->components[index].name, "function") != 0)
        return false;
    *mine = true;
    if (out->kprobe_spelling && point->components[0].argument) {
        syn_error(diagnostics, &point->components[0].location, "kprobe takes no argument");
        return false;
    }
    out->pattern = syn_component_string(point, index);
    if (!out->pattern || !*out->pattern) {
        syn_error(diagnostics, &point->components[index].location,
                  "function takes a string: the kernel function's name, wildcards allowed");
        return false;
    }
    if (strpbrk(out->pattern, "@:")) {
        syn_error(diagnostics, &point->components[index].location,
                  "\"%s\": syn names kernel functions by name only (no @file:line; it reads BTF, not "
                  "debuginfo)",
                  out->pattern);
        return false;
    }
    if (out->module && !*out->module) {
        syn_error(diagnostics, &point->location, "module takes a string: the module's name");
        return false;
    }
    index++;
    if (index < point->count) {
        const char *suffix = point->components[index].name;
        if (strcmp(suffix, "return") == 0)
            out->is_return = true;
        else if (strcmp(suffix, "call") == 0 && !out->kprobe_spelling)
            out->call = true;
        if ((!out->is_return && !out->call) || point->components[index].argument || index + 1 < point->count) {
            syn_error(diagnostics, &point->components[index].location,
                      "after function(...) only %s can follow", out->kprobe_spelling ? ".return" : ".call or .return");
            return false;
        }
    }
    return true;
}

static mechanism choose(syn_kernel *kernel, bool prefer_kprobes)
{
    bool trampolines = syn_kernel_has(kernel, SYN_FEATURE_FENTRY);
    bool kprobes = syn_kernel_has(kernel, SYN_FEATURE_KPROBES);
    if (prefer_kprobes && kprobes)
        return MECHANISM_KPROBE;
    if (trampolines)
        return MECHANISM_TRAMPOLINE;
    return kprobes ? MECHANISM_KPROBE : MECHANISM_NONE;
}

static char *point_name(syn_arena *arena, const function_point *written, const char *function, bool is_return)
{
    const char *prefix = written->kprobe_spelling ? "kprobe." : written->module ? "" : "kernel.";
    char module[300] = "";
    if (written->module)
        snprintf(module, sizeof(module), "module(\"%s\").", written->module);
    return syn_arena_printf(arena, "%s%sfunction(\"%s\")%s", prefix, module, function,
                            is_return ? ".return" : written->call ? ".call" : "");
}

/* A type id of the module's split BTF means nothing to the compiler, which
 * follows -> chains in the kernel's own BTF: such values stay plain numbers. */
static int32_t usable_type(const struct btf *btf, const struct btf *base, int32_t type)
{
    return btf == base || (uint32_t)type < btf__type_cnt(base) ? type : 0;
}

static void describe(syn_arena *arena, const struct btf *btf, const struct btf *base, syn_point *point,
                     const struct btf_type *prototype, mechanism how)
{
    uint16_t count = btf_vlen(prototype);
    const struct btf_param *params = btf_params(prototype);
    point->variables = syn_arena_alloc(arena, ((size_t)count + 2) * sizeof(*point->variables));
    for (uint16_t i = 0; i < count; i++) {
        const char *name = btf__name_by_offset(btf, params[i].name_off);
        char numbered[16];
        if (!name || !*name) {
            snprintf(numbered, sizeof(numbered), "arg%u", (unsigned)i + 1);
            name = numbered;
        }
        uint32_t offset = i * 8;
        if (how == MECHANISM_KPROBE && !syn_register_argument_offset(i, &offset))
            continue; /* passed on the stack: not offered */
        syn_add_typed_argument(arena, btf, point, name, offset, usable_type(btf, base, (int32_t)params[i].type));
        point->variables[point->variable_count - 1].at_entry = how == MECHANISM_KPROBE && point->is_return;
    }
    if (point->is_return && prototype->type) {
        uint32_t offset = how == MECHANISM_KPROBE ? syn_register_return_offset() : (uint32_t)count * 8;
        syn_add_typed_argument(arena, btf, point, "return", offset, usable_type(btf, base, (int32_t)prototype->type));
    }
}

static syn_point *make_point(syn_arena *arena, const struct btf *btf, const struct btf *base,
                             const function_point *written, const char *function, int32_t function_id,
                             bool is_return, mechanism how)
{
    const struct btf_type *type = btf__type_by_id(btf, (uint32_t)function_id);
    const struct btf_type *prototype = btf__type_by_id(btf, type->type);
    syn_point *point = syn_arena_alloc(arena, sizeof(*point));
    point->name = point_name(arena, written, function, is_return);
    point->context = how == MECHANISM_TRAMPOLINE ? SYN_CONTEXT_FENTRY : SYN_CONTEXT_KPROBE;
    point->family = &syn_family_kernel_function;
    point->function = syn_arena_strdup(arena, function);
    point->is_return = is_return;
    point->attach_name = point->function;
    point->attach_btf_id = function_id;
    point->attach_pid = -1;
    point->mechanism = how;
    describe(arena, btf, base, point, prototype, how);
    return point;
}

/* A kprobe needs no BTF: functions the BTF does not describe are found in
 * /proc/kallsyms, with no typed parameters (the *_arg() functions read the
 * registers) and $return as a plain number. */
static syn_point *make_untyped_point(syn_arena *arena, const function_point *written, const char *function,
                                     bool is_return)
{
    syn_point *point = syn_arena_alloc(arena, sizeof(*point));
    point->name = point_name(arena, written, function, is_return);
    point->context = SYN_CONTEXT_KPROBE;
    point->family = &syn_family_kernel_function;
    point->function = syn_arena_strdup(arena, function);
    point->is_return = is_return;
    point->attach_name = point->function;
    point->attach_pid = -1;
    point->mechanism = MECHANISM_KPROBE;
    point->variables = syn_arena_alloc(arena, sizeof(*point->variables));
    if (is_return) {
        syn_target_variable *value = &point->variables[point->variable_count++];
        value->name = syn_arena_strdup(arena, "return");
        value->c_type = syn_arena_strdup(arena, "long");
        value->access = SYN_TARGET_ARGUMENT;
        value->offset = syn_register_return_offset();
        value->size = 8;
        value->is_signed = true;
    }
    return point;
}

static unsigned add_symbols(const function_point *written, syn_point_list *points, syn_arena *arena)
{
    FILE *symbols = fopen("/proc/kallsyms", "re");
    if (!symbols)
        return 0;
    unsigned matched = 0;
    uint32_t first = points->count;
    char line[512];
    while (fgets(line, sizeof(line), symbols) && matched <= SYN_MAX_FUNCTION_MATCHES) {
        char type, name[256], module[128] = "";
        if (sscanf(line, "%*s %c %255s [%127[^]]]", &type, name, module) < 2 || (type != 't' && type != 'T'))
            continue;
        /* Compiler-made copies (foo.isra.0, foo.cold) are parts of functions, not functions. */
        if (strchr(name, '.') || strcmp(module, written->module ? written->module : "") != 0 ||
            fnmatch(written->pattern, name, 0) != 0)
            continue;
        /* Static functions of the same name appear once per copy; one probe attaches to the name. */
        bool seen = false;
        for (uint32_t i = first; i < points->count && !seen; i++)
            seen = strcmp(points->items[i]->function, name) == 0;
        if (seen)
            continue;
        matched++;
        syn_point *concrete = make_untyped_point(arena, written, name, written->is_return);
        if (written->is_return)
            concrete->entry = make_untyped_point(arena, written, name, false);
        syn_point_list_append(arena, points, concrete);
    }
    fclose(symbols);
    return matched;
}

static const char *mechanism_problem(bool kprobe_spelling)
{
    return kprobe_spelling ? "this kernel has no kprobes (CONFIG_KPROBES is off)"
                           : "this kernel has neither kprobes nor BPF trampolines";
}

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    function_point written;
    bool mine;
    if (!take_apart(point, &written, diagnostics, &mine))
        return mine ? SYN_FAMILY_FAILED : SYN_FAMILY_NOT_MINE;
    struct btf *base = syn_kernel_btf(kernel);
    if (!base) {
        syn_error(diagnostics, &point->location, "%s", kernel->btf_error);
        return SYN_FAMILY_FAILED;
    }
    struct btf *btf = base;
    if (written.module) {
        btf = btf__load_module_btf(written.module, base);
        if (!btf) {
            if (point->optional)
                return SYN_FAMILY_RESOLVED;
            syn_error(diagnostics, &point->location, "module \"%s\" is not loaded or has no BTF (/sys/kernel/btf/%s)",
                      written.module, written.module);
            return SYN_FAMILY_FAILED;
        }
    }
    syn_family_result result = SYN_FAMILY_RESOLVED;
    mechanism how = choose(kernel, written.kprobe_spelling);
    uint32_t first = written.module ? btf__type_cnt(base) : 1, count = btf__type_cnt(btf), matched = 0;
    for (uint32_t id = first; id < count && result == SYN_FAMILY_RESOLVED; id++) {
        const struct btf_type *type = btf__type_by_id(btf, id);
        if (!btf_is_func(type))
            continue;
        const char *name = btf__name_by_offset(btf, type->name_off);
        if (!name || fnmatch(written.pattern, name, 0) != 0)
            continue;
        if (++matched > SYN_MAX_FUNCTION_MATCHES) {
            syn_error(diagnostics, &point->location,
                      "\"%s\" matches more than %d kernel functions, more than syn attaches at once; narrow it",
                      written.pattern, SYN_MAX_FUNCTION_MATCHES);
            result = SYN_FAMILY_FAILED;
            break;
        }
        if (how == MECHANISM_NONE)
            continue;
        syn_point *concrete = make_point(arena, btf, base, &written, name, (int32_t)id, written.is_return, how);
        if (written.is_return)
            concrete->entry = make_point(arena, btf, base, &written, name, (int32_t)id, false, how);
        syn_point_list_append(arena, points, concrete);
    }
    if (result == SYN_FAMILY_RESOLVED && matched == 0 && how == MECHANISM_KPROBE)
        matched = add_symbols(&written, points, arena);
    if (result == SYN_FAMILY_RESOLVED && matched > SYN_MAX_FUNCTION_MATCHES) {
        syn_error(diagnostics, &point->location,
                  "\"%s\" matches more than %d kernel functions, more than syn attaches at once; narrow it",
                  written.pattern, SYN_MAX_FUNCTION_MATCHES);
        result = SYN_FAMILY_FAILED;
    } else if (result == SYN_FAMILY_RESOLVED && matched == 0 && !point->optional) {
        syn_error(diagnostics, &point->location, "no kernel function matches \"%s\" in the %s BTF%s",
                  written.pattern, written.module ? "module's" : "kernel's",
                  how == MECHANISM_KPROBE ? " or its symbols" : "");
        result = SYN_FAMILY_FAILED;
    } else if (result == SYN_FAMILY_RESOLVED && how == MECHANISM_NONE && !point->optional) {
        syn_error(diagnostics, &point->location, "%s: %s; try kernel.trace(...) or kernel.tracepoint(...)",
                  syn_point_text(arena, point), mechanism_problem(written.kprobe_spelling));
        result = SYN_FAMILY_FAILED;
    }
    if (btf != base)
        btf__free(btf);
    return result;
}

static bool attach(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size)
{
    if (point->mechanism == MECHANISM_TRAMPOLINE) {
        int fd = bpf_raw_tracepoint_open(NULL, program_fd);
        if (fd < 0) {
            snprintf(error, error_size, "attaching the %s program to %s failed: %s",
                     point->is_return ? "fexit" : "fentry", point->function, strerror(-fd));
            return false;
        }
        syn_attachment_add(attachment, fd);
        return true;
    }
    syn_probe_target target = {.uprobe = false, .is_return = point->is_return, .name = point->attach_name,
                               .offset = point->attach_offset, .pid = -1};
    return syn_probe_event_attach(kernel, &target, program_fd, attachment, error, error_size);
}

const syn_probe_family syn_family_kernel_function = {
    .name = "kernel.function",
    .synopsis = "kernel.function(\"F\"), kernel.function(\"F\").call, kernel.function(\"F\").return, "
                "module(\"M\").function(\"F\"), module(\"M\").function(\"F\").call, "
                "module(\"M\").function(\"F\").return, kprobe.function(\"F\"), kprobe.function(\"F\").return, "
                "kprobe.module(\"M\").function(\"F\"), kprobe.module(\"M\").function(\"F\").return",
    .resolve = resolve,
    .attach = attach,
};
