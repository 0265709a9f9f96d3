/* How wide each string key of an array is.
 *
 * A string key is MAXSTRINGLEN bytes (512 by default) unless every key the
 * script ever gives that array at that place is known to be shorter:
 * execname(), a constant, an address as text.  The map then hashes and
 * compares a few bytes an event instead of 512, and holds less: `calls
 * [execname()]++` costs a 16-byte key, as in bpftrace.  Any key of unknown
 * length (a variable read from a map, a function's result, a loop's key)
 * keeps the full width, so no key is ever cut short. */
#include "compiler/ir.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/builtins.h"
#include "util/memory.h"

enum { UNBOUNDED = UINT32_MAX };

/* Bytes with the NUL, rounded to 8 so that a number key after it stays aligned. */
static uint32_t rounded(uint32_t bytes)
{
    return (bytes + 7) & ~7u;
}

/* The longest text a builtin returns, with its NUL. */
static uint32_t builtin_width(uint32_t builtin)
{
    static const struct {
        const char *name;
        uint32_t bytes;
    } bounded[] = {
        {"execname", 16},            /* TASK_COMM_LEN */
        {"ip_ntop", 16},             /* "255.255.255.255" */
        {"ip6_ntop", 46},            /* INET6_ADDRSTRLEN */
        {"packet_saddr_str", 46},
        {"packet_daddr_str", 46},
    };
    const char *name = syn_builtin_at(builtin)->name;
    for (size_t i = 0; i < sizeof(bounded) / sizeof(bounded[0]); i++) {
        if (strcmp(bounded[i].name, name) == 0)
            return rounded(bounded[i].bytes);
    }
    return UNBOUNDED;
}

static uint32_t wider(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

/* The width of each string register of `function`: the widest of what its
 * definitions write, found again until nothing changes (a copy of a copy). */
static uint32_t *register_widths(const syn_ir_program *program, const syn_ir_function *function)
{
    uint32_t *widths = syn_calloc(function->register_count + 1, sizeof(uint32_t));
    for (uint32_t p = 0; p < function->parameter_count; p++)
        widths[function->parameters[p]] = UNBOUNDED;
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t b = 0; b < function->block_count; b++) {
            const syn_ir_block *block = &function->blocks[b];
            for (uint32_t i = 0; i < block->count; i++) {
                const syn_ir_instruction *instruction = &block->instructions[i];
                uint32_t width = UNBOUNDED;
                if (instruction->opcode == SYN_IR_ITERATE_NEXT) {
                    for (uint32_t a = 0; a < instruction->argument_count; a++) {
                        syn_ir_register defined = instruction->arguments[a];
                        if (defined != SYN_IR_NO_REGISTER && widths[defined] != UNBOUNDED) {
                            widths[defined] = UNBOUNDED;
                            changed = true;
                        }
                    }
                    continue;
                }
                if (instruction->dest == SYN_IR_NO_REGISTER || instruction->dest >= function->register_count)
                    continue;
                if (instruction->opcode == SYN_IR_STRING_CONSTANT)
                    width = rounded((uint32_t)strlen(program->strings[instruction->immediate]) + 1);
                else if (instruction->opcode == SYN_IR_BUILTIN)
                    width = builtin_width(instruction->op);
                else if (instruction->opcode == SYN_IR_MOVE)
                    width = widths[instruction->a];   /* 0 until its definitions are seen */
                uint32_t merged = wider(widths[instruction->dest], width);
                if (merged != widths[instruction->dest]) {
                    widths[instruction->dest] = merged;
                    changed = true;
                }
            }
        }
    }
    return widths;
}

static bool uses_keys(syn_ir_opcode opcode)
{
    switch (opcode) {
    case SYN_IR_MAP_LOAD:
    case SYN_IR_MAP_STORE:
    case SYN_IR_MAP_ADD:
    case SYN_IR_MAP_DELETE:
    case SYN_IR_MAP_EXISTS:
    case SYN_IR_STAT_ADD:
    case SYN_IR_STAT_READ:
        return true;
    default:
        return false;
    }
}

/* Widens the string keys of `global` to those in `keys`. */
static void note_keys(const syn_ir_program *program, uint32_t *key_widths, uint32_t global, const uint32_t *widths,
                      const syn_ir_register *keys, uint32_t count)
{
    const syn_ir_global *description = &program->globals[global];
    uint32_t *width = key_widths + (size_t)global * SYN_IR_MAX_ARGUMENTS;
    for (uint32_t k = 0; k < count && k < description->key_count; k++) {
        if (description->key_kinds[k] != SYN_IR_STRING || keys[k] == SYN_IR_NO_REGISTER)
            continue;   /* a '*' names every key */
        width[k] = wider(width[k], widths[keys[k]] ? widths[keys[k]] : UNBOUNDED);
    }
}

/* The histogram elements a print names (s[k1, k2]) after its values. */
static void note_printed_keys(const syn_ir_program *program, uint32_t *key_widths, const uint32_t *widths,
                              const syn_ir_instruction *instruction)
{
    const syn_ir_event *event = &program->events[instruction->event];
    uint32_t position = event->argument_count;
    for (uint32_t i = 0; i < event->argument_count; i++) {
        if (!event->histogram_globals[i] || !event->histogram_key_counts[i])
            continue;
        uint32_t count = event->histogram_key_counts[i];
        if (position + count <= instruction->argument_count)
            note_keys(program, key_widths, event->histogram_globals[i] - 1, widths, instruction->arguments + position,
                      count);
        position += count;
    }
}

void syn_ir_narrow_string_keys(syn_ir_program *program)
{
    uint32_t *key_widths = syn_calloc((size_t)program->global_count * SYN_IR_MAX_ARGUMENTS + 1, sizeof(uint32_t));
    for (uint32_t f = 0; f < program->function_count; f++) {
        const syn_ir_function *function = program->functions[f];
        uint32_t *widths = register_widths(program, function);
        for (uint32_t b = 0; b < function->block_count; b++) {
            const syn_ir_block *block = &function->blocks[b];
            for (uint32_t i = 0; i < block->count; i++) {
                const syn_ir_instruction *instruction = &block->instructions[i];
                if (uses_keys(instruction->opcode))
                    note_keys(program, key_widths, instruction->global, widths, instruction->arguments,
                              instruction->argument_count);
                else if ((instruction->opcode == SYN_IR_PRINT || instruction->opcode == SYN_IR_FORMAT))
                    note_printed_keys(program, key_widths, widths, instruction);
            }
        }
        free(widths);
    }
    uint32_t full = program->max_string_length;
    for (uint32_t g = 0; g < program->global_count; g++) {
        syn_ir_global *global = &program->globals[g];
        for (uint32_t k = 0; k < global->key_count; k++) {
            uint32_t width = key_widths[(size_t)g * SYN_IR_MAX_ARGUMENTS + k];
            if (global->key_kinds[k] == SYN_IR_STRING && width && width < full) {
                if (!global->key_widths)
                    global->key_widths = syn_arena_alloc(&program->arena, global->key_count * sizeof(uint32_t));
                global->key_widths[k] = width;
            }
        }
    }
    free(key_widths);
}

uint32_t syn_ir_key_width(const syn_ir_program *program, const syn_ir_global *global, uint32_t key)
{
    if (global->key_kinds[key] != SYN_IR_STRING)
        return 8;
    if (global->key_widths && global->key_widths[key])
        return global->key_widths[key];
    return program->max_string_length;
}
