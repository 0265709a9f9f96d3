/* Strings, globals, arrays and statistics in kernel probes. */
#include <string.h>

#include "compiler/bpf_codegen_internal.h"
#include "compiler/statistics.h"

static uint32_t string_size(const syn_bpf_generator *g)
{
    return g->program->max_string_length;
}

static uint32_t kind_size(const syn_bpf_generator *g, syn_ir_register_kind kind)
{
    return kind == SYN_IR_STRING ? string_size(g) : 8;
}

uint32_t syn_bpf_key_size(const syn_bpf_generator *g, uint32_t global)
{
    const syn_ir_global *description = &g->program->globals[global];
    uint32_t size = 0;
    for (uint32_t k = 0; k < description->key_count; k++)
        size += syn_ir_key_width(g->program, description, k);
    return size ? size : 4;
}

uint32_t syn_bpf_value_size(const syn_bpf_generator *g, uint32_t global)
{
    const syn_ir_global *description = &g->program->globals[global];
    if (description->kind == SYN_IR_GLOBAL_STATISTIC)
        return (SYN_STAT_WORD_BUCKETS + description->histogram_buckets) * 8;
    return kind_size(g, description->value_kind);
}

/* ---- strings --------------------------------------------------------------------- */

/* dest's slot = the string at source_address (any kernel memory). */
void syn_bpf_copy_string(syn_bpf_generator *g, syn_ir_register dest, int source_address)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_move(e, BPF_REG_3, source_address);
    syn_bpf_string_address(g, BPF_REG_1, dest);
    syn_bpf_move_immediate(e, BPF_REG_2, string_size(g));
    syn_bpf_call(e, BPF_FUNC_probe_read_kernel_str);
}

void syn_bpf_string_constant(syn_bpf_generator *g, uint32_t slot_offset, const char *text)
{
    syn_bpf_emitter *e = &g->emitter;
    size_t length = strlen(text);
    if (length > string_size(g) - 1)
        length = string_size(g) - 1;
    syn_bpf_scratch_address(g, BPF_REG_1, slot_offset);
    /* Eight bytes at a time, the terminating NUL included. */
    for (size_t offset = 0; offset <= length; offset += 8) {
        uint64_t word = 0;
        size_t take = length + 1 - offset < 8 ? length + 1 - offset : 8;
        for (size_t i = 0; i < take && offset + i < length; i++)
            word |= (uint64_t)(unsigned char)text[offset + i] << (8 * i);
        syn_bpf_move_immediate(e, BPF_REG_2, (int64_t)word);
        syn_bpf_store(e, BPF_DW, BPF_REG_1, (int16_t)offset, BPF_REG_2);
    }
}

static void concat(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t max = string_size(g);
    /* dest = a; its length (with the NUL) comes back in r0. */
    syn_bpf_string_address(g, BPF_REG_3, instruction->a);
    syn_bpf_copy_string(g, instruction->dest, BPF_REG_3);
    /* Append b at dest + length - 1, bounded so the verifier sees it fits:
     * slots are 2 * MAXSTRINGLEN long. */
    syn_bpf_alu_immediate(e, BPF_SUB, BPF_REG_0, 1);
    uint32_t positive = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JSGE, BPF_REG_0, 0, positive);
    syn_bpf_move_immediate(e, BPF_REG_0, 0);
    syn_bpf_label_place(e, positive);
    uint32_t bounded = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JLE, BPF_REG_0, (int32_t)(max - 1), bounded);
    syn_bpf_move_immediate(e, BPF_REG_0, max - 1);
    syn_bpf_label_place(e, bounded);
    syn_bpf_move_immediate(e, BPF_REG_2, max);
    syn_bpf_alu(e, BPF_SUB, BPF_REG_2, BPF_REG_0);
    syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_1, BPF_REG_0);
    syn_bpf_string_address(g, BPF_REG_3, instruction->b);
    syn_bpf_call(e, BPF_FUNC_probe_read_kernel_str);
}

/* r5 = nonzero when the word in `word` holds a NUL byte (the classic
 * (x - 0x01..01) & ~x & 0x80..80 test); clobbers r0. */
void syn_bpf_word_has_zero(syn_bpf_emitter *e, int word)
{
    syn_bpf_move_immediate(e, BPF_REG_0, 0x0101010101010101LL);
    syn_bpf_move(e, BPF_REG_5, word);
    syn_bpf_alu(e, BPF_SUB, BPF_REG_5, BPF_REG_0);
    syn_bpf_move(e, BPF_REG_0, word);
    syn_bpf_alu_immediate(e, BPF_XOR, BPF_REG_0, -1);
    syn_bpf_alu(e, BPF_AND, BPF_REG_5, BPF_REG_0);
    syn_bpf_move_immediate(e, BPF_REG_0, (int64_t)0x8080808080808080ULL);
    syn_bpf_alu(e, BPF_AND, BPF_REG_5, BPF_REG_0);
}

/* Comparison eight bytes at a time, then bytewise inside the first word
 * that differs or ends a string; r0 ends up as the sign of a - b (bytes
 * unsigned).  Words keep the verifier's walk of the loop short. */
static void compare_strings(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t words = (string_size(g) + 7) / 8;
    syn_bpf_string_address(g, BPF_REG_1, instruction->a);
    syn_bpf_string_address(g, BPF_REG_2, instruction->b);
    syn_bpf_move_immediate(e, BPF_REG_3, 0);
    uint32_t loop = syn_bpf_label_new(e), done = syn_bpf_label_new(e), equal = syn_bpf_label_new(e);
    uint32_t bytes = syn_bpf_label_new(e), byte_loop = syn_bpf_label_new(e), differ = syn_bpf_label_new(e);
    syn_bpf_label_place(e, loop);
    syn_bpf_jump_immediate(e, BPF_JGE, BPF_REG_3, (int32_t)words, equal);
    syn_bpf_load(e, BPF_DW, BPF_REG_4, BPF_REG_1, 0);
    syn_bpf_load(e, BPF_DW, BPF_REG_5, BPF_REG_2, 0);
    syn_bpf_jump(e, BPF_JNE, BPF_REG_4, BPF_REG_5, bytes);
    syn_bpf_word_has_zero(e, BPF_REG_4);
    syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_5, 0, equal);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, 8);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_2, 8);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_3, 1);
    syn_bpf_goto(e, loop);
    /* Inside one word: a difference or a NUL comes within eight bytes. */
    syn_bpf_label_place(e, bytes);
    syn_bpf_move_immediate(e, BPF_REG_3, 0);
    syn_bpf_label_place(e, byte_loop);
    syn_bpf_jump_immediate(e, BPF_JGE, BPF_REG_3, 8, equal);
    syn_bpf_load(e, BPF_B, BPF_REG_4, BPF_REG_1, 0);
    syn_bpf_load(e, BPF_B, BPF_REG_5, BPF_REG_2, 0);
    syn_bpf_jump(e, BPF_JNE, BPF_REG_4, BPF_REG_5, differ);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_4, 0, equal);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, 1);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_2, 1);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_3, 1);
    syn_bpf_goto(e, byte_loop);
    syn_bpf_label_place(e, differ);
    syn_bpf_move_immediate(e, BPF_REG_0, 1);
    syn_bpf_jump(e, BPF_JGT, BPF_REG_4, BPF_REG_5, done);
    syn_bpf_move_immediate(e, BPF_REG_0, -1);
    syn_bpf_goto(e, done);
    syn_bpf_label_place(e, equal);
    syn_bpf_move_immediate(e, BPF_REG_0, 0);
    syn_bpf_label_place(e, done);
    /* r0 is -1, 0 or 1: turn it into the comparison's truth. */
    uint32_t is_true = syn_bpf_label_new(e), end = syn_bpf_label_new(e);
    int jump;
    switch ((syn_ir_compare)instruction->op) {
    case SYN_IR_EQUAL: jump = BPF_JEQ; break;
    case SYN_IR_NOT_EQUAL: jump = BPF_JNE; break;
    case SYN_IR_LESS: jump = BPF_JSLT; break;
    case SYN_IR_LESS_EQUAL: jump = BPF_JSLE; break;
    case SYN_IR_GREATER: jump = BPF_JSGT; break;
    default: jump = BPF_JSGE; break;
    }
    syn_bpf_jump_immediate(e, jump, BPF_REG_0, 0, is_true);
    syn_bpf_move_immediate(e, BPF_REG_0, 0);
    syn_bpf_goto(e, end);
    syn_bpf_label_place(e, is_true);
    syn_bpf_move_immediate(e, BPF_REG_0, 1);
    syn_bpf_label_place(e, end);
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
}

/* ---- scalar globals ------------------------------------------------------------- */

static uint32_t global_offset(const syn_bpf_generator *g, uint32_t global)
{
    return g->program->globals[global].offset;
}

static void global_access(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    const syn_ir_global *global = &g->program->globals[instruction->global];
    syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_GLOBALS_VALUE, 0, global_offset(g, instruction->global));
    bool is_string = global->value_kind == SYN_IR_STRING;
    switch (instruction->opcode) {
    case SYN_IR_GLOBAL_LOAD:
        if (is_string) {
            syn_bpf_copy_string(g, instruction->dest, BPF_REG_1);
        } else {
            int dest = syn_bpf_destination(g, instruction->dest, BPF_REG_0);
            syn_bpf_load(e, BPF_DW, dest, BPF_REG_1, 0);
            syn_bpf_commit(g, instruction->dest, dest);
        }
        return;
    case SYN_IR_GLOBAL_STORE:
        if (is_string) {
            syn_bpf_string_address(g, BPF_REG_3, instruction->a);
            syn_bpf_move_immediate(e, BPF_REG_2, string_size(g));
            syn_bpf_call(e, BPF_FUNC_probe_read_kernel_str);
        } else {
            syn_bpf_store(e, BPF_DW, BPF_REG_1, 0, syn_bpf_operand(g, instruction->a, BPF_REG_2));
        }
        return;
    case SYN_IR_GLOBAL_ADD:
        syn_bpf_atomic_add(e, BPF_REG_1, 0, syn_bpf_operand(g, instruction->a, BPF_REG_2));
        return;
    default:
        /* MAP_CLEAR of a scalar */
        if (is_string)
            syn_bpf_store_immediate(e, BPF_B, BPF_REG_1, 0, 0);
        else
            syn_bpf_store_immediate(e, BPF_DW, BPF_REG_1, 0, 0);
        return;
    }
}

/* ---- keys ---------------------------------------------------------------------------- */

static bool has_wildcard(const syn_ir_instruction *instruction)
{
    for (uint32_t k = 0; k < instruction->argument_count; k++) {
        if (instruction->arguments[k] == SYN_IR_NO_REGISTER)
            return true;
    }
    return false;
}

/* Packs the keys into the scratch key buffer; r2 ends up pointing at it.
 * String keys are zero-padded, since the map hashes every byte. */
static void build_key(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    const syn_ir_global *global = &g->program->globals[instruction->global];
    if (global->key_count == 0) {
        syn_bpf_store_immediate(e, BPF_W, BPF_REG_10, SYN_BPF_TEMP, 0);
        syn_bpf_move(e, BPF_REG_2, BPF_REG_10);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_2, SYN_BPF_TEMP);
        return;
    }
    uint32_t offset = g->key_offset;
    bool has_string = false;
    for (uint32_t k = 0; k < global->key_count; k++)
        has_string = has_string || global->key_kinds[k] == SYN_IR_STRING;
    if (has_string) {
        /* A failed read of NULL zeroes its destination: a memset in one call. */
        syn_bpf_scratch_address(g, BPF_REG_1, offset);
        syn_bpf_move_immediate(e, BPF_REG_2, syn_bpf_key_size(g, instruction->global));
        syn_bpf_move_immediate(e, BPF_REG_3, 0);
        syn_bpf_call(e, BPF_FUNC_probe_read_kernel);
    }
    for (uint32_t k = 0; k < global->key_count; k++) {
        syn_ir_register reg = instruction->arguments[k];
        if (global->key_kinds[k] == SYN_IR_STRING) {
            /* A narrowed key (compiler/key_width.c) is only ever given strings that fit. */
            uint32_t width = syn_ir_key_width(g->program, global, k);
            syn_bpf_scratch_address(g, BPF_REG_1, offset);
            syn_bpf_move_immediate(e, BPF_REG_2, (int32_t)width);
            syn_bpf_string_address(g, BPF_REG_3, reg);
            syn_bpf_call(e, BPF_FUNC_probe_read_kernel_str);
            offset += width;
        } else {
            syn_bpf_store(e, BPF_DW, SYN_BPF_SCRATCH, (int16_t)offset, syn_bpf_operand(g, reg, BPF_REG_1));
            offset += 8;
        }
    }
    syn_bpf_scratch_address(g, BPF_REG_2, g->key_offset);
}

static void load_map(syn_bpf_generator *g, int dst, uint32_t global)
{
    syn_bpf_load_map(&g->emitter, dst, SYN_BPF_MAP_GLOBAL, global, 0);
}

/* ---- arrays ------------------------------------------------------------------------- */

static void map_load(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    build_key(g, instruction);
    load_map(g, BPF_REG_1, instruction->global);
    syn_bpf_call(e, BPF_FUNC_map_lookup_elem);
    bool is_string = g->function->registers[instruction->dest] == SYN_IR_STRING;
    uint32_t absent = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, absent);
    if (is_string) {
        syn_bpf_copy_string(g, instruction->dest, BPF_REG_0);
        syn_bpf_goto(e, done);
        syn_bpf_label_place(e, absent);
        syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
        syn_bpf_store_immediate(e, BPF_B, BPF_REG_1, 0, 0);
    } else {
        syn_bpf_load(e, BPF_DW, BPF_REG_0, BPF_REG_0, 0);
        syn_bpf_goto(e, done);
        syn_bpf_label_place(e, absent);
        syn_bpf_move_immediate(e, BPF_REG_0, 0);
    }
    syn_bpf_label_place(e, done);
    if (!is_string)
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
}

/* r3 = the address of the value to store. */
static void value_address(syn_bpf_generator *g, syn_ir_register value)
{
    if (g->function->registers[value] == SYN_IR_STRING) {
        syn_bpf_string_address(g, BPF_REG_3, value);
        return;
    }
    syn_bpf_store(&g->emitter, BPF_DW, SYN_BPF_SCRATCH, (int16_t)g->value_offset,
                  syn_bpf_operand(g, value, BPF_REG_3));
    syn_bpf_scratch_address(g, BPF_REG_3, g->value_offset);
}

static void map_store(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    build_key(g, instruction);
    value_address(g, instruction->a);
    load_map(g, BPF_REG_1, instruction->global);
    syn_bpf_move_immediate(e, BPF_REG_4, BPF_ANY);
    syn_bpf_call(e, BPF_FUNC_map_update_elem);
    uint32_t stored = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, stored);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_ARRAY_FULL, -1);
    syn_bpf_label_place(e, stored);
}

/* a[k] += v: an atomic add on the element, or an insert when it is absent
 * (and a second add when another CPU inserted it first). */
static void map_add(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t insert = syn_bpf_label_new(e), add = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
    build_key(g, instruction);
    load_map(g, BPF_REG_1, instruction->global);
    syn_bpf_call(e, BPF_FUNC_map_lookup_elem);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, insert);
    syn_bpf_label_place(e, add);
    syn_bpf_atomic_add(e, BPF_REG_0, 0, syn_bpf_operand(g, instruction->a, BPF_REG_1));
    syn_bpf_goto(e, done);
    syn_bpf_label_place(e, insert);
    value_address(g, instruction->a);
    syn_bpf_scratch_address(g, BPF_REG_2, g->key_offset);
    load_map(g, BPF_REG_1, instruction->global);
    syn_bpf_move_immediate(e, BPF_REG_4, BPF_NOEXIST);
    syn_bpf_call(e, BPF_FUNC_map_update_elem);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, done);
    /* Someone else inserted it meanwhile: add to theirs. */
    syn_bpf_scratch_address(g, BPF_REG_2, g->key_offset);
    load_map(g, BPF_REG_1, instruction->global);
    syn_bpf_call(e, BPF_FUNC_map_lookup_elem);
    uint32_t full = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, full);
    syn_bpf_goto(e, add);
    syn_bpf_label_place(e, full);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_ARRAY_FULL, -1);
    syn_bpf_label_place(e, done);
}

static void map_delete_or_exists(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    if (has_wildcard(instruction)) {
        syn_bpf_unsupported(g, instruction, "a '*' in an array key");
        return;
    }
    build_key(g, instruction);
    load_map(g, BPF_REG_1, instruction->global);
    if (instruction->opcode == SYN_IR_MAP_DELETE) {
        syn_bpf_call(e, BPF_FUNC_map_delete_elem);
        return;
    }
    syn_bpf_call(e, BPF_FUNC_map_lookup_elem);
    uint32_t absent = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, absent);
    syn_bpf_move_immediate(e, BPF_REG_0, 1);
    syn_bpf_label_place(e, absent);
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
}

/* ---- statistics ------------------------------------------------------------------ */

/* r1 = the histogram bucket of the value in r3 (bounded for the verifier). */
static void bucket_index(syn_bpf_generator *g, const syn_ir_global *global)
{
    syn_bpf_emitter *e = &g->emitter;
    if (global->log_histogram) {
        /* floor(log2(|v|)) by halving the range five times. */
        uint32_t positive = syn_bpf_label_new(e), zero = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
        syn_bpf_move(e, BPF_REG_4, BPF_REG_3);
        syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_4, 0, zero);
        syn_bpf_jump_immediate(e, BPF_JSGT, BPF_REG_4, 0, positive);
        syn_bpf_alu_immediate(e, BPF_NEG, BPF_REG_4, 0);
        syn_bpf_label_place(e, positive);
        syn_bpf_move_immediate(e, BPF_REG_1, 0);
        static const int steps[] = {32, 16, 8, 4, 2, 1};
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            uint32_t skip = syn_bpf_label_new(e);
            syn_bpf_move(e, BPF_REG_5, BPF_REG_4);
            syn_bpf_alu_immediate(e, BPF_RSH, BPF_REG_5, steps[i]);
            syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_5, 0, skip);
            syn_bpf_move(e, BPF_REG_4, BPF_REG_5);
            syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, steps[i]);
            syn_bpf_label_place(e, skip);
        }
        uint32_t negative = syn_bpf_label_new(e);
        syn_bpf_jump_immediate(e, BPF_JSLT, BPF_REG_3, 0, negative);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, SYN_LOG_BUCKET_ZERO + 1);
        syn_bpf_goto(e, done);
        syn_bpf_label_place(e, negative);
        syn_bpf_alu_immediate(e, BPF_NEG, BPF_REG_1, 0);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, SYN_LOG_BUCKET_ZERO - 1);
        syn_bpf_goto(e, done);
        syn_bpf_label_place(e, zero);
        syn_bpf_move_immediate(e, BPF_REG_1, SYN_LOG_BUCKET_ZERO);
        syn_bpf_label_place(e, done);
    } else {
        uint32_t last = syn_linear_bucket_count(global->linear_low, global->linear_high, global->linear_step) - 1;
        uint32_t below = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
        syn_bpf_move(e, BPF_REG_1, BPF_REG_3);
        syn_bpf_move_immediate(e, BPF_REG_4, global->linear_low);
        syn_bpf_jump(e, BPF_JSLT, BPF_REG_1, BPF_REG_4, below);
        syn_bpf_alu(e, BPF_SUB, BPF_REG_1, BPF_REG_4);
        syn_bpf_move_immediate(e, BPF_REG_4, global->linear_step);
        syn_bpf_alu(e, BPF_DIV, BPF_REG_1, BPF_REG_4);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, 1);
        syn_bpf_jump_immediate(e, BPF_JLE, BPF_REG_1, (int32_t)last, done);
        syn_bpf_move_immediate(e, BPF_REG_1, last);
        syn_bpf_goto(e, done);
        syn_bpf_label_place(e, below);
        syn_bpf_move_immediate(e, BPF_REG_1, 0);
        syn_bpf_label_place(e, done);
    }
    /* The verifier wants the index provably inside the record. */
    uint32_t inside = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JLT, BPF_REG_1, (int32_t)global->histogram_buckets, inside);
    syn_bpf_move_immediate(e, BPF_REG_1, 0);
    syn_bpf_label_place(e, inside);
}

/* s <<< v on this CPU's record: count, sum, min, max, sum of squares and the
 * histogram bucket.  The record is created zeroed when it is missing. */
static void statistic_add(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    const syn_ir_global *global = &g->program->globals[instruction->global];
    uint32_t found = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
    build_key(g, instruction);
    load_map(g, BPF_REG_1, instruction->global);
    syn_bpf_call(e, BPF_FUNC_map_lookup_elem);
    syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, 0, found);
    /* Zero a record in the value buffer and insert it. */
    syn_bpf_scratch_address(g, BPF_REG_1, g->value_offset);
    syn_bpf_move_immediate(e, BPF_REG_2, syn_bpf_value_size(g, instruction->global));
    syn_bpf_move_immediate(e, BPF_REG_3, 0);
    syn_bpf_call(e, BPF_FUNC_probe_read_kernel);
    build_key(g, instruction);
    syn_bpf_scratch_address(g, BPF_REG_3, g->value_offset);
    load_map(g, BPF_REG_1, instruction->global);
    syn_bpf_move_immediate(e, BPF_REG_4, BPF_NOEXIST);
    syn_bpf_call(e, BPF_FUNC_map_update_elem);
    build_key(g, instruction);
    load_map(g, BPF_REG_1, instruction->global);
    syn_bpf_call(e, BPF_FUNC_map_lookup_elem);
    syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, 0, found);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_ARRAY_FULL, -1);
    syn_bpf_label_place(e, found);
    syn_bpf_move(e, BPF_REG_3, syn_bpf_operand(g, instruction->a, BPF_REG_3));
    /* min and max: set on the first value, then compared. */
    uint32_t update_minimum = syn_bpf_label_new(e), check_maximum = syn_bpf_label_new(e);
    uint32_t update_maximum = syn_bpf_label_new(e), counted = syn_bpf_label_new(e);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_0, SYN_STAT_WORD_COUNT * 8);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_1, 0, update_minimum);
    syn_bpf_load(e, BPF_DW, BPF_REG_2, BPF_REG_0, SYN_STAT_WORD_MIN * 8);
    syn_bpf_jump(e, BPF_JSLE, BPF_REG_2, BPF_REG_3, check_maximum);
    syn_bpf_label_place(e, update_minimum);
    syn_bpf_store(e, BPF_DW, BPF_REG_0, SYN_STAT_WORD_MIN * 8, BPF_REG_3);
    syn_bpf_label_place(e, check_maximum);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_1, 0, update_maximum);
    syn_bpf_load(e, BPF_DW, BPF_REG_2, BPF_REG_0, SYN_STAT_WORD_MAX * 8);
    syn_bpf_jump(e, BPF_JSGE, BPF_REG_2, BPF_REG_3, counted);
    syn_bpf_label_place(e, update_maximum);
    syn_bpf_store(e, BPF_DW, BPF_REG_0, SYN_STAT_WORD_MAX * 8, BPF_REG_3);
    syn_bpf_label_place(e, counted);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, 1);
    syn_bpf_store(e, BPF_DW, BPF_REG_0, SYN_STAT_WORD_COUNT * 8, BPF_REG_1);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_0, SYN_STAT_WORD_SUM * 8);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_1, BPF_REG_3);
    syn_bpf_store(e, BPF_DW, BPF_REG_0, SYN_STAT_WORD_SUM * 8, BPF_REG_1);
    syn_bpf_move(e, BPF_REG_2, BPF_REG_3);
    syn_bpf_alu(e, BPF_MUL, BPF_REG_2, BPF_REG_3);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_0, SYN_STAT_WORD_SUM_SQUARES * 8);
    syn_bpf_alu(e, BPF_ADD, BPF_REG_1, BPF_REG_2);
    syn_bpf_store(e, BPF_DW, BPF_REG_0, SYN_STAT_WORD_SUM_SQUARES * 8, BPF_REG_1);
    if (global->histogram_buckets) {
        bucket_index(g, global);
        syn_bpf_alu_immediate(e, BPF_LSH, BPF_REG_1, 3);
        syn_bpf_alu(e, BPF_ADD, BPF_REG_0, BPF_REG_1);
        syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_0, SYN_STAT_WORD_BUCKETS * 8);
        syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_1, 1);
        syn_bpf_store(e, BPF_DW, BPF_REG_0, SYN_STAT_WORD_BUCKETS * 8, BPF_REG_1);
    }
    syn_bpf_label_place(e, done);
}

/* Strings, and what touches globals, except what only the interpreter
 * does (reading a statistic, iterating). */
bool syn_bpf_is_data(syn_ir_opcode opcode)
{
    if (opcode == SYN_IR_STRING_CONSTANT || opcode == SYN_IR_CONCAT || opcode == SYN_IR_STRING_COMPARE)
        return true;
    return syn_ir_names_global(opcode) && opcode != SYN_IR_STAT_READ && opcode != SYN_IR_ITERATE_BEGIN;
}

void syn_bpf_generate_data(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    switch (instruction->opcode) {
    case SYN_IR_STRING_CONSTANT:
        syn_bpf_string_constant(g, g->allocation.scratch_offset[instruction->dest],
                                g->program->strings[instruction->immediate]);
        return;
    case SYN_IR_CONCAT: concat(g, instruction); return;
    case SYN_IR_STRING_COMPARE: compare_strings(g, instruction); return;
    case SYN_IR_GLOBAL_LOAD:
    case SYN_IR_GLOBAL_STORE:
    case SYN_IR_GLOBAL_ADD:
        global_access(g, instruction);
        return;
    case SYN_IR_MAP_CLEAR:
        if (g->program->globals[instruction->global].kind != SYN_IR_GLOBAL_SCALAR) {
            syn_bpf_unsupported(g, instruction, "deleting a whole array");
            return;
        }
        global_access(g, instruction);
        return;
    case SYN_IR_MAP_LOAD: map_load(g, instruction); return;
    case SYN_IR_MAP_STORE: map_store(g, instruction); return;
    case SYN_IR_MAP_ADD: map_add(g, instruction); return;
    case SYN_IR_MAP_DELETE:
    case SYN_IR_MAP_EXISTS:
        map_delete_or_exists(g, instruction);
        return;
    case SYN_IR_STAT_ADD: statistic_add(g, instruction); return;
    default: return;
    }
}
