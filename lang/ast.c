#include "lang/ast.h"

#include <string.h>

static const char *const type_names[] = {
    [SYN_TYPE_UNKNOWN] = "unknown",
    [SYN_TYPE_LONG] = "long",
    [SYN_TYPE_STRING] = "string",
    [SYN_TYPE_STATS] = "stats",
    [SYN_TYPE_HISTOGRAM] = "histogram",
};

const char *syn_type_name(syn_type type)
{
    return type_names[type];
}

static const char *const operator_spellings[] = {
    [SYN_OP_NONE] = "?",
    [SYN_OP_ADD] = "+", [SYN_OP_SUBTRACT] = "-", [SYN_OP_MULTIPLY] = "*",
    [SYN_OP_DIVIDE] = "/", [SYN_OP_MODULO] = "%", [SYN_OP_SHIFT_LEFT] = "<<",
    [SYN_OP_SHIFT_RIGHT] = ">>", [SYN_OP_UNSIGNED_SHIFT_RIGHT] = ">>>",
    [SYN_OP_BIT_AND] = "&", [SYN_OP_BIT_OR] = "|", [SYN_OP_BIT_XOR] = "^",
    [SYN_OP_LESS] = "<", [SYN_OP_GREATER] = ">", [SYN_OP_LESS_EQUAL] = "<=",
    [SYN_OP_GREATER_EQUAL] = ">=", [SYN_OP_EQUAL] = "==", [SYN_OP_NOT_EQUAL] = "!=",
    [SYN_OP_CONCAT] = ".", [SYN_OP_REGEX_MATCH] = "=~", [SYN_OP_REGEX_NO_MATCH] = "!~",
    [SYN_OP_LOGICAL_AND] = "&&", [SYN_OP_LOGICAL_OR] = "||",
    [SYN_OP_NEGATE] = "-", [SYN_OP_PLUS] = "+", [SYN_OP_NOT] = "!", [SYN_OP_BIT_NOT] = "~",
    [SYN_OP_ADDRESS_OF] = "&", [SYN_OP_INCREMENT] = "++", [SYN_OP_DECREMENT] = "--",
    [SYN_OP_ASSIGN] = "=", [SYN_OP_ADD_ASSIGN] = "+=", [SYN_OP_SUBTRACT_ASSIGN] = "-=",
    [SYN_OP_MULTIPLY_ASSIGN] = "*=", [SYN_OP_DIVIDE_ASSIGN] = "/=",
    [SYN_OP_MODULO_ASSIGN] = "%=", [SYN_OP_SHIFT_LEFT_ASSIGN] = "<<=",
    [SYN_OP_SHIFT_RIGHT_ASSIGN] = ">>=", [SYN_OP_AND_ASSIGN] = "&=",
    [SYN_OP_OR_ASSIGN] = "|=", [SYN_OP_XOR_ASSIGN] = "^=", [SYN_OP_CONCAT_ASSIGN] = ".=",
    [SYN_OP_AGGREGATE] = "<<<",
};

const char *syn_operator_spelling(syn_operator op)
{
    return operator_spellings[op];
}

syn_operator syn_operator_of_assignment(syn_operator op)
{
    switch (op) {
    case SYN_OP_ADD_ASSIGN: return SYN_OP_ADD;
    case SYN_OP_SUBTRACT_ASSIGN: return SYN_OP_SUBTRACT;
    case SYN_OP_MULTIPLY_ASSIGN: return SYN_OP_MULTIPLY;
    case SYN_OP_DIVIDE_ASSIGN: return SYN_OP_DIVIDE;
    case SYN_OP_MODULO_ASSIGN: return SYN_OP_MODULO;
    case SYN_OP_SHIFT_LEFT_ASSIGN: return SYN_OP_SHIFT_LEFT;
    case SYN_OP_SHIFT_RIGHT_ASSIGN: return SYN_OP_SHIFT_RIGHT;
    case SYN_OP_AND_ASSIGN: return SYN_OP_BIT_AND;
    case SYN_OP_OR_ASSIGN: return SYN_OP_BIT_OR;
    case SYN_OP_XOR_ASSIGN: return SYN_OP_BIT_XOR;
    case SYN_OP_CONCAT_ASSIGN: return SYN_OP_CONCAT;
    default: return SYN_OP_NONE;
    }
}

static const char *const stat_op_names[] = {
    [SYN_STAT_NONE] = "", [SYN_STAT_COUNT] = "count", [SYN_STAT_SUM] = "sum",
    [SYN_STAT_MIN] = "min", [SYN_STAT_MAX] = "max", [SYN_STAT_AVG] = "avg",
    [SYN_STAT_VARIANCE] = "variance", [SYN_STAT_HIST_LOG] = "hist_log",
    [SYN_STAT_HIST_LINEAR] = "hist_linear",
};

const char *syn_stat_op_name(syn_stat_op op)
{
    return stat_op_names[op];
}

syn_stat_op syn_stat_op_lookup(const char *name)
{
    for (int op = SYN_STAT_COUNT; op <= SYN_STAT_HIST_LINEAR; op++) {
        if (strcmp(stat_op_names[op], name) == 0)
            return (syn_stat_op)op;
    }
    return SYN_STAT_NONE;
}

syn_expr *syn_expr_new(syn_arena *arena, syn_expr_kind kind, syn_location location)
{
    syn_expr *expr = syn_arena_alloc(arena, sizeof(*expr));
    expr->kind = kind;
    expr->location = location;
    return expr;
}

syn_stmt *syn_stmt_new(syn_arena *arena, syn_stmt_kind kind, syn_location location)
{
    syn_stmt *stmt = syn_arena_alloc(arena, sizeof(*stmt));
    stmt->kind = kind;
    stmt->location = location;
    return stmt;
}

/* Lists in the arena grow by copying into a larger block; the old block is
 * simply abandoned, which the arena makes free. */
static void *grow(syn_arena *arena, void *items, unsigned count, unsigned *capacity, size_t size)
{
    if (count < *capacity)
        return items;
    unsigned grown = *capacity ? *capacity * 2 : 4;
    void *copy = syn_arena_alloc(arena, grown * size);
    if (count)
        memcpy(copy, items, count * size);
    *capacity = grown;
    return copy;
}

void syn_expr_list_append(syn_arena *arena, syn_expr_list *list, syn_expr *expr)
{
    list->items = grow(arena, list->items, list->count, &list->capacity, sizeof(*list->items));
    list->items[list->count++] = expr;
}

void syn_stmt_list_append(syn_arena *arena, syn_stmt_list *list, syn_stmt *stmt)
{
    list->items = grow(arena, list->items, list->count, &list->capacity, sizeof(*list->items));
    list->items[list->count++] = stmt;
}

void syn_probe_point_list_append(syn_arena *arena, syn_probe_point_list *list, syn_probe_point *point)
{
    list->items = grow(arena, list->items, list->count, &list->capacity, sizeof(*list->items));
    list->items[list->count++] = point;
}

void syn_file_append(syn_arena *arena, syn_file *file, syn_item item)
{
    file->items = grow(arena, file->items, file->count, &file->capacity, sizeof(*file->items));
    file->items[file->count++] = item;
}

static unsigned deepest(unsigned depth, const syn_expr *expr)
{
    return expr && expr->depth + 1 > depth ? expr->depth + 1 : depth;
}

static unsigned deepest_list(unsigned depth, const syn_expr_list *list)
{
    for (unsigned i = 0; i < list->count; i++)
        depth = deepest(depth, list->items[i]);
    return depth;
}

void syn_expr_update_depth(syn_expr *expr)
{
    unsigned depth = 0;
    switch (expr->kind) {
    case SYN_EXPR_INDEX:
        depth = deepest_list(deepest(depth, expr->index.base), &expr->index.keys);
        break;
    case SYN_EXPR_MEMBER: depth = deepest(depth, expr->member.base); break;
    case SYN_EXPR_CALL: depth = deepest_list(depth, &expr->call.arguments); break;
    case SYN_EXPR_UNARY:
    case SYN_EXPR_PREFIX:
    case SYN_EXPR_POSTFIX: depth = deepest(depth, expr->unary.operand); break;
    case SYN_EXPR_BINARY:
    case SYN_EXPR_LOGICAL:
    case SYN_EXPR_ASSIGN:
        depth = deepest(deepest(depth, expr->binary.left), expr->binary.right);
        break;
    case SYN_EXPR_TERNARY:
        depth = deepest(depth, expr->ternary.condition);
        depth = deepest(depth, expr->ternary.then_value);
        depth = deepest(depth, expr->ternary.else_value);
        break;
    case SYN_EXPR_IN: depth = deepest_list(deepest(depth, expr->in.array), &expr->in.keys); break;
    case SYN_EXPR_STAT:
        depth = deepest_list(deepest(depth, expr->stat.operand), &expr->stat.parameters);
        break;
    case SYN_EXPR_CAST: depth = deepest(depth, expr->cast.operand); break;
    case SYN_EXPR_DEFINED:
    case SYN_EXPR_ENTRY: depth = deepest(depth, expr->wrap.operand); break;
    case SYN_EXPR_CHOOSE_DEFINED:
        depth = deepest(deepest(depth, expr->choose.first), expr->choose.second);
        break;
    case SYN_EXPR_PRETTY: depth = deepest(depth, expr->pretty.operand); break;
    default: break;
    }
    expr->depth = depth;
}

static unsigned deepest_stmt(unsigned depth, const syn_stmt *stmt)
{
    return stmt && stmt->depth + 1 > depth ? stmt->depth + 1 : depth;
}

void syn_stmt_update_depth(syn_stmt *stmt)
{
    unsigned depth = 0;
    switch (stmt->kind) {
    case SYN_STMT_BLOCK:
        for (unsigned i = 0; i < stmt->block.count; i++)
            depth = deepest_stmt(depth, stmt->block.items[i]);
        break;
    case SYN_STMT_EXPR:
    case SYN_STMT_RETURN:
    case SYN_STMT_DELETE: depth = deepest(depth, stmt->expr); break;
    case SYN_STMT_IF:
        depth = deepest(depth, stmt->if_.condition);
        depth = deepest_stmt(depth, stmt->if_.then_branch);
        depth = deepest_stmt(depth, stmt->if_.else_branch);
        break;
    case SYN_STMT_WHILE:
        depth = deepest_stmt(deepest(depth, stmt->while_.condition), stmt->while_.body);
        break;
    case SYN_STMT_FOR:
        depth = deepest(depth, stmt->for_.init);
        depth = deepest(depth, stmt->for_.condition);
        depth = deepest(depth, stmt->for_.step);
        depth = deepest_stmt(depth, stmt->for_.body);
        break;
    case SYN_STMT_FOREACH:
        depth = deepest(depth, stmt->foreach.array);
        depth = deepest(depth, stmt->foreach.limit);
        depth = deepest_stmt(depth, stmt->foreach.body);
        break;
    case SYN_STMT_TRY:
        depth = deepest_stmt(deepest_stmt(depth, stmt->try_.body), stmt->try_.handler);
        break;
    default: break;
    }
    stmt->depth = depth;
}
