/* Doc comments of library files, in the kernel-doc style SystemTap's
 * tapsets use:
 *
 *   / **
 *    * function ansi_cursor_move - move the cursor
 *    * @x: the column, from 1
 *    * @y: the row, from 1
 *    *
 *    * Free text, in paragraphs.
 *    * /
 *
 * (without the spaces inside the delimiters).  The first line is
 * "function NAME - summary" or "probe NAME - summary" ("NAME - summary"
 * and a bare summary are read too); "@name: text" lines follow, each
 * possibly continued on the next lines; everything after the first blank
 * line is the description, kept as written. */
#ifndef SYN_LANG_DOC_COMMENT_H
#define SYN_LANG_DOC_COMMENT_H

#include "util/arena.h"

typedef struct syn_doc_parameter {
    const char *name;
    const char *text;
} syn_doc_parameter;

typedef struct syn_doc {
    const char *kind;        /* "function", "probe" or NULL when the first line names none */
    const char *name;        /* as the first line names it, or NULL */
    const char *summary;     /* "" when there is none */
    syn_doc_parameter *parameters;
    unsigned parameter_count;
    const char *description; /* lines joined with '\n', or NULL */
} syn_doc;

/* `text` is the comment between its delimiters; everything goes to `arena`. */
void syn_doc_parse(syn_doc *doc, const char *text, syn_arena *arena);

#endif
