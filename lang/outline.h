/* The outline of a library file, read from its tokens alone: the functions,
 * globals and probe aliases it declares at the top level, with the doc
 * comment written right before each.
 *
 * Choosing which library files a script needs looks at outlines only, so
 * that a file is parsed once it is known to matter and a script that needs
 * nothing of a file never pays for parsing it.  No preprocessing happens
 * here: both branches of a %( %? %: %) conditional are read, so an outline
 * may name more than the parsed file defines, never less (names that only
 * macros make aside).  The parsed file has the last word. */
#ifndef SYN_LANG_OUTLINE_H
#define SYN_LANG_OUTLINE_H

#include <stdbool.h>

#include "lang/source.h"
#include "util/arena.h"

typedef enum syn_outline_kind {
    SYN_OUTLINE_FUNCTION,
    SYN_OUTLINE_GLOBAL,
    SYN_OUTLINE_ALIAS,
} syn_outline_kind;

typedef struct syn_outline_entry {
    syn_outline_kind kind;
    /* A function's or a global's name; for an alias, the first component
     * of one of its names ("*" when it does not start with a plain word). */
    const char *name;
    bool is_private;
    /* Where the declaration is: the name of a function or global, the
     * `probe` keyword of an alias, as the parser locates them too. */
    unsigned line;
    unsigned column;
    const char *doc;         /* the doc comment's text between its delimiters, or NULL */
} syn_outline_entry;

typedef struct syn_outline {
    syn_outline_entry *entries;
    unsigned count;
    unsigned capacity;
    /* A doc comment that opens the file and documents no declaration: it
     * describes the file. */
    const char *file_doc;
} syn_outline;

/* Reads `source`'s outline; names and doc texts are copied to `arena`.
 * Lexical errors are not reported: parsing the file reports them, if it is
 * ever needed. */
void syn_outline_read(syn_outline *outline, const syn_source *source, syn_arena *arena);
void syn_outline_release(syn_outline *outline);

/* The doc comment of the declaration at line:column, or NULL. */
const char *syn_outline_doc_at(const syn_outline *outline, unsigned line, unsigned column);

#endif
