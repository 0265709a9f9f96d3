#include "runtime/probes/perf_event.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool open_and_attach(struct perf_event_attr *attr, int pid, int cpu, int program_fd,
                            syn_attachment *attachment, char *error, size_t error_size)
{
    attr->size = sizeof(*attr);
    int event_fd = (int)syscall(__NR_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (event_fd < 0) {
        snprintf(error, error_size, "perf_event_open failed: %s", strerror(errno));
        return false;
    }
    syn_attachment_add(attachment, event_fd);
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
    return open_and_attach(attr, -1, cpu, program_fd, attachment, error, error_size);
}

bool syn_perf_event_attach_task(struct perf_event_attr *attr, int pid, int program_fd, syn_attachment *attachment,
                                char *error, size_t error_size)
{
    return open_and_attach(attr, pid, -1, program_fd, attachment, error, error_size);
}
