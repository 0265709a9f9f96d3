/* What the grammar's actions do, kept out of grammar.y so that the grammar
 * reads as a grammar and the node building compiles with full warnings. */
#ifndef SYN_LANG_GRAMMAR_ACTIONS_H
#define SYN_LANG_GRAMMAR_ACTIONS_H

#include "lang/grammar.h"

/* Tokens and errors */
int parser_next_token(syn_parser *parser, SYN_YYSTYPE *value, syn_location *location);
void parser_report_failure(syn_parser *parser, const syn_location *location, const char *message);
void parser_report_syntax_error(syn_parser *parser, const syn_location *location, const char *found,
                                bool at_end, const char *const *expected, int expected_count);

/* Top level */
void parser_add_embedded(syn_parser *parser, syn_text code, const syn_location *location);
void parser_mark_private(syn_parser *parser, unsigned first_item, const syn_location *location);
void parser_add_global(syn_parser *parser, syn_text name, const syn_location *location,
                       syn_global_shape shape, syn_expr *initializer);
syn_global_shape parser_global_size(syn_parser *parser, bool wrap, int64_t size,
                                    const syn_location *location);
void parser_add_function(syn_parser *parser, syn_text name, const syn_location *location, int type,
                         syn_parameter_list parameters, int64_t priority, syn_stmt *body);
int parser_type_name(syn_parser *parser, syn_text name, const syn_location *location);
syn_parameter_list parser_parameters_append(syn_parser *parser, syn_parameter_list list,
                                            syn_parameter parameter);
int64_t parser_priority(syn_parser *parser, int64_t priority, const syn_location *location);
/* Statements given as a whole input (syn_parse_statements) become the body
 * of a begin probe. */
void parser_add_statements(syn_parser *parser, syn_stmt_list *statements, const syn_location *location);
void parser_add_probe(syn_parser *parser, syn_probe_kind kind, syn_probe_point_list *names,
                      syn_probe_point_list *points, syn_stmt *body, syn_stmt *epilogue,
                      const syn_location *location);
syn_text parser_join_point_words(syn_parser *parser, syn_text first, const syn_location *first_location,
                                 syn_text second, const syn_location *second_location);
syn_text parser_text(syn_parser *parser, const char *text);
syn_text parser_join_strings(syn_parser *parser, syn_text first, syn_text second);

/* Statements */
syn_stmt *parser_block(syn_parser *parser, syn_stmt_list *statements, const syn_location *location);
syn_stmt *parser_embedded_statement(syn_parser *parser, syn_text code, const syn_location *location);
syn_stmt *parser_expr_statement(syn_parser *parser, syn_stmt_kind kind, syn_expr *expr,
                                const syn_location *location);
syn_stmt *parser_return(syn_parser *parser, syn_expr *value, const syn_location *location);
syn_stmt *parser_if(syn_parser *parser, syn_expr *condition, syn_stmt *then_branch,
                    syn_stmt *else_branch, const syn_location *location);
syn_stmt *parser_while(syn_parser *parser, syn_expr *condition, syn_stmt *body,
                       const syn_location *location);
syn_stmt *parser_for(syn_parser *parser, syn_expr *init, syn_expr *condition, syn_expr *step,
                     syn_stmt *body, const syn_location *location);
syn_foreach_head parser_foreach_key(syn_parser *parser, syn_foreach_head head, syn_text name,
                                    const syn_location *location, syn_foreach_sort sort,
                                    const syn_location *sort_location);
syn_foreach_head parser_foreach_value(syn_parser *parser, syn_text name, const syn_location *location,
                                      syn_foreach_sort sort, syn_foreach_head keys,
                                      const syn_location *sort_location);
syn_stmt *parser_foreach(syn_parser *parser, syn_foreach_head *head, syn_expr *array,
                         syn_foreach_sort tail_sort, syn_expr *limit, syn_stmt *body,
                         const syn_location *location, const syn_location *sort_location);
syn_stmt *parser_try(syn_parser *parser, syn_stmt *body, syn_expr *variable, syn_stmt *handler,
                     const syn_location *location);

/* Expressions */
syn_expr *parser_number(syn_parser *parser, int64_t value, const syn_location *location);
syn_expr *parser_string(syn_parser *parser, syn_text text, const syn_location *location);
syn_expr *parser_symbol(syn_parser *parser, syn_text name, const syn_location *location);
syn_expr *parser_target(syn_parser *parser, syn_text name, bool context, const syn_location *location);
syn_expr *parser_call(syn_parser *parser, syn_text name, syn_expr_list *arguments,
                      const syn_location *location);
syn_expr *parser_index(syn_parser *parser, syn_expr *base, syn_expr_list *keys,
                       const syn_location *location);
syn_expr *parser_member(syn_parser *parser, syn_expr *base, syn_text field, const syn_location *location);
syn_expr *parser_pretty(syn_parser *parser, syn_expr *operand, bool deep, const syn_location *location);
syn_expr *parser_unary(syn_parser *parser, syn_expr_kind kind, int op, syn_expr *operand,
                       const syn_location *location);
syn_expr *parser_binary(syn_parser *parser, syn_expr_kind kind, int op, syn_expr *left,
                        syn_expr *right, const syn_location *location);
syn_expr *parser_regex(syn_parser *parser, int op, syn_expr *left, syn_expr *right,
                       const syn_location *location);
syn_expr *parser_ternary(syn_parser *parser, syn_expr *condition, syn_expr *then_value,
                         syn_expr *else_value, const syn_location *location);
syn_expr *parser_in(syn_parser *parser, syn_expr_list *keys, syn_expr *array, const syn_location *location);
syn_expr *parser_stat(syn_parser *parser, syn_stat_op op, syn_expr *operand, syn_expr_list *parameters,
                      const syn_location *location);
syn_expr *parser_cast(syn_parser *parser, syn_expr *operand, syn_text type_name, syn_text module,
                      const syn_location *location);
syn_expr *parser_var(syn_parser *parser, syn_text name, syn_text module, const syn_location *location);
syn_expr *parser_wrap(syn_parser *parser, syn_expr_kind kind, syn_expr *operand,
                      const syn_location *location);
syn_expr *parser_choose_defined(syn_parser *parser, syn_expr *first, syn_expr *second,
                                const syn_location *location);
syn_expr *parser_embedded_expr(syn_parser *parser, syn_text code, const syn_location *location);

#endif
