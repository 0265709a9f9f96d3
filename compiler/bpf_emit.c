#include "compiler/bpf_emit.h"

#include <string.h>

#include "util/memory.h"

/* BPF_PSEUDO_MAP_FD and BPF_PSEUDO_MAP_VALUE in ld_imm64's source field. */
enum { PSEUDO_MAP_FD = 1, PSEUDO_MAP_VALUE = 2 };

void syn_bpf_emitter_init(syn_bpf_emitter *emitter, syn_bpf_program *program)
{
    memset(emitter, 0, sizeof(*emitter));
    emitter->program = program;
}

void syn_bpf_emitter_release(syn_bpf_emitter *emitter)
{
    free(emitter->labels);
    free(emitter->uses);
}

void syn_bpf_emit(syn_bpf_emitter *emitter, struct bpf_insn instruction)
{
    syn_bpf_program *program = emitter->program;
    if (program->instruction_count == emitter->capacity) {
        emitter->capacity = emitter->capacity ? emitter->capacity * 2 : 256;
        program->instructions = syn_realloc(program->instructions, emitter->capacity * sizeof(struct bpf_insn));
        program->locations = syn_realloc(program->locations, emitter->capacity * sizeof(syn_location));
    }
    program->instructions[program->instruction_count] = instruction;
    program->locations[program->instruction_count] = emitter->location;
    program->instruction_count++;
}

uint32_t syn_bpf_label_new(syn_bpf_emitter *emitter)
{
    SYN_GROW(emitter->labels, emitter->label_capacity, emitter->label_count + 1);
    emitter->labels[emitter->label_count] = -1;
    return emitter->label_count++;
}

void syn_bpf_label_place(syn_bpf_emitter *emitter, uint32_t label)
{
    emitter->labels[label] = (int32_t)emitter->program->instruction_count;
}

bool syn_bpf_labels_resolve(syn_bpf_emitter *emitter)
{
    for (uint32_t i = 0; i < emitter->use_count; i++) {
        int32_t target = emitter->labels[emitter->uses[i].label];
        if (target < 0)
            return false;
        uint32_t from = emitter->uses[i].instruction;
        emitter->program->instructions[from].off = (int16_t)(target - (int32_t)from - 1);
    }
    return true;
}

static struct bpf_insn instruction(uint8_t code, int dst, int src, int16_t offset, int32_t immediate)
{
    struct bpf_insn result = {.code = code, .dst_reg = (uint8_t)dst, .src_reg = (uint8_t)src, .off = offset,
                              .imm = immediate};
    return result;
}

void syn_bpf_move(syn_bpf_emitter *emitter, int dst, int src)
{
    if (dst != src)
        syn_bpf_emit(emitter, instruction(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0));
}

void syn_bpf_move_immediate(syn_bpf_emitter *emitter, int dst, int64_t value)
{
    if (value >= INT32_MIN && value <= INT32_MAX) {
        syn_bpf_emit(emitter, instruction(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, (int32_t)value));
        return;
    }
    syn_bpf_emit(emitter, instruction(BPF_LD | BPF_DW | BPF_IMM, dst, 0, 0, (int32_t)(uint32_t)value));
    syn_bpf_emit(emitter, instruction(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)value >> 32)));
}

void syn_bpf_alu(syn_bpf_emitter *emitter, int op, int dst, int src)
{
    syn_bpf_emit(emitter, instruction((uint8_t)(BPF_ALU64 | op | BPF_X), dst, src, 0, 0));
}

void syn_bpf_alu_immediate(syn_bpf_emitter *emitter, int op, int dst, int32_t value)
{
    syn_bpf_emit(emitter, instruction((uint8_t)(BPF_ALU64 | op | BPF_K), dst, 0, 0, value));
}

int syn_bpf_size_code(uint32_t size)
{
    switch (size) {
    case 1: return BPF_B;
    case 2: return BPF_H;
    case 4: return BPF_W;
    default: return BPF_DW;
    }
}

void syn_bpf_load(syn_bpf_emitter *emitter, int size, int dst, int src, int16_t offset)
{
    syn_bpf_emit(emitter, instruction((uint8_t)(BPF_LDX | BPF_MEM | size), dst, src, offset, 0));
}

void syn_bpf_store(syn_bpf_emitter *emitter, int size, int dst, int16_t offset, int src)
{
    syn_bpf_emit(emitter, instruction((uint8_t)(BPF_STX | BPF_MEM | size), dst, src, offset, 0));
}

void syn_bpf_store_immediate(syn_bpf_emitter *emitter, int size, int dst, int16_t offset, int32_t value)
{
    syn_bpf_emit(emitter, instruction((uint8_t)(BPF_ST | BPF_MEM | size), dst, 0, offset, value));
}

void syn_bpf_atomic_add(syn_bpf_emitter *emitter, int dst, int16_t offset, int src)
{
    syn_bpf_emit(emitter, instruction(BPF_STX | BPF_ATOMIC | BPF_DW, dst, src, offset, BPF_ADD));
}

void syn_bpf_call(syn_bpf_emitter *emitter, int helper)
{
    syn_bpf_emit(emitter, instruction(BPF_JMP | BPF_CALL, 0, 0, 0, helper));
}

void syn_bpf_exit_instruction(syn_bpf_emitter *emitter)
{
    syn_bpf_emit(emitter, instruction(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

static void use_label(syn_bpf_emitter *emitter, uint32_t label)
{
    SYN_GROW(emitter->uses, emitter->use_capacity, emitter->use_count + 1);
    emitter->uses[emitter->use_count++] =
        (syn_bpf_label_use){.instruction = emitter->program->instruction_count, .label = label};
}

void syn_bpf_jump(syn_bpf_emitter *emitter, int op, int dst, int src, uint32_t label)
{
    use_label(emitter, label);
    syn_bpf_emit(emitter, instruction((uint8_t)(BPF_JMP | op | BPF_X), dst, src, 0, 0));
}

void syn_bpf_jump_immediate(syn_bpf_emitter *emitter, int op, int dst, int32_t value, uint32_t label)
{
    use_label(emitter, label);
    syn_bpf_emit(emitter, instruction((uint8_t)(BPF_JMP | op | BPF_K), dst, 0, 0, value));
}

void syn_bpf_goto(syn_bpf_emitter *emitter, uint32_t label)
{
    use_label(emitter, label);
    syn_bpf_emit(emitter, instruction(BPF_JMP | BPF_JA, 0, 0, 0, 0));
}

void syn_bpf_load_map(syn_bpf_emitter *emitter, int dst, syn_bpf_map_reference map, uint32_t global,
                      uint32_t offset)
{
    syn_bpf_program *program = emitter->program;
    SYN_GROW(program->relocations, emitter->relocation_capacity, program->relocation_count + 1);
    program->relocations[program->relocation_count++] = (syn_bpf_relocation){
        .instruction = program->instruction_count, .map = map, .global = global, .offset = offset};
    bool value = map == SYN_BPF_MAP_GLOBALS_VALUE || map == SYN_BPF_MAP_RODATA;
    /* The map descriptor is filled in by the loader; the value offset is ours. */
    syn_bpf_emit(emitter, instruction(BPF_LD | BPF_DW | BPF_IMM, dst, value ? PSEUDO_MAP_VALUE : PSEUDO_MAP_FD, 0, 0));
    syn_bpf_emit(emitter, instruction(0, 0, 0, 0, value ? (int32_t)offset : 0));
}

void syn_bpf_extend(syn_bpf_emitter *emitter, int reg, uint32_t size, bool is_signed)
{
    if (size >= 8)
        return;
    int32_t shift = (int32_t)(64 - size * 8);
    syn_bpf_alu_immediate(emitter, BPF_LSH, reg, shift);
    syn_bpf_alu_immediate(emitter, is_signed ? BPF_ARSH : BPF_RSH, reg, shift);
}

void syn_bpf_from_network_order(syn_bpf_emitter *emitter, int reg, uint32_t size)
{
    if (size <= 1)
        return;
    /* "To big-endian" is its own inverse, and a no-op on big-endian hosts;
     * the upper bits are cleared. */
    syn_bpf_emit(emitter, instruction(BPF_ALU | BPF_END | BPF_TO_BE, reg, 0, 0, (int32_t)(size * 8)));
}
