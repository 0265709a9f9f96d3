#include "runtime/probes/probe_events.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime/probes/perf_event.h"
#include "util/buffer.h"

static bool attach_through_pmu(const syn_probe_pmu *pmu, const syn_probe_target *target, int program_fd,
                               syn_attachment *attachment, char *error, size_t error_size)
{
    struct perf_event_attr attr = {
        .type = (uint32_t)pmu->type,
        .config = target->is_return ? 1ULL << pmu->return_bit : 0,
        .config1 = (uint64_t)(uintptr_t)target->name, /* kprobe_func or uprobe_path */
        .config2 = target->offset,                      /* probe_offset */
    };
    /* One event serves every CPU; a uprobe of one process is that process's. */
    if (target->pid >= 0)
        return syn_perf_event_attach_task(&attr, (int)target->pid, program_fd, attachment, error, error_size);
    return syn_perf_event_attach(&attr, 0, program_fd, attachment, error, error_size);
}

static bool write_line(const char *path, const char *line, char *error, size_t error_size)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) {
        snprintf(error, error_size, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    ssize_t length = (ssize_t)strlen(line);
    bool written = write(fd, line, (size_t)length) == length;
    int saved = errno;
    close(fd);
    if (!written)
        snprintf(error, error_size, "writing '%s' to %s failed: %s", line, path, strerror(saved));
    return written;
}

/* The syn_<pid>_<n> events of a syn that died without removing them (kill
 * -9 closes its perf events, so nothing runs, but tracefs keeps the
 * events).  A state removes those of processes that are gone before it
 * makes its first event; an event still in use refuses to go. */
static void remove_stale_events(const char *tracefs)
{
    static const char *const kinds[] = {"kprobe", "uprobe"};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        char events[512], line[1024], removal[128], ignored[256];
        snprintf(events, sizeof(events), "%s/%s_events", tracefs, kinds[k]);
        FILE *file = fopen(events, "re");
        if (!file)
            continue;
        syn_buffer removals;
        syn_buffer_init(&removals);
        while (fgets(line, sizeof(line), file)) {
            /* "p:syn/syn_1234_0 /usr/bin/true:0x..." or "r:syn/syn_1234_1 do_sys_open+0" */
            const char *name = strchr(line, ':');
            int pid;
            unsigned number;
            if (name && sscanf(name, ":syn/syn_%d_%u", &pid, &number) == 2 && pid > 0 && pid != getpid() &&
                kill(pid, 0) != 0 && errno == ESRCH)
                syn_buffer_printf(&removals, "-:syn/syn_%d_%u\n", pid, number);
        }
        fclose(file);
        /* One line a write: the kernel takes one command per write. */
        for (char *next = removals.data; next && *next;) {
            char *end = strchr(next, '\n');
            snprintf(removal, sizeof(removal), "%.*s", (int)(end - next + 1), next);
            write_line(events, removal, ignored, sizeof(ignored));
            next = end + 1;
        }
        syn_buffer_release(&removals);
    }
}

static bool attach_through_tracefs(syn_kernel *kernel, const syn_probe_target *target, int program_fd,
                                   syn_attachment *attachment, char *error, size_t error_size)
{
    const char *tracefs = syn_kernel_tracefs(kernel);
    if (!tracefs) {
        snprintf(error, error_size, "%s", kernel->tracefs_error);
        return false;
    }
    if (kernel->probe_event_count == 0)
        remove_stale_events(tracefs);
    const char *kind = target->uprobe ? "uprobe" : "kprobe";
    char events[512], event[64], line[1024], path[640];
    snprintf(events, sizeof(events), "%s/%s_events", tracefs, kind);
    /* The process id in the name tells whose an event is, should one survive a killed syn. */
    snprintf(event, sizeof(event), "syn_%d_%u", (int)getpid(), kernel->probe_event_count++);
    if (target->uprobe)
        snprintf(line, sizeof(line), "%c:syn/%s %s:0x%" PRIx64 "\n", target->is_return ? 'r' : 'p', event,
                 target->name, target->offset);
    else
        snprintf(line, sizeof(line), "%c:syn/%s %s+%" PRIu64 "\n", target->is_return ? 'r' : 'p', event,
                 target->name, target->offset);
    if (!write_line(events, line, error, error_size))
        return false;
    snprintf(line, sizeof(line), "-:syn/%s\n", event);
    syn_attachment_add_removal(attachment, events, line);
    snprintf(path, sizeof(path), "%s/events/syn/%s/id", tracefs, event);
    FILE *file = fopen(path, "re");
    unsigned long long id = 0;
    bool found = file && fscanf(file, "%llu", &id) == 1;
    if (file)
        fclose(file);
    if (!found) {
        snprintf(error, error_size, "the %s event %s has no id in %s", kind, event, path);
        return false;
    }
    struct perf_event_attr attr = {.type = PERF_TYPE_TRACEPOINT, .config = id, .sample_period = 1,
                                   .wakeup_events = 1};
    if (target->pid >= 0)
        return syn_perf_event_attach_task(&attr, (int)target->pid, program_fd, attachment, error, error_size);
    return syn_perf_event_attach(&attr, 0, program_fd, attachment, error, error_size);
}

bool syn_probe_event_attach(syn_kernel *kernel, const syn_probe_target *target, int program_fd,
                            syn_attachment *attachment, char *error, size_t error_size)
{
    const syn_probe_pmu *pmu = syn_kernel_probe_pmu(kernel, target->uprobe);
    if (pmu->type >= 0)
        return attach_through_pmu(pmu, target, program_fd, attachment, error, error_size);
    return attach_through_tracefs(kernel, target, program_fd, attachment, error, error_size);
}
