#include "runtime/probes/perf_event.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool open_and_attach(struct perf_event_attr *attr, int pid, int cpu, int program_fd,
                            syn_attachment *attachment, char *error, size_t error_size, int *open_error)
{
    attr->size = sizeof(*attr);
    int event_fd = (int)syscall(__NR_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (event_fd < 0) {
        if (open_error)
            *open_error = errno;
        snprintf(error, error_size, "perf_event_open failed: %s", strerror(errno));
        return false;
    }
    syn_attachment_add(attachment, event_fd);
    attachment->waits_on_release = true;
    int link_fd = bpf_link_create(program_fd, event_fd, BPF_PERF_EVENT, NULL);
    if (link_fd >= 0) {
        syn_attachment_add(attachment, link_fd);
    } else if (ioctl(event_fd, PERF_EVENT_IOC_SET_BPF, program_fd) != 0) {
        snprintf(error, error_size, "attaching the program to the perf event failed: %s", strerror(errno));
        return false;
    }
    if (ioctl(event_fd, PERF_EVENT_IOC_ENABLE, 0) != 0) {
        snprintf(error, error_size, "enabling the perf event failed: %s", strerror(errno));
        return false;
    }
    return true;
}

bool syn_perf_event_attach(struct perf_event_attr *attr, int cpu, int program_fd, syn_attachment *attachment,
                           char *error, size_t error_size)
{
    return open_and_attach(attr, -1, cpu, program_fd, attachment, error, error_size, NULL);
}

bool syn_perf_event_attach_task(struct perf_event_attr *attr, int pid, int program_fd, syn_attachment *attachment,
                                char *error, size_t error_size)
{
    return open_and_attach(attr, pid, -1, program_fd, attachment, error, error_size, NULL);
}

/* Marks the CPUs listed in /sys/devices/system/cpu/online ("0-3,6"); every
 * one of them when the list cannot be read. */
static void online_cpus(bool *online, long count)
{
    for (long cpu = 0; cpu < count; cpu++)
        online[cpu] = true;
    FILE *file = fopen("/sys/devices/system/cpu/online", "re");
    char list[4096];
    bool read = file && fgets(list, sizeof(list), file);
    if (file)
        fclose(file);
    if (!read)
        return;
    for (long cpu = 0; cpu < count; cpu++)
        online[cpu] = false;
    for (char *cursor = list; *cursor && *cursor != '\n';) {
        char *end;
        long first = strtol(cursor, &end, 10), last = first;
        if (end == cursor)
            break;
        if (*end == '-')
            last = strtol(end + 1, &end, 10);
        for (long cpu = first; cpu <= last && cpu < count; cpu++) {
            if (cpu >= 0)
                online[cpu] = true;
        }
        cursor = *end == ',' ? end + 1 : end;
    }
}

bool syn_perf_event_attach_every_cpu(struct perf_event_attr *attr, int program_fd, syn_attachment *attachment,
                                     char *error, size_t error_size, int *open_error)
{
    long count = sysconf(_SC_NPROCESSORS_CONF);
    if (count < 1)
        count = 1;
    bool *online = calloc((size_t)count, sizeof(bool));
    if (!online) {
        snprintf(error, error_size, "out of memory");
        return false;
    }
    online_cpus(online, count);
    bool attached = true;
    char reason[256];
    for (long cpu = 0; cpu < count && attached; cpu++) {
        if (!online[cpu])
            continue;
        if (!open_and_attach(attr, -1, (int)cpu, program_fd, attachment, reason, sizeof(reason), open_error)) {
            snprintf(error, error_size, "CPU %ld: %s", cpu, reason);
            attached = false;
        }
    }
    free(online);
    return attached;
}
