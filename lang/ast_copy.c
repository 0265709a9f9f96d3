#include "lang/ast_copy.h"

#include <string.h>

static syn_expr_list copy_list(syn_arena *arena, const syn_expr_list *list)
{
    syn_expr_list copy = {0};
    for (unsigned i = 0; i < list->count; i++)
        syn_expr_list_append(arena, &copy, syn_expr_copy(arena, list->items[i]));
    return copy;
}

syn_expr *syn_expr_copy(syn_arena *arena, const syn_expr *expr)
{
    if (!expr)
        return NULL;
    syn_expr *copy = syn_arena_alloc(arena, sizeof(*copy));
    *copy = *expr;
    switch (expr->kind) {
    case SYN_EXPR_SYMBOL:
        copy->symbol.symbol = NULL;
        break;
    case SYN_EXPR_INDEX:
        copy->index.base = syn_expr_copy(arena, expr->index.base);
        copy->index.keys = copy_list(arena, &expr->index.keys);
        break;
    case SYN_EXPR_MEMBER:
        copy->member.base = syn_expr_copy(arena, expr->member.base);
        break;
    case SYN_EXPR_CALL:
        copy->call.arguments = copy_list(arena, &expr->call.arguments);
        copy->call.function = NULL;
        break;
    case SYN_EXPR_UNARY:
    case SYN_EXPR_PREFIX:
    case SYN_EXPR_POSTFIX:
        copy->unary.operand = syn_expr_copy(arena, expr->unary.operand);
        break;
    case SYN_EXPR_BINARY:
    case SYN_EXPR_LOGICAL:
    case SYN_EXPR_ASSIGN:
        copy->binary.left = syn_expr_copy(arena, expr->binary.left);
        copy->binary.right = syn_expr_copy(arena, expr->binary.right);
        break;
    case SYN_EXPR_TERNARY:
        copy->ternary.condition = syn_expr_copy(arena, expr->ternary.condition);
        copy->ternary.then_value = syn_expr_copy(arena, expr->ternary.then_value);
        copy->ternary.else_value = syn_expr_copy(arena, expr->ternary.else_value);
        break;
    case SYN_EXPR_IN:
        copy->in.keys = copy_list(arena, &expr->in.keys);
        copy->in.array = syn_expr_copy(arena, expr->in.array);
        break;
    case SYN_EXPR_STAT:
        copy->stat.operand = syn_expr_copy(arena, expr->stat.operand);
        copy->stat.parameters = copy_list(arena, &expr->stat.parameters);
        break;
    case SYN_EXPR_CAST:
        copy->cast.operand = syn_expr_copy(arena, expr->cast.operand);
        break;
    case SYN_EXPR_DEFINED:
    case SYN_EXPR_ENTRY:
        copy->wrap.operand = syn_expr_copy(arena, expr->wrap.operand);
        break;
    case SYN_EXPR_CHOOSE_DEFINED:
        copy->choose.first = syn_expr_copy(arena, expr->choose.first);
        copy->choose.second = syn_expr_copy(arena, expr->choose.second);
        break;
    case SYN_EXPR_PRETTY:
        copy->pretty.operand = syn_expr_copy(arena, expr->pretty.operand);
        break;
    default:
        break;
    }
    return copy;
}

syn_stmt *syn_stmt_copy(syn_arena *arena, const syn_stmt *stmt)
{
    if (!stmt)
        return NULL;
    syn_stmt *copy = syn_arena_alloc(arena, sizeof(*copy));
    *copy = *stmt;
    switch (stmt->kind) {
    case SYN_STMT_BLOCK:
        memset(&copy->block, 0, sizeof(copy->block));
        for (unsigned i = 0; i < stmt->block.count; i++)
            syn_stmt_list_append(arena, &copy->block, syn_stmt_copy(arena, stmt->block.items[i]));
        break;
    case SYN_STMT_EXPR:
    case SYN_STMT_RETURN:
    case SYN_STMT_DELETE:
        copy->expr = syn_expr_copy(arena, stmt->expr);
        break;
    case SYN_STMT_IF:
        copy->if_.condition = syn_expr_copy(arena, stmt->if_.condition);
        copy->if_.then_branch = syn_stmt_copy(arena, stmt->if_.then_branch);
        copy->if_.else_branch = syn_stmt_copy(arena, stmt->if_.else_branch);
        break;
    case SYN_STMT_WHILE:
        copy->while_.condition = syn_expr_copy(arena, stmt->while_.condition);
        copy->while_.body = syn_stmt_copy(arena, stmt->while_.body);
        break;
    case SYN_STMT_FOR:
        copy->for_.init = syn_expr_copy(arena, stmt->for_.init);
        copy->for_.condition = syn_expr_copy(arena, stmt->for_.condition);
        copy->for_.step = syn_expr_copy(arena, stmt->for_.step);
        copy->for_.body = syn_stmt_copy(arena, stmt->for_.body);
        break;
    case SYN_STMT_FOREACH:
        copy->foreach.value = syn_expr_copy(arena, stmt->foreach.value);
        copy->foreach.keys = copy_list(arena, &stmt->foreach.keys);
        copy->foreach.array = syn_expr_copy(arena, stmt->foreach.array);
        copy->foreach.limit = syn_expr_copy(arena, stmt->foreach.limit);
        copy->foreach.body = syn_stmt_copy(arena, stmt->foreach.body);
        break;
    case SYN_STMT_TRY:
        copy->try_.body = syn_stmt_copy(arena, stmt->try_.body);
        copy->try_.variable = syn_expr_copy(arena, stmt->try_.variable);
        copy->try_.handler = syn_stmt_copy(arena, stmt->try_.handler);
        break;
    default:
        break;
    }
    return copy;
}
