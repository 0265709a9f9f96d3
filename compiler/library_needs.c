/* What files need and provide, for pulling library files in on demand (see
 * compiler/library.h).  The rules follow the semantic pass's: a private
 * definition is seen only in its own file, functions are told apart by
 * their number of parameters, and an alias matches a point as
 * compiler/aliases.c matches it. */
#include <string.h>

#include "compiler/builtins.h"
#include "compiler/library.h"
#include "compiler/semantic.h"
#include "lang/print.h"
#include "util/buffer.h"
#include "util/memory.h"

typedef struct collector {
    syn_need_list *needs;
    const syn_file *file;
    const syn_function *function;   /* the function being walked, for its parameters */
    const char **bound;             /* the body's foreach and catch variables: locals */
    unsigned bound_count;
    unsigned bound_capacity;
} collector;

void syn_need_list_init(syn_need_list *needs)
{
    memset(needs, 0, sizeof(*needs));
    syn_map_init(&needs->seen);
    syn_arena_init(&needs->keys);
}

void syn_need_list_release(syn_need_list *needs)
{
    free(needs->items);
    syn_map_release(&needs->seen);
    syn_arena_release(&needs->keys);
    memset(needs, 0, sizeof(*needs));
}

static void add_need(syn_need_list *needs, syn_need need)
{
    SYN_GROW(needs->items, needs->capacity, needs->count + 1);
    needs->items[needs->count++] = need;
}

/* A parameter, or a variable a loop or a catch binds in this body: the
 * semantic pass makes it a local (or an error when a global has its name),
 * so it never asks for a library global. */
static bool is_local(const collector *c, const char *name)
{
    for (unsigned i = 0; c->function && i < c->function->parameter_count; i++) {
        if (strcmp(c->function->parameters[i].name, name) == 0)
            return true;
    }
    for (unsigned i = 0; i < c->bound_count; i++) {
        if (strcmp(c->bound[i], name) == 0)
            return true;
    }
    return false;
}

static void bind(collector *c, const syn_expr *variable)
{
    if (!variable || variable->kind != SYN_EXPR_SYMBOL)
        return;
    SYN_GROW(c->bound, c->bound_capacity, c->bound_count + 1);
    c->bound[c->bound_count++] = variable->symbol.name;
}

static void find_bound(collector *c, const syn_stmt *stmt)
{
    if (!stmt)
        return;
    switch (stmt->kind) {
    case SYN_STMT_BLOCK:
        for (unsigned i = 0; i < stmt->block.count; i++)
            find_bound(c, stmt->block.items[i]);
        break;
    case SYN_STMT_IF:
        find_bound(c, stmt->if_.then_branch);
        find_bound(c, stmt->if_.else_branch);
        break;
    case SYN_STMT_WHILE: find_bound(c, stmt->while_.body); break;
    case SYN_STMT_FOR: find_bound(c, stmt->for_.body); break;
    case SYN_STMT_FOREACH:
        for (unsigned i = 0; i < stmt->foreach.keys.count; i++)
            bind(c, stmt->foreach.keys.items[i]);
        bind(c, stmt->foreach.value);
        find_bound(c, stmt->foreach.body);
        break;
    case SYN_STMT_TRY:
        bind(c, stmt->try_.variable);
        find_bound(c, stmt->try_.body);
        find_bound(c, stmt->try_.handler);
        break;
    default:
        break;
    }
}

/* A function or global, once per file that needs it. */
static void need_name(collector *c, syn_need_kind kind, const char *name, unsigned arity)
{
    if (kind == SYN_NEED_GLOBAL && is_local(c, name))
        return;
    char *key = syn_arena_printf(&c->needs->keys, "%d/%u/%p/%s", (int)kind, arity, (const void *)c->file, name);
    if (syn_map_get(&c->needs->seen, key))
        return;
    syn_map_put(&c->needs->seen, key, key);
    add_need(c->needs, (syn_need){.kind = kind, .name = name, .arity = arity, .file = c->file});
}

static void walk_expr(collector *c, const syn_expr *expr);

static void walk_list(collector *c, const syn_expr_list *list)
{
    for (unsigned i = 0; i < list->count; i++) {
        if (list->items[i])
            walk_expr(c, list->items[i]);
    }
}

static void walk_expr(collector *c, const syn_expr *expr)
{
    switch (expr->kind) {
    case SYN_EXPR_NUMBER:
    case SYN_EXPR_STRING:
    case SYN_EXPR_TARGET:
    case SYN_EXPR_VAR:
    case SYN_EXPR_EMBEDDED:
        break;
    case SYN_EXPR_SYMBOL:
        need_name(c, SYN_NEED_GLOBAL, expr->symbol.name, 0);
        break;
    case SYN_EXPR_INDEX:
        walk_expr(c, expr->index.base);
        walk_list(c, &expr->index.keys);
        break;
    case SYN_EXPR_MEMBER:
        walk_expr(c, expr->member.base);
        break;
    case SYN_EXPR_CALL:
        need_name(c, SYN_NEED_FUNCTION, expr->call.name, expr->call.arguments.count);
        const syn_builtin *builtin = syn_builtin_lookup(expr->call.name);
        if (builtin && builtin->kernel_function)
            need_name(c, SYN_NEED_FUNCTION, builtin->kernel_function, expr->call.arguments.count);
        walk_list(c, &expr->call.arguments);
        break;
    case SYN_EXPR_UNARY:
    case SYN_EXPR_PREFIX:
    case SYN_EXPR_POSTFIX:
        walk_expr(c, expr->unary.operand);
        break;
    case SYN_EXPR_BINARY:
    case SYN_EXPR_LOGICAL:
    case SYN_EXPR_ASSIGN:
        walk_expr(c, expr->binary.left);
        walk_expr(c, expr->binary.right);
        break;
    case SYN_EXPR_TERNARY:
        walk_expr(c, expr->ternary.condition);
        walk_expr(c, expr->ternary.then_value);
        walk_expr(c, expr->ternary.else_value);
        break;
    case SYN_EXPR_IN:
        walk_list(c, &expr->in.keys);
        walk_expr(c, expr->in.array);
        break;
    case SYN_EXPR_STAT:
        walk_expr(c, expr->stat.operand);
        walk_list(c, &expr->stat.parameters);
        break;
    case SYN_EXPR_CAST:
        walk_expr(c, expr->cast.operand);
        break;
    case SYN_EXPR_DEFINED:
    case SYN_EXPR_ENTRY:
        walk_expr(c, expr->wrap.operand);
        break;
    case SYN_EXPR_CHOOSE_DEFINED:
        walk_expr(c, expr->choose.first);
        walk_expr(c, expr->choose.second);
        break;
    case SYN_EXPR_PRETTY:
        walk_expr(c, expr->pretty.operand);
        break;
    }
}

static void walk_optional(collector *c, const syn_expr *expr)
{
    if (expr)
        walk_expr(c, expr);
}

static void walk_stmt(collector *c, const syn_stmt *stmt)
{
    if (!stmt)
        return;
    switch (stmt->kind) {
    case SYN_STMT_BLOCK:
        for (unsigned i = 0; i < stmt->block.count; i++)
            walk_stmt(c, stmt->block.items[i]);
        break;
    case SYN_STMT_EXPR:
    case SYN_STMT_DELETE:
    case SYN_STMT_RETURN:
        walk_optional(c, stmt->expr);
        break;
    case SYN_STMT_NULL:
    case SYN_STMT_BREAK:
    case SYN_STMT_CONTINUE:
    case SYN_STMT_NEXT:
    case SYN_STMT_EMBEDDED:
        break;
    case SYN_STMT_IF:
        walk_expr(c, stmt->if_.condition);
        walk_stmt(c, stmt->if_.then_branch);
        walk_stmt(c, stmt->if_.else_branch);
        break;
    case SYN_STMT_WHILE:
        walk_expr(c, stmt->while_.condition);
        walk_stmt(c, stmt->while_.body);
        break;
    case SYN_STMT_FOR:
        walk_optional(c, stmt->for_.init);
        walk_optional(c, stmt->for_.condition);
        walk_optional(c, stmt->for_.step);
        walk_stmt(c, stmt->for_.body);
        break;
    case SYN_STMT_FOREACH:
        /* Keys and values are locals bound by the loop, never globals. */
        walk_expr(c, stmt->foreach.array);
        walk_optional(c, stmt->foreach.limit);
        walk_stmt(c, stmt->foreach.body);
        break;
    case SYN_STMT_TRY:
        walk_stmt(c, stmt->try_.body);
        walk_stmt(c, stmt->try_.handler);
        break;
    }
}

static void walk_points(collector *c, const syn_probe_point_list *points)
{
    for (unsigned i = 0; i < points->count; i++) {
        const syn_probe_point *point = points->items[i];
        add_need(c->needs, (syn_need){.kind = SYN_NEED_PROBE_POINT, .point = point, .file = c->file});
        walk_optional(c, point->condition);
    }
}

void syn_needs_collect(syn_need_list *needs, const syn_file *file)
{
    collector c = {.needs = needs, .file = file};
    for (unsigned i = 0; i < file->count; i++) {
        const syn_item *item = &file->items[i];
        c.function = NULL;
        c.bound_count = 0;
        if (item->kind == SYN_ITEM_FUNCTION) {
            c.function = item->function;
            find_bound(&c, item->function->body);
            walk_stmt(&c, item->function->body);
        } else if (item->kind == SYN_ITEM_PROBE) {
            find_bound(&c, item->probe->body);
            find_bound(&c, item->probe->epilogue);
            walk_points(&c, &item->probe->points);
            walk_stmt(&c, item->probe->body);
            walk_stmt(&c, item->probe->epilogue);
        }
    }
    free(c.bound);
}

static bool same_argument(const syn_expr *a, const syn_expr *b)
{
    if (!a || !b)
        return !a && !b;
    if (a->kind != b->kind)
        return false;
    if (a->kind == SYN_EXPR_NUMBER)
        return a->number == b->number;
    return a->string.length == b->string.length && memcmp(a->string.data, b->string.data, a->string.length) == 0;
}

static bool same_alias_name(const syn_probe_point *a, const syn_probe_point *b)
{
    if (a->count != b->count)
        return false;
    for (unsigned i = 0; i < a->count; i++) {
        if (strcmp(a->components[i].name, b->components[i].name) != 0 ||
            !same_argument(a->components[i].argument, b->components[i].argument))
            return false;
    }
    return true;
}

static bool is_alias(const syn_item *item)
{
    return item->kind == SYN_ITEM_PROBE && item->probe->kind != SYN_PROBE_PLAIN;
}

/* Whether `item` of some file meets `need`; privacy is the caller's. */
static bool item_meets(const syn_item *item, const syn_need *need)
{
    switch (need->kind) {
    case SYN_NEED_FUNCTION:
        return item->kind == SYN_ITEM_FUNCTION && strcmp(item->function->name, need->name) == 0 &&
               item->function->parameter_count == need->arity;
    case SYN_NEED_GLOBAL:
        return item->kind == SYN_ITEM_GLOBAL && strcmp(item->global->name, need->name) == 0;
    case SYN_NEED_PROBE_POINT:
        if (!is_alias(item))
            return false;
        for (unsigned n = 0; n < item->probe->alias_names.count; n++) {
            if (syn_alias_name_matches(item->probe->alias_names.items[n], need->point))
                return true;
        }
        return false;
    }
    return false;
}

static bool item_is_private(const syn_item *item)
{
    switch (item->kind) {
    case SYN_ITEM_FUNCTION: return item->function->is_private;
    case SYN_ITEM_GLOBAL: return item->global->is_private;
    case SYN_ITEM_PROBE: return item->probe->is_private;
    case SYN_ITEM_EMBEDDED: return false;
    }
    return false;
}

bool syn_need_met(const syn_need *need, const syn_file *const *files, unsigned count)
{
    if (need->kind == SYN_NEED_FUNCTION && syn_builtin_lookup(need->name))
        return true;
    for (unsigned f = 0; f < count; f++) {
        for (unsigned i = 0; i < files[f]->count; i++) {
            const syn_item *item = &files[f]->items[i];
            if ((!item_is_private(item) || files[f] == need->file) && item_meets(item, need))
                return true;
        }
    }
    return false;
}

bool syn_file_provides(const syn_file *file, const syn_need *need)
{
    for (unsigned i = 0; i < file->count; i++) {
        if (!item_is_private(&file->items[i]) && item_meets(&file->items[i], need))
            return true;
    }
    return false;
}

bool syn_need_takes_every_provider(const syn_need *need)
{
    if (need->kind != SYN_NEED_PROBE_POINT)
        return false;
    for (unsigned i = 0; i < need->point->count; i++) {
        if (strchr(need->point->components[i].name, '*'))
            return true;
    }
    return false;
}

/* Whether a public definition like `item` is among `loaded`'s. */
static bool defined_publicly(const syn_item *item, const syn_file *const *loaded, unsigned count)
{
    for (unsigned f = 0; f < count; f++) {
        for (unsigned i = 0; i < loaded[f]->count; i++) {
            const syn_item *other = &loaded[f]->items[i];
            if (other->kind != item->kind || item_is_private(other))
                continue;
            if (item->kind == SYN_ITEM_FUNCTION && strcmp(other->function->name, item->function->name) == 0 &&
                other->function->parameter_count == item->function->parameter_count)
                return true;
            if (item->kind == SYN_ITEM_GLOBAL && strcmp(other->global->name, item->global->name) == 0)
                return true;
        }
    }
    return false;
}

static bool alias_name_defined(const syn_probe_point *name, const syn_file *const *loaded, unsigned count)
{
    for (unsigned f = 0; f < count; f++) {
        for (unsigned i = 0; i < loaded[f]->count; i++) {
            const syn_item *other = &loaded[f]->items[i];
            if (!is_alias(other) || other->probe->is_private)
                continue;
            for (unsigned n = 0; n < other->probe->alias_names.count; n++) {
                if (same_alias_name(other->probe->alias_names.items[n], name))
                    return true;
            }
        }
    }
    return false;
}

/* The alias with only the names nothing loaded defines yet; NULL when none
 * is left, the alias itself when all are. */
static syn_probe *alias_remainder(syn_arena *arena, syn_probe *alias, const syn_file *const *loaded,
                                  unsigned count)
{
    syn_probe_point_list kept = {0};
    for (unsigned n = 0; n < alias->alias_names.count; n++) {
        if (!alias_name_defined(alias->alias_names.items[n], loaded, count))
            syn_probe_point_list_append(arena, &kept, alias->alias_names.items[n]);
    }
    if (kept.count == alias->alias_names.count)
        return alias;
    if (kept.count == 0)
        return NULL;
    syn_probe *copy = syn_arena_alloc(arena, sizeof(*copy));
    *copy = *alias;
    copy->alias_names = kept;
    return copy;
}

const syn_file *syn_library_view(syn_arena *arena, const syn_file *file, const syn_file *const *loaded,
                                 unsigned count)
{
    syn_file *view = NULL;
    for (unsigned i = 0; i < file->count; i++) {
        const syn_item *item = &file->items[i];
        syn_item kept = *item;
        bool hidden = false;
        if (!item_is_private(item)) {
            if (item->kind == SYN_ITEM_FUNCTION || item->kind == SYN_ITEM_GLOBAL) {
                hidden = defined_publicly(item, loaded, count);
            } else if (is_alias(item)) {
                kept.probe = alias_remainder(arena, item->probe, loaded, count);
                hidden = kept.probe == NULL;
            }
        }
        bool changed = hidden || (is_alias(item) && kept.probe != item->probe);
        if (changed && !view) {
            /* The first change: a copy of the items so far. */
            view = syn_arena_alloc(arena, sizeof(*view));
            view->source = file->source;
            for (unsigned before = 0; before < i; before++)
                syn_file_append(arena, view, file->items[before]);
        }
        if (view && !hidden)
            syn_file_append(arena, view, kept);
    }
    return view ? view : file;
}

char *syn_need_describe(const syn_need *need, syn_arena *arena)
{
    switch (need->kind) {
    case SYN_NEED_FUNCTION:
        return syn_arena_printf(arena, "function %s (%u argument%s)", need->name, need->arity,
                                need->arity == 1 ? "" : "s");
    case SYN_NEED_GLOBAL:
        return syn_arena_printf(arena, "global %s", need->name);
    case SYN_NEED_PROBE_POINT: {
        syn_buffer text;
        syn_buffer_init(&text);
        syn_probe_point plain = *need->point;
        plain.optional = plain.sufficient = false;
        plain.condition = NULL;
        syn_print_probe_point(&text, &plain);
        char *described = syn_arena_printf(arena, "probe point %s", text.data ? text.data : "");
        syn_buffer_release(&text);
        return described;
    }
    }
    return syn_arena_strdup(arena, "?");
}
