/* @entry(expr) in return probes, and the parameters a kretprobe or
 * uretprobe can only read at the function's entry, as SystemTap does it: a
 * probe on the function's entry (the point's entry sibling) evaluates each
 * such value and keeps it in a hidden array under [tid(), i]; the return
 * probe takes the values back before its body runs, and does nothing when
 * the entry was not seen (a call already under way when the probe came).
 *
 * Values are captured as the return probe's body is lowered, so the entry
 * probe and the return probe's prologue are made last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/lower_internal.h"
#include "util/memory.h"

typedef struct syn_entry_capture {
    const syn_expr *expr;
    syn_ir_register reg;
} syn_entry_capture;

struct syn_entry_captures {
    syn_entry_capture *items;
    uint32_t count;
    uint32_t capacity;
    uint32_t global;             /* the hidden array, once there is a capture */
    uint32_t prologue_block;     /* where the values are taken back */
    uint32_t body_block;         /* where the probe's own code starts */
};

/* Whether a target variable of this point is read at the entry. */
static bool read_at_entry(const syn_function_lowering *f, const syn_expr *expr)
{
    if (expr->kind == SYN_EXPR_ENTRY)
        return true;
    if (expr->kind != SYN_EXPR_TARGET || expr->target.context || !f->point)
        return false;
    const syn_target_variable *variable = syn_point_variable(f->point, expr->target.name);
    return variable && variable->at_entry;
}

static uint32_t hidden_array(syn_function_lowering *f, uint32_t probe_number)
{
    syn_ir_program *program = f->lowerer->program;
    program->globals = syn_realloc(program->globals, (program->global_count + 1) * sizeof(*program->globals));
    syn_ir_global *global = &program->globals[program->global_count];
    memset(global, 0, sizeof(*global));
    char name[48];
    snprintf(name, sizeof(name), "__entry_values_%u", probe_number);
    global->name = syn_arena_strdup(&program->arena, name);
    global->kind = SYN_IR_GLOBAL_ARRAY;
    global->value_kind = SYN_IR_LONG;
    global->key_count = 2;
    global->key_kinds = syn_arena_alloc(&program->arena, 2 * sizeof(*global->key_kinds));
    global->key_kinds[0] = global->key_kinds[1] = SYN_IR_LONG;
    global->max_entries = f->lowerer->options->max_map_entries;
    return program->global_count++;
}

bool syn_lower_captured(syn_function_lowering *f, const syn_expr *expr, syn_ir_register *reg)
{
    syn_entry_captures *captures = f->captures;
    if (!captures || !read_at_entry(f, expr))
        return false;
    for (uint32_t i = 0; i < captures->count; i++) {
        if (captures->items[i].expr == expr) {
            *reg = captures->items[i].reg;
            return true;
        }
    }
    if (syn_lower_kind(expr->type) == SYN_IR_STRING) {
        syn_lower_error(f, &expr->location, "a string value at the function's entry cannot be kept for its "
                                            "return yet; keep a number (an address) and read the string there");
        *reg = syn_lower_register(f, SYN_IR_STRING);
        return true;
    }
    SYN_GROW(captures->items, captures->capacity, captures->count + 1);
    captures->items[captures->count++] = (syn_entry_capture){.expr = expr, .reg = syn_lower_register(f, SYN_IR_LONG)};
    *reg = captures->items[captures->count - 1].reg;
    return true;
}

syn_entry_captures *syn_lower_entry_begin(syn_function_lowering *f)
{
    if (!f->point || !f->point->is_return || !f->point->entry)
        return NULL;
    syn_entry_captures *captures = syn_calloc(1, sizeof(*captures));
    /* The prologue block stays empty until the body is lowered. */
    captures->prologue_block = f->block;
    captures->body_block = f->block = syn_ir_block_new(f->function);
    f->captures = captures;
    return captures;
}

static syn_ir_register builtin_call(syn_function_lowering *f, const char *name, const syn_location *location)
{
    syn_ir_register dest = syn_lower_register(f, SYN_IR_LONG);
    syn_ir_instruction *call = syn_lower_emit(f, SYN_IR_BUILTIN, location);
    call->op = syn_builtin_index(syn_builtin_lookup(name));
    call->dest = dest;
    return dest;
}

static syn_ir_register constant(syn_function_lowering *f, int64_t value, const syn_location *location)
{
    syn_ir_register dest = syn_lower_register(f, SYN_IR_LONG);
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_CONSTANT, location);
    instruction->immediate = value;
    instruction->dest = dest;
    return dest;
}

/* The return probe's first block: [tid, i] for each value, or nothing at all. */
static void take_back(syn_function_lowering *f, syn_entry_captures *captures, uint32_t body_block,
                      const syn_location *location)
{
    f->block = captures->prologue_block;
    syn_ir_register keys[2] = {builtin_call(f, "tid", location), constant(f, 0, location)};
    syn_ir_register seen = syn_lower_register(f, SYN_IR_LONG);
    syn_ir_instruction *exists = syn_lower_emit(f, SYN_IR_MAP_EXISTS, location);
    exists->global = captures->global;
    exists->dest = seen;
    syn_lower_set_arguments(f, exists, keys, 2);
    uint32_t take_block = syn_ir_block_new(f->function), skip_block = syn_ir_block_new(f->function);
    syn_ir_instruction *branch = syn_lower_emit(f, SYN_IR_BRANCH, location);
    branch->a = seen;
    branch->target_true = take_block;
    branch->target_false = skip_block;
    f->block = skip_block;
    syn_lower_emit(f, SYN_IR_RETURN, location);
    f->block = take_block;
    for (uint32_t i = 0; i < captures->count; i++) {
        keys[1] = constant(f, i, location);
        syn_ir_instruction *load = syn_lower_emit(f, SYN_IR_MAP_LOAD, location);
        load->global = captures->global;
        load->dest = captures->items[i].reg;
        syn_lower_set_arguments(f, load, keys, 2);
        syn_ir_instruction *forget = syn_lower_emit(f, SYN_IR_MAP_DELETE, location);
        forget->global = captures->global;
        syn_lower_set_arguments(f, forget, keys, 2);
    }
    syn_lower_emit(f, SYN_IR_JUMP, location)->target_true = body_block;
}

/* The entry probe: each value stored under [tid, i]. */
static void lower_entry_probe(syn_lowerer *l, const syn_derived_probe *probe, syn_entry_captures *captures,
                              uint32_t number)
{
    const syn_point *point = probe->resolved->entry;
    syn_derived_probe *entry = syn_arena_alloc(&l->program->arena, sizeof(*entry));
    *entry = *probe;
    entry->resolved = point;
    entry->condition = NULL;
    char name[64];
    snprintf(name, sizeof(name), "probe%u.entry", number);
    syn_ir_function *function = syn_ir_function_new(l->program, name, &probe->probe->location);
    uint32_t function_index = l->program->function_count - 1;
    syn_function_lowering f;
    syn_lower_init(&f, l, function);
    f.probe = entry;
    f.point = point;
    f.in_kernel = true;
    f.in_entry_probe = true;
    syn_lower_initialize_locals(&f, &probe->locals, &probe->probe->location);
    const syn_location *location = &probe->probe->location;
    syn_ir_register keys[2] = {builtin_call(&f, "tid", location), 0};
    for (uint32_t i = 0; i < captures->count; i++) {
        const syn_expr *expr = captures->items[i].expr;
        syn_ir_register value = syn_lower_expr(&f, expr->kind == SYN_EXPR_ENTRY ? expr->wrap.operand : expr);
        keys[1] = constant(&f, i, &expr->location);
        syn_ir_instruction *store = syn_lower_emit(&f, SYN_IR_MAP_STORE, &expr->location);
        store->global = captures->global;
        store->a = value;
        syn_lower_set_arguments(&f, store, keys, 2);
        syn_lower_mark_fault(&f, store);
    }
    syn_lower_finish(&f, location);
    syn_lower_add_probe(l, entry, function_index, point->name);
}

void syn_lower_entry_end(syn_function_lowering *f, syn_entry_captures *captures, uint32_t probe_number,
                         const syn_location *location)
{
    if (!captures)
        return;
    if (captures->count) {
        captures->global = hidden_array(f, probe_number);
        take_back(f, captures, captures->body_block, location);
        lower_entry_probe(f->lowerer, f->probe, captures, probe_number);
    } else {
        f->block = captures->prologue_block;
        syn_lower_emit(f, SYN_IR_JUMP, location)->target_true = captures->body_block;
    }
    f->captures = NULL;
    free(captures->items);
    free(captures);
}
