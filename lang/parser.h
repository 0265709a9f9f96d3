/* The parser's shared state, passed to every bison action and to the token
 * source (the preprocessor). */
#ifndef SYN_LANG_PARSER_H
#define SYN_LANG_PARSER_H

#include <stdbool.h>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/token.h"

struct syn_preprocessor;

typedef struct syn_parser {
    syn_arena *arena;
    syn_diagnostics *diagnostics;
    struct syn_preprocessor *preprocessor;
    syn_file *file;
    bool in_function;         /* `return` is only valid inside functions */
    bool incomplete;          /* the input ended where more was expected */
    bool nesting_reported;
    bool statements;          /* the input is statements, not items (syn_parse_statements) */
    bool statements_started;
    unsigned syntax_errors;
    syn_token last_token;     /* for messages about the unexpected token */
} syn_parser;

/* Checks a freshly built node against SYN_MAX_NESTING. */
void syn_parser_check_expr_depth(syn_parser *parser, syn_expr *expr);
void syn_parser_check_stmt_depth(syn_parser *parser, syn_stmt *stmt);

#endif
