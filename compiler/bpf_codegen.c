/* The BPF code generator: one program per kernel probe, from its IR. */
#include <stdio.h>
#include <string.h>

#include "compiler/bpf_codegen_internal.h"
#include "compiler/bpf_format.h"
#include "compiler/builtins.h"
#include "util/memory.h"

/* ---- operands ---------------------------------------------------------------- */

int syn_bpf_operand(syn_bpf_generator *g, syn_ir_register reg, int temporary)
{
    int physical = g->allocation.physical[reg];
    if (physical >= 0)
        return physical;
    syn_bpf_load(&g->emitter, BPF_DW, temporary, BPF_REG_10, g->allocation.stack_offset[reg]);
    return temporary;
}

int syn_bpf_destination(syn_bpf_generator *g, syn_ir_register reg, int temporary)
{
    int physical = g->allocation.physical[reg];
    return physical >= 0 ? physical : temporary;
}

void syn_bpf_commit(syn_bpf_generator *g, syn_ir_register reg, int physical)
{
    if (g->allocation.physical[reg] >= 0)
        syn_bpf_move(&g->emitter, g->allocation.physical[reg], physical);
    else
        syn_bpf_store(&g->emitter, BPF_DW, BPF_REG_10, g->allocation.stack_offset[reg], physical);
}

void syn_bpf_scratch_address(syn_bpf_generator *g, int dst, uint32_t offset)
{
    syn_bpf_move(&g->emitter, dst, SYN_BPF_SCRATCH);
    if (offset)
        syn_bpf_alu_immediate(&g->emitter, BPF_ADD, dst, (int32_t)offset);
}

void syn_bpf_string_address(syn_bpf_generator *g, int dst, syn_ir_register reg)
{
    syn_bpf_scratch_address(g, dst, g->allocation.scratch_offset[reg]);
}

void syn_bpf_unsupported(syn_bpf_generator *g, const syn_ir_instruction *instruction, const char *what)
{
    syn_error(g->diagnostics, &instruction->location, "%s cannot run in a kernel probe (%s)", what,
              g->probe->point);
    g->failed = true;
}

/* ---- arithmetic --------------------------------------------------------------- */

static int bpf_operator(syn_operator op)
{
    switch (op) {
    case SYN_OP_ADD: return BPF_ADD;
    case SYN_OP_SUBTRACT: return BPF_SUB;
    case SYN_OP_MULTIPLY: return BPF_MUL;
    case SYN_OP_SHIFT_LEFT: return BPF_LSH;
    case SYN_OP_SHIFT_RIGHT: return BPF_ARSH;
    case SYN_OP_UNSIGNED_SHIFT_RIGHT: return BPF_RSH;
    case SYN_OP_BIT_AND: return BPF_AND;
    case SYN_OP_BIT_OR: return BPF_OR;
    default: return BPF_XOR;
    }
}

/* Signed division and remainder out of BPF's unsigned ones (signed forms
 * only exist on recent kernels): divide magnitudes, then fix the sign. */
static void divide(syn_bpf_generator *g, const syn_ir_instruction *instruction, int dividend, int divisor)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t nonzero = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JNE, divisor, 0, nonzero);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_DIVISION_BY_ZERO, -1);
    syn_bpf_label_place(e, nonzero);
    bool remainder = instruction->op == SYN_OP_MODULO;
    syn_bpf_move(e, BPF_REG_3, dividend);
    syn_bpf_move(e, BPF_REG_4, divisor);
    syn_bpf_move_immediate(e, BPF_REG_5, 0);
    uint32_t dividend_positive = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JSGE, BPF_REG_3, 0, dividend_positive);
    syn_bpf_alu_immediate(e, BPF_NEG, BPF_REG_3, 0);
    syn_bpf_alu_immediate(e, BPF_XOR, BPF_REG_5, 1);
    syn_bpf_label_place(e, dividend_positive);
    uint32_t divisor_positive = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JSGE, BPF_REG_4, 0, divisor_positive);
    syn_bpf_alu_immediate(e, BPF_NEG, BPF_REG_4, 0);
    if (!remainder)
        syn_bpf_alu_immediate(e, BPF_XOR, BPF_REG_5, 1);
    syn_bpf_label_place(e, divisor_positive);
    syn_bpf_alu(e, remainder ? BPF_MOD : BPF_DIV, BPF_REG_3, BPF_REG_4);
    uint32_t done = syn_bpf_label_new(e);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_5, 0, done);
    syn_bpf_alu_immediate(e, BPF_NEG, BPF_REG_3, 0);
    syn_bpf_label_place(e, done);
    syn_bpf_commit(g, instruction->dest, BPF_REG_3);
}

static void binary(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    int left = syn_bpf_operand(g, instruction->a, BPF_REG_1);
    int right = syn_bpf_operand(g, instruction->b, BPF_REG_2);
    syn_operator op = (syn_operator)instruction->op;
    if (op == SYN_OP_DIVIDE || op == SYN_OP_MODULO) {
        divide(g, instruction, left, right);
        return;
    }
    if (op == SYN_OP_SHIFT_LEFT || op == SYN_OP_SHIFT_RIGHT || op == SYN_OP_UNSIGNED_SHIFT_RIGHT) {
        /* SystemTap shifts by the low six bits, as the hardware does. */
        syn_bpf_move(e, BPF_REG_2, right);
        syn_bpf_alu_immediate(e, BPF_AND, BPF_REG_2, 63);
        right = BPF_REG_2;
    }
    int dest = syn_bpf_destination(g, instruction->dest, BPF_REG_0);
    if (dest == right && dest != left) {
        syn_bpf_move(e, BPF_REG_2, right);
        right = BPF_REG_2;
    }
    syn_bpf_move(e, dest, left);
    syn_bpf_alu(e, bpf_operator(op), dest, right);
    syn_bpf_commit(g, instruction->dest, dest);
}

static int jump_of(syn_ir_compare compare)
{
    switch (compare) {
    case SYN_IR_EQUAL: return BPF_JEQ;
    case SYN_IR_NOT_EQUAL: return BPF_JNE;
    case SYN_IR_LESS: return BPF_JSLT;
    case SYN_IR_LESS_EQUAL: return BPF_JSLE;
    case SYN_IR_GREATER: return BPF_JSGT;
    default: return BPF_JSGE;
    }
}

static void compare(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    int left = syn_bpf_operand(g, instruction->a, BPF_REG_1);
    int right = syn_bpf_operand(g, instruction->b, BPF_REG_2);
    uint32_t done = syn_bpf_label_new(e);
    syn_bpf_move_immediate(e, BPF_REG_0, 1);
    syn_bpf_jump(e, jump_of((syn_ir_compare)instruction->op), left, right, done);
    syn_bpf_move_immediate(e, BPF_REG_0, 0);
    syn_bpf_label_place(e, done);
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
}

static void unary(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    int operand = syn_bpf_operand(g, instruction->a, BPF_REG_1);
    if (instruction->opcode == SYN_IR_NOT) {
        uint32_t done = syn_bpf_label_new(e);
        syn_bpf_move_immediate(e, BPF_REG_0, 1);
        syn_bpf_jump_immediate(e, BPF_JEQ, operand, 0, done);
        syn_bpf_move_immediate(e, BPF_REG_0, 0);
        syn_bpf_label_place(e, done);
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
        return;
    }
    int dest = syn_bpf_destination(g, instruction->dest, BPF_REG_0);
    syn_bpf_move(e, dest, operand);
    if (instruction->opcode == SYN_IR_NEGATE)
        syn_bpf_alu_immediate(e, BPF_NEG, dest, 0);
    else
        syn_bpf_alu_immediate(e, BPF_XOR, dest, -1);
    syn_bpf_commit(g, instruction->dest, dest);
}

/* ---- instructions and blocks -------------------------------------------------- */

static uint32_t next_block(const syn_bpf_generator *g, uint32_t position)
{
    return position + 1 < g->allocation.block_count ? g->allocation.block_order[position + 1] : UINT32_MAX;
}

static void terminator(syn_bpf_generator *g, const syn_ir_instruction *instruction, uint32_t position)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t following = next_block(g, position);
    switch (instruction->opcode) {
    case SYN_IR_JUMP:
        if (instruction->target_true != following)
            syn_bpf_goto(e, g->block_labels[instruction->target_true]);
        break;
    case SYN_IR_BRANCH: {
        int condition = syn_bpf_operand(g, instruction->a, BPF_REG_1);
        syn_bpf_jump_immediate(e, BPF_JNE, condition, 0, g->block_labels[instruction->target_true]);
        if (instruction->target_false != following)
            syn_bpf_goto(e, g->block_labels[instruction->target_false]);
        break;
    }
    default:
        syn_bpf_goto(e, g->exit_label);
        break;
    }
}

static void generate_instruction(syn_bpf_generator *g, const syn_ir_instruction *instruction)
{
    syn_bpf_emitter *e = &g->emitter;
    switch (instruction->opcode) {
    case SYN_IR_CONSTANT: {
        int dest = syn_bpf_destination(g, instruction->dest, BPF_REG_0);
        syn_bpf_move_immediate(e, dest, instruction->immediate);
        syn_bpf_commit(g, instruction->dest, dest);
        return;
    }
    case SYN_IR_MOVE:
        if (g->function->registers[instruction->dest] == SYN_IR_STRING) {
            syn_bpf_string_address(g, BPF_REG_3, instruction->a);
            syn_bpf_copy_string(g, instruction->dest, BPF_REG_3);
            return;
        }
        syn_bpf_commit(g, instruction->dest, syn_bpf_operand(g, instruction->a, BPF_REG_0));
        return;
    case SYN_IR_BINARY:
        binary(g, instruction);
        return;
    case SYN_IR_NEGATE:
    case SYN_IR_NOT:
    case SYN_IR_BIT_NOT:
        unary(g, instruction);
        return;
    case SYN_IR_COMPARE:
        compare(g, instruction);
        return;
    default:
        break;
    }
    if (syn_bpf_is_data(instruction->opcode))
        syn_bpf_generate_data(g, instruction);
    else if (syn_bpf_is_call(instruction->opcode))
        syn_bpf_generate_call(g, instruction);
    else
        syn_bpf_unsupported(g, instruction, syn_ir_opcode_name(instruction->opcode));
}

/* ---- the program ---------------------------------------------------------------- */

static void survey(syn_bpf_generator *g)
{
    const syn_ir_function *function = g->function;
    for (uint32_t r = 0; r < function->register_count; r++) {
        if (function->registers[r] == SYN_IR_STRING)
            g->uses_scratch = true;
    }
    for (uint32_t b = 0; b < function->block_count; b++) {
        for (uint32_t i = 0; i < function->blocks[b].count; i++) {
            syn_ir_opcode opcode = function->blocks[b].instructions[i].opcode;
            if (opcode == SYN_IR_CONTEXT_LOAD || opcode == SYN_IR_CONTEXT_ADDRESS || opcode == SYN_IR_CONTEXT_DATA_LOC)
                g->uses_context = true;
            /* packet_u8() and friends hand the context (the packet) to a
             * helper; the parsed headers go through scratch memory. */
            if (opcode == SYN_IR_BUILTIN) {
                const char *name = syn_builtin_at(function->blocks[b].instructions[i].op)->name;
                if (syn_bpf_is_packet_builtin(name)) {
                    g->uses_context = true;
                    if (strncmp(name, "packet_u", 8) != 0 && strcmp(name, "packet_len") != 0)
                        g->uses_scratch = true;
                }
            }
            if (opcode == SYN_IR_MAP_LOAD || opcode == SYN_IR_MAP_STORE || opcode == SYN_IR_MAP_ADD ||
                opcode == SYN_IR_MAP_DELETE || opcode == SYN_IR_MAP_EXISTS || opcode == SYN_IR_STAT_ADD ||
                opcode == SYN_IR_FORMAT)
                g->uses_scratch = true;
        }
    }
}

/* Whether the probe's code reads or writes array or statistic `global`. */
static bool uses_global(const syn_ir_function *function, uint32_t global)
{
    for (uint32_t b = 0; b < function->block_count; b++) {
        for (uint32_t i = 0; i < function->blocks[b].count; i++) {
            const syn_ir_instruction *instruction = &function->blocks[b].instructions[i];
            if (syn_ir_names_global(instruction->opcode) && instruction->global == global)
                return true;
        }
    }
    return false;
}

/* Room for the keys and values of the maps this probe uses only: a program
 * is then the same whatever other probes the script has, which keeps it
 * attached as it is when more is loaded into a running script (syn_update). */
static void layout_scratch(syn_bpf_generator *g)
{
    uint32_t key = 8, value = 8;
    for (uint32_t i = 0; i < g->program->global_count; i++) {
        if (g->program->globals[i].kind == SYN_IR_GLOBAL_SCALAR || !uses_global(g->function, i))
            continue;
        uint32_t key_size = syn_bpf_key_size(g, i), value_size = syn_bpf_value_size(g, i);
        if (key_size > key)
            key = key_size;
        if (value_size > value)
            value = value_size;
    }
    g->key_offset = 0;
    g->value_offset = (key + 7) & ~7u;
    g->format_offset = g->value_offset + ((value + 7) & ~7u);
    g->temporary_offset = g->format_offset + 8 * SYN_BPF_FORMAT_MAX_ARGUMENTS;
    uint32_t temporary = g->program->max_string_length;
    if (temporary < syn_bpf_packet_room())
        temporary = syn_bpf_packet_room();
    g->strings_offset = g->temporary_offset + ((temporary + 7) & ~7u);
}

static void prologue(syn_bpf_generator *g)
{
    syn_bpf_emitter *e = &g->emitter;
    if (g->uses_context)
        syn_bpf_move(e, SYN_BPF_CONTEXT, BPF_REG_1);
    /* Once exit() or an error has stopped the script, its probes do nothing more,
     * as in SystemTap; the flags are read here, before any work. */
    syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_GLOBALS_VALUE, 0, SYN_IR_RESERVED_EXIT);
    syn_bpf_load(e, BPF_DW, BPF_REG_2, BPF_REG_1, 0);
    syn_bpf_load(e, BPF_DW, BPF_REG_3, BPF_REG_1, SYN_IR_RESERVED_FAULT - SYN_IR_RESERVED_EXIT);
    syn_bpf_alu(e, BPF_OR, BPF_REG_2, BPF_REG_3);
    syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_2, 0, g->exit_label);
    if (!g->uses_scratch)
        return;
    /* Scratch memory is an array with one entry per CPU. */
    syn_bpf_call(e, BPF_FUNC_get_smp_processor_id);
    syn_bpf_store(e, BPF_W, BPF_REG_10, SYN_BPF_TEMP2, BPF_REG_0);
    syn_bpf_load_map(e, BPF_REG_1, SYN_BPF_MAP_SCRATCH, 0, 0);
    syn_bpf_move(e, BPF_REG_2, BPF_REG_10);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_2, SYN_BPF_TEMP2);
    syn_bpf_call(e, BPF_FUNC_map_lookup_elem);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, g->exit_label);
    syn_bpf_move(e, SYN_BPF_SCRATCH, BPF_REG_0);
}

/* Return values that leave a hook's outcome alone (include/uapi/linux/bpf.h
 * and pkt_cls.h; missing from older headers). */
enum {
    SYN_SK_PASS = 1,             /* sk_lookup: go on with the kernel's own lookup */
    SYN_TCX_NEXT = -1,           /* tcx: on to the next program, then the kernel's default */
    SYN_TC_ACT_UNSPEC = -1,      /* classic tc: the same for a filter (TC_ACT_UNSPEC == TCX_NEXT) */
};

/* Everything that depends on the kind of context is decided here: the
 * program type, how the context is read, and what the program returns so
 * that it only watches (tracing programs return 0, which means nothing to
 * the kernel; hooks on sockets and packets would act on a wrong value). */
static void program_type(syn_bpf_generator *g, const syn_point *point)
{
    syn_bpf_program *output = g->output;
    g->exit_value = 0;
    g->context_in_slots = true;
    switch (point->context) {
    case SYN_CONTEXT_TRACEPOINT:
        output->type = BPF_PROG_TYPE_TRACEPOINT;
        g->context_in_slots = false;
        break;
    case SYN_CONTEXT_RAW_TRACEPOINT:
        output->type = BPF_PROG_TYPE_TRACING;
        output->expected_attach_type = BPF_TRACE_RAW_TP;
        output->attach_btf_id = (uint32_t)point->attach_btf_id;
        break;
    case SYN_CONTEXT_KPROBE:
        output->type = BPF_PROG_TYPE_KPROBE;
        break;
    case SYN_CONTEXT_FENTRY:
        output->type = BPF_PROG_TYPE_TRACING;
        output->expected_attach_type = point->is_return ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY;
        output->attach_btf_id = (uint32_t)point->attach_btf_id;
        break;
    case SYN_CONTEXT_SOCKET_LOOKUP:
        output->type = BPF_PROG_TYPE_SK_LOOKUP;
        output->expected_attach_type = BPF_SK_LOOKUP;
        g->context_in_slots = false;
        g->exit_value = SYN_SK_PASS;
        break;
    case SYN_CONTEXT_PACKET:
        /* One program serves tcx and classic tc, which share the value. */
        output->type = BPF_PROG_TYPE_SCHED_CLS;
        g->context_in_slots = false;
        g->exit_value = SYN_TCX_NEXT;
        _Static_assert(SYN_TCX_NEXT == SYN_TC_ACT_UNSPEC, "tcx and tc programs return the same value");
        break;
    case SYN_CONTEXT_PERF_EVENT:
    default:
        output->type = BPF_PROG_TYPE_PERF_EVENT;
        break;
    }
}

static bool generate_probe(syn_bpf_generator *g)
{
    syn_bpf_emitter *e = &g->emitter;
    survey(g);
    layout_scratch(g);
    int available[4];
    int count = 0;
    available[count++] = BPF_REG_8;
    available[count++] = BPF_REG_9;
    if (!g->uses_scratch)
        available[count++] = SYN_BPF_SCRATCH;
    if (!g->uses_context)
        available[count++] = SYN_BPF_CONTEXT;
    syn_bpf_allocate(g->function, available, count, SYN_BPF_STACK_BASE, g->strings_offset, g->slot_size,
                     &g->allocation);
    if (SYN_BPF_STACK_BASE + g->allocation.stack_bytes > 512) {
        syn_error(g->diagnostics, &g->function->location,
                  "this probe needs %u bytes of BPF stack for its values, more than the 512 the kernel allows",
                  SYN_BPF_STACK_BASE + g->allocation.stack_bytes);
        return false;
    }
    g->output->scratch_size = g->strings_offset + g->allocation.scratch_bytes;

    g->block_labels = syn_malloc((g->function->block_count + 1) * sizeof(uint32_t));
    for (uint32_t b = 0; b < g->function->block_count; b++)
        g->block_labels[b] = syn_bpf_label_new(e);
    g->exit_label = syn_bpf_label_new(e);
    e->location = g->function->location;
    prologue(g);
    for (uint32_t position = 0; position < g->allocation.block_count; position++) {
        uint32_t block = g->allocation.block_order[position];
        syn_bpf_label_place(e, g->block_labels[block]);
        const syn_ir_block *body = &g->function->blocks[block];
        for (uint32_t i = 0; i < body->count; i++) {
            const syn_ir_instruction *instruction = &body->instructions[i];
            e->location = instruction->location;
            if (syn_ir_is_terminator(instruction->opcode)) {
                terminator(g, instruction, position);
                continue;
            }
            generate_instruction(g, instruction);
            /* error() leaves the block itself; what follows is unreachable,
             * which the verifier would reject. */
            if (instruction->opcode == SYN_IR_ERROR)
                break;
        }
    }
    syn_bpf_label_place(e, g->exit_label);
    e->location = (syn_location){0};
    syn_bpf_move_immediate(e, BPF_REG_0, g->exit_value);
    syn_bpf_exit_instruction(e);
    if (!syn_bpf_labels_resolve(e)) {
        syn_error(g->diagnostics, &g->function->location, "internal error: a jump to a block never emitted");
        return false;
    }
    return !g->failed;
}

bool syn_bpf_generate(const syn_ir_program *program, syn_bpf_btf_source btf, syn_bpf_object *object,
                      syn_diagnostics *diagnostics)
{
    memset(object, 0, sizeof(*object));
    object->max_string_length = program->max_string_length;
    bool ok = true;
    for (uint32_t p = 0; p < program->probe_count; p++) {
        const syn_ir_probe *probe = &program->probes[p];
        if (!probe->in_kernel)
            continue;
        object->programs = syn_realloc(object->programs, (object->program_count + 1) * sizeof(*object->programs));
        syn_bpf_program *output = &object->programs[object->program_count++];
        memset(output, 0, sizeof(*output));
        output->probe = probe;
        snprintf(output->name, sizeof(output->name), "syn_probe%u", p % 100000u);
        syn_bpf_generator g = {
            .program = program,
            .function = program->functions[probe->function],
            .probe = probe,
            .btf = btf,
            .object = object,
            .output = output,
            .diagnostics = diagnostics,
            .slot_size = 2 * ((program->max_string_length + 7) & ~7u),
        };
        program_type(&g, probe->derived->resolved);
        syn_bpf_emitter_init(&g.emitter, output);
        if (!generate_probe(&g))
            ok = false;
        syn_bpf_emitter_release(&g.emitter);
        syn_bpf_allocation_release(&g.allocation);
        free(g.block_labels);
    }
    return ok;
}

void syn_bpf_object_release(syn_bpf_object *object)
{
    for (uint32_t p = 0; p < object->program_count; p++) {
        free(object->programs[p].instructions);
        free(object->programs[p].locations);
        free(object->programs[p].relocations);
    }
    free(object->programs);
    for (uint32_t f = 0; f < object->fault_count; f++)
        free(object->faults[f].probe);
    free(object->faults);
    free(object->rodata);
    memset(object, 0, sizeof(*object));
}
