/* kernel.trace("SYSTEM:EVENT"): the kernel's tracepoints through tracefs.
 * The handler receives the tracepoint's record; its fields, as the format
 * file describes them, are the target variables ($skaddr, $oldstate, ...).
 * SYSTEM and EVENT may hold wildcards; without "SYSTEM:", any system. */
#include <stdio.h>
#include <string.h>

#include "runtime/probes/perf_event.h"
#include "runtime/tracefs.h"

typedef struct expansion {
    syn_kernel *kernel;
    const char *tracefs;
    const syn_probe_point *point;
    syn_point_list *points;
    syn_arena *arena;
    syn_diagnostics *diagnostics;
    bool failed;
} expansion;

static void describe_field(syn_arena *arena, const syn_tracepoint_field *field, syn_target_variable *variable)
{
    variable->name = syn_arena_strdup(arena, field->name);
    variable->c_type = syn_arena_strdup(arena, field->c_type);
    variable->offset = field->offset;
    variable->size = field->size;
    variable->is_signed = field->is_signed;
    if (field->is_data_loc) {
        variable->access = SYN_TARGET_DATA_LOC;
    } else if (field->is_array) {
        variable->access = SYN_TARGET_FIELD_ADDRESS;
        variable->element_count = field->array_length;
        variable->element_size = field->array_length ? field->size / field->array_length : field->size;
        variable->element_signed = field->is_signed;
    } else {
        variable->access = SYN_TARGET_FIELD;
    }
}

static void add_tracepoint(void *context, const char *system, const char *event)
{
    expansion *state = context;
    syn_tracepoint_format format;
    char error[512];
    if (!syn_tracepoint_format_read(state->tracefs, system, event, &format, error, sizeof(error))) {
        /* A tracepoint that lists but cannot be read is skipped for a
         * wildcard and an error when named exactly. */
        if (!strpbrk(syn_component_string(state->point, 1), "*?[")) {
            syn_error(state->diagnostics, &state->point->location, "%s", error);
            state->failed = true;
        }
        return;
    }
    syn_arena *arena = state->arena;
    syn_point *point = syn_arena_alloc(arena, sizeof(*point));
    point->name = syn_arena_printf(arena, "kernel.trace(\"%s:%s\")", system, event);
    point->context = SYN_CONTEXT_TRACEPOINT;
    point->system = syn_arena_strdup(arena, system);
    point->event = syn_arena_strdup(arena, event);
    point->tracepoint_id = format.id;
    point->variables = syn_arena_alloc(arena, (format.field_count + 1) * sizeof(*point->variables));
    for (uint32_t i = 0; i < format.field_count; i++) {
        if (!format.fields[i].is_common)
            describe_field(arena, &format.fields[i], &point->variables[point->variable_count++]);
    }
    syn_tracepoint_format_release(&format);
    syn_point_list_append(arena, state->points, point);
}

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    if (point->count != 2 || !syn_component_is(point, 0, "kernel") || strcmp(point->components[1].name, "trace") != 0)
        return SYN_FAMILY_NOT_MINE;
    const char *name = syn_component_string(point, 1);
    if (!name || !*name) {
        syn_error(diagnostics, &point->components[1].location,
                  "kernel.trace takes a string: \"SYSTEM:EVENT\" or \"EVENT\"");
        return SYN_FAMILY_FAILED;
    }
    const char *tracefs = syn_kernel_tracefs(kernel);
    if (!tracefs) {
        syn_error(diagnostics, &point->location, "%s", kernel->tracefs_error);
        return SYN_FAMILY_FAILED;
    }
    const char *colon = strchr(name, ':');
    char *system = colon ? syn_arena_strndup(arena, name, (size_t)(colon - name)) : "*";
    const char *event = colon ? colon + 1 : name;
    expansion state = {.kernel = kernel, .tracefs = tracefs, .point = point, .points = points,
                       .arena = arena, .diagnostics = diagnostics};
    unsigned matched = syn_tracepoint_each(tracefs, system, event, add_tracepoint, &state);
    if (state.failed)
        return SYN_FAMILY_FAILED;
    if (matched == 0 && !point->optional) {
        syn_error(diagnostics, &point->location, "no tracepoint matches \"%s\" (see syn -l 'kernel.trace(\"*\")')",
                  name);
        return SYN_FAMILY_FAILED;
    }
    return SYN_FAMILY_RESOLVED;
}

static bool attach(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size)
{
    (void)kernel;
    struct perf_event_attr attr = {
        .type = PERF_TYPE_TRACEPOINT,
        .config = point->tracepoint_id,
        .sample_period = 1,
        .wakeup_events = 1,
    };
    /* A tracepoint's program runs on every CPU; one event carries it. */
    return syn_perf_event_attach(&attr, 0, program_fd, attachment, error, error_size);
}

const syn_probe_family syn_family_tracepoint = {
    .name = "kernel.trace",
    .synopsis = "kernel.trace(\"SYSTEM:EVENT\")",
    .resolve = resolve,
    .attach = attach,
};
