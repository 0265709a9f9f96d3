#include "lang/probe_pattern.h"

#include <string.h>

/* Brace expansion multiplies; past this a script is almost certainly a
 * mistake and expanding it would only exhaust memory. */
enum { SYN_MAX_EXPANDED_POINTS = 10000 };

typedef struct syn_probe_element {
    syn_probe_component component;      /* used when there are no alternatives */
    syn_probe_alternatives alternatives;
} syn_probe_element;

struct syn_probe_pattern {
    syn_probe_element *elements;
    unsigned count;
    unsigned capacity;
};

syn_probe_pattern *syn_probe_pattern_new(syn_arena *arena)
{
    return syn_arena_alloc(arena, sizeof(syn_probe_pattern));
}

static syn_probe_element *add_element(syn_arena *arena, syn_probe_pattern *pattern)
{
    if (pattern->count == pattern->capacity) {
        unsigned capacity = pattern->capacity ? pattern->capacity * 2 : 4;
        syn_probe_element *elements = syn_arena_alloc(arena, capacity * sizeof(*elements));
        if (pattern->count)
            memcpy(elements, pattern->elements, pattern->count * sizeof(*elements));
        pattern->elements = elements;
        pattern->capacity = capacity;
    }
    return &pattern->elements[pattern->count++];
}

void syn_probe_pattern_add_component(syn_arena *arena, syn_probe_pattern *pattern,
                                     syn_probe_component component)
{
    add_element(arena, pattern)->component = component;
}

void syn_probe_pattern_add_alternatives(syn_arena *arena, syn_probe_pattern *pattern,
                                        syn_probe_alternatives alternatives)
{
    add_element(arena, pattern)->alternatives = alternatives;
}

void syn_probe_alternatives_append(syn_arena *arena, syn_probe_alternatives *alternatives,
                                   syn_probe_pattern *pattern)
{
    if (alternatives->count == alternatives->capacity) {
        unsigned capacity = alternatives->capacity ? alternatives->capacity * 2 : 4;
        syn_probe_pattern **items = syn_arena_alloc(arena, capacity * sizeof(*items));
        if (alternatives->count)
            memcpy(items, alternatives->items, alternatives->count * sizeof(*items));
        alternatives->items = items;
        alternatives->capacity = capacity;
    }
    alternatives->items[alternatives->count++] = pattern;
}

/* A growing list of component sequences, the partial expansions. */
typedef struct expansion {
    syn_probe_component **sequences;
    unsigned *lengths;
    unsigned count;
} expansion;

typedef struct expander {
    syn_parser *parser;
    bool overflowed;
} expander;

static expansion expand(expander *state, const syn_probe_pattern *pattern);

static expansion single_empty(syn_arena *arena)
{
    expansion result = {0};
    result.sequences = syn_arena_alloc(arena, sizeof(*result.sequences));
    result.lengths = syn_arena_alloc(arena, sizeof(*result.lengths));
    result.count = 1;
    return result;
}

/* Every sequence of `left` followed by every sequence of `right`. */
static expansion product(expander *state, expansion left, expansion right)
{
    syn_arena *arena = state->parser->arena;
    unsigned long long total = (unsigned long long)left.count * right.count;
    if (total > SYN_MAX_EXPANDED_POINTS) {
        state->overflowed = true;
        return single_empty(arena);
    }
    expansion result = {0};
    result.sequences = syn_arena_alloc(arena, total * sizeof(*result.sequences));
    result.lengths = syn_arena_alloc(arena, total * sizeof(*result.lengths));
    for (unsigned i = 0; i < left.count; i++) {
        for (unsigned j = 0; j < right.count; j++) {
            unsigned length = left.lengths[i] + right.lengths[j];
            syn_probe_component *sequence = syn_arena_alloc(arena, length * sizeof(*sequence) + 1);
            if (left.lengths[i])
                memcpy(sequence, left.sequences[i], left.lengths[i] * sizeof(*sequence));
            if (right.lengths[j])
                memcpy(sequence + left.lengths[i], right.sequences[j], right.lengths[j] * sizeof(*sequence));
            result.sequences[result.count] = sequence;
            result.lengths[result.count++] = length;
        }
    }
    return result;
}

static expansion expand_element(expander *state, const syn_probe_element *element)
{
    syn_arena *arena = state->parser->arena;
    if (element->alternatives.count == 0) {
        expansion result = single_empty(arena);
        result.sequences[0] = syn_arena_alloc(arena, sizeof(syn_probe_component));
        result.sequences[0][0] = element->component;
        result.lengths[0] = 1;
        return result;
    }
    expansion result = {0};
    unsigned capacity = 0;
    for (unsigned i = 0; i < element->alternatives.count && !state->overflowed; i++) {
        expansion part = expand(state, element->alternatives.items[i]);
        if (result.count + part.count > SYN_MAX_EXPANDED_POINTS) {
            state->overflowed = true;
            break;
        }
        if (result.count + part.count > capacity) {
            unsigned grown = (result.count + part.count) * 2;
            syn_probe_component **sequences = syn_arena_alloc(arena, grown * sizeof(*sequences));
            unsigned *lengths = syn_arena_alloc(arena, grown * sizeof(*lengths));
            if (result.count) {
                memcpy(sequences, result.sequences, result.count * sizeof(*sequences));
                memcpy(lengths, result.lengths, result.count * sizeof(*lengths));
            }
            result.sequences = sequences;
            result.lengths = lengths;
            capacity = grown;
        }
        memcpy(result.sequences + result.count, part.sequences, part.count * sizeof(*part.sequences));
        memcpy(result.lengths + result.count, part.lengths, part.count * sizeof(*part.lengths));
        result.count += part.count;
    }
    return state->overflowed ? single_empty(arena) : result;
}

static expansion expand(expander *state, const syn_probe_pattern *pattern)
{
    expansion result = single_empty(state->parser->arena);
    for (unsigned i = 0; i < pattern->count && !state->overflowed; i++)
        result = product(state, result, expand_element(state, &pattern->elements[i]));
    return result;
}

void syn_probe_pattern_expand(syn_parser *parser, const syn_probe_pattern *pattern,
                              const syn_location *location, bool optional, bool sufficient,
                              syn_expr *condition, syn_probe_point_list *points)
{
    expander state = {.parser = parser};
    expansion result = expand(&state, pattern);
    if (state.overflowed) {
        syn_error(parser->diagnostics, location,
                  "brace expansion of this probe point gives more than %d probe points",
                  SYN_MAX_EXPANDED_POINTS);
        return;
    }
    for (unsigned i = 0; i < result.count; i++) {
        syn_probe_point *point = syn_arena_alloc(parser->arena, sizeof(*point));
        point->components = result.sequences[i];
        point->count = result.lengths[i];
        point->optional = optional;
        point->sufficient = sufficient;
        point->condition = condition;
        point->location = *location;
        syn_probe_point_list_append(parser->arena, points, point);
    }
}
