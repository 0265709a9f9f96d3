/* IPv6 addresses as text in a BPF program, in the form RFC 5952 asks for and
 * ss prints: lowercase hex groups without leading zeros, the longest run of
 * two or more zero groups (the first of equal ones) written "::". The
 * kernel's bpf_snprintf has %pI6 but not its compressed variant, so the code
 * is unrolled here: the verifier sees every write bounded.
 *
 * The cursor and the run's bounds live in scratch memory, not registers:
 * the verifier knows nothing of a value loaded from a map, so every path
 * through the digits reaches each instruction in the same state and is
 * walked once.  In registers, each cursor position and each run would be a
 * state of its own: 100,000 instructions verified for 900 written. */
#include "compiler/bpf_codegen_internal.h"

#include <linux/bpf.h>

#include "compiler/bpf_emit.h"

/* The variables, 8 bytes each in bpf_snprintf's argument area, which no
 * formatting uses meanwhile. */
enum variable { CURSOR, RUN_START, RUN_END, RUN_LENGTH, BEST_LENGTH };

static void load_variable(syn_bpf_generator *g, int dst, enum variable variable)
{
    syn_bpf_load(&g->emitter, BPF_DW, dst, SYN_BPF_SCRATCH, (int16_t)(g->format_offset + 8 * variable));
}

static void store_variable(syn_bpf_generator *g, enum variable variable, int src)
{
    syn_bpf_store(&g->emitter, BPF_DW, SYN_BPF_SCRATCH, (int16_t)(g->format_offset + 8 * variable), src);
}

static void set_variable(syn_bpf_generator *g, enum variable variable, int32_t value)
{
    syn_bpf_store_immediate(&g->emitter, BPF_DW, SYN_BPF_SCRATCH, (int16_t)(g->format_offset + 8 * variable),
                            value);
}

uint32_t syn_bpf_ipv6_raw_offset(const syn_bpf_generator *g)
{
    /* A string slot is twice the longest string: the second half is free. */
    return (g->program->max_string_length + 7) & ~7u;
}

/* dst = group i (big-endian in the raw bytes); clobbers BPF_REG_1. */
static void load_group(syn_bpf_generator *g, syn_ir_register dest, int dst, int i)
{
    syn_bpf_emitter *e = &g->emitter;
    int16_t raw = (int16_t)syn_bpf_ipv6_raw_offset(g);
    syn_bpf_string_address(g, BPF_REG_1, dest);
    syn_bpf_load(e, BPF_B, dst, BPF_REG_1, (int16_t)(raw + 2 * i));
    syn_bpf_alu_immediate(e, BPF_LSH, dst, 8);
    syn_bpf_load(e, BPF_B, BPF_REG_1, BPF_REG_1, (int16_t)(raw + 2 * i + 1));
    syn_bpf_alu(e, BPF_OR, dst, BPF_REG_1);
}

/* Writes the character in `character` (not register 1 or 5) at the cursor,
 * if it fits with the NUL. */
static void put(syn_bpf_generator *g, syn_ir_register dest, int character)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t full = syn_bpf_label_new(e);
    load_variable(g, BPF_REG_5, CURSOR);
    syn_bpf_jump_immediate(e, BPF_JGE, BPF_REG_5, (int32_t)g->program->max_string_length - 1, full);
    syn_bpf_string_address(g, BPF_REG_1, dest);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_1, BPF_REG_5);
    syn_bpf_store(e, BPF_B, BPF_REG_1, 0, character);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_5, 1);
    store_variable(g, CURSOR, BPF_REG_5);
    syn_bpf_label_place(e, full);
}

static void put_constant(syn_bpf_generator *g, syn_ir_register dest, char character)
{
    syn_bpf_move_immediate(&g->emitter, BPF_REG_2, character);
    put(g, dest, BPF_REG_2);
}

/* The group in BPF_REG_0 as hex without leading zeros; clobbers 1, 2 and 5. */
static void put_group(syn_bpf_generator *g, syn_ir_register dest)
{
    syn_bpf_emitter *e = &g->emitter;
    for (int shift = 12; shift >= 0; shift -= 4) {
        uint32_t skip = syn_bpf_label_new(e);
        if (shift > 0)   /* a leading zero digit is not written */
            syn_bpf_jump_immediate(e, BPF_JLT, BPF_REG_0, 1 << shift, skip);
        uint32_t letter = syn_bpf_label_new(e), digit_done = syn_bpf_label_new(e);
        syn_bpf_move(e, BPF_REG_2, BPF_REG_0);
        syn_bpf_alu_immediate(e, BPF_RSH, BPF_REG_2, shift);
        syn_bpf_alu_immediate(e, BPF_AND, BPF_REG_2, 15);
        syn_bpf_jump_immediate(e, BPF_JGE, BPF_REG_2, 10, letter);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_2, '0');
        syn_bpf_goto(e, digit_done);
        syn_bpf_label_place(e, letter);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_2, 'a' - 10);
        syn_bpf_label_place(e, digit_done);
        put(g, dest, BPF_REG_2);
        syn_bpf_label_place(e, skip);
    }
}

/* RUN_START and RUN_END: the longest run of zero groups, the first of equal
 * ones, when at least two long; 8 and 8 when none. Scanned from the end, a
 * group's run length is one more than its successor's when it is zero. */
static void find_run(syn_bpf_generator *g, syn_ir_register dest)
{
    syn_bpf_emitter *e = &g->emitter;
    set_variable(g, RUN_START, 8);
    set_variable(g, RUN_END, 8);
    set_variable(g, RUN_LENGTH, 0);
    set_variable(g, BEST_LENGTH, 1);
    for (int i = 7; i >= 0; i--) {
        uint32_t nonzero = syn_bpf_label_new(e), next = syn_bpf_label_new(e);
        load_group(g, dest, BPF_REG_0, i);
        syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, 0, nonzero);
        load_variable(g, BPF_REG_3, RUN_LENGTH);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_3, 1);
        store_variable(g, RUN_LENGTH, BPF_REG_3);
        /* Ties go to the earlier run: this one is scanned later. */
        load_variable(g, BPF_REG_2, BEST_LENGTH);
        syn_bpf_jump(e, BPF_JLT, BPF_REG_3, BPF_REG_2, next);
        store_variable(g, BEST_LENGTH, BPF_REG_3);
        set_variable(g, RUN_START, i);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_3, i);
        store_variable(g, RUN_END, BPF_REG_3);
        syn_bpf_goto(e, next);
        syn_bpf_label_place(e, nonzero);
        set_variable(g, RUN_LENGTH, 0);
        syn_bpf_label_place(e, next);
    }
    /* A single zero group is written as 0, not "::". */
    uint32_t long_enough = syn_bpf_label_new(e);
    load_variable(g, BPF_REG_2, BEST_LENGTH);
    syn_bpf_jump_immediate(e, BPF_JGE, BPF_REG_2, 2, long_enough);
    set_variable(g, RUN_START, 8);
    set_variable(g, RUN_END, 8);
    syn_bpf_label_place(e, long_enough);
}

void syn_bpf_ipv6_text(syn_bpf_generator *g, syn_ir_register dest)
{
    syn_bpf_emitter *e = &g->emitter;
    find_run(g, dest);
    set_variable(g, CURSOR, 0);
    for (int i = 0; i < 8; i++) {
        uint32_t outside = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
        uint32_t no_separator = syn_bpf_label_new(e);
        load_variable(g, BPF_REG_3, RUN_START);
        load_variable(g, BPF_REG_4, RUN_END);
        syn_bpf_jump_immediate(e, BPF_JGT, BPF_REG_3, i, outside);
        syn_bpf_jump_immediate(e, BPF_JLE, BPF_REG_4, i, outside);
        /* Inside the run: its first group writes "::", the others nothing. */
        syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_3, i, done);
        put_constant(g, dest, ':');
        put_constant(g, dest, ':');
        syn_bpf_goto(e, done);
        syn_bpf_label_place(e, outside);
        if (i > 0) {
            /* The run's "::" already separates the group after it. */
            syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_4, i, no_separator);
            put_constant(g, dest, ':');
        }
        syn_bpf_label_place(e, no_separator);
        load_group(g, dest, BPF_REG_0, i);
        put_group(g, dest);
        syn_bpf_label_place(e, done);
    }
    /* The NUL goes in even when the text was cut short. */
    uint32_t fits = syn_bpf_label_new(e);
    load_variable(g, BPF_REG_5, CURSOR);
    syn_bpf_jump_immediate(e, BPF_JLT, BPF_REG_5, (int32_t)g->program->max_string_length, fits);
    syn_bpf_move_immediate(e, BPF_REG_5, (int32_t)g->program->max_string_length - 1);
    syn_bpf_label_place(e, fits);
    syn_bpf_string_address(g, BPF_REG_1, dest);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_1, BPF_REG_5);
    syn_bpf_store_immediate(e, BPF_B, BPF_REG_1, 0, 0);
}
