/* kernel.tracepoint("EVENT"): a tracepoint's own arguments, typed by BTF
 * (a tp_btf program).  $sk in kernel.tracepoint("inet_sock_set_state") is
 * the struct sock * the kernel passed, so $sk->__sk_common->skc_state reads
 * the real socket.  Arguments are named as the kernel names them, and also
 * $arg1, $arg2, ...  EVENT may hold wildcards; a "SYSTEM:" prefix is
 * accepted and ignored, since BTF names tracepoints by event alone. */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "compiler/btf_types.h"
#include "runtime/probes/arguments.h"
#include "runtime/probes/family.h"

static const char trace_prefix[] = "btf_trace_";

/* The arguments' names come from the kernel's __bpf_trace_EVENT function;
 * the btf_trace_EVENT typedef that tp_btf attaches to has only types. */
static void describe_arguments(syn_arena *arena, const struct btf *btf, syn_point *point, const char *event,
                               const struct btf_type *prototype)
{
    char function_name[256];
    snprintf(function_name, sizeof(function_name), "__bpf_trace_%s", event);
    int function_id = btf__find_by_name_kind(btf, function_name, BTF_KIND_FUNC);
    const struct btf_type *named = NULL;
    if (function_id > 0) {
        const struct btf_type *function = btf__type_by_id(btf, (uint32_t)function_id);
        named = btf__type_by_id(btf, function->type);
        if (named && btf_vlen(named) != btf_vlen(prototype))
            named = NULL;
    }
    uint16_t count = btf_vlen(prototype);
    point->variables = syn_arena_alloc(arena, 2 * (size_t)count * sizeof(*point->variables) + 1);
    const struct btf_param *params = btf_params(prototype);
    /* The first parameter is the tracepoint's private data, not an argument. */
    for (uint16_t i = 1; i < count; i++) {
        const char *name = named ? btf__name_by_offset(btf, btf_params(named)[i].name_off) : NULL;
        if (name && *name)
            syn_add_typed_argument(arena, btf, point, name, (i - 1) * 8, (int32_t)params[i].type);
        char numbered[16];
        snprintf(numbered, sizeof(numbered), "arg%u", (unsigned)i);
        syn_add_typed_argument(arena, btf, point, numbered, (i - 1) * 8, (int32_t)params[i].type);
    }
}

static bool add_event(syn_arena *arena, const struct btf *btf, int32_t typedef_id, const char *event,
                      syn_point_list *points)
{
    const struct btf_type *pointer;
    const struct btf_type *typedef_type = btf__type_by_id(btf, (uint32_t)typedef_id);
    if (syn_btf_resolve(btf, (int32_t)typedef_type->type, &pointer) < 0 || !pointer || !btf_is_ptr(pointer))
        return false;
    const struct btf_type *prototype = btf__type_by_id(btf, pointer->type);
    if (!prototype || !btf_is_func_proto(prototype) || btf_vlen(prototype) < 1)
        return false;
    syn_point *point = syn_arena_alloc(arena, sizeof(*point));
    point->name = syn_arena_printf(arena, "kernel.tracepoint(\"%s\")", event);
    point->context = SYN_CONTEXT_RAW_TRACEPOINT;
    point->event = syn_arena_strdup(arena, event);
    point->attach_btf_id = typedef_id;
    describe_arguments(arena, btf, point, event, prototype);
    syn_point_list_append(arena, points, point);
    return true;
}

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    if (point->count != 2 || !syn_component_is(point, 0, "kernel") ||
        strcmp(point->components[1].name, "tracepoint") != 0)
        return SYN_FAMILY_NOT_MINE;
    const char *name = syn_component_string(point, 1);
    if (!name || !*name) {
        syn_error(diagnostics, &point->components[1].location, "kernel.tracepoint takes a string: \"EVENT\"");
        return SYN_FAMILY_FAILED;
    }
    const struct btf *btf = syn_kernel_btf(kernel);
    if (!btf) {
        syn_error(diagnostics, &point->location, "%s", kernel->btf_error);
        return SYN_FAMILY_FAILED;
    }
    const char *colon = strchr(name, ':');
    const char *event = colon ? colon + 1 : name;
    unsigned matched = 0;
    uint32_t count = btf__type_cnt(btf);
    for (uint32_t id = 1; id < count; id++) {
        const struct btf_type *type = btf__type_by_id(btf, id);
        if (!btf_is_typedef(type))
            continue;
        const char *type_name = btf__name_by_offset(btf, type->name_off);
        if (!type_name || strncmp(type_name, trace_prefix, sizeof(trace_prefix) - 1) != 0)
            continue;
        const char *candidate = type_name + sizeof(trace_prefix) - 1;
        if (fnmatch(event, candidate, 0) == 0 && add_event(arena, btf, (int32_t)id, candidate, points))
            matched++;
    }
    if (matched == 0 && !point->optional) {
        syn_error(diagnostics, &point->location, "no tracepoint named \"%s\" in the kernel's BTF", event);
        return SYN_FAMILY_FAILED;
    }
    return SYN_FAMILY_RESOLVED;
}

static bool attach(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size)
{
    (void)kernel;
    (void)point;
    int fd = bpf_raw_tracepoint_open(NULL, program_fd);
    if (fd < 0) {
        snprintf(error, error_size, "attaching the typed tracepoint program failed: %s", strerror(-fd));
        return false;
    }
    syn_attachment_add(attachment, fd);
    return true;
}

const syn_probe_family syn_family_raw_tracepoint = {
    .name = "kernel.tracepoint",
    .synopsis = "kernel.tracepoint(\"EVENT\")",
    .resolve = resolve,
    .attach = attach,
};
