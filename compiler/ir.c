#include "compiler/ir.h"

#include <string.h>

#include "util/memory.h"

syn_ir_program *syn_ir_program_new(uint32_t max_string_length)
{
    syn_ir_program *program = syn_calloc(1, sizeof(*program));
    syn_arena_init(&program->arena);
    program->max_string_length = max_string_length;
    return program;
}

void syn_ir_program_free(syn_ir_program *program)
{
    if (!program)
        return;
    for (uint32_t i = 0; i < program->function_count; i++) {
        syn_ir_function *function = program->functions[i];
        for (uint32_t b = 0; b < function->block_count; b++)
            free(function->blocks[b].instructions);
        free(function->blocks);
        free(function->registers);
    }
    free(program->functions);
    free(program->probes);
    free(program->globals);
    free(program->events);
    free(program->strings);
    syn_arena_release(&program->arena);
    free(program);
}

syn_ir_function *syn_ir_function_new(syn_ir_program *program, const char *name, const syn_location *location)
{
    syn_ir_function *function = syn_arena_alloc(&program->arena, sizeof(*function));
    function->name = syn_arena_strdup(&program->arena, name);
    function->location = *location;
    program->functions = syn_realloc(program->functions, (program->function_count + 1) * sizeof(*program->functions));
    program->functions[program->function_count++] = function;
    syn_ir_block_new(function);
    return function;
}

uint32_t syn_ir_block_new(syn_ir_function *function)
{
    SYN_GROW(function->blocks, function->block_capacity, function->block_count + 1);
    memset(&function->blocks[function->block_count], 0, sizeof(syn_ir_block));
    return function->block_count++;
}

syn_ir_register syn_ir_register_new(syn_ir_function *function, syn_ir_register_kind kind)
{
    SYN_GROW(function->registers, function->register_capacity, function->register_count + 1);
    function->registers[function->register_count] = kind;
    return function->register_count++;
}

syn_ir_instruction *syn_ir_append(syn_ir_program *program, syn_ir_function *function, uint32_t block,
                                  syn_ir_opcode opcode, const syn_location *location)
{
    (void)program;
    syn_ir_block *target = &function->blocks[block];
    SYN_GROW(target->instructions, target->capacity, target->count + 1);
    syn_ir_instruction *instruction = &target->instructions[target->count++];
    memset(instruction, 0, sizeof(*instruction));
    instruction->opcode = opcode;
    instruction->dest = instruction->a = instruction->b = SYN_IR_NO_REGISTER;
    instruction->fault_message = SYN_IR_NO_REGISTER;
    if (location)
        instruction->location = *location;
    return instruction;
}

const char *syn_ir_fault_message(syn_ir_fault kind)
{
    switch (kind) {
    case SYN_IR_FAULT_DIVISION_BY_ZERO: return "division by 0";
    case SYN_IR_FAULT_ARRAY_FULL: return "array overflow, check MAXMAPENTRIES";
    case SYN_IR_FAULT_READ: return "kernel read fault";
    case SYN_IR_FAULT_EMPTY_STATISTIC: return "empty aggregate";
    case SYN_IR_FAULT_STRING_INDEX: return "string index out of range";
    case SYN_IR_FAULT_RANDOM_BOUND: return "randint's bound must be positive";
    case SYN_IR_FAULT_PACKET_READ: return "packet read out of range";
    case SYN_IR_FAULT_NONE:
    default: return "error";
    }
}

uint32_t syn_ir_string(syn_ir_program *program, const char *text)
{
    for (uint32_t i = 0; i < program->string_count; i++) {
        if (strcmp(program->strings[i], text) == 0)
            return i;
    }
    program->strings = syn_realloc(program->strings, (program->string_count + 1) * sizeof(*program->strings));
    program->strings[program->string_count] = syn_arena_strdup(&program->arena, text);
    return program->string_count++;
}

bool syn_ir_is_terminator(syn_ir_opcode opcode)
{
    return opcode == SYN_IR_JUMP || opcode == SYN_IR_BRANCH || opcode == SYN_IR_RETURN ||
           opcode == SYN_IR_ITERATE_NEXT;
}

bool syn_ir_names_global(syn_ir_opcode opcode)
{
    switch (opcode) {
    case SYN_IR_GLOBAL_LOAD:
    case SYN_IR_GLOBAL_STORE:
    case SYN_IR_GLOBAL_ADD:
    case SYN_IR_MAP_LOAD:
    case SYN_IR_MAP_STORE:
    case SYN_IR_MAP_ADD:
    case SYN_IR_MAP_DELETE:
    case SYN_IR_MAP_CLEAR:
    case SYN_IR_MAP_EXISTS:
    case SYN_IR_STAT_ADD:
    case SYN_IR_STAT_READ:
    case SYN_IR_ITERATE_BEGIN:
        return true;
    default:
        return false;
    }
}
