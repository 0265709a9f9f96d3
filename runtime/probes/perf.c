/* perf.sw.NAME, perf.hw.NAME and perf.type(T).config(C), each with an
 * optional .sample(N) (every Nth event) or .hz(N) (N samples a second):
 * a perf sampling event on every CPU, counting in the
 * kernel as well as in user space, whose every Nth occurrence runs the
 * handler in the context of the interrupted task (SystemTap's spelling; the
 * period is SystemTap's 1000000 when .sample is absent).  NAME may hold
 * wildcards (perf.sw.page_faults*).
 *
 * Software events exist on every kernel; hardware events need a counter
 * the machine has, which virtual machines often lack.  Such a point fails
 * to attach with a sentence saying so, and an optional point (?) is left
 * out quietly: whether the machine counts the event is found out when the
 * point is resolved, by opening it once for syn's own process. */
#include <errno.h>
#include <fnmatch.h>
#include <linux/bpf_perf_event.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/probes/perf_event.h"
#include "util/buffer.h"

enum { SYN_PERF_DEFAULT_PERIOD = 1000000 };

extern const syn_probe_family syn_family_perf;

typedef struct named_event {
    const char *name;
    uint64_t config;
} named_event;

static const named_event software_events[] = {
    {"cpu_clock", PERF_COUNT_SW_CPU_CLOCK},
    {"task_clock", PERF_COUNT_SW_TASK_CLOCK},
    {"page_faults", PERF_COUNT_SW_PAGE_FAULTS},
    {"context_switches", PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"cpu_migrations", PERF_COUNT_SW_CPU_MIGRATIONS},
    {"page_faults_min", PERF_COUNT_SW_PAGE_FAULTS_MIN},
    {"page_faults_maj", PERF_COUNT_SW_PAGE_FAULTS_MAJ},
    {"alignment_faults", PERF_COUNT_SW_ALIGNMENT_FAULTS},
    {"emulation_faults", PERF_COUNT_SW_EMULATION_FAULTS},
};

static const named_event hardware_events[] = {
    {"cpu_cycles", PERF_COUNT_HW_CPU_CYCLES},
    {"instructions", PERF_COUNT_HW_INSTRUCTIONS},
    {"cache_references", PERF_COUNT_HW_CACHE_REFERENCES},
    {"cache_misses", PERF_COUNT_HW_CACHE_MISSES},
    {"branch_instructions", PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    {"branch_misses", PERF_COUNT_HW_BRANCH_MISSES},
    {"bus_cycles", PERF_COUNT_HW_BUS_CYCLES},
    {"ref_cpu_cycles", PERF_COUNT_HW_REF_CPU_CYCLES},
};

/* What attaching needs, kept with the concrete point. */
typedef struct perf_event_spec {
    uint32_t type;
    uint64_t config;
    uint64_t period;             /* events per sample, or samples per second with `frequency` */
    bool frequency;              /* .hz(N): the kernel adjusts the period to N samples a second */
    const char *name;            /* "cpu_cycles", or NULL for perf.type(T).config(C) */
} perf_event_spec;

static const char *group_name(uint32_t type)
{
    return type == PERF_TYPE_SOFTWARE ? "sw" : "hw";
}

static void list_names(syn_buffer *out, const named_event *events, size_t count)
{
    for (size_t i = 0; i < count; i++)
        syn_buffer_printf(out, "%s%s", i ? " " : "", events[i].name);
}

/* Whether the machine counts the event: opened once, disabled, for syn's own
 * process.  Only an answer of "no such event" counts as no; a refusal for
 * lack of privilege leaves the question to the attach. */
static bool machine_counts(const perf_event_spec *spec)
{
    struct perf_event_attr attr = {
        .size = sizeof(attr),
        .type = spec->type,
        .config = spec->config,
        .sample_period = spec->period,
        .disabled = 1,
        .exclude_kernel = 1,
        .exclude_hv = 1,
    };
    int fd = (int)syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd >= 0) {
        close(fd);
        return true;
    }
    return !(errno == ENOENT || errno == ENODEV || errno == EOPNOTSUPP || errno == EINVAL);
}

static void add_variable(syn_arena *arena, syn_point *point, const char *name, uint32_t offset)
{
    syn_target_variable *variable = &point->variables[point->variable_count++];
    variable->name = syn_arena_strdup(arena, name);
    variable->c_type = syn_arena_strdup(arena, "__u64");
    variable->access = SYN_TARGET_FIELD;
    variable->offset = offset;
    variable->size = 8;
}

static void add_point(syn_arena *arena, syn_point_list *points, const perf_event_spec *written)
{
    perf_event_spec *spec = syn_arena_alloc(arena, sizeof(*spec));
    *spec = *written;
    syn_point *point = syn_arena_alloc(arena, sizeof(*point));
    const char *rate = spec->frequency ? "hz" : "sample";
    if (spec->name)
        point->name = syn_arena_printf(arena, "perf.%s.%s.%s(%llu)", group_name(spec->type), spec->name, rate,
                                       (unsigned long long)spec->period);
    else
        point->name = syn_arena_printf(arena, "perf.type(%u).config(%llu).%s(%llu)", spec->type,
                                       (unsigned long long)spec->config, rate, (unsigned long long)spec->period);
    point->context = SYN_CONTEXT_PERF_EVENT;
    point->family = &syn_family_perf;
    point->family_data = spec;
    point->attach_pid = -1;
    /* The sample's own values, beside the interrupted registers. */
    point->variables = syn_arena_alloc(arena, 2 * sizeof(*point->variables));
    add_variable(arena, point, "sample_period", offsetof(struct bpf_perf_event_data, sample_period));
    add_variable(arena, point, "addr", offsetof(struct bpf_perf_event_data, addr));
    syn_point_list_append(arena, points, point);
}

/* The components after the event: nothing, .sample(N) or .hz(N). */
static bool read_period(const syn_probe_point *point, unsigned index, perf_event_spec *spec,
                        syn_diagnostics *diagnostics)
{
    spec->period = SYN_PERF_DEFAULT_PERIOD;
    if (index == point->count)
        return true;
    const syn_probe_component *component = &point->components[index];
    int64_t value;
    spec->frequency = strcmp(component->name, "hz") == 0;
    if ((!spec->frequency && strcmp(component->name, "sample") != 0) || index + 1 < point->count) {
        syn_error(diagnostics, &component->location,
                  "after the event only .sample(N) or .hz(N) can follow (syn has no .process or .counter perf "
                  "points)");
        return false;
    }
    if (!syn_component_number(point, index, &value) || value <= 0) {
        syn_error(diagnostics, &component->location, "%s takes a positive number: %s", component->name,
                  spec->frequency ? "the samples per second" : "the events per sample");
        return false;
    }
    spec->period = (uint64_t)value;
    return true;
}

static syn_family_result resolve_named(const syn_probe_point *point, syn_point_list *points, syn_arena *arena,
                                       syn_diagnostics *diagnostics, uint32_t type)
{
    const named_event *events = type == PERF_TYPE_SOFTWARE ? software_events : hardware_events;
    size_t count = type == PERF_TYPE_SOFTWARE ? sizeof(software_events) / sizeof(software_events[0])
                                              : sizeof(hardware_events) / sizeof(hardware_events[0]);
    const syn_probe_component *event = point->count > 2 ? &point->components[2] : NULL;
    if (!event || event->argument || point->components[1].argument) {
        syn_buffer names;
        syn_buffer_init(&names);
        list_names(&names, events, count);
        syn_error(diagnostics, event ? &event->location : &point->location, "perf.%s needs an event name: one of %s",
                  group_name(type), names.data);
        syn_buffer_release(&names);
        return SYN_FAMILY_FAILED;
    }
    perf_event_spec spec = {.type = type};
    if (!read_period(point, 3, &spec, diagnostics))
        return SYN_FAMILY_FAILED;
    unsigned matched = 0;
    for (size_t i = 0; i < count; i++) {
        if (fnmatch(event->name, events[i].name, 0) != 0)
            continue;
        matched++;
        spec.config = events[i].config;
        spec.name = events[i].name;
        if (!point->optional || machine_counts(&spec))
            add_point(arena, points, &spec);
    }
    if (matched == 0 && !point->optional) {
        syn_buffer names;
        syn_buffer_init(&names);
        list_names(&names, events, count);
        syn_error(diagnostics, &event->location, "perf.%s has no event '%s' (it has: %s)", group_name(type),
                  event->name, names.data);
        syn_buffer_release(&names);
        return SYN_FAMILY_FAILED;
    }
    return SYN_FAMILY_RESOLVED;
}

static syn_family_result resolve_raw(const syn_probe_point *point, syn_point_list *points, syn_arena *arena,
                                     syn_diagnostics *diagnostics)
{
    int64_t type, config;
    if (!syn_component_number(point, 1, &type) || type < 0 || type > UINT32_MAX) {
        syn_error(diagnostics, &point->components[1].location,
                  "type takes a number: the perf event type (perf_event_attr.type)");
        return SYN_FAMILY_FAILED;
    }
    if (!syn_component_is(point, 2, "config") || !syn_component_number(point, 2, &config)) {
        syn_error(diagnostics, point->count > 2 ? &point->components[2].location : &point->location,
                  "perf.type(T) is followed by .config(C): the event's number (perf_event_attr.config)");
        return SYN_FAMILY_FAILED;
    }
    perf_event_spec spec = {.type = (uint32_t)type, .config = (uint64_t)config};
    if (!read_period(point, 3, &spec, diagnostics))
        return SYN_FAMILY_FAILED;
    if (!point->optional || machine_counts(&spec))
        add_point(arena, points, &spec);
    return SYN_FAMILY_RESOLVED;
}

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    (void)kernel;
    if (point->count < 2 || !syn_component_is(point, 0, "perf"))
        return SYN_FAMILY_NOT_MINE;
    if (point->components[0].argument) {
        syn_error(diagnostics, &point->components[0].location, "perf takes no argument");
        return SYN_FAMILY_FAILED;
    }
    if (syn_component_is(point, 1, "sw"))
        return resolve_named(point, points, arena, diagnostics, PERF_TYPE_SOFTWARE);
    if (syn_component_is(point, 1, "hw"))
        return resolve_named(point, points, arena, diagnostics, PERF_TYPE_HARDWARE);
    if (syn_component_is(point, 1, "type"))
        return resolve_raw(point, points, arena, diagnostics);
    syn_error(diagnostics, &point->components[1].location,
              "perf.%s is not a perf point: perf.sw.NAME, perf.hw.NAME or perf.type(T).config(C)",
              point->components[1].name);
    return SYN_FAMILY_FAILED;
}

static bool attach(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size)
{
    (void)kernel;
    const perf_event_spec *spec = point->family_data;
    /* sample_period and sample_freq share their place in the attributes. */
    struct perf_event_attr attr = {
        .type = spec->type,
        .config = spec->config,
        .sample_period = spec->period,
        .freq = spec->frequency,
    };
    char reason[512];
    int open_error = 0;
    if (syn_perf_event_attach_every_cpu(&attr, program_fd, attachment, reason, sizeof(reason), &open_error))
        return true;
    bool missing = open_error == ENOENT || open_error == ENODEV || open_error == EOPNOTSUPP || open_error == EINVAL;
    if (missing && spec->type == PERF_TYPE_HARDWARE)
        snprintf(error, error_size,
                 "this machine has no hardware counter for %s (perf_event_open: %s; virtual machines often have "
                 "none, and perf.sw events always work)",
                 spec->name, strerror(open_error));
    else if (missing)
        snprintf(error, error_size, "this machine has no perf event of type %u and config %llu (perf_event_open: %s)",
                 spec->type, (unsigned long long)spec->config, strerror(open_error));
    else
        snprintf(error, error_size, "%s", reason);
    return false;
}

const syn_probe_family syn_family_perf = {
    .name = "perf",
    .synopsis = "perf.sw.NAME[.sample(N)|.hz(N)], perf.hw.NAME[.sample(N)|.hz(N)], perf.type(T).config(C)[.sample(N)|.hz(N)]",
    .resolve = resolve,
    .attach = attach,
};
