#include "lang/print.h"

#include <inttypes.h>

void syn_print_string_literal(syn_buffer *out, const char *text, size_t length)
{
    syn_buffer_append_char(out, '"');
    for (size_t i = 0; i < length; i++) {
        unsigned char byte = (unsigned char)text[i];
        switch (byte) {
        case '"': syn_buffer_append_string(out, "\\\""); break;
        case '\\': syn_buffer_append_string(out, "\\\\"); break;
        case '\n': syn_buffer_append_string(out, "\\n"); break;
        case '\t': syn_buffer_append_string(out, "\\t"); break;
        case '\r': syn_buffer_append_string(out, "\\r"); break;
        default:
            if (byte < 0x20 || byte == 0x7f)
                syn_buffer_printf(out, "\\%03o", byte);
            else
                syn_buffer_append_char(out, (char)byte);
        }
    }
    syn_buffer_append_char(out, '"');
}

/* A literal that is negative in an expression came from a value past
 * INT64_MAX (0xffffffffffffffff); printing it unsigned keeps it one literal
 * instead of becoming a unary minus when parsed again. */
static void print_number(syn_buffer *out, int64_t value)
{
    if (value < 0)
        syn_buffer_printf(out, "%" PRIu64, (uint64_t)value);
    else
        syn_buffer_printf(out, "%" PRId64, value);
}

/* Literals where the grammar folds a leading '-': initialisers and probe
 * point arguments. */
static void print_signed_literal(syn_buffer *out, const syn_expr *expr)
{
    if (expr->kind == SYN_EXPR_NUMBER)
        syn_buffer_printf(out, "%" PRId64, expr->number);
    else
        syn_print_string_literal(out, expr->string.data, expr->string.length);
}

static void print_parenthesised(syn_buffer *out, const syn_expr *expr)
{
    syn_buffer_append_char(out, '(');
    syn_print_expr(out, expr);
    syn_buffer_append_char(out, ')');
}

static void print_list(syn_buffer *out, const syn_expr_list *list)
{
    for (unsigned i = 0; i < list->count; i++) {
        if (i > 0)
            syn_buffer_append_string(out, ", ");
        if (list->items[i])
            syn_print_expr(out, list->items[i]);
        else
            syn_buffer_append_char(out, '*');
    }
}

/* Bases of [..], -> and $ that need no parentheses to stay postfix. */
static bool is_postfix_base(const syn_expr *expr)
{
    switch (expr->kind) {
    case SYN_EXPR_SYMBOL:
    case SYN_EXPR_TARGET:
    case SYN_EXPR_CALL:
    case SYN_EXPR_INDEX:
    case SYN_EXPR_MEMBER:
    case SYN_EXPR_CAST:
    case SYN_EXPR_VAR:
    case SYN_EXPR_STAT:
    case SYN_EXPR_PRETTY:
        return true;
    default:
        return false;
    }
}

static void print_base(syn_buffer *out, const syn_expr *expr)
{
    if (is_postfix_base(expr))
        syn_print_expr(out, expr);
    else
        print_parenthesised(out, expr);
}

static void print_stat(syn_buffer *out, const syn_expr *expr)
{
    syn_buffer_printf(out, "@%s(", syn_stat_op_name(expr->stat.op));
    syn_print_expr(out, expr->stat.operand);
    if (expr->stat.parameters.count) {
        syn_buffer_append_string(out, ", ");
        print_list(out, &expr->stat.parameters);
    }
    syn_buffer_append_char(out, ')');
}

void syn_print_expr(syn_buffer *out, const syn_expr *expr)
{
    switch (expr->kind) {
    case SYN_EXPR_NUMBER:
        print_number(out, expr->number);
        break;
    case SYN_EXPR_STRING:
        syn_print_string_literal(out, expr->string.data, expr->string.length);
        break;
    case SYN_EXPR_SYMBOL:
        syn_buffer_append_string(out, expr->symbol.name);
        break;
    case SYN_EXPR_TARGET:
        syn_buffer_printf(out, "%s%s", expr->target.context ? "$$" : "$", expr->target.name);
        break;
    case SYN_EXPR_INDEX:
        print_base(out, expr->index.base);
        syn_buffer_append_char(out, '[');
        print_list(out, &expr->index.keys);
        syn_buffer_append_char(out, ']');
        break;
    case SYN_EXPR_MEMBER:
        print_base(out, expr->member.base);
        syn_buffer_printf(out, "->%s", expr->member.field);
        break;
    case SYN_EXPR_CALL:
        syn_buffer_printf(out, "%s(", expr->call.name);
        print_list(out, &expr->call.arguments);
        syn_buffer_append_char(out, ')');
        break;
    case SYN_EXPR_UNARY:
    case SYN_EXPR_PREFIX:
        syn_buffer_append_string(out, syn_operator_spelling(expr->unary.op));
        print_parenthesised(out, expr->unary.operand);
        break;
    case SYN_EXPR_POSTFIX:
        print_parenthesised(out, expr->unary.operand);
        syn_buffer_append_string(out, syn_operator_spelling(expr->unary.op));
        break;
    case SYN_EXPR_BINARY:
    case SYN_EXPR_LOGICAL:
    case SYN_EXPR_ASSIGN:
        print_parenthesised(out, expr->binary.left);
        syn_buffer_printf(out, " %s ", syn_operator_spelling(expr->binary.op));
        if (expr->binary.op == SYN_OP_REGEX_MATCH || expr->binary.op == SYN_OP_REGEX_NO_MATCH)
            syn_print_expr(out, expr->binary.right);
        else
            print_parenthesised(out, expr->binary.right);
        break;
    case SYN_EXPR_TERNARY:
        print_parenthesised(out, expr->ternary.condition);
        syn_buffer_append_string(out, " ? ");
        print_parenthesised(out, expr->ternary.then_value);
        syn_buffer_append_string(out, " : ");
        print_parenthesised(out, expr->ternary.else_value);
        break;
    case SYN_EXPR_IN:
        syn_buffer_append_char(out, '[');
        print_list(out, &expr->in.keys);
        syn_buffer_append_string(out, "] in ");
        syn_print_expr(out, expr->in.array);
        break;
    case SYN_EXPR_STAT:
        print_stat(out, expr);
        break;
    case SYN_EXPR_CAST:
        syn_buffer_append_string(out, "@cast(");
        syn_print_expr(out, expr->cast.operand);
        syn_buffer_append_string(out, ", ");
        syn_print_string_literal(out, expr->cast.type_name.data, expr->cast.type_name.length);
        if (expr->cast.module.data) {
            syn_buffer_append_string(out, ", ");
            syn_print_string_literal(out, expr->cast.module.data, expr->cast.module.length);
        }
        syn_buffer_append_char(out, ')');
        break;
    case SYN_EXPR_VAR:
        syn_buffer_append_string(out, "@var(");
        syn_print_string_literal(out, expr->var.name.data, expr->var.name.length);
        if (expr->var.module.data) {
            syn_buffer_append_string(out, ", ");
            syn_print_string_literal(out, expr->var.module.data, expr->var.module.length);
        }
        syn_buffer_append_char(out, ')');
        break;
    case SYN_EXPR_DEFINED:
    case SYN_EXPR_ENTRY:
        syn_buffer_append_string(out, expr->kind == SYN_EXPR_DEFINED ? "@defined(" : "@entry(");
        syn_print_expr(out, expr->wrap.operand);
        syn_buffer_append_char(out, ')');
        break;
    case SYN_EXPR_CHOOSE_DEFINED:
        syn_buffer_append_string(out, "@choose_defined(");
        syn_print_expr(out, expr->choose.first);
        syn_buffer_append_string(out, ", ");
        syn_print_expr(out, expr->choose.second);
        syn_buffer_append_char(out, ')');
        break;
    case SYN_EXPR_PRETTY:
        print_base(out, expr->pretty.operand);
        syn_buffer_append_string(out, expr->pretty.deep ? "$$" : "$");
        break;
    case SYN_EXPR_EMBEDDED:
        syn_buffer_append_string(out, "@const(");
        syn_print_string_literal(out, expr->embedded.code.data, expr->embedded.code.length);
        syn_buffer_append_char(out, ')');
        break;
    }
}

static void print_optional_expr(syn_buffer *out, const syn_expr *expr)
{
    if (expr)
        syn_print_expr(out, expr);
}

static void print_sort_marker(syn_buffer *out, const syn_foreach_sort *sort, int column)
{
    if (sort->direction && sort->column == column)
        syn_buffer_append_char(out, sort->direction > 0 ? '+' : '-');
}

static void print_foreach(syn_buffer *out, const syn_stmt *stmt)
{
    const syn_foreach_sort *sort = &stmt->foreach.sort;
    syn_buffer_append_string(out, "foreach (");
    if (stmt->foreach.value) {
        syn_print_expr(out, stmt->foreach.value);
        syn_buffer_append_string(out, " = ");
    }
    syn_buffer_append_char(out, '[');
    for (unsigned i = 0; i < stmt->foreach.keys.count; i++) {
        if (i > 0)
            syn_buffer_append_string(out, ", ");
        syn_print_expr(out, stmt->foreach.keys.items[i]);
        print_sort_marker(out, sort, (int)i + 1);
    }
    syn_buffer_append_string(out, "] in ");
    syn_print_expr(out, stmt->foreach.array);
    if (sort->direction && sort->column == -1 && sort->aggregate)
        syn_buffer_printf(out, " @%s", syn_stat_op_name(sort->aggregate));
    print_sort_marker(out, sort, -1);
    if (stmt->foreach.limit) {
        syn_buffer_append_string(out, " limit ");
        syn_print_expr(out, stmt->foreach.limit);
    }
    syn_buffer_append_string(out, ") ");
    syn_print_stmt(out, stmt->foreach.body);
}

/* Simple statements end with ';' so that a second parse takes the same
 * statement; compound ones end with their body. */
void syn_print_stmt(syn_buffer *out, const syn_stmt *stmt)
{
    switch (stmt->kind) {
    case SYN_STMT_BLOCK:
        syn_buffer_append_string(out, "{\n");
        for (unsigned i = 0; i < stmt->block.count; i++) {
            syn_print_stmt(out, stmt->block.items[i]);
            syn_buffer_append_char(out, '\n');
        }
        syn_buffer_append_char(out, '}');
        break;
    case SYN_STMT_EXPR:
        syn_print_expr(out, stmt->expr);
        syn_buffer_append_char(out, ';');
        break;
    case SYN_STMT_NULL:
        syn_buffer_append_char(out, ';');
        break;
    case SYN_STMT_IF:
        syn_buffer_append_string(out, "if (");
        syn_print_expr(out, stmt->if_.condition);
        syn_buffer_append_string(out, ") ");
        syn_print_stmt(out, stmt->if_.then_branch);
        if (stmt->if_.else_branch) {
            syn_buffer_append_string(out, "\nelse ");
            syn_print_stmt(out, stmt->if_.else_branch);
        }
        break;
    case SYN_STMT_WHILE:
        syn_buffer_append_string(out, "while (");
        syn_print_expr(out, stmt->while_.condition);
        syn_buffer_append_string(out, ") ");
        syn_print_stmt(out, stmt->while_.body);
        break;
    case SYN_STMT_FOR:
        syn_buffer_append_string(out, "for (");
        print_optional_expr(out, stmt->for_.init);
        syn_buffer_append_string(out, "; ");
        print_optional_expr(out, stmt->for_.condition);
        syn_buffer_append_string(out, "; ");
        print_optional_expr(out, stmt->for_.step);
        syn_buffer_append_string(out, ") ");
        syn_print_stmt(out, stmt->for_.body);
        break;
    case SYN_STMT_FOREACH:
        print_foreach(out, stmt);
        break;
    case SYN_STMT_BREAK:
        syn_buffer_append_string(out, "break;");
        break;
    case SYN_STMT_CONTINUE:
        syn_buffer_append_string(out, "continue;");
        break;
    case SYN_STMT_NEXT:
        syn_buffer_append_string(out, "next;");
        break;
    case SYN_STMT_RETURN:
        syn_buffer_append_string(out, "return");
        if (stmt->expr) {
            syn_buffer_append_char(out, ' ');
            syn_print_expr(out, stmt->expr);
        }
        syn_buffer_append_char(out, ';');
        break;
    case SYN_STMT_DELETE:
        syn_buffer_append_string(out, "delete ");
        syn_print_expr(out, stmt->expr);
        syn_buffer_append_char(out, ';');
        break;
    case SYN_STMT_TRY:
        syn_buffer_append_string(out, "try ");
        syn_print_stmt(out, stmt->try_.body);
        syn_buffer_append_string(out, " catch ");
        if (stmt->try_.variable) {
            syn_buffer_append_char(out, '(');
            syn_print_expr(out, stmt->try_.variable);
            syn_buffer_append_string(out, ") ");
        }
        syn_print_stmt(out, stmt->try_.handler);
        break;
    case SYN_STMT_EMBEDDED:
        syn_buffer_printf(out, "%%{%s%%}", stmt->embedded.data);
        break;
    }
}

void syn_print_probe_point(syn_buffer *out, const syn_probe_point *point)
{
    for (unsigned i = 0; i < point->count; i++) {
        const syn_probe_component *component = &point->components[i];
        if (i > 0)
            syn_buffer_append_char(out, '.');
        syn_buffer_append_string(out, component->name);
        if (component->argument) {
            syn_buffer_append_char(out, '(');
            print_signed_literal(out, component->argument);
            syn_buffer_append_char(out, ')');
        }
    }
    if (point->optional)
        syn_buffer_append_char(out, '?');
    if (point->sufficient)
        syn_buffer_append_char(out, '!');
    if (point->condition) {
        syn_buffer_append_string(out, " if (");
        syn_print_expr(out, point->condition);
        syn_buffer_append_char(out, ')');
    }
}

static void print_points(syn_buffer *out, const syn_probe_point_list *points, const char *separator)
{
    for (unsigned i = 0; i < points->count; i++) {
        if (i > 0)
            syn_buffer_append_string(out, separator);
        syn_print_probe_point(out, points->items[i]);
    }
}

static void print_global(syn_buffer *out, const syn_global *global)
{
    syn_buffer_printf(out, "%sglobal %s%s", global->is_private ? "private " : "", global->name,
                      global->wrap ? "%" : "");
    if (global->is_array) {
        if (global->size)
            syn_buffer_printf(out, "[%" PRId64 "]", global->size);
        else
            syn_buffer_append_string(out, "[]");
    }
    if (global->initializer) {
        syn_buffer_append_string(out, " = ");
        print_signed_literal(out, global->initializer);
    }
    syn_buffer_append_char(out, '\n');
}

static void print_probe(syn_buffer *out, const syn_probe *probe)
{
    syn_buffer_append_string(out, probe->is_private ? "private probe " : "probe ");
    if (probe->kind != SYN_PROBE_PLAIN) {
        print_points(out, &probe->alias_names, ",");
        syn_buffer_append_string(out, probe->kind == SYN_PROBE_ALIAS ? " = " : " += ");
        print_points(out, &probe->points, ", ");
    } else {
        print_points(out, &probe->points, ",");
    }
    syn_print_stmt(out, probe->body);
    if (probe->epilogue) {
        syn_buffer_append_string(out, ", ");
        syn_print_stmt(out, probe->epilogue);
    }
    syn_buffer_append_char(out, '\n');
}

static void print_annotation(syn_buffer *out, syn_type type)
{
    if (type != SYN_TYPE_UNKNOWN)
        syn_buffer_printf(out, ":%s", syn_type_name(type));
}

static void print_function(syn_buffer *out, const syn_function *function)
{
    syn_buffer_printf(out, "%sfunction %s", function->is_private ? "private " : "", function->name);
    print_annotation(out, function->annotation);
    syn_buffer_append_string(out, " (");
    for (unsigned i = 0; i < function->parameter_count; i++) {
        if (i > 0)
            syn_buffer_append_string(out, ", ");
        syn_buffer_append_string(out, function->parameters[i].name);
        print_annotation(out, function->parameters[i].annotation);
    }
    syn_buffer_append_char(out, ')');
    if (function->priority)
        syn_buffer_printf(out, " : %" PRId64, function->priority);
    syn_buffer_append_char(out, '\n');
    syn_print_stmt(out, function->body);
    syn_buffer_append_char(out, '\n');
}

/* Items print grouped as SystemTap prints them: embedded code, globals,
 * aliases, probes, functions; each group in source order. */
void syn_print_file(syn_buffer *out, const syn_file *file)
{
    syn_buffer_printf(out, "# file %s\n", file->source->name);
    for (unsigned i = 0; i < file->count; i++) {
        if (file->items[i].kind == SYN_ITEM_EMBEDDED)
            syn_buffer_printf(out, "%%{%s%%}\n", file->items[i].embedded.code.data);
    }
    for (unsigned i = 0; i < file->count; i++) {
        if (file->items[i].kind == SYN_ITEM_GLOBAL)
            print_global(out, file->items[i].global);
    }
    for (int aliases = 1; aliases >= 0; aliases--) {
        for (unsigned i = 0; i < file->count; i++) {
            const syn_item *item = &file->items[i];
            if (item->kind == SYN_ITEM_PROBE && (item->probe->kind != SYN_PROBE_PLAIN) == aliases)
                print_probe(out, item->probe);
        }
    }
    for (unsigned i = 0; i < file->count; i++) {
        if (file->items[i].kind == SYN_ITEM_FUNCTION)
            print_function(out, file->items[i].function);
    }
}
