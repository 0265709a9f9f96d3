/* timer.s(N), timer.ms(N), timer.us(N), timer.ns(N), timer.hz(N), with an
 * optional .randomize(M) in the same unit: handlers that run in syn's own
 * process at an interval, like SystemTap's timer probes. */
#include <string.h>

#include "runtime/probes/family.h"

static const struct {
    const char *unit;
    uint64_t nanoseconds;
} units[] = {
    {"s", 1000000000ULL}, {"sec", 1000000000ULL}, {"ms", 1000000ULL}, {"msec", 1000000ULL},
    {"us", 1000ULL},      {"usec", 1000ULL},      {"ns", 1ULL},       {"nsec", 1ULL},
    {"hz", 0},
};

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    (void)kernel;
    if (point->count < 2 || !syn_component_is(point, 0, "timer") || point->components[0].argument)
        return SYN_FAMILY_NOT_MINE;
    const syn_probe_component *component = &point->components[1];
    size_t unit = 0;
    while (unit < sizeof(units) / sizeof(units[0]) && strcmp(units[unit].unit, component->name) != 0)
        unit++;
    if (unit == sizeof(units) / sizeof(units[0]))
        return SYN_FAMILY_NOT_MINE;
    int64_t count = 0;
    if (!syn_component_number(point, 1, &count) || count <= 0) {
        syn_error(diagnostics, &component->location, "timer.%s takes a positive number", component->name);
        return SYN_FAMILY_FAILED;
    }
    int64_t randomize = 0;
    if (point->count == 3 && syn_component_is(point, 2, "randomize")) {
        if (!syn_component_number(point, 2, &randomize) || randomize < 0 || units[unit].nanoseconds == 0) {
            syn_error(diagnostics, &point->components[2].location,
                      "randomize takes a number in the timer's unit (not with timer.hz)");
            return SYN_FAMILY_FAILED;
        }
    } else if (point->count != 2) {
        syn_error(diagnostics, &point->components[2].location, "unexpected '%s' after timer.%s(%lld)",
                  point->components[2].name, component->name, (long long)count);
        return SYN_FAMILY_FAILED;
    }
    uint64_t interval = units[unit].nanoseconds ? (uint64_t)count * units[unit].nanoseconds
                                                : 1000000000ULL / (uint64_t)count;
    if (interval < 1000) {
        syn_error(diagnostics, &component->location, "timer interval below one microsecond");
        return SYN_FAMILY_FAILED;
    }
    syn_point *resolved = syn_arena_alloc(arena, sizeof(*resolved));
    resolved->name = syn_point_text(arena, point);
    resolved->context = SYN_CONTEXT_USERSPACE;
    resolved->userspace_event = SYN_USERSPACE_TIMER;
    resolved->interval_ns = interval;
    resolved->randomize_ns = (uint64_t)randomize * units[unit].nanoseconds;
    syn_point_list_append(arena, points, resolved);
    return SYN_FAMILY_RESOLVED;
}

const syn_probe_family syn_family_timer = {
    .name = "timer",
    .synopsis = "timer.s(N), timer.ms(N), timer.us(N), timer.ns(N), timer.hz(N), timer.s(N).randomize(M), "
                "timer.ms(N).randomize(M), timer.us(N).randomize(M), timer.ns(N).randomize(M)",
    .resolve = resolve,
};
