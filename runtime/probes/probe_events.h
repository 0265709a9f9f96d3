/* Function probes made through tracefs (kprobe_events, uprobe_events), for
 * kernels whose perf PMU cannot make them, and through the PMU otherwise:
 * the two ways a kprobe or uprobe becomes a perf event a program attaches
 * to. */
#ifndef SYN_RUNTIME_PROBES_PROBE_EVENTS_H
#define SYN_RUNTIME_PROBES_PROBE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/probes/family.h"

typedef struct syn_probe_target {
    bool uprobe;
    bool is_return;
    const char *name;            /* kernel symbol, or the file of a uprobe */
    uint64_t offset;             /* into the symbol, or into the file */
    int64_t pid;                 /* uprobes of one process, else -1 */
} syn_probe_target;

/* Attaches the program to the target through the kprobe or uprobe PMU when
 * the kernel has it, else through tracefs; the event made in tracefs is
 * removed again when the attachment is released.  False with the reason
 * in `error`. */
bool syn_probe_event_attach(syn_kernel *kernel, const syn_probe_target *target, int program_fd,
                            syn_attachment *attachment, char *error, size_t error_size);

#endif
