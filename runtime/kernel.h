/* What syn learns about the running kernel, once per state and only when a
 * script needs it: where tracefs is, the kernel's BTF, and the capabilities
 * that decide how probes attach. */
#ifndef SYN_RUNTIME_KERNEL_H
#define SYN_RUNTIME_KERNEL_H

#include <stdbool.h>

#include "compiler/bpf_program.h"
#include "runtime/kernel_features.h"

struct btf;

typedef struct syn_kernel {
    bool tracefs_checked;
    char *tracefs;                /* the mount point, or NULL */
    char tracefs_error[256];
    bool btf_checked;
    struct btf *btf;              /* vmlinux BTF, or NULL */
    char btf_error[256];
    syn_kernel_features features; /* kprobes, fentry, uprobes: runtime/kernel_features.c */
    unsigned probe_event_count;   /* tracefs kprobe/uprobe events made, for unique names */
    /* The process a script is about, for process.function(...) without a
     * path (runtime/probes/process_function.c): -c's command line, whose
     * first word names the executable, else -x's process. */
    char *target_command;
    long target_pid;
} syn_kernel;

void syn_kernel_init(syn_kernel *kernel);
void syn_kernel_release(syn_kernel *kernel);

/* The tracefs mount point, mounting tracefs at /sys/kernel/tracing first
 * when it is not mounted and syn runs as root.  NULL with the reason in
 * kernel->tracefs_error otherwise. */
const char *syn_kernel_tracefs(syn_kernel *kernel);

/* The kernel's BTF (/sys/kernel/btf/vmlinux), or NULL with the reason in
 * kernel->btf_error. */
struct btf *syn_kernel_btf(syn_kernel *kernel);

/* The same, loaded only when the code generator asks for it. */
syn_bpf_btf_source syn_kernel_btf_source(syn_kernel *kernel);

#endif
