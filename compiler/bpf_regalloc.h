/* Where each IR register of a kernel probe lives: longs in callee-saved BPF
 * registers (r6-r9, those the probe does not reserve) or, when more are
 * live at once, in stack slots; strings in slots of the probe's per-CPU
 * scratch memory.  Linear scan over live intervals, with intervals widened
 * across loops. */
#ifndef SYN_COMPILER_BPF_REGALLOC_H
#define SYN_COMPILER_BPF_REGALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/ir.h"

typedef struct syn_bpf_allocation {
    int8_t *physical;            /* per register: a BPF register, or -1 */
    int16_t *stack_offset;       /* per long register not in a BPF register: from r10 */
    uint32_t *scratch_offset;    /* per string register */
    uint32_t *block_order;       /* the reachable blocks, in the order they are emitted */
    uint32_t block_count;
    bool *reachable;             /* per block */
    uint32_t stack_bytes;        /* below stack_base */
    uint32_t scratch_bytes;      /* from scratch_base */
} syn_bpf_allocation;

/* `available` lists the BPF registers that may hold values.  Spill slots
 * start below r10 - stack_base; string slots of slot_size bytes at
 * scratch_base. */
void syn_bpf_allocate(const syn_ir_function *function, const int *available, int available_count,
                      uint32_t stack_base, uint32_t scratch_base, uint32_t slot_size,
                      syn_bpf_allocation *allocation);
void syn_bpf_allocation_release(syn_bpf_allocation *allocation);

#endif
