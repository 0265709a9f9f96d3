/* The library as one state knows it (SystemTap's tapsets): the search
 * path, the .syn files found on it with their outlines, and the trees of
 * those parsed so far.  Nothing is read until a check needs something the
 * script does not define; then each file is read and outlined once, and
 * parsed once it may provide what is needed, for the state's whole life.
 * doc/library.md describes the behaviour. */
#ifndef SYN_RUNTIME_LIBRARY_H
#define SYN_RUNTIME_LIBRARY_H

#include <stdbool.h>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/preprocessor.h"
#include "lang/outline.h"
#include "syn/syn.h"
#include "util/arena.h"

typedef struct syn_library_file {
    char *path;              /* directory/relative: what messages name */
    char *relative;          /* below its directory: a file shadows later ones with the same */
    unsigned directory;      /* its directory's place in the search path */
    syn_source *source;
    syn_outline outline;
    bool parsed;             /* parsing was tried */
    const syn_file *file;    /* the tree; NULL when it does not parse */
    bool pulled;             /* by the last check */
    bool tried;              /* the last check asked for its tree */
    char *untrusted;         /* why syn, as root, refuses it (runtime/trust.h), or NULL */
} syn_library_file;

typedef struct syn_library {
    bool listed;             /* the search path is built and its files outlined */
    bool stale;              /* the search path or the environment changed since */
    char **directories;
    unsigned directory_count;
    syn_library_file *files; /* in search order */
    unsigned file_count;
    unsigned file_capacity;
    syn_arena arena;         /* outlines, parsed trees */
    syn_arena selection;     /* the last check's views of the files it pulled */
    const syn_file **pulled; /* those views, in the order pulled */
    unsigned pulled_count;
} syn_library;

void syn_library_init(syn_library *library);
void syn_library_release(syn_library *library);
/* The search path or what the preprocessor compares against changed: the
 * next check starts afresh (the last check's trees stay valid till then). */
void syn_library_forget(syn_library *library);

/* Pulls in the library files the loaded program needs, into
 * state->library.pulled.  False when a file that was needed does not
 * parse (its errors were reported). */
bool syn_library_select(syn_state *state);

/* Hands the last check's views over to `kept` (released by the caller) so
 * that they outlive the next check: a running program still uses them
 * while a new version of it is checked (syn_update). */
void syn_library_keep_selection(syn_library *library, syn_arena *kept);
/* Gives them back after a check that failed. */
void syn_library_restore_selection(syn_library *library, syn_arena *kept);

/* Every library file parsed, for documentation and dumps; false when one
 * does not parse (reported to `diagnostics`). */
bool syn_library_parse_all(syn_state *state, syn_diagnostics *diagnostics);

/* The library files parsed so far (syn_library_parse_all parses them all),
 * each seen through a view without the public definitions of the files
 * before it: where several files define a name, the first in search order
 * wins, as when pulling.  `views` and `owners` are free()d by the caller;
 * the views live in `arena`.  Returns their count. */
unsigned syn_library_winners(syn_state *state, syn_arena *arena, const syn_file ***views,
                             const syn_library_file ***owners);

/* What library files are preprocessed against: the state's kernel release,
 * architecture and kernel configuration, and no script arguments. */
syn_preprocessor_environment syn_library_environment(syn_state *state);

/* runtime/library_path.c: builds the search path and outlines its files. */
void syn_library_list(syn_state *state);

#endif
