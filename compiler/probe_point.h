/* Probe points as the compiler needs them: after a written point (with its
 * wildcards) is matched against the probe families the kernel offers, each
 * concrete point says where its handler runs (in the kernel as BPF, or in
 * syn's own process), what context it receives, and which target variables
 * ($name) it offers.  The families themselves live in runtime/probes/; the
 * compiler reaches them only through syn_probe_resolver. */
#ifndef SYN_COMPILER_PROBE_POINT_H
#define SYN_COMPILER_PROBE_POINT_H

#include <stdbool.h>
#include <stdint.h>

#include "lang/ast.h"
#include "lang/diagnostics.h"

typedef enum syn_point_context {
    SYN_CONTEXT_USERSPACE,       /* begin, end, error, never, timer.s/ms/...: the interpreter */
    SYN_CONTEXT_TRACEPOINT,      /* a tracepoint record (BPF_PROG_TYPE_TRACEPOINT) */
    SYN_CONTEXT_RAW_TRACEPOINT,  /* the tracepoint's arguments, typed by BTF (tp_btf) */
    SYN_CONTEXT_PERF_EVENT,      /* struct bpf_perf_event_data (timer.profile, perf.*) */
    SYN_CONTEXT_KPROBE,          /* the registers, struct pt_regs (kprobes, uprobes and their returns) */
    SYN_CONTEXT_FENTRY,          /* a trampoline's 8-byte argument slots, then the return value (fexit) */
    SYN_CONTEXT_SOCKET_LOOKUP,   /* struct bpf_sk_lookup (net.socket_lookup) */
    SYN_CONTEXT_PACKET,          /* struct __sk_buff on a device's tc hook (net.ingress, net.egress) */
} syn_point_context;

typedef enum syn_userspace_event {
    SYN_USERSPACE_BEGIN,
    SYN_USERSPACE_END,
    SYN_USERSPACE_ERROR,
    SYN_USERSPACE_NEVER,
    SYN_USERSPACE_TIMER,
} syn_userspace_event;

/* How a target variable's value is reached from the context. */
typedef enum syn_target_access {
    SYN_TARGET_FIELD,            /* a number in the context at offset, size, signed */
    SYN_TARGET_FIELD_ADDRESS,    /* an array in the context: its address (char arrays too) */
    SYN_TARGET_DATA_LOC,         /* a __data_loc field: the address of its data */
    SYN_TARGET_ARGUMENT,         /* an 8-byte slot of the context at `offset`: a typed tracepoint's
                                    or a trampoline's argument, a register of pt_regs */
    SYN_TARGET_CONTEXT_ARRAY,    /* numbers in a context that is not memory (the kernel rewrites each
                                    access): read one element at a time, by a constant index */
} syn_target_access;

typedef struct syn_target_variable {
    char *name;
    char *c_type;                /* as the kernel declares it, for -L and messages */
    syn_target_access access;
    uint32_t offset;
    uint32_t size;
    bool is_signed;
    uint32_t element_size;       /* arrays: $saddr[1] reads this many bytes */
    uint32_t element_count;
    bool element_signed;
    int32_t btf_type;            /* BTF type id for $x->field chains, or 0 */
    bool at_entry;               /* in a return probe: read at the function's entry, where the
                                    point's entry sibling captures it (kretprobes, uretprobes) */
    bool network_order;          /* big-endian in the context, read as a host-order number */
} syn_target_variable;

typedef struct syn_point {
    char *name;                  /* the concrete point, printed: kernel.trace("sched:sched_switch") */
    syn_point_context context;
    const struct syn_probe_family *family; /* the runtime's, opaque to the compiler */
    syn_userspace_event userspace_event;
    int64_t order;               /* begin(N), end(N), error(N) */
    uint64_t interval_ns;        /* timers */
    uint64_t randomize_ns;
    char *system;                /* tracepoints */
    char *event;
    uint32_t tracepoint_id;
    int32_t attach_btf_id;       /* tp_btf: the btf_trace_<event> type; fentry: the function */
    char *function;              /* function probes: probefunc() */
    bool is_return;              /* .return: is_return(), fexit, kretprobe, uretprobe */
    /* Where the runtime attaches a function probe; the compiler does not look. */
    char *attach_name;           /* kernel symbol, or the file of a uprobe */
    uint64_t attach_offset;      /* into the symbol, or into the file */
    int64_t attach_pid;          /* uprobes limited to one process, else -1 */
    uint32_t mechanism;          /* the family's choice: kprobe PMU, tracefs, ... */
    struct syn_point *entry;     /* return probes: the entry point where @entry values are captured */
    const void *family_data;     /* what the family keeps for attaching (an event, a device, ...) */
    syn_target_variable *variables;
    uint32_t variable_count;
} syn_point;

typedef struct syn_point_list {
    syn_point **items;
    uint32_t count;
    uint32_t capacity;
} syn_point_list;

/* Expands a written point into the concrete points it names (several for
 * wildcards).  Returns false after reporting why the point names nothing;
 * an optional point (?) that names nothing returns true with no points. */
typedef struct syn_probe_resolver {
    void *context;
    bool (*resolve)(void *context, const syn_probe_point *point, syn_point_list *points,
                    syn_arena *arena, syn_diagnostics *diagnostics);
    /* The kernel's BTF (a struct btf * from libbpf), or NULL: types of $x->f chains. */
    const struct btf *(*kernel_btf)(void *context);
} syn_probe_resolver;

void syn_point_list_append(syn_arena *arena, syn_point_list *list, syn_point *point);
const syn_target_variable *syn_point_variable(const syn_point *point, const char *name);
static inline bool syn_point_in_kernel(const syn_point *point)
{
    return point->context != SYN_CONTEXT_USERSPACE;
}

#endif
