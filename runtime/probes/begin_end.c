/* begin, end, error and never: the points syn itself fires, in its own
 * process, around the run.  begin(N), end(N) and error(N) order handlers of
 * the same kind by N (lower first), as in SystemTap. */
#include <string.h>

#include "runtime/probes/family.h"

static const struct {
    const char *name;
    syn_userspace_event event;
} kinds[] = {
    {"begin", SYN_USERSPACE_BEGIN},
    {"end", SYN_USERSPACE_END},
    {"error", SYN_USERSPACE_ERROR},
    {"never", SYN_USERSPACE_NEVER},
};

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    (void)kernel;
    if (point->count != 1)
        return SYN_FAMILY_NOT_MINE;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(point->components[0].name, kinds[i].name) != 0)
            continue;
        const syn_expr *argument = point->components[0].argument;
        int64_t order = 0;
        if (argument && (kinds[i].event == SYN_USERSPACE_NEVER || !syn_component_number(point, 0, &order))) {
            syn_error(diagnostics, &argument->location, kinds[i].event == SYN_USERSPACE_NEVER
                                                            ? "'never' takes no argument"
                                                            : "'%s' takes a number: the order of its handlers",
                      kinds[i].name);
            return SYN_FAMILY_FAILED;
        }
        syn_point *resolved = syn_arena_alloc(arena, sizeof(*resolved));
        resolved->name = syn_point_text(arena, point);
        resolved->context = SYN_CONTEXT_USERSPACE;
        resolved->userspace_event = kinds[i].event;
        resolved->order = order;
        syn_point_list_append(arena, points, resolved);
        return SYN_FAMILY_RESOLVED;
    }
    return SYN_FAMILY_NOT_MINE;
}

const syn_probe_family syn_family_begin_end = {
    .name = "begin",
    .synopsis = "begin, begin(N), end, end(N), error, error(N), never",
    .resolve = resolve,
};
