/* Lowering of expressions: values into registers, conditions into
 * branches (so && and || short-circuit), and updates whose value is unused
 * into atomic adds. */
#include <string.h>

#include "compiler/lower_internal.h"
#include "compiler/statistics.h"

static syn_ir_instruction *emit(syn_function_lowering *f, syn_ir_opcode opcode, const syn_expr *expr)
{
    return syn_lower_emit(f, opcode, &expr->location);
}

static syn_ir_register constant(syn_function_lowering *f, int64_t value, const syn_location *location)
{
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_CONSTANT, location);
    instruction->dest = syn_lower_register(f, SYN_IR_LONG);
    instruction->immediate = value;
    return instruction->dest;
}

syn_ir_register syn_lower_keys(syn_function_lowering *f, const syn_expr_list *keys, syn_ir_register *registers)
{
    for (uint32_t i = 0; i < keys->count; i++)
        registers[i] = keys->items[i] ? syn_lower_expr(f, keys->items[i]) : SYN_IR_NO_REGISTER;
    return keys->count;
}

static bool is_array_element(const syn_expr *expr)
{
    return expr->kind == SYN_EXPR_INDEX && expr->index.base->kind == SYN_EXPR_SYMBOL &&
           expr->index.base->symbol.symbol->kind == SYN_SYMBOL_GLOBAL;
}

static const syn_ir_global *global_of(syn_function_lowering *f, const syn_symbol *symbol)
{
    return &f->lowerer->program->globals[symbol->ir_index];
}

/* ---- reading variables ------------------------------------------------------ */

static syn_ir_register load_symbol(syn_function_lowering *f, const syn_expr *expr)
{
    const syn_symbol *symbol = expr->symbol.symbol;
    if (symbol->kind != SYN_SYMBOL_GLOBAL)
        return syn_lower_local(f, symbol);
    syn_ir_instruction *load = emit(f, SYN_IR_GLOBAL_LOAD, expr);
    load->global = syn_lower_global(f, symbol);
    load->dest = syn_lower_register(f, global_of(f, symbol)->value_kind);
    return load->dest;
}

static syn_ir_register load_element(syn_function_lowering *f, const syn_expr *expr, const syn_ir_register *keys)
{
    const syn_symbol *array = expr->index.base->symbol.symbol;
    syn_ir_instruction *load = emit(f, SYN_IR_MAP_LOAD, expr);
    load->global = syn_lower_global(f, array);
    load->dest = syn_lower_register(f, global_of(f, array)->value_kind);
    syn_lower_set_arguments(f, load, keys, expr->index.keys.count);
    return load->dest;
}

/* The statistic an @op or histogram reads (s, or s[keys]), its keys lowered. */
static const syn_symbol *statistic_operand(syn_function_lowering *f, const syn_expr *operand,
                                           syn_ir_register *keys, uint32_t *key_count)
{
    if (operand->kind != SYN_EXPR_INDEX) {
        *key_count = 0;
        return operand->symbol.symbol;
    }
    *key_count = syn_lower_keys(f, &operand->index.keys, keys);
    return operand->index.base->symbol.symbol;
}

/* @hist_log(s)[i]: the count in a bucket. */
static syn_ir_register histogram_bucket(syn_function_lowering *f, const syn_expr *expr)
{
    const syn_expr *histogram = expr->index.base;
    if (f->in_kernel) {
        syn_lower_kernel_only_userspace(f, &expr->location, "reading a histogram");
        return constant(f, 0, &expr->location);
    }
    syn_lower_histogram(f, histogram);
    syn_ir_register bucket = syn_lower_expr(f, expr->index.keys.items[0]);
    syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
    uint32_t key_count;
    const syn_symbol *statistic = statistic_operand(f, histogram->stat.operand, keys, &key_count);
    syn_ir_instruction *read = emit(f, SYN_IR_STAT_READ, expr);
    read->op = histogram->stat.op;
    read->global = syn_lower_global(f, statistic);
    read->dest = syn_lower_register(f, SYN_IR_LONG);
    read->b = bucket;
    syn_lower_set_arguments(f, read, keys, key_count);
    return read->dest;
}

/* A histogram read fixes the statistic's bucket layout for the whole run. */
static bool note_histogram(syn_function_lowering *f, const syn_expr *expr, syn_ir_global *global)
{
    bool is_log = expr->stat.op == SYN_STAT_HIST_LOG;
    int64_t low = 0, high = 0, step = 0;
    if (!is_log) {
        const syn_expr_list *parameters = &expr->stat.parameters;
        int64_t values[3];
        for (int i = 0; i < 3; i++) {
            const syn_expr *parameter = parameters->items[i];
            values[i] = parameter->kind == SYN_EXPR_NUMBER ? parameter->number : -parameter->unary.operand->number;
        }
        low = values[0];
        high = values[1];
        step = values[2];
        if (step <= 0 || high <= low || (high - low) / step > 10000) {
            syn_lower_error(f, &expr->location,
                            "@hist_linear needs low < high and a step that gives at most 10000 buckets");
            return false;
        }
    }
    uint32_t buckets = is_log ? SYN_LOG_BUCKETS : syn_linear_bucket_count(low, high, step);
    if (global->histogram_buckets &&
        (global->log_histogram != is_log || global->linear_low != low || global->linear_high != high ||
         global->linear_step != step)) {
        syn_lower_error(f, &expr->location, "multiple histogram types declared on '%s'", global->name);
        return false;
    }
    global->histogram_buckets = buckets;
    global->log_histogram = is_log;
    global->linear_low = low;
    global->linear_high = high;
    global->linear_step = step;
    return true;
}

uint32_t syn_lower_histogram(syn_function_lowering *f, const syn_expr *expr)
{
    const syn_expr *operand = expr->stat.operand;
    const syn_symbol *statistic = operand->kind == SYN_EXPR_INDEX ? operand->index.base->symbol.symbol
                                                                  : operand->symbol.symbol;
    uint32_t global = syn_lower_global(f, statistic);
    note_histogram(f, expr, &f->lowerer->program->globals[global]);
    return global;
}

static syn_ir_register read_statistic(syn_function_lowering *f, const syn_expr *expr)
{
    if (expr->stat.op == SYN_STAT_HIST_LOG || expr->stat.op == SYN_STAT_HIST_LINEAR) {
        syn_lower_error(f, &expr->location, "a histogram can only be printed or indexed");
        return constant(f, 0, &expr->location);
    }
    if (f->in_kernel) {
        syn_lower_kernel_only_userspace(f, &expr->location, "reading a statistic");
        return constant(f, 0, &expr->location);
    }
    syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
    uint32_t key_count;
    const syn_symbol *statistic = statistic_operand(f, expr->stat.operand, keys, &key_count);
    syn_ir_instruction *read = emit(f, SYN_IR_STAT_READ, expr);
    read->op = expr->stat.op;
    read->global = syn_lower_global(f, statistic);
    read->dest = syn_lower_register(f, SYN_IR_LONG);
    read->immediate = expr->stat.parameters.count ? expr->stat.parameters.items[0]->number : 0;
    syn_lower_set_arguments(f, read, keys, key_count);
    syn_lower_mark_fault(f, read);
    return read->dest;
}

/* ---- operators ------------------------------------------------------------- */

static syn_ir_compare compare_of(syn_operator op)
{
    switch (op) {
    case SYN_OP_EQUAL: return SYN_IR_EQUAL;
    case SYN_OP_NOT_EQUAL: return SYN_IR_NOT_EQUAL;
    case SYN_OP_LESS: return SYN_IR_LESS;
    case SYN_OP_LESS_EQUAL: return SYN_IR_LESS_EQUAL;
    case SYN_OP_GREATER: return SYN_IR_GREATER;
    default: return SYN_IR_GREATER_EQUAL;
    }
}

static bool is_comparison(syn_operator op)
{
    return op == SYN_OP_EQUAL || op == SYN_OP_NOT_EQUAL || op == SYN_OP_LESS || op == SYN_OP_LESS_EQUAL ||
           op == SYN_OP_GREATER || op == SYN_OP_GREATER_EQUAL;
}

static syn_ir_register binary(syn_function_lowering *f, syn_operator op, syn_ir_register left, syn_ir_register right,
                              const syn_location *location)
{
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_BINARY, location);
    instruction->op = op;
    instruction->a = left;
    instruction->b = right;
    instruction->dest = syn_lower_register(f, SYN_IR_LONG);
    if (op == SYN_OP_DIVIDE || op == SYN_OP_MODULO)
        syn_lower_mark_fault(f, instruction);
    return instruction->dest;
}

static syn_ir_register concat(syn_function_lowering *f, syn_ir_register left, syn_ir_register right,
                              const syn_location *location)
{
    syn_ir_instruction *instruction = syn_lower_emit(f, SYN_IR_CONCAT, location);
    instruction->a = left;
    instruction->b = right;
    instruction->dest = syn_lower_register(f, SYN_IR_STRING);
    return instruction->dest;
}

static syn_ir_register lower_binary(syn_function_lowering *f, const syn_expr *expr)
{
    syn_operator op = expr->binary.op;
    syn_ir_register left = syn_lower_expr(f, expr->binary.left);
    if (op == SYN_OP_REGEX_MATCH || op == SYN_OP_REGEX_NO_MATCH) {
        if (f->in_kernel)
            syn_lower_kernel_only_userspace(f, &expr->location, "regular expression matching");
        syn_ir_instruction *match = emit(f, SYN_IR_REGEX, expr);
        match->a = left;
        match->immediate = syn_ir_string(f->lowerer->program, expr->binary.right->string.data);
        match->op = op == SYN_OP_REGEX_MATCH ? SYN_IR_EQUAL : SYN_IR_NOT_EQUAL;
        match->dest = syn_lower_register(f, SYN_IR_LONG);
        return match->dest;
    }
    syn_ir_register right = syn_lower_expr(f, expr->binary.right);
    if (op == SYN_OP_CONCAT)
        return concat(f, left, right, &expr->location);
    if (is_comparison(op)) {
        bool strings = expr->binary.left->type == SYN_TYPE_STRING;
        syn_ir_instruction *compare = emit(f, strings ? SYN_IR_STRING_COMPARE : SYN_IR_COMPARE, expr);
        compare->op = compare_of(op);
        compare->a = left;
        compare->b = right;
        compare->dest = syn_lower_register(f, SYN_IR_LONG);
        return compare->dest;
    }
    return binary(f, op, left, right, &expr->location);
}

static syn_ir_register lower_unary(syn_function_lowering *f, const syn_expr *expr)
{
    if (expr->unary.op == SYN_OP_ADDRESS_OF)
        return syn_lower_target(f, expr);
    syn_ir_register operand = syn_lower_expr(f, expr->unary.operand);
    if (expr->unary.op == SYN_OP_PLUS)
        return operand;
    syn_ir_opcode opcode = expr->unary.op == SYN_OP_NEGATE ? SYN_IR_NEGATE
                         : expr->unary.op == SYN_OP_NOT    ? SYN_IR_NOT
                                                           : SYN_IR_BIT_NOT;
    syn_ir_instruction *instruction = emit(f, opcode, expr);
    instruction->a = operand;
    instruction->dest = syn_lower_register(f, SYN_IR_LONG);
    return instruction->dest;
}

/* Both branches of ?:, && and || set one result register. */
static syn_ir_register lower_choice(syn_function_lowering *f, const syn_expr *expr)
{
    syn_ir_register_kind kind = syn_lower_kind(expr->type);
    syn_ir_register result = syn_lower_register(f, kind);
    uint32_t first = syn_ir_block_new(f->function);
    uint32_t second = syn_ir_block_new(f->function);
    uint32_t end = syn_ir_block_new(f->function);
    if (expr->kind == SYN_EXPR_TERNARY) {
        syn_lower_condition(f, expr->ternary.condition, first, second);
        const syn_expr *values[2] = {expr->ternary.then_value, expr->ternary.else_value};
        uint32_t blocks[2] = {first, second};
        for (int i = 0; i < 2; i++) {
            f->block = blocks[i];
            syn_ir_register value = syn_lower_expr(f, values[i]);
            syn_ir_instruction *move = emit(f, SYN_IR_MOVE, values[i]);
            move->dest = result;
            move->a = value;
            syn_lower_emit(f, SYN_IR_JUMP, &expr->location)->target_true = end;
        }
    } else {
        /* a && b: 1 in `first`, 0 in `second`. */
        syn_lower_condition(f, expr, first, second);
        int64_t values[2] = {1, 0};
        uint32_t blocks[2] = {first, second};
        for (int i = 0; i < 2; i++) {
            f->block = blocks[i];
            syn_ir_instruction *set = emit(f, SYN_IR_CONSTANT, expr);
            set->dest = result;
            set->immediate = values[i];
            syn_lower_emit(f, SYN_IR_JUMP, &expr->location)->target_true = end;
        }
    }
    f->block = end;
    return result;
}

void syn_lower_condition(syn_function_lowering *f, const syn_expr *expr, uint32_t true_block, uint32_t false_block)
{
    if (expr->kind == SYN_EXPR_LOGICAL) {
        uint32_t middle = syn_ir_block_new(f->function);
        if (expr->binary.op == SYN_OP_LOGICAL_AND)
            syn_lower_condition(f, expr->binary.left, middle, false_block);
        else
            syn_lower_condition(f, expr->binary.left, true_block, middle);
        f->block = middle;
        syn_lower_condition(f, expr->binary.right, true_block, false_block);
        return;
    }
    if (expr->kind == SYN_EXPR_UNARY && expr->unary.op == SYN_OP_NOT) {
        syn_lower_condition(f, expr->unary.operand, false_block, true_block);
        return;
    }
    syn_ir_register value = syn_lower_expr(f, expr);
    syn_ir_instruction *branch = emit(f, SYN_IR_BRANCH, expr);
    branch->a = value;
    branch->target_true = true_block;
    branch->target_false = false_block;
}

/* ---- updates ---------------------------------------------------------------- */

/* Writes `value` to a variable or element; returns the register that now
 * holds the variable's value. */
static syn_ir_register store(syn_function_lowering *f, const syn_expr *target, const syn_ir_register *keys,
                             syn_ir_register value)
{
    if (target->kind == SYN_EXPR_SYMBOL) {
        const syn_symbol *symbol = target->symbol.symbol;
        if (symbol->kind != SYN_SYMBOL_GLOBAL) {
            syn_ir_register reg = syn_lower_local(f, symbol);
            if (reg != value) {
                syn_ir_instruction *move = emit(f, SYN_IR_MOVE, target);
                move->dest = reg;
                move->a = value;
            }
            return reg;
        }
        syn_ir_instruction *write = emit(f, SYN_IR_GLOBAL_STORE, target);
        write->global = syn_lower_global(f, symbol);
        write->a = value;
        return value;
    }
    syn_ir_instruction *write = emit(f, SYN_IR_MAP_STORE, target);
    write->global = syn_lower_global(f, target->index.base->symbol.symbol);
    write->a = value;
    syn_lower_set_arguments(f, write, keys, target->index.keys.count);
    syn_lower_mark_fault(f, write);
    return value;
}

static syn_ir_register load(syn_function_lowering *f, const syn_expr *target, const syn_ir_register *keys)
{
    return target->kind == SYN_EXPR_SYMBOL ? load_symbol(f, target) : load_element(f, target, keys);
}

/* g += v, a[k] += v and ++ on globals whose result is unused: one atomic add,
 * which also keeps counts exact when several CPUs update at once. */
static bool atomic_add(syn_function_lowering *f, const syn_expr *target, const syn_ir_register *keys,
                       syn_ir_register amount, const syn_location *location)
{
    bool global_scalar = target->kind == SYN_EXPR_SYMBOL && target->symbol.symbol->kind == SYN_SYMBOL_GLOBAL;
    if (!global_scalar && !is_array_element(target))
        return false;
    syn_ir_instruction *add = syn_lower_emit(f, global_scalar ? SYN_IR_GLOBAL_ADD : SYN_IR_MAP_ADD, location);
    add->a = amount;
    add->flags = SYN_IR_UNUSED_RESULT;
    if (global_scalar) {
        add->global = syn_lower_global(f, target->symbol.symbol);
    } else {
        add->global = syn_lower_global(f, target->index.base->symbol.symbol);
        syn_lower_set_arguments(f, add, keys, target->index.keys.count);
        syn_lower_mark_fault(f, add);
    }
    return true;
}

static uint32_t target_keys(syn_function_lowering *f, const syn_expr *target, syn_ir_register *keys)
{
    return target->kind == SYN_EXPR_INDEX ? syn_lower_keys(f, &target->index.keys, keys) : 0;
}

static syn_ir_register lower_increment(syn_function_lowering *f, const syn_expr *expr, bool value_used)
{
    const syn_expr *target = expr->unary.operand;
    syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
    target_keys(f, target, keys);
    int64_t step = expr->unary.op == SYN_OP_INCREMENT ? 1 : -1;
    if (!value_used && atomic_add(f, target, keys, constant(f, step, &expr->location), &expr->location))
        return SYN_IR_NO_REGISTER;
    syn_ir_register old = load(f, target, keys);
    syn_ir_register saved = old;
    if (expr->kind == SYN_EXPR_POSTFIX && value_used) {
        saved = syn_lower_register(f, SYN_IR_LONG);
        syn_ir_instruction *copy = emit(f, SYN_IR_MOVE, expr);
        copy->dest = saved;
        copy->a = old;
    }
    syn_ir_register updated = binary(f, SYN_OP_ADD, old, constant(f, step, &expr->location), &expr->location);
    syn_ir_register now = store(f, target, keys, updated);
    return expr->kind == SYN_EXPR_POSTFIX ? saved : now;
}

static syn_ir_register add_to_statistic(syn_function_lowering *f, const syn_expr *expr)
{
    const syn_expr *target = expr->binary.left;
    syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
    uint32_t key_count = target_keys(f, target, keys);
    syn_ir_register value = syn_lower_expr(f, expr->binary.right);
    const syn_symbol *statistic = target->kind == SYN_EXPR_INDEX ? target->index.base->symbol.symbol
                                                                 : target->symbol.symbol;
    syn_ir_instruction *add = emit(f, SYN_IR_STAT_ADD, expr);
    add->global = syn_lower_global(f, statistic);
    add->a = value;
    syn_lower_set_arguments(f, add, keys, key_count);
    syn_lower_mark_fault(f, add);
    return value;
}

static syn_ir_register lower_assign(syn_function_lowering *f, const syn_expr *expr, bool value_used)
{
    syn_operator op = expr->binary.op;
    if (op == SYN_OP_AGGREGATE)
        return add_to_statistic(f, expr);
    const syn_expr *target = expr->binary.left;
    syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
    target_keys(f, target, keys);
    syn_ir_register value = syn_lower_expr(f, expr->binary.right);
    if (op == SYN_OP_ASSIGN)
        return store(f, target, keys, value);
    if (!value_used && (op == SYN_OP_ADD_ASSIGN || op == SYN_OP_SUBTRACT_ASSIGN)) {
        syn_ir_register amount = value;
        if (op == SYN_OP_SUBTRACT_ASSIGN) {
            syn_ir_instruction *negate = emit(f, SYN_IR_NEGATE, expr);
            negate->a = value;
            negate->dest = amount = syn_lower_register(f, SYN_IR_LONG);
        }
        if (atomic_add(f, target, keys, amount, &expr->location))
            return SYN_IR_NO_REGISTER;
    }
    syn_ir_register old = load(f, target, keys);
    syn_ir_register updated = op == SYN_OP_CONCAT_ASSIGN
                                  ? concat(f, old, value, &expr->location)
                                  : binary(f, syn_operator_of_assignment(op), old, value, &expr->location);
    return store(f, target, keys, updated);
}

static syn_ir_register lower_in(syn_function_lowering *f, const syn_expr *expr)
{
    syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
    syn_lower_keys(f, &expr->in.keys, keys);
    syn_ir_instruction *exists = emit(f, SYN_IR_MAP_EXISTS, expr);
    exists->global = syn_lower_global(f, expr->in.array->symbol.symbol);
    exists->dest = syn_lower_register(f, SYN_IR_LONG);
    syn_lower_set_arguments(f, exists, keys, expr->in.keys.count);
    if (f->in_kernel) {
        for (uint32_t i = 0; i < expr->in.keys.count; i++) {
            if (keys[i] == SYN_IR_NO_REGISTER) {
                syn_lower_kernel_only_userspace(f, &expr->location, "a '*' in an array lookup");
                break;
            }
        }
    }
    return exists->dest;
}

static syn_ir_register lower_value(syn_function_lowering *f, const syn_expr *expr, bool value_used)
{
    switch (expr->kind) {
    case SYN_EXPR_NUMBER:
        return constant(f, expr->number, &expr->location);
    case SYN_EXPR_STRING: {
        syn_ir_instruction *instruction = emit(f, SYN_IR_STRING_CONSTANT, expr);
        instruction->dest = syn_lower_register(f, SYN_IR_STRING);
        instruction->immediate = syn_ir_string(f->lowerer->program, expr->string.data);
        return instruction->dest;
    }
    case SYN_EXPR_SYMBOL:
        return load_symbol(f, expr);
    case SYN_EXPR_INDEX:
        if (is_array_element(expr)) {
            syn_ir_register keys[SYN_IR_MAX_ARGUMENTS];
            syn_lower_keys(f, &expr->index.keys, keys);
            return load_element(f, expr, keys);
        }
        if (expr->index.base->kind == SYN_EXPR_STAT)
            return histogram_bucket(f, expr);
        return syn_lower_target(f, expr);
    case SYN_EXPR_TARGET:
    case SYN_EXPR_MEMBER:
    case SYN_EXPR_CAST:
    case SYN_EXPR_VAR:
    case SYN_EXPR_DEFINED:
    case SYN_EXPR_CHOOSE_DEFINED:
    case SYN_EXPR_ENTRY:
    case SYN_EXPR_PRETTY:
    case SYN_EXPR_EMBEDDED:
        return syn_lower_target(f, expr);
    case SYN_EXPR_CALL:
        return syn_lower_call(f, expr, value_used);
    case SYN_EXPR_UNARY:
        return lower_unary(f, expr);
    case SYN_EXPR_PREFIX:
    case SYN_EXPR_POSTFIX:
        return lower_increment(f, expr, value_used);
    case SYN_EXPR_BINARY:
        return lower_binary(f, expr);
    case SYN_EXPR_TERNARY:
        if (syn_static_condition(expr->ternary.condition) >= 0)
            return syn_lower_expr(f, syn_static_condition(expr->ternary.condition) ? expr->ternary.then_value
                                                                                  : expr->ternary.else_value);
        return lower_choice(f, expr);
    case SYN_EXPR_LOGICAL:
        return lower_choice(f, expr);
    case SYN_EXPR_ASSIGN:
        return lower_assign(f, expr, value_used);
    case SYN_EXPR_IN:
        return lower_in(f, expr);
    case SYN_EXPR_STAT:
        return read_statistic(f, expr);
    }
    return constant(f, 0, &expr->location);
}

syn_ir_register syn_lower_expr(syn_function_lowering *f, const syn_expr *expr)
{
    syn_ir_register reg = lower_value(f, expr, true);
    if (reg == SYN_IR_NO_REGISTER)
        reg = syn_lower_kind(expr->type) == SYN_IR_STRING ? syn_lower_register(f, SYN_IR_STRING)
                                                          : constant(f, 0, &expr->location);
    return reg;
}

void syn_lower_effect(syn_function_lowering *f, const syn_expr *expr)
{
    lower_value(f, expr, false);
}
