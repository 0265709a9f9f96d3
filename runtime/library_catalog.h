/* Everything the library offers, for syn --doc, --dump-functions,
 * --dump-probe-aliases and the reference page: every built-in function,
 * and every public function and probe alias of the library's files (those
 * that win, when several files define one) with its doc comment and its
 * signature as the semantic pass infers it over the whole library. */
#ifndef SYN_RUNTIME_LIBRARY_CATALOG_H
#define SYN_RUNTIME_LIBRARY_CATALOG_H

#include <stdbool.h>

#include "compiler/builtins.h"
#include "lang/doc_comment.h"
#include "runtime/library.h"

typedef enum syn_catalog_kind {
    SYN_CATALOG_BUILTIN,
    SYN_CATALOG_FUNCTION,
    SYN_CATALOG_ALIAS,
} syn_catalog_kind;

typedef struct syn_catalog_entry {
    syn_catalog_kind kind;
    const char *name;              /* a function's name, an alias's dotted name */
    const char *signature;         /* "name:type(a:long, b:string)"; an alias's name */
    const char *expansion;         /* an alias: "= point, point" or "+= point" */
    const syn_builtin *builtin;
    const syn_library_file *file;  /* NULL for a built-in */
    const syn_location *location;  /* where it is defined; NULL for a built-in */
    const char *doc_text;          /* its doc comment, or NULL */
    syn_doc doc;                   /* parsed from doc_text */
} syn_catalog_entry;

typedef struct syn_catalog {
    syn_catalog_entry *entries;    /* built-ins, then each file's in source order */
    unsigned count;
    unsigned capacity;
    syn_arena arena;
} syn_catalog;

/* `strict`: a library file that does not parse, or a library that does not
 * pass the semantic pass, is reported and fails the call; otherwise such
 * files are left out quietly and signatures fall back to what is written. */
syn_status syn_catalog_build(syn_state *state, syn_catalog *catalog, bool strict);
void syn_catalog_release(syn_catalog *catalog);

#endif
