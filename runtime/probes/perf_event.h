/* perf_event_open and attaching a BPF program to a perf event: shared by
 * the tracepoint and sampling families. */
#ifndef SYN_RUNTIME_PROBES_PERF_EVENT_H
#define SYN_RUNTIME_PROBES_PERF_EVENT_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>

#include "runtime/probes/family.h"

/* Opens the event on `cpu` (-1 for any) for every process, and attaches the
 * program: through a BPF link when the kernel has them, else with
 * PERF_EVENT_IOC_SET_BPF.  The descriptors go into `attachment`. */
bool syn_perf_event_attach(struct perf_event_attr *attr, int cpu, int program_fd, syn_attachment *attachment,
                           char *error, size_t error_size);
/* The same for one process (and its threads) on every CPU. */
bool syn_perf_event_attach_task(struct perf_event_attr *attr, int pid, int program_fd, syn_attachment *attachment,
                                char *error, size_t error_size);

/* The same on every CPU that is online, as sampling events are opened.  A
 * failed perf_event_open leaves its errno in *open_error (when not NULL), so
 * that a family can say what is missing. */
bool syn_perf_event_attach_every_cpu(struct perf_event_attr *attr, int program_fd, syn_attachment *attachment,
                                     char *error, size_t error_size, int *open_error);

#endif
