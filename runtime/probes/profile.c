/* timer.profile: a handler that runs in the kernel on every CPU at the
 * profiling frequency (a perf cpu-clock sampling event per CPU), with the
 * interrupted task as its context.  timer.profile.tick is the same. */
#include "runtime/probes/perf_event.h"

enum { SYN_PROFILE_FREQUENCY = 100 };

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    (void)kernel;
    (void)diagnostics;
    bool profile = point->count >= 2 && syn_component_is(point, 0, "timer") && syn_component_is(point, 1, "profile");
    if (!profile || point->count > 3 || (point->count == 3 && !syn_component_is(point, 2, "tick")))
        return SYN_FAMILY_NOT_MINE;
    syn_point *resolved = syn_arena_alloc(arena, sizeof(*resolved));
    resolved->name = syn_point_text(arena, point);
    resolved->context = SYN_CONTEXT_PERF_EVENT;
    syn_point_list_append(arena, points, resolved);
    return SYN_FAMILY_RESOLVED;
}

static bool attach(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size)
{
    (void)kernel;
    (void)point;
    struct perf_event_attr attr = {
        .type = PERF_TYPE_SOFTWARE,
        .config = PERF_COUNT_SW_CPU_CLOCK,
        .freq = 1,
        .sample_freq = SYN_PROFILE_FREQUENCY,
    };
    return syn_perf_event_attach_every_cpu(&attr, program_fd, attachment, error, error_size, NULL);
}

const syn_probe_family syn_family_profile = {
    .name = "timer.profile",
    .synopsis = "timer.profile",
    .resolve = resolve,
    .attach = attach,
};
