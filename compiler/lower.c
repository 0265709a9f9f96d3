/* Lowering of the program: storage for globals, one IR function per probe,
 * and statements.  Expressions are in lower_expr.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/lower_internal.h"
#include "compiler/statistics.h"
#include "util/memory.h"

/* ---- emitting ------------------------------------------------------------- */

syn_ir_instruction *syn_lower_emit(syn_function_lowering *f, syn_ir_opcode opcode, const syn_location *location)
{
    /* Code after `next`, `break` or `return` is unreachable; it still has a
     * block of its own so that every block ends in one terminator. */
    syn_ir_block *current = &f->function->blocks[f->block];
    if (current->count && syn_ir_is_terminator(current->instructions[current->count - 1].opcode))
        f->block = syn_ir_block_new(f->function);
    return syn_ir_append(f->lowerer->program, f->function, f->block, opcode, location);
}

syn_ir_register syn_lower_register(syn_function_lowering *f, syn_ir_register_kind kind)
{
    return syn_ir_register_new(f->function, kind);
}

syn_ir_register_kind syn_lower_kind(syn_type type)
{
    return type == SYN_TYPE_STRING ? SYN_IR_STRING : SYN_IR_LONG;
}

void syn_lower_set_arguments(syn_function_lowering *f, syn_ir_instruction *instruction,
                             const syn_ir_register *registers, uint32_t count)
{
    instruction->argument_count = count;
    if (!count)
        return;
    instruction->arguments = syn_arena_alloc(&f->lowerer->program->arena, count * sizeof(*registers));
    memcpy(instruction->arguments, registers, count * sizeof(*registers));
}

void syn_lower_error(syn_function_lowering *f, const syn_location *location, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    syn_report(f->lowerer->diagnostics, SYN_SEVERITY_ERROR, location, format, args);
    va_end(args);
    f->failed = true;
}

void syn_lower_kernel_only_userspace(syn_function_lowering *f, const syn_location *location, const char *what)
{
    syn_lower_error(f, location, "%s cannot run in a kernel probe (%s); do it in a begin, end or timer probe",
                    what, f->point ? f->point->name : "this probe");
}

void syn_lower_mark_fault(syn_function_lowering *f, syn_ir_instruction *instruction)
{
    if (f->fault_message == SYN_IR_NO_REGISTER)
        return;
    instruction->fault_block = f->fault_block;
    instruction->fault_message = f->fault_message;
}

/* ---- locals and globals ---------------------------------------------------- */

syn_ir_register syn_lower_local(syn_function_lowering *f, const syn_symbol *symbol)
{
    for (uint32_t i = f->binding_count; i-- > 0;) {
        if (f->bindings[i].symbol == symbol)
            return f->bindings[i].reg;
    }
    SYN_GROW(f->bindings, f->binding_capacity, f->binding_count + 1);
    syn_ir_register reg = syn_lower_register(f, syn_lower_kind(symbol->type));
    f->bindings[f->binding_count++] = (syn_local_binding){.symbol = symbol, .reg = reg};
    return reg;
}

uint32_t syn_lower_global(syn_function_lowering *f, const syn_symbol *symbol)
{
    return (uint32_t)symbol->ir_index;
}

static uint32_t align8(uint32_t value)
{
    return (value + 7) & ~7u;
}

static void layout_global(syn_lowerer *l, syn_symbol *symbol)
{
    syn_ir_program *program = l->program;
    program->globals = syn_realloc(program->globals, (program->global_count + 1) * sizeof(*program->globals));
    syn_ir_global *global = &program->globals[program->global_count];
    memset(global, 0, sizeof(*global));
    global->name = syn_arena_strdup(&program->arena, symbol->name);
    global->value_kind = syn_lower_kind(symbol->type);
    global->key_count = symbol->arity > 0 ? (uint32_t)symbol->arity : 0;
    if (global->key_count) {
        global->key_kinds = syn_arena_alloc(&program->arena, global->key_count * sizeof(*global->key_kinds));
        for (uint32_t k = 0; k < global->key_count; k++)
            global->key_kinds[k] = syn_lower_kind(symbol->key_types[k]);
    }
    if (symbol->type == SYN_TYPE_STATS) {
        global->kind = SYN_IR_GLOBAL_STATISTIC;
        global->max_entries = global->key_count ? l->options->max_map_entries : 1;
    } else if (global->key_count) {
        global->kind = SYN_IR_GLOBAL_ARRAY;
        global->max_entries = l->options->max_map_entries;
    } else {
        global->kind = SYN_IR_GLOBAL_SCALAR;
        uint32_t size = global->value_kind == SYN_IR_STRING ? align8(program->max_string_length) : 8;
        global->offset = program->globals_size;
        program->globals_size += size;
    }
    if (symbol->global) {
        if (symbol->global->size && global->key_count)
            global->max_entries = (uint32_t)symbol->global->size;
        global->wrap = symbol->global->wrap;
        const syn_expr *initializer = symbol->global->initializer;
        if (initializer) {
            global->has_initial_value = true;
            if (initializer->kind == SYN_EXPR_STRING)
                global->initial_string = syn_arena_strdup(&program->arena, initializer->string.data);
            else
                global->initial_long = initializer->number;
        }
    }
    if (symbol->initial_value) {
        global->has_initial_value = true;
        if (global->value_kind == SYN_IR_STRING)
            global->initial_string = syn_arena_strdup(&program->arena, symbol->initial_value);
        else
            global->initial_long = strtoll(symbol->initial_value, NULL, 0);
    }
    global->display_at_end = symbol->written && !symbol->read;
    symbol->ir_index = (int32_t)program->global_count++;
}

static void layout_globals(syn_lowerer *l)
{
    l->program->globals_size = SYN_IR_RESERVED_BYTES;
    const syn_symbol_list *globals = &l->checked->globals;
    for (uint32_t i = 0; i < globals->count; i++) {
        syn_symbol *symbol = globals->items[i];
        symbol->ir_index = -1;
        if (symbol->referenced)
            layout_global(l, symbol);
    }
}

/* ---- statements ------------------------------------------------------------ */

static void push_loop(syn_function_lowering *f, uint32_t continue_block, uint32_t break_block)
{
    SYN_GROW(f->loops, f->loop_capacity, f->loop_count + 1);
    f->loops[f->loop_count++] = (syn_loop_targets){.continue_block = continue_block, .break_block = break_block};
}

static void jump(syn_function_lowering *f, uint32_t block, const syn_location *location)
{
    syn_lower_emit(f, SYN_IR_JUMP, location)->target_true = block;
}

static void start_block(syn_function_lowering *f, uint32_t block)
{
    f->block = block;
}

static void lower_if(syn_function_lowering *f, const syn_stmt *stmt)
{
    int value = syn_static_condition(stmt->if_.condition);
    if (value >= 0) {
        const syn_stmt *live = value ? stmt->if_.then_branch : stmt->if_.else_branch;
        if (live)
            syn_lower_statement(f, live);
        return;
    }
    uint32_t then_block = syn_ir_block_new(f->function);
    uint32_t else_block = stmt->if_.else_branch ? syn_ir_block_new(f->function) : 0;
    uint32_t end_block = syn_ir_block_new(f->function);
    syn_lower_condition(f, stmt->if_.condition, then_block, stmt->if_.else_branch ? else_block : end_block);
    start_block(f, then_block);
    syn_lower_statement(f, stmt->if_.then_branch);
    jump(f, end_block, &stmt->location);
    if (stmt->if_.else_branch) {
        start_block(f, else_block);
        syn_lower_statement(f, stmt->if_.else_branch);
        jump(f, end_block, &stmt->location);
    }
    start_block(f, end_block);
}

/* while and for: condition at the top, the step in the continue block. */
static void lower_loop(syn_function_lowering *f, const syn_expr *condition, const syn_expr *step,
                       const syn_stmt *body, const syn_location *location)
{
    uint32_t test_block = syn_ir_block_new(f->function);
    uint32_t body_block = syn_ir_block_new(f->function);
    uint32_t step_block = syn_ir_block_new(f->function);
    uint32_t end_block = syn_ir_block_new(f->function);
    jump(f, test_block, location);
    start_block(f, test_block);
    if (condition)
        syn_lower_condition(f, condition, body_block, end_block);
    else
        jump(f, body_block, location);
    start_block(f, body_block);
    push_loop(f, step_block, end_block);
    syn_lower_statement(f, body);
    f->loop_count--;
    jump(f, step_block, location);
    start_block(f, step_block);
    if (step)
        syn_lower_effect(f, step);
    jump(f, test_block, location);
    start_block(f, end_block);
}

static void lower_foreach(syn_function_lowering *f, const syn_stmt *stmt)
{
    if (f->in_kernel) {
        syn_lower_kernel_only_userspace(f, &stmt->location, "foreach");
        return;
    }
    const syn_expr *array = stmt->foreach.array;
    const syn_expr *name = array->kind == SYN_EXPR_INDEX ? array->index.base : array;
    uint32_t iterator = f->next_iterator++;
    syn_ir_register slice[SYN_IR_MAX_ARGUMENTS];
    uint32_t slice_count = 0;
    if (array->kind == SYN_EXPR_INDEX) {
        syn_lower_keys(f, &array->index.keys, slice);
        slice_count = array->index.keys.count;
    }
    syn_ir_register limit = stmt->foreach.limit ? syn_lower_expr(f, stmt->foreach.limit) : SYN_IR_NO_REGISTER;
    uint32_t global = syn_lower_global(f, name->symbol.symbol);
    syn_ir_instruction *begin = syn_lower_emit(f, SYN_IR_ITERATE_BEGIN, &stmt->location);
    begin->global = global;
    begin->immediate = iterator;
    begin->a = limit;
    begin->sort = stmt->foreach.sort;
    syn_lower_set_arguments(f, begin, slice, slice_count);

    uint32_t next_block = syn_ir_block_new(f->function);
    uint32_t body_block = syn_ir_block_new(f->function);
    uint32_t end_block = syn_ir_block_new(f->function);
    jump(f, next_block, &stmt->location);
    start_block(f, next_block);
    syn_ir_register targets[SYN_IR_MAX_ARGUMENTS + 1];
    uint32_t key_count = stmt->foreach.keys.count;
    for (uint32_t k = 0; k < key_count; k++)
        targets[k] = syn_lower_local(f, stmt->foreach.keys.items[k]->symbol.symbol);
    targets[key_count] = stmt->foreach.value ? syn_lower_local(f, stmt->foreach.value->symbol.symbol)
                                             : SYN_IR_NO_REGISTER;
    syn_ir_instruction *next = syn_lower_emit(f, SYN_IR_ITERATE_NEXT, &stmt->location);
    next->immediate = iterator;
    next->global = global;
    next->target_true = body_block;
    next->target_false = end_block;
    syn_lower_set_arguments(f, next, targets, key_count + 1);

    start_block(f, body_block);
    push_loop(f, next_block, end_block);
    syn_lower_statement(f, stmt->foreach.body);
    f->loop_count--;
    jump(f, next_block, &stmt->location);
    start_block(f, end_block);
    syn_ir_instruction *end = syn_lower_emit(f, SYN_IR_ITERATE_END, &stmt->location);
    end->immediate = iterator;
}

static void lower_delete(syn_function_lowering *f, const syn_stmt *stmt)
{
    const syn_expr *target = stmt->expr;
    if (target->kind == SYN_EXPR_INDEX) {
        syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
        syn_lower_keys(f, &target->index.keys, keys);
        syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_MAP_DELETE, &stmt->location);
        instruction->global = syn_lower_global(f, target->index.base->symbol.symbol);
        syn_lower_set_arguments(f, instruction, keys, target->index.keys.count);
        return;
    }
    const syn_symbol *symbol = target->symbol.symbol;
    if (symbol->kind != SYN_SYMBOL_GLOBAL) {
        /* delete of a local resets it. */
        syn_ir_register reg = syn_lower_local(f, symbol);
        syn_ir_instruction *reset = syn_lower_emit(f, symbol->type == SYN_TYPE_STRING ? SYN_IR_STRING_CONSTANT
                                                                                      : SYN_IR_CONSTANT,
                                                   &stmt->location);
        reset->dest = reg;
        if (symbol->type == SYN_TYPE_STRING)
            reset->immediate = syn_ir_string(f->lowerer->program, "");
        return;
    }
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_MAP_CLEAR, &stmt->location);
    instruction->global = syn_lower_global(f, symbol);
    if (f->in_kernel && f->lowerer->program->globals[instruction->global].kind != SYN_IR_GLOBAL_SCALAR)
        syn_lower_kernel_only_userspace(f, &stmt->location, "deleting a whole array");
}

static void lower_return(syn_function_lowering *f, const syn_stmt *stmt)
{
    syn_inline_frame *frame = f->inline_frame;
    if (frame) {
        if (stmt->expr && frame->result != SYN_IR_NO_REGISTER) {
            syn_ir_register value = syn_lower_expr(f, stmt->expr);
            syn_ir_instruction *move = syn_lower_emit(f, SYN_IR_MOVE, &stmt->location);
            move->dest = frame->result;
            move->a = value;
        } else if (stmt->expr) {
            syn_lower_effect(f, stmt->expr);
        }
        jump(f, frame->exit_block, &stmt->location);
        return;
    }
    syn_ir_instruction *instruction;
    if (stmt->expr && f->return_register != SYN_IR_NO_REGISTER) {
        syn_ir_register value = syn_lower_expr(f, stmt->expr);
        instruction = syn_lower_emit(f, SYN_IR_RETURN, &stmt->location);
        instruction->a = value;
    } else {
        if (stmt->expr)
            syn_lower_effect(f, stmt->expr);
        instruction = syn_lower_emit(f, SYN_IR_RETURN, &stmt->location);
    }
}

/* try { } catch (msg) { }: faults inside the body continue at the handler. */
static void lower_try(syn_function_lowering *f, const syn_stmt *stmt)
{
    uint32_t handler_block = syn_ir_block_new(f->function);
    uint32_t end_block = syn_ir_block_new(f->function);
    syn_ir_register message = stmt->try_.variable ? syn_lower_local(f, stmt->try_.variable->symbol.symbol)
                                                  : syn_lower_register(f, SYN_IR_STRING);
    uint32_t outer_block = f->fault_block;
    syn_ir_register outer_message = f->fault_message;
    f->fault_block = handler_block;
    f->fault_message = message;
    syn_lower_statement(f, stmt->try_.body);
    f->fault_block = outer_block;
    f->fault_message = outer_message;
    jump(f, end_block, &stmt->location);
    start_block(f, handler_block);
    syn_lower_statement(f, stmt->try_.handler);
    jump(f, end_block, &stmt->location);
    start_block(f, end_block);
}

void syn_lower_statement(syn_function_lowering *f, const syn_stmt *stmt)
{
    switch (stmt->kind) {
    case SYN_STMT_BLOCK:
        for (unsigned i = 0; i < stmt->block.count; i++)
            syn_lower_statement(f, stmt->block.items[i]);
        break;
    case SYN_STMT_EXPR:
        syn_lower_effect(f, stmt->expr);
        break;
    case SYN_STMT_NULL:
    case SYN_STMT_EMBEDDED:
        break;
    case SYN_STMT_IF:
        lower_if(f, stmt);
        break;
    case SYN_STMT_WHILE:
        lower_loop(f, stmt->while_.condition, NULL, stmt->while_.body, &stmt->location);
        break;
    case SYN_STMT_FOR:
        if (stmt->for_.init)
            syn_lower_effect(f, stmt->for_.init);
        lower_loop(f, stmt->for_.condition, stmt->for_.step, stmt->for_.body, &stmt->location);
        break;
    case SYN_STMT_FOREACH:
        lower_foreach(f, stmt);
        break;
    case SYN_STMT_BREAK:
        jump(f, f->loops[f->loop_count - 1].break_block, &stmt->location);
        break;
    case SYN_STMT_CONTINUE:
        jump(f, f->loops[f->loop_count - 1].continue_block, &stmt->location);
        break;
    case SYN_STMT_NEXT:
        syn_lower_emit(f, SYN_IR_RETURN, &stmt->location);
        break;
    case SYN_STMT_RETURN:
        lower_return(f, stmt);
        break;
    case SYN_STMT_DELETE:
        lower_delete(f, stmt);
        break;
    case SYN_STMT_TRY:
        lower_try(f, stmt);
        break;
    }
}

/* ---- functions and probes ---------------------------------------------------- */

/* Locals start as 0 or "", as in SystemTap; the verifier also insists that
 * nothing is read before it is written. */
void syn_lower_initialize_locals(syn_function_lowering *f, const syn_symbol_list *locals, const syn_location *location)
{
    for (uint32_t i = 0; i < locals->count; i++) {
        const syn_symbol *symbol = locals->items[i];
        syn_ir_register reg = syn_lower_local(f, symbol);
        bool is_string = symbol->type == SYN_TYPE_STRING;
        syn_ir_instruction *zero = syn_lower_emit(f, is_string ? SYN_IR_STRING_CONSTANT : SYN_IR_CONSTANT, location);
        zero->dest = reg;
        if (is_string)
            zero->immediate = syn_ir_string(f->lowerer->program, "");
    }
}

void syn_lower_finish(syn_function_lowering *f, const syn_location *location)
{
    syn_ir_block *current = &f->function->blocks[f->block];
    if (!current->count || !syn_ir_is_terminator(current->instructions[current->count - 1].opcode)) {
        syn_ir_instruction *end = syn_lower_emit(f, SYN_IR_RETURN, location);
        if (f->return_register != SYN_IR_NO_REGISTER)
            end->a = f->return_register;
    }
    free(f->bindings);
    free(f->loops);
}

void syn_lower_init(syn_function_lowering *f, syn_lowerer *l, syn_ir_function *function)
{
    memset(f, 0, sizeof(*f));
    f->lowerer = l;
    f->function = function;
    f->fault_message = SYN_IR_NO_REGISTER;
    f->return_register = SYN_IR_NO_REGISTER;
}

uint32_t syn_lower_userspace_function(syn_lowerer *l, const syn_function_info *info)
{
    uint32_t index = 0;
    for (; index < l->checked->function_count; index++) {
        if (l->checked->functions[index] == info)
            break;
    }
    if (l->function_indexes[index] != UINT32_MAX)
        return l->function_indexes[index];
    syn_ir_function *function = syn_ir_function_new(l->program, info->function->name, &info->function->location);
    uint32_t function_index = l->program->function_count - 1;
    l->function_indexes[index] = function_index;

    syn_function_lowering f;
    syn_lower_init(&f, l, function);
    function->parameter_count = info->function->parameter_count;
    function->parameters = syn_arena_alloc(&l->program->arena, (function->parameter_count + 1) * sizeof(syn_ir_register));
    for (uint32_t p = 0; p < function->parameter_count; p++)
        function->parameters[p] = syn_lower_local(&f, info->parameters[p]);
    if (info->return_type == SYN_TYPE_LONG || info->return_type == SYN_TYPE_STRING) {
        function->returns_value = true;
        function->return_kind = syn_lower_kind(info->return_type);
        f.return_register = syn_lower_register(&f, function->return_kind);
        syn_ir_instruction *zero = syn_lower_emit(&f, function->return_kind == SYN_IR_STRING ? SYN_IR_STRING_CONSTANT
                                                                                            : SYN_IR_CONSTANT,
                                                  &info->function->location);
        zero->dest = f.return_register;
        if (function->return_kind == SYN_IR_STRING)
            zero->immediate = syn_ir_string(l->program, "");
    }
    syn_lower_initialize_locals(&f, &info->locals, &info->function->location);
    syn_lower_statement(&f, info->function->body);
    syn_lower_finish(&f, &info->function->location);
    return function_index;
}

void syn_lower_add_probe(syn_lowerer *l, const syn_derived_probe *probe, uint32_t function_index,
                         const char *point_name)
{
    syn_ir_program *program = l->program;
    program->probes = syn_realloc(program->probes, (program->probe_count + 1) * sizeof(*program->probes));
    program->probes[program->probe_count++] = (syn_ir_probe){
        .function = function_index,
        .derived = probe,
        .in_kernel = probe->resolved && syn_point_in_kernel(probe->resolved),
        .point = syn_arena_strdup(&program->arena, point_name),
    };
}

static void lower_probe(syn_lowerer *l, const syn_derived_probe *probe, uint32_t number)
{
    const syn_point *point = probe->resolved;
    const char *point_name = point ? point->name : "probe";
    char name[64];
    snprintf(name, sizeof(name), "probe%u", number);
    syn_ir_function *function = syn_ir_function_new(l->program, name, &probe->probe->location);
    /* Functions the body calls are appended after it: remember its index now. */
    uint32_t function_index = l->program->function_count - 1;
    syn_function_lowering f;
    syn_lower_init(&f, l, function);
    f.probe = probe;
    f.point = point;
    f.in_kernel = point && syn_point_in_kernel(point);
    syn_entry_captures *captures = syn_lower_entry_begin(&f);
    syn_lower_initialize_locals(&f, &probe->locals, &probe->probe->location);
    if (probe->condition) {
        uint32_t run_block = syn_ir_block_new(function);
        uint32_t skip_block = syn_ir_block_new(function);
        syn_lower_condition(&f, probe->condition, run_block, skip_block);
        f.block = skip_block;
        syn_lower_emit(&f, SYN_IR_RETURN, &probe->condition->location);
        f.block = run_block;
    }
    syn_lower_statement(&f, probe->body);
    syn_lower_finish(&f, &probe->probe->location);
    syn_lower_entry_end(&f, captures, number, &probe->probe->location);
    syn_lower_add_probe(l, probe, function_index, point_name);
}

const struct btf *syn_lower_btf(syn_lowerer *lowerer)
{
    if (!lowerer->btf_asked) {
        lowerer->btf_asked = true;
        lowerer->btf = lowerer->options->btf ? lowerer->options->btf(lowerer->options->btf_context) : NULL;
    }
    return lowerer->btf;
}

syn_ir_program *syn_lower(const syn_semantic_program *checked, const syn_lower_options *options,
                          syn_diagnostics *diagnostics)
{
    syn_lowerer l = {
        .program = syn_ir_program_new(options->max_string_length),
        .checked = checked,
        .options = options,
        .diagnostics = diagnostics,
    };
    unsigned errors_before = diagnostics->error_count;
    l.function_indexes = syn_malloc((checked->function_count + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < checked->function_count; i++)
        l.function_indexes[i] = UINT32_MAX;
    layout_globals(&l);
    for (uint32_t i = 0; i < checked->probe_count; i++)
        lower_probe(&l, checked->probes[i], i);
    free(l.function_indexes);
    for (uint32_t i = 0; options->growing && i < l.program->global_count; i++) {
        syn_ir_global *global = &l.program->globals[i];
        if (global->kind == SYN_IR_GLOBAL_STATISTIC && !global->histogram_buckets) {
            global->histogram_buckets = SYN_LOG_BUCKETS;
            global->log_histogram = true;
        }
    }
    if (diagnostics->error_count != errors_before) {
        syn_ir_program_free(l.program);
        return NULL;
    }
    /* A growing script may give an array a longer key later: its layout stays. */
    if (!options->growing)
        syn_ir_narrow_string_keys(l.program);
    return l.program;
}
