/* Deep copies of trees.  A probe body used by several probe points, or
 * behind a probe alias, is checked once per point, each with its own
 * locals, so each gets its own copy. */
#ifndef SYN_LANG_AST_COPY_H
#define SYN_LANG_AST_COPY_H

#include "lang/ast.h"

syn_expr *syn_expr_copy(syn_arena *arena, const syn_expr *expr);
syn_stmt *syn_stmt_copy(syn_arena *arena, const syn_stmt *stmt);

#endif
