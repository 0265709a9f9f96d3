/* What the running kernel offers for probing functions: kprobes (through
 * the perf kprobe PMU or tracefs kprobe_events), BPF trampolines
 * (fentry/fexit), uprobes; and for packets, tcx.  Each is found out once, when a probe first
 * needs it, and can be set from outside (syn --kernel-features) so that the
 * code for another kernel can be generated, checked and tested here. */
#ifndef SYN_RUNTIME_KERNEL_FEATURES_H
#define SYN_RUNTIME_KERNEL_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum syn_kernel_feature {
    SYN_FEATURE_KPROBES,
    SYN_FEATURE_FENTRY,
    SYN_FEATURE_UPROBES,
    SYN_FEATURE_KPROBE_PMU,      /* the perf PMUs that make kprobes and uprobes; without */
    SYN_FEATURE_UPROBE_PMU,      /* them probes are made through tracefs */
    SYN_FEATURE_TCX,             /* packet programs on a device through tcx links (6.6+), else classic tc */
    SYN_FEATURE_TC,              /* classic tc classifiers (clsact), the packet hooks' fallback */
    SYN_FEATURE_COUNT
} syn_kernel_feature;

typedef enum syn_feature_state {
    SYN_FEATURE_UNKNOWN,         /* not found out yet */
    SYN_FEATURE_ABSENT,
    SYN_FEATURE_PRESENT,
} syn_feature_state;

/* How a kprobe or uprobe is created: the perf PMU of its kind (its type
 * number and the config bit of a return probe), else tracefs. */
typedef struct syn_probe_pmu {
    int type;                    /* -1 when there is no PMU */
    int return_bit;
} syn_probe_pmu;

typedef struct syn_kernel_features {
    syn_feature_state state[SYN_FEATURE_COUNT];
    bool forced[SYN_FEATURE_COUNT]; /* set from outside, not detected */
    syn_probe_pmu kprobe_pmu;
    syn_probe_pmu uprobe_pmu;
    bool pmus_read;
} syn_kernel_features;

struct syn_kernel;

/* Parses "kprobes=1,fentry=0,uprobes=1,tcx=0" (any subset; yes/no, 1/0, on/off).
 * "uprobe_pmu=no" (or kprobe_pmu) makes syn use tracefs as on a kernel
 * without that PMU: the way to test that path on any kernel.
 * False, with the reason in `error`, for anything else. */
bool syn_kernel_features_force(syn_kernel_features *features, const char *spec, char *error, size_t error_size);

bool syn_kernel_has(struct syn_kernel *kernel, syn_kernel_feature feature);
const char *syn_kernel_feature_name(syn_kernel_feature feature);

/* The kprobe or uprobe PMU, read from /sys/bus/event_source/devices. */
const syn_probe_pmu *syn_kernel_probe_pmu(struct syn_kernel *kernel, bool uprobe);

#endif
