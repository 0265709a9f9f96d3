/* Prints the tree back as script text (syn -p1), in SystemTap's canonical
 * form: every operand parenthesised, braces expanded, one statement per line.
 * Parsing the output again prints the same text. */
#ifndef SYN_LANG_PRINT_H
#define SYN_LANG_PRINT_H

#include "lang/ast.h"
#include "util/buffer.h"

void syn_print_file(syn_buffer *out, const syn_file *file);
void syn_print_expr(syn_buffer *out, const syn_expr *expr);
void syn_print_stmt(syn_buffer *out, const syn_stmt *stmt);
void syn_print_probe_point(syn_buffer *out, const syn_probe_point *point);
void syn_print_string_literal(syn_buffer *out, const char *text, size_t length);

#endif
