/* Probe points as written, before brace expansion:
 * kernel.{function("a"), function("b")}.return is a sequence whose middle
 * element has two alternatives.  The parser expands each pattern into the
 * plain probe points it stands for. */
#ifndef SYN_LANG_PROBE_PATTERN_H
#define SYN_LANG_PROBE_PATTERN_H

#include "lang/ast.h"
#include "lang/parser.h"

typedef struct syn_probe_pattern syn_probe_pattern;

typedef struct syn_probe_alternatives {
    syn_probe_pattern **items;
    unsigned count;
    unsigned capacity;
} syn_probe_alternatives;

syn_probe_pattern *syn_probe_pattern_new(syn_arena *arena);
void syn_probe_pattern_add_component(syn_arena *arena, syn_probe_pattern *pattern,
                                     syn_probe_component component);
void syn_probe_pattern_add_alternatives(syn_arena *arena, syn_probe_pattern *pattern,
                                        syn_probe_alternatives alternatives);
void syn_probe_alternatives_append(syn_arena *arena, syn_probe_alternatives *alternatives,
                                   syn_probe_pattern *pattern);

/* Appends every point the pattern stands for to `points`, each carrying the
 * given flags and condition. */
void syn_probe_pattern_expand(syn_parser *parser, const syn_probe_pattern *pattern,
                              const syn_location *location, bool optional, bool sufficient,
                              syn_expr *condition, syn_probe_point_list *points);

#endif
