/* IPv6 addresses as text in a BPF program, in the form RFC 5952 asks for and
 * ss prints: lowercase hex groups without leading zeros, the longest run of
 * two or more zero groups (the first of equal ones) written "::". The
 * kernel's bpf_snprintf has %pI6 but not its compressed variant, so the code
 * is unrolled here: the verifier sees every write bounded. */
#include "compiler/bpf_codegen_internal.h"

#include <linux/bpf.h>

#include "compiler/bpf_emit.h"

enum {
    CURSOR = BPF_REG_5,     /* where the next character goes */
    RUN_START = BPF_REG_4,  /* first group of the run "::" stands for; 8 when none */
    RUN_END = BPF_REG_3,    /* the group after it */
};

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

/* Writes the character in `character` at the cursor, if it fits with the NUL. */
static void put(syn_bpf_generator *g, syn_ir_register dest, int character)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t full = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JGE, CURSOR, (int32_t)g->program->max_string_length - 1, full);
    syn_bpf_string_address(g, BPF_REG_1, dest);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_1, CURSOR);
    syn_bpf_store(e, BPF_B, BPF_REG_1, 0, character);
    syn_bpf_alu_immediate(e, BPF_ADD, CURSOR, 1);
    syn_bpf_label_place(e, full);
}

static void put_constant(syn_bpf_generator *g, syn_ir_register dest, char character)
{
    syn_bpf_move_immediate(&g->emitter, BPF_REG_2, character);
    put(g, dest, BPF_REG_2);
}

/* The group in BPF_REG_0 as hex without leading zeros; clobbers 1 and 2. */
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
 * ones, when at least two long. Scanned from the end, a group's run length is
 * one more than its successor's when it is zero. */
static void find_run(syn_bpf_generator *g, syn_ir_register dest)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_move_immediate(e, RUN_START, 8);
    syn_bpf_move_immediate(e, RUN_END, 8);
    syn_bpf_move_immediate(e, CURSOR, 0);   /* the run length at the group after */
    syn_bpf_store_immediate(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP, 1);   /* the best length so far */
    for (int i = 7; i >= 0; i--) {
        uint32_t nonzero = syn_bpf_label_new(e), next = syn_bpf_label_new(e);
        load_group(g, dest, BPF_REG_0, i);
        syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, 0, nonzero);
        syn_bpf_alu_immediate(e, BPF_ADD, CURSOR, 1);
        /* Ties go to the earlier run: this one is scanned later. */
        syn_bpf_load(e, BPF_DW, BPF_REG_2, BPF_REG_10, SYN_BPF_TEMP);
        syn_bpf_jump(e, BPF_JLT, CURSOR, BPF_REG_2, next);
        syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP, CURSOR);
        syn_bpf_move_immediate(e, RUN_START, i);
        syn_bpf_move_immediate(e, RUN_END, i);
        syn_bpf_alu(e, BPF_ADD, RUN_END, CURSOR);
        syn_bpf_goto(e, next);
        syn_bpf_label_place(e, nonzero);
        syn_bpf_move_immediate(e, CURSOR, 0);
        syn_bpf_label_place(e, next);
    }
    /* A single zero group is written as 0, not "::". */
    uint32_t long_enough = syn_bpf_label_new(e);
    syn_bpf_move(e, BPF_REG_2, RUN_END);
    syn_bpf_alu(e, BPF_SUB, BPF_REG_2, RUN_START);
    syn_bpf_jump_immediate(e, BPF_JGE, BPF_REG_2, 2, long_enough);
    syn_bpf_move_immediate(e, RUN_START, 8);
    syn_bpf_move_immediate(e, RUN_END, 8);
    syn_bpf_label_place(e, long_enough);
}

void syn_bpf_ipv6_text(syn_bpf_generator *g, syn_ir_register dest)
{
    syn_bpf_emitter *e = &g->emitter;
    find_run(g, dest);
    syn_bpf_move_immediate(e, CURSOR, 0);
    for (int i = 0; i < 8; i++) {
        uint32_t outside = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
        uint32_t no_separator = syn_bpf_label_new(e);
        syn_bpf_jump_immediate(e, BPF_JGT, RUN_START, i, outside);
        syn_bpf_jump_immediate(e, BPF_JLE, RUN_END, i, outside);
        /* Inside the run: its first group writes "::", the others nothing. */
        syn_bpf_jump_immediate(e, BPF_JNE, RUN_START, i, done);
        put_constant(g, dest, ':');
        put_constant(g, dest, ':');
        syn_bpf_goto(e, done);
        syn_bpf_label_place(e, outside);
        if (i > 0) {
            /* The run's "::" already separates the group after it. */
            syn_bpf_jump_immediate(e, BPF_JEQ, RUN_END, i, no_separator);
            put_constant(g, dest, ':');
        }
        syn_bpf_label_place(e, no_separator);
        load_group(g, dest, BPF_REG_0, i);
        put_group(g, dest);
        syn_bpf_label_place(e, done);
    }
    /* The NUL goes in even when the text was cut short. */
    uint32_t fits = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JLT, CURSOR, (int32_t)g->program->max_string_length, fits);
    syn_bpf_move_immediate(e, CURSOR, (int32_t)g->program->max_string_length - 1);
    syn_bpf_label_place(e, fits);
    syn_bpf_string_address(g, BPF_REG_1, dest);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_1, CURSOR);
    syn_bpf_store_immediate(e, BPF_B, BPF_REG_1, 0, 0);
}
