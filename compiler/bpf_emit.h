/* Building eBPF instruction sequences: one growing buffer per program,
 * labels for jumps patched once their targets are known, and the script
 * location of each instruction. */
#ifndef SYN_COMPILER_BPF_EMIT_H
#define SYN_COMPILER_BPF_EMIT_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>

#include "compiler/bpf_program.h"

typedef struct syn_bpf_label_use {
    uint32_t instruction;
    uint32_t label;
} syn_bpf_label_use;

typedef struct syn_bpf_emitter {
    syn_bpf_program *program;
    uint32_t capacity;
    uint32_t relocation_capacity;
    int32_t *labels;             /* instruction index of each label, -1 until placed */
    uint32_t label_count;
    uint32_t label_capacity;
    syn_bpf_label_use *uses;
    uint32_t use_count;
    uint32_t use_capacity;
    syn_location location;       /* given to each instruction emitted */
} syn_bpf_emitter;

void syn_bpf_emitter_init(syn_bpf_emitter *emitter, syn_bpf_program *program);
void syn_bpf_emitter_release(syn_bpf_emitter *emitter);

void syn_bpf_emit(syn_bpf_emitter *emitter, struct bpf_insn instruction);
uint32_t syn_bpf_label_new(syn_bpf_emitter *emitter);
void syn_bpf_label_place(syn_bpf_emitter *emitter, uint32_t label);
/* Resolves every jump to a label; false if one was never placed. */
bool syn_bpf_labels_resolve(syn_bpf_emitter *emitter);

/* Instruction builders. */
void syn_bpf_move(syn_bpf_emitter *emitter, int dst, int src);
void syn_bpf_move_immediate(syn_bpf_emitter *emitter, int dst, int64_t value);
void syn_bpf_alu(syn_bpf_emitter *emitter, int op, int dst, int src);
void syn_bpf_alu_immediate(syn_bpf_emitter *emitter, int op, int dst, int32_t value);
void syn_bpf_load(syn_bpf_emitter *emitter, int size, int dst, int src, int16_t offset);
void syn_bpf_store(syn_bpf_emitter *emitter, int size, int dst, int16_t offset, int src);
void syn_bpf_store_immediate(syn_bpf_emitter *emitter, int size, int dst, int16_t offset, int32_t value);
void syn_bpf_atomic_add(syn_bpf_emitter *emitter, int dst, int16_t offset, int src);
void syn_bpf_call(syn_bpf_emitter *emitter, int helper);
void syn_bpf_exit_instruction(syn_bpf_emitter *emitter);
/* Jumps to `label` when dst op src (or immediate) holds; op BPF_JA jumps always. */
void syn_bpf_jump(syn_bpf_emitter *emitter, int op, int dst, int src, uint32_t label);
void syn_bpf_jump_immediate(syn_bpf_emitter *emitter, int op, int dst, int32_t value, uint32_t label);
void syn_bpf_goto(syn_bpf_emitter *emitter, uint32_t label);
/* dst = the map (or, for the scalar region, the address of its value + offset). */
void syn_bpf_load_map(syn_bpf_emitter *emitter, int dst, syn_bpf_map_reference map, uint32_t global,
                      uint32_t offset);
/* Sign- or zero-extends the low `size` bytes of a register to 64 bits. */
void syn_bpf_extend(syn_bpf_emitter *emitter, int reg, uint32_t size, bool is_signed);

/* A big-endian value of `size` bytes in the low bits of a register, as a
 * host-order number. */
void syn_bpf_from_network_order(syn_bpf_emitter *emitter, int reg, uint32_t size);

/* BPF_B, BPF_H, BPF_W or BPF_DW for 1, 2, 4 or 8 bytes. */
int syn_bpf_size_code(uint32_t size);

#endif
