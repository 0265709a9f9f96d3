/* Shared state of the BPF code generator: compiler/bpf_codegen.c (program
 * structure, control flow, arithmetic), compiler/bpf_codegen_data.c
 * (strings, globals, arrays, statistics) and compiler/bpf_codegen_calls.c
 * (builtins, context, output events and faults), compiler/bpf_codegen_packet.c
 * (the builtins of packet probes).
 *
 * Register use: r6 holds the context when the probe reads it, r7 the
 * probe's per-CPU scratch memory when it uses strings or composite keys;
 * the other callee-saved registers (r8, r9, and r6/r7 when free) hold IR
 * longs; r0-r5 are temporaries within one IR instruction.
 *
 * Stack: r10-8 and r10-24 are temporaries, r10-16 keeps an output record's
 * address across helper calls, spill slots follow.
 * Scratch: a key buffer, a value buffer, then the string slots (twice
 * MAXSTRINGLEN each, so that the verifier accepts appends at any offset). */
#ifndef SYN_COMPILER_BPF_CODEGEN_INTERNAL_H
#define SYN_COMPILER_BPF_CODEGEN_INTERNAL_H

#include "compiler/bpf_emit.h"
#include "compiler/bpf_regalloc.h"
#include "compiler/probe_point.h"
#include "compiler/symbols.h"

enum {
    SYN_BPF_TEMP = -8,
    SYN_BPF_RECORD_POINTER = -16,
    SYN_BPF_TEMP2 = -24,
    SYN_BPF_STACK_BASE = 24,
    SYN_BPF_CONTEXT = 6,
    SYN_BPF_SCRATCH = 7,
};

typedef struct syn_bpf_generator {
    const syn_ir_program *program;
    const syn_ir_function *function;
    const syn_ir_probe *probe;
    syn_bpf_btf_source btf;
    syn_bpf_object *object;
    syn_bpf_program *output;
    syn_bpf_emitter emitter;
    syn_bpf_allocation allocation;
    syn_diagnostics *diagnostics;
    uint32_t *block_labels;
    uint32_t exit_label;
    bool uses_context;
    bool uses_scratch;
    bool context_in_slots;        /* every context value is an 8-byte slot (arguments, registers) */
    int32_t exit_value;           /* what the program returns: its hook's "carry on as if I was not here" */
    uint32_t slot_size;
    uint32_t key_offset;          /* in scratch */
    uint32_t value_offset;
    uint32_t format_offset;       /* bpf_snprintf's values */
    uint32_t temporary_offset;    /* one string's room for helpers' copies */
    uint32_t strings_offset;
    bool failed;
} syn_bpf_generator;

/* bpf_codegen.c */
int syn_bpf_operand(syn_bpf_generator *g, syn_ir_register reg, int temporary);
int syn_bpf_destination(syn_bpf_generator *g, syn_ir_register reg, int temporary);
void syn_bpf_commit(syn_bpf_generator *g, syn_ir_register reg, int physical);
/* dst = the address of a string register's slot. */
void syn_bpf_string_address(syn_bpf_generator *g, int dst, syn_ir_register reg);
void syn_bpf_scratch_address(syn_bpf_generator *g, int dst, uint32_t offset);
void syn_bpf_unsupported(syn_bpf_generator *g, const syn_ir_instruction *instruction, const char *what);

/* bpf_codegen_data.c */
void syn_bpf_copy_string(syn_bpf_generator *g, syn_ir_register dest, int source_address);
void syn_bpf_word_has_zero(syn_bpf_emitter *e, int word);
void syn_bpf_string_constant(syn_bpf_generator *g, uint32_t slot_offset, const char *text);
void syn_bpf_generate_data(syn_bpf_generator *g, const syn_ir_instruction *instruction);
bool syn_bpf_is_data(syn_ir_opcode opcode);
uint32_t syn_bpf_key_size(const syn_bpf_generator *g, uint32_t global);
uint32_t syn_bpf_value_size(const syn_bpf_generator *g, uint32_t global);

/* bpf_codegen_calls.c */
/* bpf_ipv6_text.c: the 16 bytes at the raw offset of dest's slot as text. */
uint32_t syn_bpf_ipv6_raw_offset(const syn_bpf_generator *g);
void syn_bpf_ipv6_text(syn_bpf_generator *g, syn_ir_register dest);
/* The IPv4 address stored at SYN_BPF_TEMP (memory order) as text into `dest`. */
void syn_bpf_ipv4_text(syn_bpf_generator *g, syn_ir_register dest);

void syn_bpf_generate_call(syn_bpf_generator *g, const syn_ir_instruction *instruction);
bool syn_bpf_is_call(syn_ir_opcode opcode);
/* A runtime error: caught by an enclosing try, or reported through the
 * ring buffer and the probe ends.  `detail` is a register or -1. */
void syn_bpf_fault(syn_bpf_generator *g, const syn_ir_instruction *instruction, syn_ir_fault kind, int detail);

/* bpf_codegen_packet.c: packet_len(), packet_u8() ... packet_socket() */
bool syn_bpf_is_packet_builtin(const char *name);
void syn_bpf_packet_builtin(syn_bpf_generator *g, const syn_ir_instruction *instruction, const char *name);
/* The scratch bytes the header parsing needs in the temporary room. */
uint32_t syn_bpf_packet_room(void);

#endif
