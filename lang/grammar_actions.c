#include "lang/grammar_actions.h"

#include <limits.h>
#include <string.h>

#include "lang/keywords.h"
#include "lang/preprocessor.h"
#include "util/buffer.h"

/* ---- tokens and errors ---------------------------------------------------- */

int parser_next_token(syn_parser *parser, SYN_YYSTYPE *value, syn_location *location)
{
    syn_token token;
    syn_preprocessor_next(parser->preprocessor, &token);
    /* A flood of lexical errors (binary junk) makes the rest of the parse
     * meaningless; end it early. */
    if (syn_diagnostics_saturated(parser->diagnostics))
        token.kind = END_OF_INPUT;
    *location = token.location;
    switch (token.kind) {
    case NUMBER:
    case STAT_OP:
        value->number = token.value.number;
        break;
    default:
        value->text = token.value.text;
        break;
    }
    parser->last_token = token;
    return token.kind;
}

void parser_report_failure(syn_parser *parser, const syn_location *location, const char *message)
{
    parser->syntax_errors++;
    if (strcmp(message, "memory exhausted") == 0)
        syn_error(parser->diagnostics, location, "the script is nested too deeply to parse");
    else
        syn_error(parser->diagnostics, location, "%s", message);
}

/* Bison names tokens by their aliases: "\"identifier\"", "\"probe\"", "'{'".
 * Keywords and punctuation are quoted in messages, descriptions are not. */
static void append_token_name(syn_buffer *out, const char *name)
{
    size_t length = strlen(name);
    if (length >= 2 && name[0] == '"' && name[length - 1] == '"') {
        name++;
        length -= 2;
    }
    if (length >= 2 && name[0] == '\'') {
        syn_buffer_append(out, name, length);
        return;
    }
    bool descriptive = length > 0 && !syn_keyword_lookup(name, length) &&
                       ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '@');
    if (descriptive && name[0] == '@' && !memchr(name, ' ', length) && strncmp(name, "@-", 2) != 0)
        descriptive = false;
    if (!descriptive)
        syn_buffer_append_char(out, '\'');
    syn_buffer_append(out, name, length);
    if (!descriptive)
        syn_buffer_append_char(out, '\'');
}

static void append_found_token(syn_buffer *out, syn_parser *parser, const char *found)
{
    const syn_token *token = &parser->last_token;
    switch (token->kind) {
    case IDENTIFIER:
        syn_buffer_printf(out, "identifier '%s'", token->value.text.data);
        return;
    case TARGET:
        syn_buffer_printf(out, "target variable '$%s'", token->value.text.data);
        return;
    case NUMBER:
        syn_buffer_printf(out, "number %lld", (long long)token->value.number);
        return;
    default:
        append_token_name(out, found);
    }
}

void parser_report_syntax_error(syn_parser *parser, const syn_location *location, const char *found,
                                bool at_end, const char *const *expected, int expected_count)
{
    enum { LISTED_MAX = 6 };
    parser->syntax_errors++;
    if (at_end)
        parser->incomplete = true;
    syn_buffer message;
    syn_buffer_init(&message);
    syn_buffer_append_string(&message, "syntax error: unexpected ");
    if (at_end || !found)
        syn_buffer_append_string(&message, "end of input");
    else
        append_found_token(&message, parser, found);
    const char *closer = NULL;
    for (int i = 0; i < expected_count && at_end; i++) {
        if (strcmp(expected[i], "'}'") == 0 || (!closer && (strcmp(expected[i], "')'") == 0 ||
                                                            strcmp(expected[i], "']'") == 0)))
            closer = expected[i];
    }
    if (closer) {
        syn_buffer_printf(&message, " (missing %s?)", closer);
    } else if (expected_count > 0 && expected_count <= LISTED_MAX) {
        syn_buffer_append_string(&message, ", expected ");
        for (int i = 0; i < expected_count; i++) {
            if (i > 0)
                syn_buffer_append_string(&message, i + 1 == expected_count ? " or " : ", ");
            append_token_name(&message, expected[i]);
        }
    }
    syn_error(parser->diagnostics, location, "%s", message.data);
    syn_buffer_release(&message);
}

/* ---- nesting ------------------------------------------------------------- */

static void report_nesting(syn_parser *parser, const syn_location *location)
{
    if (parser->nesting_reported)
        return;
    parser->nesting_reported = true;
    parser->syntax_errors++;
    syn_error(parser->diagnostics, location, "expressions and statements may nest at most %d deep",
              SYN_MAX_NESTING);
}

void syn_parser_check_expr_depth(syn_parser *parser, syn_expr *expr)
{
    syn_expr_update_depth(expr);
    if (expr->depth > SYN_MAX_NESTING)
        report_nesting(parser, &expr->location);
}

void syn_parser_check_stmt_depth(syn_parser *parser, syn_stmt *stmt)
{
    syn_stmt_update_depth(stmt);
    if (stmt->depth > SYN_MAX_NESTING)
        report_nesting(parser, &stmt->location);
}

static syn_expr *finish_expr(syn_parser *parser, syn_expr *expr)
{
    syn_parser_check_expr_depth(parser, expr);
    return expr;
}

static syn_stmt *finish_stmt(syn_parser *parser, syn_stmt *stmt)
{
    syn_parser_check_stmt_depth(parser, stmt);
    return stmt;
}

/* ---- top level ------------------------------------------------------------ */

static void add_item(syn_parser *parser, syn_item item)
{
    syn_file_append(parser->arena, parser->file, item);
}

void parser_add_embedded(syn_parser *parser, syn_text code, const syn_location *location)
{
    syn_item item = {.kind = SYN_ITEM_EMBEDDED};
    item.embedded.code = code;
    item.embedded.location = *location;
    add_item(parser, item);
}

void parser_mark_private(syn_parser *parser, unsigned first_item, const syn_location *location)
{
    for (unsigned i = first_item; i < parser->file->count; i++) {
        syn_item *item = &parser->file->items[i];
        switch (item->kind) {
        case SYN_ITEM_GLOBAL: item->global->is_private = true; break;
        case SYN_ITEM_FUNCTION: item->function->is_private = true; break;
        case SYN_ITEM_PROBE:
            if (item->probe->kind == SYN_PROBE_PLAIN)
                syn_error(parser->diagnostics, location,
                          "'private' applies to globals, functions and probe aliases, not to probes");
            else
                item->probe->is_private = true;
            break;
        case SYN_ITEM_EMBEDDED: break;
        }
    }
}

void parser_add_global(syn_parser *parser, syn_text name, const syn_location *location,
                       syn_global_shape shape, syn_expr *initializer)
{
    syn_global *global = syn_arena_alloc(parser->arena, sizeof(*global));
    global->name = name.data;
    global->location = *location;
    global->is_array = shape.is_array;
    global->size = shape.size;
    global->wrap = shape.wrap;
    global->initializer = initializer;
    if (initializer && (shape.is_array || shape.wrap))
        syn_error(parser->diagnostics, &initializer->location, "only scalar globals can be initialized");
    add_item(parser, (syn_item){.kind = SYN_ITEM_GLOBAL, .global = global});
}

syn_global_shape parser_global_size(syn_parser *parser, bool wrap, int64_t size,
                                    const syn_location *location)
{
    if (size < 1 || size > INT_MAX) {
        syn_error(parser->diagnostics, location, "array size out of range (1 to %d)", INT_MAX);
        size = 0;
    }
    return (syn_global_shape){.wrap = wrap, .is_array = true, .size = size};
}

int parser_type_name(syn_parser *parser, syn_text name, const syn_location *location)
{
    if (strcmp(name.data, "long") == 0)
        return SYN_TYPE_LONG;
    if (strcmp(name.data, "string") == 0)
        return SYN_TYPE_STRING;
    syn_error(parser->diagnostics, location, "unknown type '%s' (expected long or string)", name.data);
    return SYN_TYPE_UNKNOWN;
}

syn_parameter_list parser_parameters_append(syn_parser *parser, syn_parameter_list list,
                                            syn_parameter parameter)
{
    for (unsigned i = 0; i < list.count; i++) {
        if (strcmp(list.items[i].name, parameter.name) == 0) {
            syn_error(parser->diagnostics, &parameter.location, "duplicate parameter name '%s'",
                      parameter.name);
            break;
        }
    }
    syn_parameter *items = syn_arena_alloc(parser->arena, (list.count + 1) * sizeof(*items));
    if (list.count)
        memcpy(items, list.items, list.count * sizeof(*items));
    items[list.count] = parameter;
    return (syn_parameter_list){.items = items, .count = list.count + 1};
}

int64_t parser_priority(syn_parser *parser, int64_t priority, const syn_location *location)
{
    if (priority < 1) {
        syn_error(parser->diagnostics, location, "a function's priority must be greater than 0");
        return 1;
    }
    return priority;
}

void parser_add_function(syn_parser *parser, syn_text name, const syn_location *location, int type,
                         syn_parameter_list parameters, int64_t priority, syn_stmt *body)
{
    syn_function *function = syn_arena_alloc(parser->arena, sizeof(*function));
    function->name = name.data;
    function->location = *location;
    function->annotation = (syn_type)type;
    function->parameters = parameters.items;
    function->parameter_count = parameters.count;
    function->priority = priority;
    function->body = body;
    add_item(parser, (syn_item){.kind = SYN_ITEM_FUNCTION, .function = function});
}

static void check_alias_names(syn_parser *parser, const syn_probe_point_list *names)
{
    for (unsigned i = 0; i < names->count; i++) {
        const syn_probe_point *name = names->items[i];
        if (name->optional || name->sufficient || name->condition)
            syn_error(parser->diagnostics, &name->location,
                      "a probe alias name cannot be optional, sufficient or conditional");
        for (unsigned c = 0; c < name->count; c++) {
            if (strchr(name->components[c].name, '*'))
                syn_error(parser->diagnostics, &name->components[c].location,
                          "a probe alias name cannot contain wildcards");
        }
    }
}

void parser_add_probe(syn_parser *parser, syn_probe_kind kind, syn_probe_point_list *names,
                      syn_probe_point_list *points, syn_stmt *body, syn_stmt *epilogue,
                      const syn_location *location)
{
    syn_probe *probe = syn_arena_alloc(parser->arena, sizeof(*probe));
    probe->kind = kind;
    probe->location = *location;
    if (names) {
        check_alias_names(parser, names);
        probe->alias_names = *names;
    }
    probe->points = *points;
    probe->body = body;
    probe->epilogue = epilogue;
    add_item(parser, (syn_item){.kind = SYN_ITEM_PROBE, .probe = probe});
}

void parser_add_statements(syn_parser *parser, syn_stmt_list *statements, const syn_location *location)
{
    syn_stmt *body = parser_block(parser, statements, location);
    syn_probe_point *point = syn_arena_alloc(parser->arena, sizeof(*point));
    point->components = syn_arena_alloc(parser->arena, sizeof(*point->components));
    point->components[0] = (syn_probe_component){.name = syn_arena_strdup(parser->arena, "begin"),
                                                 .location = *location};
    point->count = 1;
    point->location = *location;
    syn_probe_point_list points = {0};
    syn_probe_point_list_append(parser->arena, &points, point);
    parser_add_probe(parser, SYN_PROBE_PLAIN, NULL, &points, body, NULL, location);
}

syn_text parser_text(syn_parser *parser, const char *text)
{
    size_t length = strlen(text);
    return (syn_text){.data = syn_arena_strndup(parser->arena, text, length), .length = length};
}

/* In a probe point, `tcp_*` and `**` arrive as separate tokens; they form one
 * component name only when written without spaces between them. */
syn_text parser_join_point_words(syn_parser *parser, syn_text first, const syn_location *first_location,
                                 syn_text second, const syn_location *second_location)
{
    if (first_location->last_line != second_location->first_line ||
        first_location->last_column + 1 != second_location->first_column)
        syn_error(parser->diagnostics, second_location,
                  "probe point component '%s' continues after a space; expected '.', ',', '{' or '('",
                  first.data);
    size_t length = first.length + second.length;
    char *joined = syn_arena_alloc(parser->arena, length + 1);
    memcpy(joined, first.data, first.length);
    memcpy(joined + first.length, second.data, second.length);
    return (syn_text){.data = joined, .length = length};
}

syn_text parser_join_strings(syn_parser *parser, syn_text first, syn_text second)
{
    size_t length = first.length + second.length;
    char *joined = syn_arena_alloc(parser->arena, length + 1);
    memcpy(joined, first.data, first.length);
    memcpy(joined + first.length, second.data, second.length);
    return (syn_text){.data = joined, .length = length};
}

/* ---- statements ------------------------------------------------------------ */

syn_stmt *parser_block(syn_parser *parser, syn_stmt_list *statements, const syn_location *location)
{
    syn_stmt *stmt = syn_stmt_new(parser->arena, SYN_STMT_BLOCK, *location);
    stmt->block = *statements;
    return finish_stmt(parser, stmt);
}

syn_stmt *parser_embedded_statement(syn_parser *parser, syn_text code, const syn_location *location)
{
    syn_stmt *stmt = syn_stmt_new(parser->arena, SYN_STMT_EMBEDDED, *location);
    stmt->embedded = code;
    return stmt;
}

syn_stmt *parser_expr_statement(syn_parser *parser, syn_stmt_kind kind, syn_expr *expr,
                                const syn_location *location)
{
    syn_stmt *stmt = syn_stmt_new(parser->arena, kind, *location);
    stmt->expr = expr;
    return finish_stmt(parser, stmt);
}

syn_stmt *parser_return(syn_parser *parser, syn_expr *value, const syn_location *location)
{
    if (!parser->in_function)
        syn_error(parser->diagnostics, location,
                  "'return' outside a function (a probe ends with 'next')");
    return parser_expr_statement(parser, SYN_STMT_RETURN, value, location);
}

syn_stmt *parser_if(syn_parser *parser, syn_expr *condition, syn_stmt *then_branch,
                    syn_stmt *else_branch, const syn_location *location)
{
    syn_stmt *stmt = syn_stmt_new(parser->arena, SYN_STMT_IF, *location);
    stmt->if_.condition = condition;
    stmt->if_.then_branch = then_branch;
    stmt->if_.else_branch = else_branch;
    return finish_stmt(parser, stmt);
}

syn_stmt *parser_while(syn_parser *parser, syn_expr *condition, syn_stmt *body,
                       const syn_location *location)
{
    syn_stmt *stmt = syn_stmt_new(parser->arena, SYN_STMT_WHILE, *location);
    stmt->while_.condition = condition;
    stmt->while_.body = body;
    return finish_stmt(parser, stmt);
}

syn_stmt *parser_for(syn_parser *parser, syn_expr *init, syn_expr *condition, syn_expr *step,
                     syn_stmt *body, const syn_location *location)
{
    syn_stmt *stmt = syn_stmt_new(parser->arena, SYN_STMT_FOR, *location);
    stmt->for_.init = init;
    stmt->for_.condition = condition;
    stmt->for_.step = step;
    stmt->for_.body = body;
    return finish_stmt(parser, stmt);
}

static void set_sort(syn_parser *parser, syn_foreach_sort *sort, int column, syn_foreach_sort marker,
                     const syn_location *location)
{
    if (!marker.direction)
        return;
    if (sort->direction) {
        syn_error(parser->diagnostics, location, "multiple sort directives");
        return;
    }
    sort->column = column;
    sort->direction = marker.direction;
    sort->aggregate = marker.aggregate;
}

syn_foreach_head parser_foreach_key(syn_parser *parser, syn_foreach_head head, syn_text name,
                                    const syn_location *location, syn_foreach_sort sort,
                                    const syn_location *sort_location)
{
    syn_expr_list_append(parser->arena, &head.keys, parser_symbol(parser, name, location));
    set_sort(parser, &head.sort, (int)head.keys.count, sort, sort_location);
    return head;
}

syn_foreach_head parser_foreach_value(syn_parser *parser, syn_text name, const syn_location *location,
                                      syn_foreach_sort sort, syn_foreach_head keys,
                                      const syn_location *sort_location)
{
    keys.value = parser_symbol(parser, name, location);
    set_sort(parser, &keys.sort, -1, sort, sort_location);
    return keys;
}

syn_stmt *parser_foreach(syn_parser *parser, syn_foreach_head *head, syn_expr *array,
                         syn_foreach_sort tail_sort, syn_expr *limit, syn_stmt *body,
                         const syn_location *location, const syn_location *sort_location)
{
    if (tail_sort.aggregate && !tail_sort.direction)
        syn_error(parser->diagnostics, sort_location,
                  "expected sort directive ('+' or '-') after @%s", syn_stat_op_name(tail_sort.aggregate));
    set_sort(parser, &head->sort, -1, tail_sort, sort_location);
    syn_stmt *stmt = syn_stmt_new(parser->arena, SYN_STMT_FOREACH, *location);
    stmt->foreach.value = head->value;
    stmt->foreach.keys = head->keys;
    stmt->foreach.bracketed = head->bracketed;
    stmt->foreach.array = array;
    stmt->foreach.sort = head->sort;
    stmt->foreach.limit = limit;
    stmt->foreach.body = body;
    return finish_stmt(parser, stmt);
}

syn_stmt *parser_try(syn_parser *parser, syn_stmt *body, syn_expr *variable, syn_stmt *handler,
                     const syn_location *location)
{
    syn_stmt *stmt = syn_stmt_new(parser->arena, SYN_STMT_TRY, *location);
    stmt->try_.body = body;
    stmt->try_.variable = variable;
    stmt->try_.handler = handler;
    return finish_stmt(parser, stmt);
}

/* ---- expressions ----------------------------------------------------------- */

syn_expr *parser_number(syn_parser *parser, int64_t value, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_NUMBER, *location);
    expr->number = value;
    return expr;
}

syn_expr *parser_string(syn_parser *parser, syn_text text, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_STRING, *location);
    expr->string = text;
    return expr;
}

syn_expr *parser_symbol(syn_parser *parser, syn_text name, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_SYMBOL, *location);
    expr->symbol.name = name.data;
    return expr;
}

syn_expr *parser_target(syn_parser *parser, syn_text name, bool context, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_TARGET, *location);
    expr->target.name = name.data;
    expr->target.context = context;
    return expr;
}

syn_expr *parser_call(syn_parser *parser, syn_text name, syn_expr_list *arguments,
                      const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_CALL, *location);
    expr->call.name = name.data;
    expr->call.arguments = *arguments;
    return finish_expr(parser, expr);
}

syn_expr *parser_index(syn_parser *parser, syn_expr *base, syn_expr_list *keys,
                       const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_INDEX, *location);
    expr->index.base = base;
    expr->index.keys = *keys;
    return finish_expr(parser, expr);
}

syn_expr *parser_member(syn_parser *parser, syn_expr *base, syn_text field, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_MEMBER, *location);
    expr->member.base = base;
    expr->member.field = field.data;
    return finish_expr(parser, expr);
}

syn_expr *parser_pretty(syn_parser *parser, syn_expr *operand, bool deep, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_PRETTY, *location);
    expr->pretty.operand = operand;
    expr->pretty.deep = deep;
    return finish_expr(parser, expr);
}

syn_expr *parser_unary(syn_parser *parser, syn_expr_kind kind, int op, syn_expr *operand,
                       const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, kind, *location);
    expr->unary.op = (syn_operator)op;
    expr->unary.operand = operand;
    return finish_expr(parser, expr);
}

syn_expr *parser_binary(syn_parser *parser, syn_expr_kind kind, int op, syn_expr *left,
                        syn_expr *right, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, kind, *location);
    expr->binary.op = (syn_operator)op;
    expr->binary.left = left;
    expr->binary.right = right;
    return finish_expr(parser, expr);
}

syn_expr *parser_regex(syn_parser *parser, int op, syn_expr *left, syn_expr *right,
                       const syn_location *location)
{
    if (right->kind != SYN_EXPR_STRING)
        syn_error(parser->diagnostics, &right->location,
                  "the right side of '%s' must be a literal string (a regular expression)",
                  syn_operator_spelling((syn_operator)op));
    return parser_binary(parser, SYN_EXPR_BINARY, op, left, right, location);
}

syn_expr *parser_ternary(syn_parser *parser, syn_expr *condition, syn_expr *then_value,
                         syn_expr *else_value, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_TERNARY, *location);
    expr->ternary.condition = condition;
    expr->ternary.then_value = then_value;
    expr->ternary.else_value = else_value;
    return finish_expr(parser, expr);
}

syn_expr *parser_in(syn_parser *parser, syn_expr_list *keys, syn_expr *array, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_IN, *location);
    expr->in.keys = *keys;
    expr->in.array = array;
    return finish_expr(parser, expr);
}

syn_expr *parser_stat(syn_parser *parser, syn_stat_op op, syn_expr *operand, syn_expr_list *parameters,
                      const syn_location *location)
{
    unsigned count = parameters ? parameters->count : 0;
    if (op == SYN_STAT_HIST_LINEAR && count != 3)
        syn_error(parser->diagnostics, location,
                  "@hist_linear takes a statistic, the lowest value, the highest value and the bucket width");
    else if (op == SYN_STAT_VARIANCE && count > 1)
        syn_error(parser->diagnostics, location, "@variance takes a statistic and an optional bit shift");
    else if (op != SYN_STAT_HIST_LINEAR && op != SYN_STAT_VARIANCE && count > 0)
        syn_error(parser->diagnostics, location, "@%s takes one statistic", syn_stat_op_name(op));
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_STAT, *location);
    expr->stat.op = op;
    expr->stat.operand = operand;
    if (parameters)
        expr->stat.parameters = *parameters;
    return finish_expr(parser, expr);
}

syn_expr *parser_cast(syn_parser *parser, syn_expr *operand, syn_text type_name, syn_text module,
                      const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_CAST, *location);
    expr->cast.operand = operand;
    expr->cast.type_name = type_name;
    expr->cast.module = module;
    return finish_expr(parser, expr);
}

syn_expr *parser_var(syn_parser *parser, syn_text name, syn_text module, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_VAR, *location);
    expr->var.name = name;
    expr->var.module = module;
    return expr;
}

syn_expr *parser_wrap(syn_parser *parser, syn_expr_kind kind, syn_expr *operand,
                      const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, kind, *location);
    expr->wrap.operand = operand;
    return finish_expr(parser, expr);
}

syn_expr *parser_choose_defined(syn_parser *parser, syn_expr *first, syn_expr *second,
                                const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_CHOOSE_DEFINED, *location);
    expr->choose.first = first;
    expr->choose.second = second;
    return finish_expr(parser, expr);
}

syn_expr *parser_embedded_expr(syn_parser *parser, syn_text code, const syn_location *location)
{
    syn_expr *expr = syn_expr_new(parser->arena, SYN_EXPR_EMBEDDED, *location);
    expr->embedded.code = code;
    return expr;
}
