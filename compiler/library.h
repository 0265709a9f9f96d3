/* What a file needs from the library, and whether files provide it.
 *
 * A file needs a function it calls, a global it names (any name that is not
 * a parameter: SystemTap looks a would-be local up in the library too) and
 * probe aliases for the points its probes and aliases name.  A need is met
 * when one of the loaded files defines it where the semantic pass will find
 * it (public, or private to the file that needs it); a function call is met
 * by a built-in too.  runtime/library.c pulls library files in until every
 * need that the library can meet is met. */
#ifndef SYN_COMPILER_LIBRARY_H
#define SYN_COMPILER_LIBRARY_H

#include <stdbool.h>

#include "lang/ast.h"
#include "util/map.h"

typedef enum syn_need_kind {
    SYN_NEED_FUNCTION,
    SYN_NEED_GLOBAL,
    SYN_NEED_PROBE_POINT,
} syn_need_kind;

typedef struct syn_need {
    syn_need_kind kind;
    const char *name;                 /* the function or global */
    unsigned arity;                   /* a function's argument count */
    const syn_probe_point *point;     /* a probe point */
    const syn_file *file;             /* the file that needs it */
} syn_need;

typedef struct syn_need_list {
    syn_need *items;
    unsigned count;
    unsigned capacity;
    syn_map seen;                     /* functions and globals already listed, per file */
    syn_arena keys;
} syn_need_list;

void syn_need_list_init(syn_need_list *needs);
void syn_need_list_release(syn_need_list *needs);

/* Appends what `file` needs (each function or global once). */
void syn_needs_collect(syn_need_list *needs, const syn_file *file);

/* Whether one of `files` (or a built-in) meets the need. */
bool syn_need_met(const syn_need *need, const syn_file *const *files, unsigned count);

/* Whether `file` meets the need with a public definition: what makes a
 * library file worth pulling in. */
bool syn_file_provides(const syn_file *file, const syn_need *need);

/* A probe point with wildcards may match aliases in several files, and
 * pulls in all of them; other needs take the first file that meets them. */
bool syn_need_takes_every_provider(const syn_need *need);

/* `file` without the public definitions that `loaded` already has: the
 * script's own definitions (and those of library files pulled earlier)
 * override the library's.  Returns `file` itself when nothing is hidden. */
const syn_file *syn_library_view(syn_arena *arena, const syn_file *file, const syn_file *const *loaded,
                                 unsigned count);

/* How a need reads in messages: "function f/2", "global g", "probe point a.b". */
char *syn_need_describe(const syn_need *need, syn_arena *arena);

#endif
