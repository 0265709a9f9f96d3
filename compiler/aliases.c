/* Probe alias expansion, as SystemTap defines it: a probe on an alias name
 * becomes a probe on each of the alias's points, running the alias's
 * prologue before its body (probe a = points { }) or the epilogue after it
 * (probe a += points { }).  Components written after the alias name pass
 * through to its points (tcp.x.return), and names may be matched with
 * wildcards (tcp.*). */
#include <fnmatch.h>
#include <string.h>

#include "compiler/semantic_internal.h"
#include "lang/ast_copy.h"
#include "lang/print.h"
#include "util/memory.h"

enum { SYN_MAX_ALIAS_DEPTH = 32 };

typedef struct body_list {
    const syn_stmt **items;
    unsigned count;
} body_list;

typedef struct expansion {
    syn_checker *checker;
    const syn_probe *probe;    /* the user's probe */
    const syn_probe_point *written; /* the user's point being expanded, for pn() */
    const syn_file *file;
} expansion;

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

static bool component_matches(const syn_probe_component *pattern, const syn_probe_component *name)
{
    if (fnmatch(pattern->name, name->name, 0) != 0)
        return false;
    return !pattern->argument || same_argument(pattern->argument, name->argument);
}

/* Matches the alias name against the start of the written point; on success
 * *suffix is where the components passed through to the alias begin. */
static bool match_name(const syn_probe_point *name, unsigned name_index, const syn_probe_point *point,
                       unsigned point_index, unsigned *suffix)
{
    if (name_index == name->count) {
        *suffix = point_index;
        return true;
    }
    if (point_index == point->count)
        return false;
    const syn_probe_component *component = &point->components[point_index];
    if (strcmp(component->name, "**") == 0) {
        for (unsigned taken = name_index; taken <= name->count; taken++) {
            if (match_name(name, taken, point, point_index + 1, suffix))
                return true;
        }
        return false;
    }
    return component_matches(component, &name->components[name_index]) &&
           match_name(name, name_index + 1, point, point_index + 1, suffix);
}

bool syn_alias_name_matches(const syn_probe_point *name, const syn_probe_point *point)
{
    unsigned suffix;
    return match_name(name, 0, point, 0, &suffix);
}

static syn_probe_point *with_suffix(syn_arena *arena, const syn_probe_point *target,
                                    const syn_probe_point *point, unsigned suffix)
{
    syn_probe_point *joined = syn_arena_alloc(arena, sizeof(*joined));
    *joined = *target;
    joined->count = target->count + (point->count - suffix);
    joined->components = syn_arena_alloc(arena, joined->count * sizeof(*joined->components) + 1);
    memcpy(joined->components, target->components, target->count * sizeof(*joined->components));
    memcpy(joined->components + target->count, point->components + suffix,
           (point->count - suffix) * sizeof(*joined->components));
    joined->location = point->location;
    /* An optional use of the alias makes each of its points optional. */
    joined->optional = target->optional || point->optional || point->sufficient;
    return joined;
}

static syn_expr *join_conditions(syn_arena *arena, syn_expr *first, syn_expr *second)
{
    if (!first || !second)
        return first ? first : second;
    syn_expr *both = syn_expr_new(arena, SYN_EXPR_LOGICAL, second->location);
    both->binary.op = SYN_OP_LOGICAL_AND;
    both->binary.left = first;
    both->binary.right = second;
    return both;
}

static body_list extend(syn_arena *arena, body_list list, const syn_stmt *body, bool prepend)
{
    body_list grown = {.count = list.count + 1};
    grown.items = syn_arena_alloc(arena, grown.count * sizeof(*grown.items));
    if (prepend) {
        grown.items[0] = body;
        if (list.count)
            memcpy(grown.items + 1, list.items, list.count * sizeof(*list.items));
    } else {
        if (list.count)
            memcpy(grown.items, list.items, list.count * sizeof(*list.items));
        grown.items[list.count] = body;
    }
    return grown;
}

static char *describe_origin(syn_arena *arena, const syn_probe *probe, const char *through)
{
    syn_buffer text;
    syn_buffer_init(&text);
    if (through)
        syn_buffer_append_string(&text, through);
    for (unsigned i = 0; i < probe->points.count; i++) {
        if (i > 0)
            syn_buffer_append_char(&text, ',');
        syn_print_probe_point(&text, probe->points.items[i]);
    }
    char *origin = syn_arena_strdup(arena, text.data ? text.data : "");
    syn_buffer_release(&text);
    return origin;
}

static void add_one_derived(expansion *state, syn_probe_point *point, const syn_point *resolved,
                            body_list prologues, body_list epilogues, syn_expr *condition, const char *through)
{
    syn_checker *checker = state->checker;
    syn_arena *arena = checker->arena;
    syn_derived_probe *derived = syn_arena_alloc(arena, sizeof(*derived));
    derived->point = point;
    derived->resolved = resolved;
    derived->probe = state->probe;
    derived->file = state->file;
    derived->origin = describe_origin(arena, state->probe, through);
    syn_buffer written;
    syn_buffer_init(&written);
    syn_print_probe_point(&written, state->written);
    derived->written = syn_arena_strdup(arena, written.data ? written.data : "");
    syn_buffer_release(&written);
    derived->condition = syn_expr_copy(arena, condition);

    syn_stmt *body = syn_stmt_new(arena, SYN_STMT_BLOCK, state->probe->body->location);
    for (unsigned i = 0; i < prologues.count; i++)
        syn_stmt_list_append(arena, &body->block, syn_stmt_copy(arena, prologues.items[i]));
    syn_stmt_list_append(arena, &body->block, syn_stmt_copy(arena, state->probe->body));
    for (unsigned i = 0; i < epilogues.count; i++)
        syn_stmt_list_append(arena, &body->block, syn_stmt_copy(arena, epilogues.items[i]));
    derived->body = body;

    syn_semantic_program *result = checker->result;
    result->probes = syn_realloc(result->probes, (result->probe_count + 1) * sizeof(*result->probes));
    result->probes[result->probe_count++] = derived;
}

/* A final point: one derived probe per concrete point it names. */
static void add_derived(expansion *state, syn_probe_point *point, body_list prologues, body_list epilogues,
                        syn_expr *condition, const char *through)
{
    const syn_probe_resolver *resolver = state->checker->options->resolver;
    if (!resolver) {
        add_one_derived(state, point, NULL, prologues, epilogues, condition, through);
        return;
    }
    syn_point_list points = {0};
    /* As in SystemTap, a sufficient point ('!') is optional as well. */
    syn_probe_point asked = *point;
    asked.optional = point->optional || point->sufficient;
    if (!resolver->resolve(resolver->context, &asked, &points, state->checker->arena, state->checker->diagnostics))
        return;
    for (uint32_t i = 0; i < points.count; i++)
        add_one_derived(state, point, points.items[i], prologues, epilogues, condition, through);
}

static const char *extend_through(syn_arena *arena, const char *through, const syn_probe_point *point)
{
    syn_buffer text;
    syn_buffer_init(&text);
    syn_print_probe_point(&text, point);
    syn_buffer_append_string(&text, " <- ");
    if (through)
        syn_buffer_append_string(&text, through);
    char *joined = syn_arena_strdup(arena, text.data);
    syn_buffer_release(&text);
    return joined;
}

static void expand(expansion *state, syn_probe_point *point, body_list prologues, body_list epilogues,
                   syn_expr *condition, const char *through, unsigned depth);

/* Expands `point` through every alias definition whose name matches it;
 * returns whether any did.  With whole_only, only aliases named by all of the
 * point's components count: tcp.connect.retransmit is an alias of its own, not
 * tcp.connect with a suffix, when both are defined. */
static bool expand_through_aliases(expansion *state, syn_probe_point *point, body_list prologues,
                                   body_list epilogues, syn_expr *condition, const char *through,
                                   unsigned depth, bool whole_only)
{
    syn_arena *arena = state->checker->arena;
    bool matched = false;
    for (unsigned f = 0; f < state->checker->file_count; f++) {
        const syn_file *file = state->checker->files[f];
        for (unsigned i = 0; i < file->count; i++) {
            const syn_item *item = &file->items[i];
            if (item->kind != SYN_ITEM_PROBE || item->probe->kind == SYN_PROBE_PLAIN)
                continue;
            const syn_probe *alias = item->probe;
            if (alias->is_private && file != state->file)
                continue;
            for (unsigned n = 0; n < alias->alias_names.count; n++) {
                unsigned suffix;
                if (!match_name(alias->alias_names.items[n], 0, point, 0, &suffix))
                    continue;
                if (whole_only && suffix < point->count)
                    continue;
                matched = true;
                body_list inner_prologues = prologues, inner_epilogues = epilogues;
                if (alias->kind == SYN_PROBE_ALIAS)
                    inner_prologues = extend(arena, prologues, alias->body, true);
                else
                    inner_epilogues = extend(arena, epilogues, alias->body, false);
                if (alias->epilogue)
                    inner_epilogues = extend(arena, inner_epilogues, alias->epilogue, false);
                const char *inner_through = through;
                if (depth > 0)
                    inner_through = extend_through(arena, through, point);
                for (unsigned t = 0; t < alias->points.count; t++) {
                    const syn_probe_point *target = alias->points.items[t];
                    unsigned before = state->checker->result->probe_count;
                    expand(state, with_suffix(arena, target, point, suffix), inner_prologues,
                           inner_epilogues, join_conditions(arena, condition, target->condition),
                           inner_through, depth + 1);
                    /* '!': once a sufficient point resolves, the alias's later points are alternatives not needed. */
                    if (target->sufficient && state->checker->result->probe_count > before)
                        break;
                }
                break;
            }
        }
    }
    return matched;
}

static void expand(expansion *state, syn_probe_point *point, body_list prologues, body_list epilogues,
                   syn_expr *condition, const char *through, unsigned depth)
{
    if (depth > SYN_MAX_ALIAS_DEPTH) {
        syn_error(state->checker->diagnostics, &point->location,
                  "probe alias expansion recurses more than %d levels (an alias that names itself?)",
                  SYN_MAX_ALIAS_DEPTH);
        return;
    }
    if (expand_through_aliases(state, point, prologues, epilogues, condition, through, depth, true) ||
        expand_through_aliases(state, point, prologues, epilogues, condition, through, depth, false))
        return;
    add_derived(state, point, prologues, epilogues, condition, through);
}

void syn_derive_probes(syn_checker *checker)
{
    for (unsigned f = 0; f < checker->file_count; f++) {
        const syn_file *file = checker->files[f];
        for (unsigned i = 0; i < file->count; i++) {
            const syn_item *item = &file->items[i];
            if (item->kind != SYN_ITEM_PROBE || item->probe->kind != SYN_PROBE_PLAIN)
                continue;
            expansion state = {.checker = checker, .probe = item->probe, .file = file};
            for (unsigned p = 0; p < item->probe->points.count; p++) {
                syn_probe_point *point = item->probe->points.items[p];
                unsigned before = checker->result->probe_count;
                state.written = point;
                expand(&state, point, (body_list){0}, (body_list){0}, point->condition, NULL, 0);
                /* '!': once a sufficient point resolves, the rest are alternatives not needed. */
                if (point->sufficient && checker->result->probe_count > before)
                    break;
            }
        }
    }
}
