/* Type inference, SystemTap's way: every variable, array key and value,
 * parameter and return value is a long, a string or a statistic, learnt from
 * how it is used anywhere in the program.  Rounds repeat until nothing new
 * is learnt; mismatches are reported in a last round, once. */
#include <string.h>

#include "compiler/format.h"
#include "compiler/semantic_internal.h"

typedef struct inferrer {
    syn_checker *checker;
    syn_scope *scope;
} inferrer;

static syn_type infer_expr(inferrer *in, syn_expr *expr);
static void infer_stmt(inferrer *in, syn_stmt *stmt);

static bool reporting(const inferrer *in)
{
    return in->checker->reporting;
}

static syn_diagnostics *diagnostics_of(inferrer *in)
{
    return in->checker->diagnostics;
}

static void report_statistic_misuse(inferrer *in, const syn_symbol *symbol, const syn_location *location)
{
    syn_error(diagnostics_of(in), location,
              "'%s' is a statistic: read it with @count, @sum, @min, @max, @avg or a histogram; "
              "add values with '<<<'",
              symbol->name);
}

void syn_unify_symbol(syn_checker *checker, syn_symbol *symbol, syn_type type, const syn_location *location)
{
    if (type == SYN_TYPE_UNKNOWN || !symbol)
        return;
    if (symbol->type == SYN_TYPE_UNKNOWN) {
        symbol->type = type;
        symbol->type_location = *location;
        checker->changed = true;
        return;
    }
    if (symbol->type == type || !checker->reporting)
        return;
    inferrer in = {.checker = checker};
    if (symbol->type == SYN_TYPE_STATS) {
        report_statistic_misuse(&in, symbol, location);
        return;
    }
    syn_error(checker->diagnostics, location, "type mismatch for '%s': %s here, %s before", symbol->name,
              syn_type_name(type), syn_type_name(symbol->type));
    syn_note(checker->diagnostics, &symbol->type_location, "type of '%s' was first inferred here (%s)",
             symbol->name, syn_type_name(symbol->type));
}

static void unify_key(inferrer *in, syn_symbol *array, unsigned index, syn_expr *key)
{
    if (!array || !key || array->arity <= 0 || index >= (unsigned)array->arity)
        return;
    syn_type type = infer_expr(in, key);
    syn_type *known = &array->key_types[index];
    if (*known == SYN_TYPE_UNKNOWN && type != SYN_TYPE_UNKNOWN &&
        (type == SYN_TYPE_LONG || type == SYN_TYPE_STRING)) {
        *known = type;
        in->checker->changed = true;
    } else if (*known != SYN_TYPE_UNKNOWN && type == SYN_TYPE_UNKNOWN && key->kind == SYN_EXPR_SYMBOL) {
        syn_unify_symbol(in->checker, key->symbol.symbol, *known, &key->location);
    } else if (*known != SYN_TYPE_UNKNOWN && type != SYN_TYPE_UNKNOWN && *known != type && reporting(in)) {
        syn_error(diagnostics_of(in), &key->location, "index %u of '%s' is a %s here, a %s before", index,
                  array->name, syn_type_name(type), syn_type_name(*known));
    }
}

static syn_function_info *function_info(syn_expr *call)
{
    return call->call.function ? call->call.function->info : NULL;
}

/* Makes `expr` have `type`: pushes the type into whatever the expression
 * stands for when it is still unknown, reports a mismatch otherwise. */
static void expect(inferrer *in, syn_expr *expr, syn_type type)
{
    if (type == SYN_TYPE_UNKNOWN)
        return;
    if (expr->type == SYN_TYPE_UNKNOWN) {
        switch (expr->kind) {
        case SYN_EXPR_SYMBOL:
            syn_unify_symbol(in->checker, expr->symbol.symbol, type, &expr->location);
            break;
        case SYN_EXPR_INDEX:
            if (expr->index.base->kind == SYN_EXPR_SYMBOL)
                syn_unify_symbol(in->checker, expr->index.base->symbol.symbol, type, &expr->location);
            break;
        case SYN_EXPR_CALL: {
            syn_function_info *info = function_info(expr);
            if (info && info->return_type == SYN_TYPE_UNKNOWN) {
                info->return_type = type;
                info->return_location = expr->location;
                in->checker->changed = true;
            }
            break;
        }
        case SYN_EXPR_TERNARY:
            expect(in, expr->ternary.then_value, type);
            expect(in, expr->ternary.else_value, type);
            break;
        case SYN_EXPR_ASSIGN:
            expect(in, expr->binary.left, type);
            expect(in, expr->binary.right, type);
            break;
        case SYN_EXPR_ENTRY:
            expect(in, expr->wrap.operand, type);
            break;
        case SYN_EXPR_CHOOSE_DEFINED:
            expect(in, expr->choose.first, type);
            expect(in, expr->choose.second, type);
            break;
        default:
            break;
        }
        return;
    }
    if (expr->type == type || !reporting(in))
        return;
    const syn_symbol *symbol = expr->kind == SYN_EXPR_SYMBOL ? expr->symbol.symbol
                             : expr->kind == SYN_EXPR_INDEX && expr->index.base->kind == SYN_EXPR_SYMBOL
                                 ? expr->index.base->symbol.symbol
                                 : NULL;
    if (expr->type == SYN_TYPE_STATS && symbol) {
        report_statistic_misuse(in, symbol, &expr->location);
        return;
    }
    if (expr->type == SYN_TYPE_HISTOGRAM) {
        syn_error(diagnostics_of(in), &expr->location, "a histogram can only be printed or indexed");
        return;
    }
    syn_error(diagnostics_of(in), &expr->location, "type mismatch: expected %s but found %s",
              syn_type_name(type), syn_type_name(expr->type));
}

static syn_type infer_as(inferrer *in, syn_expr *expr, syn_type type)
{
    infer_expr(in, expr);
    expect(in, expr, type);
    return type;
}

/* Both sides must agree: comparisons, '=' and the branches of ?:. */
static syn_type unify_sides(inferrer *in, syn_expr *left, syn_expr *right, const syn_location *location)
{
    syn_type left_type = infer_expr(in, left);
    syn_type right_type = infer_expr(in, right);
    if (left_type == SYN_TYPE_UNKNOWN) {
        expect(in, left, right_type);
        return right_type;
    }
    if (right_type == SYN_TYPE_UNKNOWN) {
        expect(in, right, left_type);
        return left_type;
    }
    if (left_type != right_type && reporting(in)) {
        if (left_type == SYN_TYPE_STATS || right_type == SYN_TYPE_STATS)
            expect(in, left_type == SYN_TYPE_STATS ? left : right, SYN_TYPE_LONG);
        else
            syn_error(diagnostics_of(in), location,
                      "type mismatch: left and right sides don't agree (%s vs %s)", syn_type_name(left_type),
                      syn_type_name(right_type));
    }
    return left_type;
}

static bool is_literal_string(const syn_expr *expr)
{
    return expr->kind == SYN_EXPR_STRING;
}

static void check_format(inferrer *in, syn_expr *expr)
{
    syn_expr_list *arguments = &expr->call.arguments;
    syn_expr *format_text = arguments->items[0];
    if (!is_literal_string(format_text)) {
        infer_as(in, format_text, SYN_TYPE_STRING);
        if (reporting(in))
            syn_error(diagnostics_of(in), &format_text->location, "the format of %s() must be a literal string",
                      expr->call.name);
        for (unsigned i = 1; i < arguments->count; i++)
            infer_expr(in, arguments->items[i]);
        return;
    }
    format_text->type = SYN_TYPE_STRING;
    syn_format format;
    char error[128];
    if (!syn_format_parse(format_text->string.data, format_text->string.length, &format, error, sizeof(error))) {
        if (reporting(in))
            syn_error(diagnostics_of(in), &format_text->location, "%s", error);
        return;
    }
    unsigned next = 1;
    unsigned wanted_count = 0;
    for (unsigned i = 0; i < format.count; i++) {
        const syn_format_piece *piece = &format.pieces[i];
        syn_type wanted = syn_format_argument_type(piece);
        if (wanted == SYN_TYPE_UNKNOWN)
            continue;
        /* '*' widths and precisions take a long argument each, before the value. */
        unsigned needed = 1 + (piece->width_argument ? 1 : 0) + (piece->precision_argument ? 1 : 0);
        wanted_count += needed;
        for (unsigned k = 0; k < needed && next < arguments->count; k++, next++)
            infer_as(in, arguments->items[next], k + 1 == needed ? wanted : SYN_TYPE_LONG);
    }
    for (unsigned i = next; i < arguments->count; i++)
        infer_expr(in, arguments->items[i]);
    if (wanted_count != arguments->count - 1 && reporting(in))
        syn_error(diagnostics_of(in), &expr->location,
                  "wrong number of arguments to %s(): the format needs %u, %u given", expr->call.name,
                  wanted_count, arguments->count - 1);
    syn_format_release(&format);
}

static void infer_printed(inferrer *in, syn_expr *argument)
{
    syn_type type = infer_expr(in, argument);
    const syn_builtin *called = argument->kind == SYN_EXPR_CALL && !argument->call.function
                                    ? syn_builtin_lookup(argument->call.name) : NULL;
    if (called && called->return_type == SYN_TYPE_UNKNOWN && reporting(in))
        syn_error(diagnostics_of(in), &argument->location, "%s() gives no value to print", called->name);
    if (type == SYN_TYPE_STATS && reporting(in)) {
        const syn_symbol *symbol = argument->kind == SYN_EXPR_SYMBOL ? argument->symbol.symbol
                                 : argument->kind == SYN_EXPR_INDEX ? argument->index.base->symbol.symbol
                                                                     : NULL;
        if (symbol)
            report_statistic_misuse(in, symbol, &argument->location);
    }
}

static syn_type infer_builtin_call(inferrer *in, syn_expr *expr, const syn_builtin *builtin)
{
    syn_expr_list *arguments = &expr->call.arguments;
    switch (builtin->kind) {
    case SYN_BUILTIN_FORMAT:
        if (arguments->count)
            check_format(in, expr);
        break;
    case SYN_BUILTIN_PRINT:
        for (unsigned i = 0; i < arguments->count; i++)
            infer_printed(in, arguments->items[i]);
        break;
    case SYN_BUILTIN_DELIMITED:
        if (arguments->count && !is_literal_string(arguments->items[0]) && reporting(in))
            syn_error(diagnostics_of(in), &arguments->items[0]->location,
                      "the delimiter of %s() must be a literal string", builtin->name);
        for (unsigned i = 0; i < arguments->count; i++) {
            syn_type type = infer_expr(in, arguments->items[i]);
            if (i == 0)
                expect(in, arguments->items[i], SYN_TYPE_STRING);
            else if (type == SYN_TYPE_STATS || type == SYN_TYPE_HISTOGRAM)
                expect(in, arguments->items[i], SYN_TYPE_LONG);
        }
        break;
    case SYN_BUILTIN_PLAIN:
        for (unsigned i = 0; i < arguments->count; i++) {
            unsigned parameter = i < SYN_BUILTIN_MAX_PARAMETERS ? i : SYN_BUILTIN_MAX_PARAMETERS - 1;
            infer_as(in, arguments->items[i], builtin->parameters[parameter]);
        }
        break;
    }
    return builtin->return_type;
}

static syn_type infer_call(inferrer *in, syn_expr *expr)
{
    syn_function_info *info = function_info(expr);
    if (!info && expr->call.host_function) {
        const syn_host_signature *host = &in->checker->options->host_functions[expr->call.host_function - 1];
        for (unsigned i = 0; i < expr->call.arguments.count && i < host->parameter_count; i++)
            infer_as(in, expr->call.arguments.items[i], host->parameters[i]);
        return host->return_type;
    }
    if (!info) {
        const syn_builtin *builtin = syn_builtin_lookup(expr->call.name);
        if (builtin)
            return infer_builtin_call(in, expr, builtin);
        for (unsigned i = 0; i < expr->call.arguments.count; i++)
            infer_expr(in, expr->call.arguments.items[i]);
        return SYN_TYPE_UNKNOWN;
    }
    for (unsigned i = 0; i < expr->call.arguments.count; i++) {
        syn_expr *argument = expr->call.arguments.items[i];
        syn_symbol *parameter = info->parameters[i];
        syn_type type = infer_expr(in, argument);
        if (type == SYN_TYPE_UNKNOWN)
            expect(in, argument, parameter->type);
        else if (type == SYN_TYPE_STATS || type == SYN_TYPE_HISTOGRAM)
            expect(in, argument, parameter->type ? parameter->type : SYN_TYPE_LONG);
        else if (parameter->type == SYN_TYPE_UNKNOWN)
            syn_unify_symbol(in->checker, parameter, type, &argument->location);
        else if (parameter->type != type && reporting(in))
            syn_error(diagnostics_of(in), &argument->location,
                      "type mismatch: argument %u of %s() is a %s, but '%s' takes a %s", i + 1,
                      expr->call.name, syn_type_name(type), parameter->name, syn_type_name(parameter->type));
    }
    return info->return_type;
}

static syn_type infer_index(inferrer *in, syn_expr *expr)
{
    syn_expr *base = expr->index.base;
    if (base->kind == SYN_EXPR_SYMBOL) {
        syn_symbol *array = base->symbol.symbol;
        for (unsigned i = 0; i < expr->index.keys.count; i++)
            unify_key(in, array, i, expr->index.keys.items[i]);
        return array ? array->type : SYN_TYPE_UNKNOWN;
    }
    syn_type base_type = infer_expr(in, base);
    for (unsigned i = 0; i < expr->index.keys.count; i++)
        infer_as(in, expr->index.keys.items[i], SYN_TYPE_LONG);
    if (base_type != SYN_TYPE_HISTOGRAM)
        expect(in, base, SYN_TYPE_LONG);
    return SYN_TYPE_LONG;
}

static syn_type infer_binary(inferrer *in, syn_expr *expr)
{
    switch (expr->binary.op) {
    case SYN_OP_LESS:
    case SYN_OP_GREATER:
    case SYN_OP_LESS_EQUAL:
    case SYN_OP_GREATER_EQUAL:
    case SYN_OP_EQUAL:
    case SYN_OP_NOT_EQUAL:
        unify_sides(in, expr->binary.left, expr->binary.right, &expr->location);
        return SYN_TYPE_LONG;
    case SYN_OP_CONCAT:
        infer_as(in, expr->binary.left, SYN_TYPE_STRING);
        infer_as(in, expr->binary.right, SYN_TYPE_STRING);
        return SYN_TYPE_STRING;
    case SYN_OP_REGEX_MATCH:
    case SYN_OP_REGEX_NO_MATCH:
        infer_as(in, expr->binary.left, SYN_TYPE_STRING);
        infer_as(in, expr->binary.right, SYN_TYPE_STRING);
        return SYN_TYPE_LONG;
    default:
        infer_as(in, expr->binary.left, SYN_TYPE_LONG);
        infer_as(in, expr->binary.right, SYN_TYPE_LONG);
        return SYN_TYPE_LONG;
    }
}

static syn_type infer_assign(inferrer *in, syn_expr *expr)
{
    syn_expr *left = expr->binary.left;
    syn_expr *right = expr->binary.right;
    switch (expr->binary.op) {
    case SYN_OP_ASSIGN: {
        syn_type left_type = infer_expr(in, left);
        if (left_type == SYN_TYPE_STATS) {
            infer_expr(in, right);
            if (reporting(in))
                syn_error(diagnostics_of(in), &expr->location,
                          "a statistic cannot be assigned with '='; add values with '<<<'");
            return SYN_TYPE_UNKNOWN;
        }
        return unify_sides(in, left, right, &expr->location);
    }
    case SYN_OP_AGGREGATE:
        infer_expr(in, left);
        expect(in, left, SYN_TYPE_STATS);
        infer_as(in, right, SYN_TYPE_LONG);
        return SYN_TYPE_LONG;
    case SYN_OP_CONCAT_ASSIGN:
        infer_as(in, left, SYN_TYPE_STRING);
        infer_as(in, right, SYN_TYPE_STRING);
        return SYN_TYPE_STRING;
    default:
        infer_as(in, left, SYN_TYPE_LONG);
        infer_as(in, right, SYN_TYPE_LONG);
        return SYN_TYPE_LONG;
    }
}

static syn_type infer_stat(inferrer *in, syn_expr *expr)
{
    infer_expr(in, expr->stat.operand);
    expect(in, expr->stat.operand, SYN_TYPE_STATS);
    for (unsigned i = 0; i < expr->stat.parameters.count; i++)
        infer_as(in, expr->stat.parameters.items[i], SYN_TYPE_LONG);
    if (expr->stat.op == SYN_STAT_HIST_LOG || expr->stat.op == SYN_STAT_HIST_LINEAR)
        return SYN_TYPE_HISTOGRAM;
    return SYN_TYPE_LONG;
}

static syn_type infer_kind(inferrer *in, syn_expr *expr)
{
    switch (expr->kind) {
    case SYN_EXPR_NUMBER: return SYN_TYPE_LONG;
    case SYN_EXPR_STRING: return SYN_TYPE_STRING;
    case SYN_EXPR_SYMBOL: return expr->symbol.symbol ? expr->symbol.symbol->type : SYN_TYPE_UNKNOWN;
    case SYN_EXPR_TARGET: return expr->target.context ? SYN_TYPE_STRING : SYN_TYPE_LONG;
    case SYN_EXPR_INDEX: return infer_index(in, expr);
    case SYN_EXPR_MEMBER:
        infer_expr(in, expr->member.base);
        return SYN_TYPE_LONG;
    case SYN_EXPR_CALL: return infer_call(in, expr);
    case SYN_EXPR_UNARY:
    case SYN_EXPR_PREFIX:
    case SYN_EXPR_POSTFIX:
        return infer_as(in, expr->unary.operand, SYN_TYPE_LONG);
    case SYN_EXPR_BINARY: return infer_binary(in, expr);
    case SYN_EXPR_LOGICAL:
        infer_as(in, expr->binary.left, SYN_TYPE_LONG);
        infer_as(in, expr->binary.right, SYN_TYPE_LONG);
        return SYN_TYPE_LONG;
    case SYN_EXPR_ASSIGN: return infer_assign(in, expr);
    case SYN_EXPR_TERNARY: {
        infer_as(in, expr->ternary.condition, SYN_TYPE_LONG);
        int value = syn_static_condition(expr->ternary.condition);
        if (value >= 0)
            return infer_expr(in, value ? expr->ternary.then_value : expr->ternary.else_value);
        return unify_sides(in, expr->ternary.then_value, expr->ternary.else_value, &expr->location);
    }
    case SYN_EXPR_IN: {
        syn_symbol *array = expr->in.array->symbol.symbol;
        for (unsigned i = 0; i < expr->in.keys.count; i++)
            unify_key(in, array, i, expr->in.keys.items[i]);
        return SYN_TYPE_LONG;
    }
    case SYN_EXPR_STAT: return infer_stat(in, expr);
    case SYN_EXPR_CAST: return infer_as(in, expr->cast.operand, SYN_TYPE_LONG);
    case SYN_EXPR_VAR: return SYN_TYPE_LONG;
    case SYN_EXPR_DEFINED: return SYN_TYPE_LONG;
    case SYN_EXPR_ENTRY: return infer_expr(in, expr->wrap.operand);
    case SYN_EXPR_CHOOSE_DEFINED:
        return unify_sides(in, expr->choose.first, expr->choose.second, &expr->location);
    case SYN_EXPR_PRETTY:
        infer_expr(in, expr->pretty.operand);
        return SYN_TYPE_STRING;
    case SYN_EXPR_EMBEDDED: return SYN_TYPE_LONG;
    }
    return SYN_TYPE_UNKNOWN;
}

static syn_type infer_expr(inferrer *in, syn_expr *expr)
{
    expr->type = infer_kind(in, expr);
    return expr->type;
}

static void infer_foreach(inferrer *in, syn_stmt *stmt)
{
    syn_expr *array_expr = stmt->foreach.array;
    syn_symbol *array = array_expr->kind == SYN_EXPR_SYMBOL ? array_expr->symbol.symbol
                                                             : array_expr->index.base->symbol.symbol;
    if (array_expr->kind == SYN_EXPR_INDEX) {
        for (unsigned i = 0; i < array_expr->index.keys.count; i++)
            unify_key(in, array, i, array_expr->index.keys.items[i]);
    }
    for (unsigned i = 0; i < stmt->foreach.keys.count; i++)
        unify_key(in, array, i, stmt->foreach.keys.items[i]);
    if (array && stmt->foreach.value) {
        if (array->type == SYN_TYPE_STATS) {
            if (reporting(in))
                syn_error(diagnostics_of(in), &stmt->foreach.value->location,
                          "a foreach value variable cannot iterate a statistics array; use @count(%s[...]) and friends",
                          array->name);
        } else {
            infer_expr(in, stmt->foreach.value);
            expect(in, stmt->foreach.value, array->type);
            syn_unify_symbol(in->checker, array, stmt->foreach.value->type, &stmt->foreach.value->location);
        }
    }
    if (array && stmt->foreach.sort.aggregate && array->type != SYN_TYPE_STATS &&
        array->type != SYN_TYPE_UNKNOWN && reporting(in))
        syn_error(diagnostics_of(in), &array_expr->location, "sorting on @%s needs a statistics array",
                  syn_stat_op_name(stmt->foreach.sort.aggregate));
    if (stmt->foreach.limit)
        infer_as(in, stmt->foreach.limit, SYN_TYPE_LONG);
    infer_stmt(in, stmt->foreach.body);
}

static void infer_optional(inferrer *in, syn_expr *expr, syn_type type)
{
    if (!expr)
        return;
    if (type == SYN_TYPE_UNKNOWN)
        infer_expr(in, expr);
    else
        infer_as(in, expr, type);
}

static void infer_return(inferrer *in, syn_stmt *stmt)
{
    syn_function_info *info = in->scope->function;
    if (!stmt->expr || !info)
        return;
    syn_type type = infer_expr(in, stmt->expr);
    if (info->return_type == SYN_TYPE_UNKNOWN) {
        if (type == SYN_TYPE_LONG || type == SYN_TYPE_STRING) {
            info->return_type = type;
            info->return_location = stmt->expr->location;
            in->checker->changed = true;
        }
        return;
    }
    expect(in, stmt->expr, info->return_type);
}

static void infer_stmt(inferrer *in, syn_stmt *stmt)
{
    switch (stmt->kind) {
    case SYN_STMT_BLOCK:
        for (unsigned i = 0; i < stmt->block.count; i++)
            infer_stmt(in, stmt->block.items[i]);
        break;
    case SYN_STMT_EXPR:
    case SYN_STMT_DELETE:
        infer_expr(in, stmt->expr);
        break;
    case SYN_STMT_IF: {
        infer_as(in, stmt->if_.condition, SYN_TYPE_LONG);
        int value = syn_static_condition(stmt->if_.condition);
        if (value != 0)
            infer_stmt(in, stmt->if_.then_branch);
        if (stmt->if_.else_branch && value != 1)
            infer_stmt(in, stmt->if_.else_branch);
        break;
    }
    case SYN_STMT_WHILE:
        infer_as(in, stmt->while_.condition, SYN_TYPE_LONG);
        infer_stmt(in, stmt->while_.body);
        break;
    case SYN_STMT_FOR:
        infer_optional(in, stmt->for_.init, SYN_TYPE_UNKNOWN);
        infer_optional(in, stmt->for_.condition, SYN_TYPE_LONG);
        infer_optional(in, stmt->for_.step, SYN_TYPE_UNKNOWN);
        infer_stmt(in, stmt->for_.body);
        break;
    case SYN_STMT_FOREACH:
        infer_foreach(in, stmt);
        break;
    case SYN_STMT_RETURN:
        infer_return(in, stmt);
        break;
    case SYN_STMT_TRY:
        infer_stmt(in, stmt->try_.body);
        if (stmt->try_.variable)
            syn_unify_symbol(in->checker, stmt->try_.variable->symbol.symbol, SYN_TYPE_STRING,
                             &stmt->try_.variable->location);
        infer_stmt(in, stmt->try_.handler);
        break;
    default:
        break;
    }
}

void syn_infer_function(syn_checker *checker, syn_function_info *info)
{
    syn_scope scope = {.locals = &info->locals, .function = info, .file = info->file};
    inferrer in = {.checker = checker, .scope = &scope};
    infer_stmt(&in, info->function->body);
}

void syn_infer_probe(syn_checker *checker, syn_derived_probe *probe)
{
    syn_scope scope = {.locals = &probe->locals, .probe = probe, .file = probe->file};
    inferrer in = {.checker = checker, .scope = &scope};
    if (probe->condition)
        infer_as(&in, probe->condition, SYN_TYPE_LONG);
    infer_stmt(&in, probe->body);
}
