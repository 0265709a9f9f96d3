/* Name resolution and structural checks.  As in SystemTap, a name that is
 * neither a parameter nor a global is a local of the probe or function it
 * appears in; arrays and statistics must be declared global. */
#include <string.h>

#include "compiler/semantic_internal.h"
#include "util/memory.h"

typedef struct resolver {
    syn_checker *checker;
    syn_scope *scope;
    unsigned loop_depth;
    syn_symbol **iterated;     /* arrays of the enclosing foreach loops */
    unsigned iterated_count;
    unsigned iterated_capacity;
    bool in_condition;         /* a probe point's if (condition) */
    unsigned in_defined;       /* inside @defined: a missing target variable is no error */
    bool writing;              /* resolving the target of `=` or `<<<`: not a read */
} resolver;

static void resolve_expr(resolver *r, syn_expr *expr);

int syn_static_condition(const syn_expr *condition)
{
    switch (condition->kind) {
    case SYN_EXPR_DEFINED:
        return condition->decided ? condition->defined : -1;
    case SYN_EXPR_UNARY: {
        if (condition->unary.op != SYN_OP_NOT)
            return -1;
        int value = syn_static_condition(condition->unary.operand);
        return value < 0 ? -1 : !value;
    }
    case SYN_EXPR_LOGICAL: {
        int left = syn_static_condition(condition->binary.left);
        int right = syn_static_condition(condition->binary.right);
        if (condition->binary.op == SYN_OP_LOGICAL_AND)
            return left == 0 || right == 0 ? 0 : (left == 1 && right == 1 ? 1 : -1);
        return left == 1 || right == 1 ? 1 : (left == 0 && right == 0 ? 0 : -1);
    }
    default:
        return -1;
    }
}

/* Whether a target expression names something the probe point has, as far
 * as the point alone tells (struct members are checked when compiling). */
static int target_defined(const resolver *r, const syn_expr *expr)
{
    const syn_point *point = r->scope->probe ? r->scope->probe->resolved : NULL;
    switch (expr->kind) {
    case SYN_EXPR_TARGET:
        if (r->scope->function || !point)
            return r->scope->function ? 0 : -1;
        if (!syn_point_in_kernel(point))
            return 0;
        return expr->target.context || syn_point_variable(point, expr->target.name) ? 1 : 0;
    case SYN_EXPR_MEMBER: return target_defined(r, expr->member.base);
    case SYN_EXPR_INDEX:
        return expr->index.base->kind == SYN_EXPR_SYMBOL ? -1 : target_defined(r, expr->index.base);
    case SYN_EXPR_PRETTY: return target_defined(r, expr->pretty.operand);
    case SYN_EXPR_UNARY: return target_defined(r, expr->unary.operand);
    default: return -1;
    }
}

static void decide_defined(resolver *r, syn_expr *expr, const syn_expr *operand)
{
    int value = target_defined(r, operand);
    expr->decided = value >= 0;
    expr->defined = value == 1;
}
static void resolve_stmt(resolver *r, syn_stmt *stmt);

static syn_diagnostics *diagnostics_of(resolver *r)
{
    return r->checker->diagnostics;
}

void syn_symbol_list_append(syn_arena *arena, syn_symbol_list *list, syn_symbol *symbol)
{
    if (list->count == list->capacity) {
        unsigned capacity = list->capacity ? list->capacity * 2 : 8;
        syn_symbol **items = syn_arena_alloc(arena, capacity * sizeof(*items));
        if (list->count)
            memcpy(items, list->items, list->count * sizeof(*items));
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = symbol;
}

syn_symbol *syn_new_symbol(syn_checker *checker, const char *name, syn_symbol_kind kind,
                           const syn_location *location)
{
    syn_symbol *symbol = syn_arena_alloc(checker->arena, sizeof(*symbol));
    symbol->name = syn_arena_strdup(checker->arena, name);
    symbol->kind = kind;
    symbol->location = *location;
    symbol->arity = kind == SYN_SYMBOL_GLOBAL ? -1 : 0;
    return symbol;
}

syn_symbol *syn_find_global(syn_checker *checker, const char *name, const syn_file *file)
{
    for (syn_symbol *symbol = syn_map_get(&checker->globals, name); symbol; symbol = symbol->next_with_name) {
        if (!symbol->is_private || symbol->file == file)
            return symbol;
    }
    return NULL;
}

syn_function_info *syn_find_functions(syn_checker *checker, const char *name, const syn_file *file)
{
    for (syn_function_info *info = syn_map_get(&checker->functions, name); info; info = info->next_with_name) {
        if (!info->function->is_private || info->file == file)
            return info;
    }
    return NULL;
}

static syn_symbol *find_parameter(const syn_scope *scope, const char *name)
{
    if (!scope->function)
        return NULL;
    for (unsigned i = 0; i < scope->function->function->parameter_count; i++) {
        if (strcmp(scope->function->parameters[i]->name, name) == 0)
            return scope->function->parameters[i];
    }
    return NULL;
}

static syn_symbol *find_local(const syn_scope *scope, const char *name)
{
    syn_symbol *parameter = find_parameter(scope, name);
    if (parameter)
        return parameter;
    for (unsigned i = 0; i < scope->locals->count; i++) {
        if (strcmp(scope->locals->items[i]->name, name) == 0)
            return scope->locals->items[i];
    }
    return NULL;
}

/* A scalar use of a name: parameter, then global, else a local. */
static syn_symbol *lookup_variable(resolver *r, syn_expr *expr)
{
    const char *name = expr->symbol.name;
    syn_symbol *symbol = find_parameter(r->scope, name);
    if (!symbol)
        symbol = syn_find_global(r->checker, name, r->scope->file);
    if (!symbol && r->in_condition) {
        syn_error(diagnostics_of(r), &expr->location,
                  "probe condition must not reference undeclared global '%s'", name);
        return NULL;
    }
    if (!symbol)
        symbol = find_local(r->scope, name);
    if (!symbol) {
        symbol = syn_new_symbol(r->checker, name, SYN_SYMBOL_LOCAL, &expr->location);
        syn_symbol_list_append(r->checker->arena, r->scope->locals, symbol);
    }
    return symbol;
}

static void set_arity(resolver *r, syn_symbol *symbol, int arity, const syn_location *location)
{
    if (symbol->arity < 0) {
        if (arity == 0 && symbol->global && symbol->global->is_array) {
            syn_error(diagnostics_of(r), location, "'%s' is declared as an array but used here as a scalar",
                      symbol->name);
            return;
        }
        symbol->arity = arity;
        symbol->arity_location = *location;
        symbol->is_array = arity > 0;
        if (arity > 0)
            symbol->key_types = syn_arena_alloc(r->checker->arena, (size_t)arity * sizeof(syn_type));
        return;
    }
    if (symbol->arity != arity) {
        syn_error(diagnostics_of(r), location, "inconsistent arity for '%s' (%d vs %d)", symbol->name,
                  arity, symbol->arity);
        syn_note(diagnostics_of(r), &symbol->arity_location, "arity %d first inferred here", symbol->arity);
    }
}

static void check_not_iterated(resolver *r, const syn_symbol *symbol, const syn_location *location)
{
    for (unsigned i = 0; i < r->iterated_count; i++) {
        if (r->iterated[i] == symbol) {
            syn_error(diagnostics_of(r), location, "variable '%s' modified during 'foreach' iteration",
                      symbol->name);
            return;
        }
    }
}

static void resolve_symbol(resolver *r, syn_expr *expr)
{
    syn_symbol *symbol = lookup_variable(r, expr);
    expr->symbol.symbol = symbol;
    if (!symbol)
        return;
    symbol->referenced = true;
    if (!r->writing)
        symbol->read = true;
    if (symbol->kind == SYN_SYMBOL_GLOBAL)
        set_arity(r, symbol, 0, &expr->location);
}

/* An array or statistic used without a declaration is a global of the
 * whole program, as `stap -e 'probe ... { n[execname()]++ }'` expects. */
static syn_symbol *implicit_global(resolver *r, syn_expr *expr)
{
    syn_checker *checker = r->checker;
    syn_symbol *symbol = syn_new_symbol(checker, expr->symbol.name, SYN_SYMBOL_GLOBAL, &expr->location);
    symbol->next_with_name = syn_map_get(&checker->globals, symbol->name);
    syn_map_put(&checker->globals, symbol->name, symbol);
    syn_symbol_list_append(checker->arena, &checker->result->globals, symbol);
    return symbol;
}

/* A name used as an array or statistic is a global. */
static syn_symbol *resolve_global_name(resolver *r, syn_expr *expr, int arity, bool statistic)
{
    const char *name = expr->symbol.name;
    syn_symbol *symbol = NULL;
    if (!find_parameter(r->scope, name))
        symbol = syn_find_global(r->checker, name, r->scope->file);
    if (!symbol) {
        if (find_local(r->scope, name) || r->in_condition) {
            if (statistic && arity == 0)
                syn_error(diagnostics_of(r), &expr->location,
                          "stat locals not supported, missing global declaration? ('%s')", name);
            else
                syn_error(diagnostics_of(r), &expr->location,
                          "unresolved arity-%d global array %s, missing global declaration?", arity, name);
            return NULL;
        }
        symbol = implicit_global(r, expr);
    }
    expr->symbol.symbol = symbol;
    symbol->referenced = true;
    if (!r->writing)
        symbol->read = true;
    if (arity >= 0)
        set_arity(r, symbol, arity, &expr->location);
    return symbol;
}

/* Keys of `in` and of array elements, where '*' may be allowed.  Keys are
 * read even in the target of an assignment. */
static void resolve_keys(resolver *r, syn_expr_list *keys)
{
    bool writing = r->writing;
    r->writing = false;
    for (unsigned i = 0; i < keys->count; i++) {
        if (keys->items[i])
            resolve_expr(r, keys->items[i]);
    }
    r->writing = writing;
}

static bool is_target_chain(const syn_expr *expr)
{
    switch (expr->kind) {
    case SYN_EXPR_TARGET:
    case SYN_EXPR_CAST:
    case SYN_EXPR_VAR:
        return true;
    case SYN_EXPR_MEMBER:
        return true;
    case SYN_EXPR_INDEX:
        return expr->index.base->kind != SYN_EXPR_SYMBOL && is_target_chain(expr->index.base);
    default:
        return false;
    }
}

static bool has_wildcard(const syn_expr_list *keys)
{
    for (unsigned i = 0; i < keys->count; i++) {
        if (!keys->items[i])
            return true;
    }
    return false;
}

/* base[keys]: an array element (or slice, where allowed) or a target's. */
static syn_symbol *resolve_index(resolver *r, syn_expr *expr, bool allow_wildcards, bool statistic)
{
    syn_expr *base = expr->index.base;
    if (base->kind == SYN_EXPR_SYMBOL) {
        if (!allow_wildcards && has_wildcard(&expr->index.keys))
            syn_error(diagnostics_of(r), &expr->location, "wildcard not allowed in array index");
        resolve_keys(r, &expr->index.keys);
        return resolve_global_name(r, base, (int)expr->index.keys.count, statistic);
    }
    if (has_wildcard(&expr->index.keys))
        syn_error(diagnostics_of(r), &expr->location, "wildcard not allowed in array index");
    resolve_expr(r, base);
    resolve_keys(r, &expr->index.keys);
    return NULL;
}

/* The operand of an assignment, ++/-- or <<<. */
/* `pure_write`: = and <<< only write; ++, += and the like also read, as
 * SystemTap counts them (which decides what is displayed at the end). */
static void resolve_assigned(resolver *r, syn_expr *target, bool statistic, bool pure_write)
{
    syn_symbol *symbol = NULL;
    r->writing = pure_write;
    if (target->kind == SYN_EXPR_SYMBOL) {
        if (statistic) {
            symbol = resolve_global_name(r, target, 0, true);
        } else {
            resolve_symbol(r, target);
            symbol = target->symbol.symbol;
        }
    } else if (target->kind == SYN_EXPR_INDEX && target->index.base->kind == SYN_EXPR_SYMBOL) {
        symbol = resolve_index(r, target, false, statistic);
    } else {
        r->writing = false;
        resolve_expr(r, target);
        syn_error(diagnostics_of(r), &target->location,
                  is_target_chain(target) ? "writing to target variables is not supported"
                                          : "the left side of an assignment must be a variable or an array element");
        return;
    }
    r->writing = false;
    if (!symbol)
        return;
    if (r->in_condition) {
        syn_error(diagnostics_of(r), &target->location, "probe condition must not modify any variables");
        return;
    }
    symbol->assigned = true;
    symbol->written = true;
    check_not_iterated(r, symbol, &target->location);
}

static unsigned edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    unsigned row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diagonal = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned above = row[j];
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned best = diagonal + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
}

static void suggest(syn_buffer *out, unsigned *found, const char *name, const char *candidate)
{
    if (*found >= 3 || edit_distance(name, candidate) > (strlen(name) > 4 ? 2u : 1u))
        return;
    syn_buffer_append_string(out, *found ? ", " : " (similar: ");
    syn_buffer_append_string(out, candidate);
    (*found)++;
}

static void report_unresolved_function(resolver *r, syn_expr *expr)
{
    syn_buffer similar;
    syn_buffer_init(&similar);
    unsigned found = 0;
    for (unsigned i = 0; i < r->checker->result->function_count; i++)
        suggest(&similar, &found, expr->call.name, r->checker->result->functions[i]->function->name);
    for (unsigned i = 0; syn_builtin_at(i); i++)
        suggest(&similar, &found, expr->call.name, syn_builtin_at(i)->name);
    if (found)
        syn_buffer_append_char(&similar, ')');
    syn_error(diagnostics_of(r), &expr->location, "unresolved function %s%s", expr->call.name,
              similar.data ? similar.data : "");
    syn_buffer_release(&similar);
}

/* Probes are the roots of reachability; functions record what they call. */
static void note_call(resolver *r, syn_function_info *callee)
{
    syn_function_info *caller = r->scope->function;
    if (!caller) {
        callee->reachable = true;
        return;
    }
    for (unsigned i = 0; i < caller->callee_count; i++) {
        if (caller->callees[i] == callee)
            return;
    }
    caller->callees = syn_realloc(caller->callees, (caller->callee_count + 1) * sizeof(*caller->callees));
    caller->callees[caller->callee_count++] = callee;
}

/* The library function that runs a builtin in kernel probes: the library
 * file that defines it was pulled in by the call (compiler/library_needs.c). */
static void resolve_kernel_function(resolver *r, syn_expr *expr, const syn_builtin *builtin)
{
    unsigned count = expr->call.arguments.count;
    for (syn_function_info *info = syn_find_functions(r->checker, builtin->kernel_function, r->scope->file); info;
         info = info->next_with_name) {
        if (info->function->parameter_count == count && !info->function->is_private) {
            expr->call.kernel_function = info->function;
            note_call(r, info);
            return;
        }
    }
    syn_error(diagnostics_of(r), &expr->location,
              "%s() needs the library function %s with %u argument%s, which the library search path does not have",
              builtin->name, builtin->kernel_function, count, count == 1 ? "" : "s");
}

static void resolve_call(resolver *r, syn_expr *expr)
{
    for (unsigned i = 0; i < expr->call.arguments.count; i++)
        resolve_expr(r, expr->call.arguments.items[i]);
    if (r->in_condition) {
        syn_error(diagnostics_of(r), &expr->location, "probe condition must not call functions");
        return;
    }
    unsigned count = expr->call.arguments.count;
    syn_function_info *first = syn_find_functions(r->checker, expr->call.name, r->scope->file);
    for (syn_function_info *info = first; info; info = info->next_with_name) {
        if (info->function->is_private && info->file != r->scope->file)
            continue;
        if (info->function->parameter_count == count) {
            expr->call.function = info->function;
            note_call(r, info);
            return;
        }
    }
    const syn_builtin *builtin = syn_builtin_lookup(expr->call.name);
    const syn_semantic_options *options = r->checker->options;
    for (unsigned h = 0; !builtin && !first && h < options->host_function_count; h++) {
        const syn_host_signature *host = &options->host_functions[h];
        if (strcmp(host->name, expr->call.name) != 0)
            continue;
        if (host->parameter_count != count) {
            syn_error(diagnostics_of(r), &expr->location, "%s() takes %u argument%s, not %u", host->name,
                      host->parameter_count, host->parameter_count == 1 ? "" : "s", count);
            return;
        }
        expr->call.host_function = h + 1;
        return;
    }
    if (builtin && !first) {
        if (count < builtin->minimum_arguments || count > builtin->maximum_arguments) {
            if (builtin->minimum_arguments == builtin->maximum_arguments)
                syn_error(diagnostics_of(r), &expr->location, "%s() takes %u argument%s, not %u",
                          builtin->name, builtin->minimum_arguments,
                          builtin->minimum_arguments == 1 ? "" : "s", count);
            else if (count < builtin->minimum_arguments)
                syn_error(diagnostics_of(r), &expr->location, "%s() takes at least %u argument%s",
                          builtin->name, builtin->minimum_arguments, builtin->minimum_arguments == 1 ? "" : "s");
            else
                syn_error(diagnostics_of(r), &expr->location, "%s() takes at most %u argument%s",
                          builtin->name, builtin->maximum_arguments, builtin->maximum_arguments == 1 ? "" : "s");
            return;
        }
        if (builtin->kernel_function)
            resolve_kernel_function(r, expr, builtin);
        return;
    }
    if (first) {
        syn_error(diagnostics_of(r), &expr->location, "arity mismatch found (function '%s' takes %u args)",
                  expr->call.name, first->function->parameter_count);
        syn_note(diagnostics_of(r), &first->function->location, "'%s' is defined here", expr->call.name);
        return;
    }
    report_unresolved_function(r, expr);
}

static void resolve_stat(resolver *r, syn_expr *expr)
{
    syn_expr *operand = expr->stat.operand;
    if (operand->kind == SYN_EXPR_SYMBOL)
        resolve_global_name(r, operand, 0, true);
    else if (operand->kind == SYN_EXPR_INDEX && operand->index.base->kind == SYN_EXPR_SYMBOL)
        resolve_index(r, operand, true, true);
    else
        syn_error(diagnostics_of(r), &operand->location,
                  "@%s applies to a statistic: a global or an array element filled with <<<",
                  syn_stat_op_name(expr->stat.op));
    for (unsigned i = 0; i < expr->stat.parameters.count; i++) {
        syn_expr *parameter = expr->stat.parameters.items[i];
        bool literal = parameter->kind == SYN_EXPR_NUMBER ||
                       (parameter->kind == SYN_EXPR_UNARY && parameter->unary.op == SYN_OP_NEGATE &&
                        parameter->unary.operand->kind == SYN_EXPR_NUMBER);
        if (!literal)
            syn_error(diagnostics_of(r), &parameter->location, "@%s's parameters must be literal numbers",
                      syn_stat_op_name(expr->stat.op));
    }
}

static void describe_variables(syn_buffer *out, const syn_point *point)
{
    for (uint32_t i = 0; i < point->variable_count; i++)
        syn_buffer_printf(out, "%s$%s", i ? " " : "", point->variables[i].name);
}

/* $name must be a variable of the probe's context; $$vars and friends only
 * need a context that has variables. */
static void resolve_target(resolver *r, syn_expr *expr)
{
    const char *sigil = expr->target.context ? "$$" : "$";
    if (r->scope->function) {
        if (!r->in_defined)
            syn_error(diagnostics_of(r), &expr->location,
                      "target variable '%s%s' can only be used in a probe handler", sigil, expr->target.name);
        return;
    }
    const syn_point *point = r->scope->probe->resolved;
    if (!point || r->in_defined)
        return;
    if (!syn_point_in_kernel(point)) {
        syn_error(diagnostics_of(r), &expr->location, "%s has no target variables ('%s%s')", point->name, sigil,
                  expr->target.name);
        return;
    }
    if (expr->target.context || syn_point_variable(point, expr->target.name))
        return;
    syn_buffer known;
    syn_buffer_init(&known);
    describe_variables(&known, point);
    syn_error(diagnostics_of(r), &expr->location, "unknown target variable '$%s' in %s (it has: %s)",
              expr->target.name, point->name, known.data ? known.data : "none");
    syn_buffer_release(&known);
}

static void resolve_expr(resolver *r, syn_expr *expr)
{
    switch (expr->kind) {
    case SYN_EXPR_NUMBER:
    case SYN_EXPR_STRING:
    case SYN_EXPR_VAR:
        break;
    case SYN_EXPR_SYMBOL:
        resolve_symbol(r, expr);
        break;
    case SYN_EXPR_TARGET:
        resolve_target(r, expr);
        break;
    case SYN_EXPR_INDEX:
        resolve_index(r, expr, false, false);
        break;
    case SYN_EXPR_MEMBER:
        resolve_expr(r, expr->member.base);
        break;
    case SYN_EXPR_CALL:
        resolve_call(r, expr);
        break;
    case SYN_EXPR_UNARY:
        resolve_expr(r, expr->unary.operand);
        if (expr->unary.op == SYN_OP_ADDRESS_OF && !is_target_chain(expr->unary.operand))
            syn_error(diagnostics_of(r), &expr->location,
                      "'&' takes the address of a target variable ($x, $x->field)");
        break;
    case SYN_EXPR_PREFIX:
    case SYN_EXPR_POSTFIX:
        resolve_assigned(r, expr->unary.operand, false, false);
        break;
    case SYN_EXPR_BINARY:
    case SYN_EXPR_LOGICAL:
        resolve_expr(r, expr->binary.left);
        resolve_expr(r, expr->binary.right);
        break;
    case SYN_EXPR_ASSIGN:
        resolve_expr(r, expr->binary.right);
        resolve_assigned(r, expr->binary.left, expr->binary.op == SYN_OP_AGGREGATE,
                         expr->binary.op == SYN_OP_ASSIGN || expr->binary.op == SYN_OP_AGGREGATE);
        break;
    case SYN_EXPR_TERNARY: {
        resolve_expr(r, expr->ternary.condition);
        int value = syn_static_condition(expr->ternary.condition);
        if (value != 0)
            resolve_expr(r, expr->ternary.then_value);
        if (value != 1)
            resolve_expr(r, expr->ternary.else_value);
        break;
    }
    case SYN_EXPR_IN:
        resolve_keys(r, &expr->in.keys);
        resolve_global_name(r, expr->in.array, (int)expr->in.keys.count, false);
        break;
    case SYN_EXPR_STAT:
        resolve_stat(r, expr);
        break;
    case SYN_EXPR_CAST:
        resolve_expr(r, expr->cast.operand);
        break;
    case SYN_EXPR_DEFINED:
        r->in_defined++;
        resolve_expr(r, expr->wrap.operand);
        r->in_defined--;
        decide_defined(r, expr, expr->wrap.operand);
        break;
    case SYN_EXPR_ENTRY:
        resolve_expr(r, expr->wrap.operand);
        break;
    case SYN_EXPR_CHOOSE_DEFINED:
        r->in_defined++;
        resolve_expr(r, expr->choose.first);
        r->in_defined--;
        resolve_expr(r, expr->choose.second);
        break;
    case SYN_EXPR_PRETTY:
        resolve_expr(r, expr->pretty.operand);
        if (!is_target_chain(expr->pretty.operand))
            syn_error(diagnostics_of(r), &expr->location,
                      "'$' and '$$' pretty-print target variables ($x$, $x->field$$)");
        break;
    case SYN_EXPR_EMBEDDED:
        syn_error(diagnostics_of(r), &expr->location,
                  "embedded C (@const) is not supported: syn compiles to BPF and runs no C code");
        break;
    }
}

static bool has_side_effects(const syn_expr *expr)
{
    if (!expr)
        return false;
    switch (expr->kind) {
    case SYN_EXPR_ASSIGN:
    case SYN_EXPR_PREFIX:
    case SYN_EXPR_POSTFIX:
    case SYN_EXPR_CALL:
    case SYN_EXPR_EMBEDDED:
        return true;
    case SYN_EXPR_INDEX:
        for (unsigned i = 0; i < expr->index.keys.count; i++) {
            if (has_side_effects(expr->index.keys.items[i]))
                return true;
        }
        return has_side_effects(expr->index.base);
    case SYN_EXPR_MEMBER: return has_side_effects(expr->member.base);
    case SYN_EXPR_UNARY: return has_side_effects(expr->unary.operand);
    case SYN_EXPR_BINARY:
    case SYN_EXPR_LOGICAL:
        return has_side_effects(expr->binary.left) || has_side_effects(expr->binary.right);
    case SYN_EXPR_TERNARY:
        return has_side_effects(expr->ternary.condition) || has_side_effects(expr->ternary.then_value) ||
               has_side_effects(expr->ternary.else_value);
    case SYN_EXPR_IN:
        for (unsigned i = 0; i < expr->in.keys.count; i++) {
            if (has_side_effects(expr->in.keys.items[i]))
                return true;
        }
        return false;
    case SYN_EXPR_CAST: return has_side_effects(expr->cast.operand);
    case SYN_EXPR_ENTRY: return has_side_effects(expr->wrap.operand);
    case SYN_EXPR_PRETTY: return has_side_effects(expr->pretty.operand);
    default:
        return false;
    }
}

/* An iteration variable (foreach key or value, catch message): a local. */
static void bind_local(resolver *r, syn_expr *expr, const char *role)
{
    const char *name = expr->symbol.name;
    if (syn_find_global(r->checker, name, r->scope->file) &&
        !find_parameter(r->scope, name)) {
        syn_error(diagnostics_of(r), &expr->location, "%s '%s' must be a local variable, but a global has that name",
                  role, name);
        return;
    }
    syn_symbol *symbol = find_local(r->scope, name);
    if (!symbol) {
        symbol = syn_new_symbol(r->checker, name, SYN_SYMBOL_LOCAL, &expr->location);
        syn_symbol_list_append(r->checker->arena, r->scope->locals, symbol);
    }
    symbol->assigned = true;
    symbol->referenced = true;
    expr->symbol.symbol = symbol;
}

static void resolve_foreach(resolver *r, syn_stmt *stmt)
{
    syn_expr *array = stmt->foreach.array;
    int arity = (int)stmt->foreach.keys.count;
    syn_symbol *symbol = NULL;
    if (array->kind == SYN_EXPR_INDEX) {
        if ((int)array->index.keys.count != arity)
            syn_error(diagnostics_of(r), &array->location,
                      "the slice has %u keys but the loop names %d", array->index.keys.count, arity);
        symbol = resolve_index(r, array, true, false);
    } else {
        symbol = resolve_global_name(r, array, arity, false);
    }
    for (unsigned i = 0; i < stmt->foreach.keys.count; i++)
        bind_local(r, stmt->foreach.keys.items[i], "foreach key");
    if (stmt->foreach.value)
        bind_local(r, stmt->foreach.value, "foreach value");
    if (stmt->foreach.limit)
        resolve_expr(r, stmt->foreach.limit);

    /* A sorted walk counts as a write too, as in SystemTap. */
    if (symbol && stmt->foreach.sort.direction)
        symbol->written = true;
    SYN_GROW(r->iterated, r->iterated_capacity, r->iterated_count + 1);
    r->iterated[r->iterated_count++] = symbol;
    r->loop_depth++;
    resolve_stmt(r, stmt->foreach.body);
    r->loop_depth--;
    r->iterated_count--;
}

static void resolve_delete(resolver *r, syn_stmt *stmt)
{
    syn_expr *target = stmt->expr;
    syn_symbol *symbol = NULL;
    if (target->kind == SYN_EXPR_SYMBOL) {
        symbol = lookup_variable(r, target);
        target->symbol.symbol = symbol;
        if (symbol)
            symbol->referenced = true;
    } else if (target->kind == SYN_EXPR_INDEX && target->index.base->kind == SYN_EXPR_SYMBOL) {
        symbol = resolve_index(r, target, true, false);
    } else {
        resolve_expr(r, target);
        syn_error(diagnostics_of(r), &target->location,
                  "delete applies to a variable, an array or an array element");
        return;
    }
    if (symbol) {
        symbol->assigned = true;
        symbol->written = true;
        check_not_iterated(r, symbol, &target->location);
    }
}

static void resolve_loop_body(resolver *r, syn_stmt *body)
{
    r->loop_depth++;
    resolve_stmt(r, body);
    r->loop_depth--;
}

static void resolve_optional(resolver *r, syn_expr *expr)
{
    if (expr)
        resolve_expr(r, expr);
}

static void resolve_stmt(resolver *r, syn_stmt *stmt)
{
    switch (stmt->kind) {
    case SYN_STMT_BLOCK:
        for (unsigned i = 0; i < stmt->block.count; i++)
            resolve_stmt(r, stmt->block.items[i]);
        break;
    case SYN_STMT_EXPR:
        resolve_expr(r, stmt->expr);
        if (!has_side_effects(stmt->expr))
            syn_warning(diagnostics_of(r), &stmt->expr->location, "eliding side-effect-free expression");
        break;
    case SYN_STMT_NULL:
        break;
    case SYN_STMT_IF: {
        resolve_expr(r, stmt->if_.condition);
        int value = syn_static_condition(stmt->if_.condition);
        if (value != 0)
            resolve_stmt(r, stmt->if_.then_branch);
        if (stmt->if_.else_branch && value != 1)
            resolve_stmt(r, stmt->if_.else_branch);
        break;
    }
    case SYN_STMT_WHILE:
        resolve_expr(r, stmt->while_.condition);
        resolve_loop_body(r, stmt->while_.body);
        break;
    case SYN_STMT_FOR:
        resolve_optional(r, stmt->for_.init);
        resolve_optional(r, stmt->for_.condition);
        resolve_optional(r, stmt->for_.step);
        resolve_loop_body(r, stmt->for_.body);
        break;
    case SYN_STMT_FOREACH:
        resolve_foreach(r, stmt);
        break;
    case SYN_STMT_BREAK:
    case SYN_STMT_CONTINUE:
        if (r->loop_depth == 0)
            syn_error(diagnostics_of(r), &stmt->location, "cannot '%s' outside loop",
                      stmt->kind == SYN_STMT_BREAK ? "break" : "continue");
        break;
    case SYN_STMT_NEXT:
        if (r->scope->function)
            syn_error(diagnostics_of(r), &stmt->location, "cannot 'next' from function (it leaves probe handlers)");
        break;
    case SYN_STMT_RETURN:
        resolve_optional(r, stmt->expr);
        break;
    case SYN_STMT_DELETE:
        resolve_delete(r, stmt);
        break;
    case SYN_STMT_TRY:
        resolve_stmt(r, stmt->try_.body);
        if (stmt->try_.variable)
            bind_local(r, stmt->try_.variable, "catch variable");
        resolve_stmt(r, stmt->try_.handler);
        break;
    case SYN_STMT_EMBEDDED:
        syn_error(diagnostics_of(r), &stmt->location,
                  "embedded C is not supported: syn compiles to BPF and runs no C code");
        break;
    }
}

void syn_resolve_function(syn_checker *checker, syn_function_info *info)
{
    syn_scope scope = {.locals = &info->locals, .function = info, .file = info->file};
    resolver r = {.checker = checker, .scope = &scope};
    resolve_stmt(&r, info->function->body);
    free(r.iterated);
}

void syn_resolve_probe(syn_checker *checker, syn_derived_probe *probe)
{
    syn_scope scope = {.locals = &probe->locals, .probe = probe, .file = probe->file};
    resolver r = {.checker = checker, .scope = &scope};
    if (probe->condition) {
        r.in_condition = true;
        resolve_expr(&r, probe->condition);
        r.in_condition = false;
    }
    resolve_stmt(&r, probe->body);
    free(r.iterated);
}
