/* syn -l and -L over the library's probe aliases (runtime/listing.c lists
 * the probe families' points and these beside them). */
#ifndef SYN_RUNTIME_LISTING_ALIASES_H
#define SYN_RUNTIME_LISTING_ALIASES_H

#include <stdbool.h>

#include "lang/ast.h"
#include "syn/syn.h"

typedef struct syn_line_list {
    char **items;              /* malloc'd, each ending in '\n' */
    unsigned count;
    unsigned capacity;
} syn_line_list;

void syn_line_list_add(syn_line_list *lines, char *line);
void syn_line_list_release(syn_line_list *lines);

/* The public library aliases that `point` names, each as a line: its name
 * and, with `variables`, the values its body sets and the target variables
 * of the points it expands to, with their types, when the alias checks on
 * this kernel (otherwise its name alone).  Library files that do not parse
 * are left out quietly, as they do not get in the way of a script that
 * does not need them.  Returns how many aliases matched. */
unsigned syn_list_library_aliases(syn_state *state, const syn_probe_point *point, bool variables,
                                  syn_line_list *lines);

#endif
