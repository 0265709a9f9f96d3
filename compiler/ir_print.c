/* syn -p3: the IR as text, one instruction per line with its script line. */
#include <inttypes.h>

#include <string.h>

#include "compiler/builtins.h"
#include "compiler/ir.h"
#include "lang/print.h"

static const char *const opcode_names[] = {
    [SYN_IR_CONSTANT] = "constant", [SYN_IR_MOVE] = "move", [SYN_IR_BINARY] = "binary",
    [SYN_IR_NEGATE] = "negate", [SYN_IR_NOT] = "not", [SYN_IR_BIT_NOT] = "bit_not",
    [SYN_IR_COMPARE] = "compare", [SYN_IR_STRING_CONSTANT] = "string", [SYN_IR_CONCAT] = "concat",
    [SYN_IR_STRING_COMPARE] = "string_compare", [SYN_IR_GLOBAL_LOAD] = "global_load",
    [SYN_IR_GLOBAL_STORE] = "global_store", [SYN_IR_GLOBAL_ADD] = "global_add",
    [SYN_IR_MAP_LOAD] = "map_load", [SYN_IR_MAP_STORE] = "map_store", [SYN_IR_MAP_ADD] = "map_add",
    [SYN_IR_MAP_DELETE] = "map_delete", [SYN_IR_MAP_CLEAR] = "map_clear", [SYN_IR_MAP_EXISTS] = "map_exists",
    [SYN_IR_STAT_ADD] = "stat_add", [SYN_IR_STAT_READ] = "stat_read", [SYN_IR_BUILTIN] = "builtin", [SYN_IR_HOST_CALL] = "host_call",
    [SYN_IR_CONTEXT_LOAD] = "context_load", [SYN_IR_CONTEXT_ADDRESS] = "context_address",
    [SYN_IR_REGEX] = "regex",
    [SYN_IR_CONTEXT_DATA_LOC] = "context_data_loc", [SYN_IR_KERNEL_READ] = "kernel_read",
    [SYN_IR_KERNEL_STRING] = "kernel_string", [SYN_IR_PRINT] = "print", [SYN_IR_EXIT] = "exit",
    [SYN_IR_ERROR] = "error", [SYN_IR_CALL] = "call", [SYN_IR_ITERATE_BEGIN] = "iterate_begin",
    [SYN_IR_ITERATE_NEXT] = "iterate_next", [SYN_IR_ITERATE_END] = "iterate_end",
    [SYN_IR_FORMAT] = "format",
    [SYN_IR_JUMP] = "jump", [SYN_IR_BRANCH] = "branch", [SYN_IR_RETURN] = "return",
};

const char *syn_ir_opcode_name(syn_ir_opcode opcode)
{
    return opcode_names[opcode];
}

static const char *const compare_names[] = {"==", "!=", "<", "<=", ">", ">="};

static const char *kind_name(syn_ir_register_kind kind)
{
    return kind == SYN_IR_STRING ? "string" : "long";
}

static void print_register(syn_buffer *out, syn_ir_register reg)
{
    if (reg == SYN_IR_NO_REGISTER)
        syn_buffer_append_char(out, '*');
    else
        syn_buffer_printf(out, "r%" PRIu32, reg);
}

static void print_arguments(syn_buffer *out, const syn_ir_instruction *instruction)
{
    syn_buffer_append_char(out, '(');
    for (uint32_t i = 0; i < instruction->argument_count; i++) {
        if (i)
            syn_buffer_append_string(out, ", ");
        print_register(out, instruction->arguments[i]);
    }
    syn_buffer_append_char(out, ')');
}

static void print_operator(syn_buffer *out, const syn_ir_instruction *instruction)
{
    switch (instruction->opcode) {
    case SYN_IR_BINARY:
        syn_buffer_printf(out, " %s", syn_operator_spelling((syn_operator)instruction->op));
        break;
    case SYN_IR_COMPARE:
    case SYN_IR_STRING_COMPARE:
        syn_buffer_printf(out, " %s", compare_names[instruction->op]);
        break;
    case SYN_IR_STAT_READ:
        syn_buffer_printf(out, " @%s", syn_stat_op_name((syn_stat_op)instruction->op));
        break;
    default:
        break;
    }
}

static void print_instruction(syn_buffer *out, const syn_ir_program *program, const syn_ir_instruction *instruction)
{
    size_t start = out->length;
    syn_buffer_append_string(out, "    ");
    if (instruction->dest != SYN_IR_NO_REGISTER) {
        print_register(out, instruction->dest);
        syn_buffer_append_string(out, " = ");
    }
    syn_buffer_append_string(out, opcode_names[instruction->opcode]);
    print_operator(out, instruction);
    switch (instruction->opcode) {
    case SYN_IR_CONSTANT:
    case SYN_IR_CONTEXT_LOAD:
    case SYN_IR_CONTEXT_ADDRESS:
    case SYN_IR_CONTEXT_DATA_LOC:
    case SYN_IR_KERNEL_READ:
        syn_buffer_printf(out, " %" PRId64, instruction->immediate);
        if (instruction->flags & SYN_IR_NETWORK_ORDER)
            syn_buffer_append_string(out, " network-order");
        break;
    case SYN_IR_STRING_CONSTANT:
    case SYN_IR_REGEX:
        syn_buffer_append_char(out, ' ');
        syn_print_string_literal(out, program->strings[instruction->immediate],
                                 strlen(program->strings[instruction->immediate]));
        break;
    default:
        break;
    }
    if (instruction->size)
        syn_buffer_printf(out, " size %" PRIu32 "%s", instruction->size, instruction->is_signed ? " signed" : "");
    if (syn_ir_names_global(instruction->opcode))
        syn_buffer_printf(out, " %s", program->globals[instruction->global].name);
    switch (instruction->opcode) {
    case SYN_IR_PRINT:
    case SYN_IR_FORMAT:
        syn_buffer_printf(out, " e%" PRIu32, instruction->event);
        break;
    case SYN_IR_HOST_CALL:
        syn_buffer_printf(out, " host function %u", instruction->op);
        break;
    case SYN_IR_CALL:
        syn_buffer_printf(out, " %s", program->functions[instruction->function]->name);
        break;
    case SYN_IR_BUILTIN:
        syn_buffer_printf(out, " %s", syn_builtin_at(instruction->op)->name);
        break;
    default:
        break;
    }
    if (instruction->a != SYN_IR_NO_REGISTER) {
        syn_buffer_append_char(out, ' ');
        print_register(out, instruction->a);
    }
    if (instruction->b != SYN_IR_NO_REGISTER) {
        syn_buffer_append_string(out, ", ");
        print_register(out, instruction->b);
    }
    if (instruction->argument_count || instruction->opcode == SYN_IR_CALL || instruction->opcode == SYN_IR_PRINT)
        print_arguments(out, instruction);
    if (instruction->opcode == SYN_IR_ITERATE_BEGIN || instruction->opcode == SYN_IR_ITERATE_NEXT ||
        instruction->opcode == SYN_IR_ITERATE_END)
        syn_buffer_printf(out, " it%" PRId64, instruction->immediate);
    if (instruction->fault_message != SYN_IR_NO_REGISTER) {
        syn_buffer_printf(out, " catch b%" PRIu32 " into ", instruction->fault_block);
        print_register(out, instruction->fault_message);
    }
    if (instruction->opcode == SYN_IR_JUMP)
        syn_buffer_printf(out, " b%" PRIu32, instruction->target_true);
    if (instruction->opcode == SYN_IR_BRANCH || instruction->opcode == SYN_IR_ITERATE_NEXT)
        syn_buffer_printf(out, " b%" PRIu32 ", b%" PRIu32, instruction->target_true, instruction->target_false);
    if (instruction->location.source) {
        size_t width = out->length - start;
        syn_buffer_append_repeated(out, ' ', width < 48 ? 48 - width : 1);
        syn_buffer_printf(out, "# %s:%u", instruction->location.source->name, instruction->location.first_line);
    }
    syn_buffer_append_char(out, '\n');
}

static void print_globals(syn_buffer *out, const syn_ir_program *program)
{
    for (uint32_t i = 0; i < program->global_count; i++) {
        const syn_ir_global *global = &program->globals[i];
        syn_buffer_printf(out, "global %s:", global->name);
        if (global->kind == SYN_IR_GLOBAL_STATISTIC)
            syn_buffer_append_string(out, "stats");
        else
            syn_buffer_append_string(out, kind_name(global->value_kind));
        if (global->key_count) {
            syn_buffer_append_string(out, " [");
            for (uint32_t k = 0; k < global->key_count; k++) {
                syn_buffer_printf(out, "%s%s", k ? ", " : "", kind_name(global->key_kinds[k]));
                if (global->key_widths && global->key_widths[k])   /* narrowed (compiler/key_width.c) */
                    syn_buffer_printf(out, "(%" PRIu32 ")", global->key_widths[k]);
            }
            syn_buffer_printf(out, "] max %" PRIu32 "%s", global->max_entries, global->wrap ? " wrap" : "");
        }
        if (global->kind == SYN_IR_GLOBAL_SCALAR)
            syn_buffer_printf(out, " at %" PRIu32, global->offset);
        if (global->histogram_buckets)
            syn_buffer_printf(out, " histogram %" PRIu32 " buckets", global->histogram_buckets);
        syn_buffer_append_char(out, '\n');
    }
}

static void print_events(syn_buffer *out, const syn_ir_program *program)
{
    static const char *const kinds[] = {"printf", "print", "printd", "warn"};
    for (uint32_t i = 0; i < program->event_count; i++) {
        const syn_ir_event *event = &program->events[i];
        syn_buffer_printf(out, "event e%" PRIu32 " %s%s", i, kinds[event->kind], event->newline ? "ln" : "");
        if (event->format) {
            syn_buffer_append_char(out, ' ');
            syn_print_string_literal(out, event->format, strlen(event->format));
        }
        syn_buffer_append_string(out, " (");
        for (uint32_t a = 0; a < event->argument_count; a++)
            syn_buffer_printf(out, "%s%s", a ? ", " : "", kind_name(event->argument_kinds[a]));
        syn_buffer_append_string(out, ")\n");
    }
}

void syn_ir_print(syn_buffer *out, const syn_ir_program *program)
{
    syn_buffer_append_string(out, "# IR\n");
    print_globals(out, program);
    print_events(out, program);
    for (uint32_t p = 0; p < program->probe_count; p++) {
        const syn_ir_probe *probe = &program->probes[p];
        syn_buffer_printf(out, "probe %s -> %s (%s)\n", probe->point, program->functions[probe->function]->name,
                          probe->in_kernel ? "BPF" : "userspace");
    }
    for (uint32_t f = 0; f < program->function_count; f++) {
        const syn_ir_function *function = program->functions[f];
        syn_buffer_printf(out, "function %s (", function->name);
        for (uint32_t i = 0; i < function->parameter_count; i++) {
            syn_buffer_printf(out, "%s", i ? ", " : "");
            print_register(out, function->parameters[i]);
        }
        syn_buffer_append_string(out, ")\n");
        for (uint32_t b = 0; b < function->block_count; b++) {
            syn_buffer_printf(out, "  b%" PRIu32 ":\n", b);
            for (uint32_t i = 0; i < function->blocks[b].count; i++)
                print_instruction(out, program, &function->blocks[b].instructions[i]);
        }
    }
}
