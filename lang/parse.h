/* Parsing a source text into a syn_file: lexer, preprocessor and grammar. */
#ifndef SYN_LANG_PARSE_H
#define SYN_LANG_PARSE_H

#include <stdbool.h>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/preprocessor.h"

typedef struct syn_parse_result {
    syn_file *file;      /* NULL when the text had errors */
    bool incomplete;     /* the errors are only that the input ended early */
} syn_parse_result;

/* Nodes go to `arena`; errors are reported to `diagnostics`. */
syn_parse_result syn_parse(const syn_source *source, syn_arena *arena, syn_diagnostics *diagnostics,
                           const syn_preprocessor_environment *environment);
/* The text as statements, as a REPL line: a file of one begin probe whose
 * body they are. */
syn_parse_result syn_parse_statements(const syn_source *source, syn_arena *arena, syn_diagnostics *diagnostics,
                                      const syn_preprocessor_environment *environment);

#endif
