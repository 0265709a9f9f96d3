/* The grammar of syn's language, which is SystemTap's.  Every construct of the
 * language parses here; meaning is given by compiler/.  Tokens come from the
 * preprocessor (lang/preprocessor.c), never straight from flex. */

%define api.pure full
%define api.prefix {syn_yy}
%define api.location.type {syn_location}
%define parse.error custom
%define parse.lac full
%locations
/* Without semicolons a statement ends where the next cannot continue it, so
 * `x = a \n -b` is `x = a - b`: every conflict below (a token that could
 * continue the expression or start the next statement, and `return` before
 * an expression) is resolved by shifting, which is what SystemTap's
 * recursive-descent parser does. */
%expect 36
%param {syn_parser *parser}

%code requires {
#include "lang/ast.h"
#include "lang/parser.h"
#include "lang/probe_pattern.h"

/* Parts of a declaration that are assembled before the node exists. */
typedef struct syn_global_shape {
    bool wrap;
    bool is_array;
    int64_t size;
} syn_global_shape;

typedef struct syn_foreach_head {
    syn_expr *value;
    syn_expr_list keys;
    bool bracketed;
    syn_foreach_sort sort;
} syn_foreach_head;

typedef struct syn_parameter_list {
    syn_parameter *items;
    unsigned count;
} syn_parameter_list;

typedef struct syn_probe_flags {
    bool optional;
    bool sufficient;
} syn_probe_flags;
}

%code provides {
int syn_yylex(SYN_YYSTYPE *value, syn_location *location, syn_parser *parser);
void syn_yyerror(syn_location *location, syn_parser *parser, const char *message);
int syn_yyparse(syn_parser *parser);
}

%code {
#include <string.h>

#include "lang/grammar_actions.h"

#define YYLLOC_DEFAULT(current, rhs, n)                                   \
    do {                                                                  \
        if (n) {                                                          \
            (current) = syn_location_join(YYRHSLOC(rhs, 1), YYRHSLOC(rhs, n)); \
        } else {                                                          \
            (current) = YYRHSLOC(rhs, 0);                                 \
            (current).first_line = (current).last_line;                   \
            (current).first_column = (current).last_column;               \
        }                                                                 \
    } while (0)

#define ARENA (parser->arena)
}

%union {
    int64_t number;
    syn_text text;
    int op;
    syn_expr *expr;
    syn_expr_list expr_list;
    syn_stmt *stmt;
    syn_stmt_list stmt_list;
    syn_probe_component component;
    syn_probe_pattern *pattern;
    syn_probe_alternatives alternatives;
    syn_probe_point_list points;
    syn_probe_flags probe_flags;
    syn_global_shape global_shape;
    syn_foreach_head foreach_head;
    syn_foreach_sort sort;
    syn_parameter_list parameters;
    syn_parameter parameter;
    int type;
}

%token END_OF_INPUT 0 "end of input"
%token <number> NUMBER "number"
%token <text> STRING "string"
%token <text> IDENTIFIER "identifier"
%token <text> TARGET "target variable"
%token <text> CONTEXT_VARIABLE "context variable"
%token <text> EMBEDDED_CODE "embedded code"
%token <text> AT_WORD "@-operator"
%token <number> STAT_OP "statistic operator"
%token HIST_LOG "@hist_log" HIST_LINEAR "@hist_linear"
%token AT_CAST "@cast" AT_VAR "@var" AT_DEFINED "@defined" AT_ENTRY "@entry"
%token AT_CHOOSE_DEFINED "@choose_defined" AT_CONST "@const" AT_DEFINE "@define"
%token <number> ARGUMENT_NUMBER "$N argument" ARGUMENT_STRING "@N argument"
%token ARGUMENT_COUNT "$#" ARGUMENT_COUNT_STRING "@#"
%token DOLLAR "$" DOUBLE_DOLLAR "$$"
%token PP_OPEN "%(" PP_THEN "%?" PP_ELSE "%:" PP_CLOSE "%)"
%token END_OF_INPUT_IN_TOKEN "unterminated token"
%token START_STATEMENTS "statements"
/* Only from a lexer that keeps doc comments (lang/outline.c), never parsed. */
%token <text> DOC_COMMENT "doc comment"

%token PROBE "probe" GLOBAL "global" FUNCTION "function" PRIVATE "private"
%token IF "if" ELSE "else" WHILE "while" FOR "for" FOREACH "foreach" IN "in"
%token LIMIT "limit" BREAK "break" CONTINUE "continue" NEXT "next"
%token RETURN "return" DELETE "delete" TRY "try" CATCH "catch"

%token AGGREGATE "<<<" UNSIGNED_SHIFT_RIGHT ">>>" SHIFT_LEFT_ASSIGN "<<="
%token SHIFT_RIGHT_ASSIGN ">>=" EQUAL "==" NOT_EQUAL "!=" LESS_EQUAL "<="
%token GREATER_EQUAL ">=" LOGICAL_AND "&&" LOGICAL_OR "||" SHIFT_LEFT "<<"
%token SHIFT_RIGHT ">>" INCREMENT "++" DECREMENT "--" ARROW "->"
%token REGEX_MATCH "=~" REGEX_NO_MATCH "!~" ADD_ASSIGN "+=" SUBTRACT_ASSIGN "-="
%token MULTIPLY_ASSIGN "*=" DIVIDE_ASSIGN "/=" MODULO_ASSIGN "%=" AND_ASSIGN "&="
%token OR_ASSIGN "|=" XOR_ASSIGN "^=" CONCAT_ASSIGN ".="

%type <text> string_literal point_word point_name
%type <number> signed_number opt_priority
%type <expr> expr opt_expr assignment ternary logical_or logical_and bit_or bit_xor
%type <expr> bit_and array_in comparison shift concatenation additive multiplicative
%type <expr> unary crement postfix primary literal point_argument opt_condition
%type <expr> foreach_array opt_limit index_key global_initializer
%type <expr_list> arguments expr_list index_keys
%type <op> assignment_operator comparison_operator shift_operator additive_operator
%type <op> multiplicative_operator regex_operator
%type <stmt> block statement simple_statement foreach_statement try_statement
%type <stmt> function_body
%type <stmt_list> statements
%type <component> point_component
%type <pattern> point_sequence
%type <alternatives> point_alternatives
%type <points> probe_points
%type <probe_flags> point_flags
%type <global_shape> global_shape
%type <foreach_head> foreach_head foreach_keys foreach_key_list
%type <sort> opt_sort foreach_tail_sort
%type <number> opt_aggregate
%type <parameters> opt_parameters parameters
%type <parameter> parameter
%type <type> opt_type

/* `if (a) if (b) x else y`: the else belongs to the nearest if, as in C. */
%precedence THEN
%precedence ELSE
/* `return x`, `x;`: take the longer statement. */
%precedence BARE
%precedence ';'

%start input

%%

/* input -> script | statements (syn_parse_statements: what a REPL line runs) */
input:
    script
  | START_STATEMENTS statements  { parser_add_statements(parser, &$2, &@2); }
  ;

/* script -> item* */
script:
    %empty
  | script item
  ;

/* item -> probe | global | function | %{ code %} | ';' */
item:
    probe_declaration
  | GLOBAL global_list
  | function_declaration
  | PRIVATE { $<number>$ = parser->file->count; } private_item
        { parser_mark_private(parser, (unsigned)$<number>2, &@1); }
  | EMBEDDED_CODE { parser_add_embedded(parser, $1, &@1); }
  | ';'
  | error
  ;

/* private -> 'private' ('global' globals | globals | function | alias) */
private_item:
    GLOBAL global_list
  | global_list
  | function_declaration
  | probe_declaration
  ;

/* global -> 'global' name ['%'] ['[' [size] ']'] ['=' literal], ... */
global_list:
    global_one
  | global_list ',' global_one
  ;

global_one:
    IDENTIFIER global_shape global_initializer
        { parser_add_global(parser, $1, &@1, $2, $3); }
  ;

global_shape:
    %empty                       { $$ = (syn_global_shape){0}; }
  | '%'                          { $$ = (syn_global_shape){.wrap = true}; }
  | '[' ']'                      { $$ = (syn_global_shape){.is_array = true}; }
  | '[' NUMBER ']'               { $$ = parser_global_size(parser, false, $2, &@2); }
  | '%' '[' ']'                  { $$ = (syn_global_shape){.wrap = true, .is_array = true}; }
  | '%' '[' NUMBER ']'           { $$ = parser_global_size(parser, true, $3, &@3); }
  ;

global_initializer:
    %empty                       { $$ = NULL; }
  | '=' literal                  { $$ = $2; }
  ;

literal:
    signed_number                { $$ = parser_number(parser, $1, &@1); }
  | string_literal               { $$ = parser_string(parser, $1, &@1); }
  ;

signed_number:
    NUMBER                       { $$ = $1; }
  | '-' NUMBER                   { $$ = (int64_t)(0 - (uint64_t)$2); }
  ;

/* Adjacent string literals join, as in C and SystemTap. */
string_literal:
    STRING                       { $$ = $1; }
  | string_literal STRING        { $$ = parser_join_strings(parser, $1, $2); }
  ;

/* function -> 'function' name [':' type] '(' parameters ')' [':' priority] body */
function_declaration:
    FUNCTION IDENTIFIER opt_type '(' opt_parameters ')' opt_priority
        { parser->in_function = true; }
    function_body
        { parser->in_function = false;
          parser_add_function(parser, $2, &@2, $3, $5, $7, $9); }
  ;

opt_type:
    %empty                       { $$ = SYN_TYPE_UNKNOWN; }
  | ':' IDENTIFIER               { $$ = parser_type_name(parser, $2, &@2); }
  ;

opt_parameters:
    %empty                       { $$ = (syn_parameter_list){0}; }
  | parameters                   { $$ = $1; }
  ;

parameters:
    parameter                    { $$ = parser_parameters_append(parser, (syn_parameter_list){0}, $1); }
  | parameters ',' parameter     { $$ = parser_parameters_append(parser, $1, $3); }
  ;

parameter:
    IDENTIFIER opt_type          { $$ = (syn_parameter){.name = $1.data, .annotation = $2, .location = @1}; }
  ;

opt_priority:
    %empty                       { $$ = 0; }
  | ':' NUMBER                   { $$ = parser_priority(parser, $2, &@2); }
  ;

function_body:
    block                        { $$ = $1; }
  | EMBEDDED_CODE                { $$ = parser_embedded_statement(parser, $1, &@1); }
  ;

/* probe -> 'probe' points block
 *        | 'probe' names '=' points block [',' block]
 *        | 'probe' names '+=' points block */
probe_declaration:
    PROBE probe_points block
        { parser_add_probe(parser, SYN_PROBE_PLAIN, NULL, &$2, $3, NULL, &@1); }
  | PROBE probe_points '=' probe_points block
        { parser_add_probe(parser, SYN_PROBE_ALIAS, &$2, &$4, $5, NULL, &@1); }
  | PROBE probe_points '=' probe_points block ',' block
        { parser_add_probe(parser, SYN_PROBE_ALIAS, &$2, &$4, $5, $7, &@1); }
  | PROBE probe_points ADD_ASSIGN probe_points block
        { parser_add_probe(parser, SYN_PROBE_EPILOGUE_ALIAS, &$2, &$4, $5, NULL, &@1); }
  ;

/* points -> point (',' point)*
 * point -> sequence ['?' | '!'] ['if' '(' expr ')'] */
probe_points:
    point_sequence point_flags opt_condition
        { $$ = (syn_probe_point_list){0};
          syn_probe_pattern_expand(parser, $1, &@1, $2.optional, $2.sufficient, $3, &$$); }
  | probe_points ',' point_sequence point_flags opt_condition
        { $$ = $1;
          syn_probe_pattern_expand(parser, $3, &@3, $4.optional, $4.sufficient, $5, &$$); }
  ;

point_flags:
    %empty                       { $$ = (syn_probe_flags){0}; }
  | '?'                          { $$ = (syn_probe_flags){.optional = true}; }
  | '!'                          { $$ = (syn_probe_flags){.sufficient = true}; }
  | '?' '!'                      { $$ = (syn_probe_flags){.optional = true, .sufficient = true}; }
  | '!' '?'                      { $$ = (syn_probe_flags){.optional = true, .sufficient = true}; }
  ;

opt_condition:
    %empty                       { $$ = NULL; }
  | IF '(' expr ')'              { $$ = $3; }
  ;

/* sequence -> element ('.' element)*
 * element -> component | '{' sequence (',' sequence)* '}' */
point_sequence:
    point_component
        { $$ = syn_probe_pattern_new(ARENA); syn_probe_pattern_add_component(ARENA, $$, $1); }
  | '{' point_alternatives '}'
        { $$ = syn_probe_pattern_new(ARENA); syn_probe_pattern_add_alternatives(ARENA, $$, $2); }
  | point_sequence '.' point_component
        { $$ = $1; syn_probe_pattern_add_component(ARENA, $$, $3); }
  | point_sequence '.' '{' point_alternatives '}'
        { $$ = $1; syn_probe_pattern_add_alternatives(ARENA, $$, $4); }
  ;

point_alternatives:
    point_sequence
        { $$ = (syn_probe_alternatives){0}; syn_probe_alternatives_append(ARENA, &$$, $1); }
  | point_alternatives ',' point_sequence
        { $$ = $1; syn_probe_alternatives_append(ARENA, &$$, $3); }
  ;

/* component -> name ['(' literal ')'], the name being words and '*' written
 * without spaces between them (tcp_*, **). */
point_component:
    point_name                   { $$ = (syn_probe_component){.name = $1.data, .location = @1}; }
  | point_name '(' point_argument ')'
        { $$ = (syn_probe_component){.name = $1.data, .argument = $3, .location = @$}; }
  ;

point_name:
    point_word                   { $$ = $1; }
  | point_name point_word        { $$ = parser_join_point_words(parser, $1, &@1, $2, &@2); }
  ;

point_word:
    IDENTIFIER { $$ = $1; }
  | '*' { $$ = parser_text(parser, "*"); }
  | RETURN { $$ = parser_text(parser, "return"); }
  | FUNCTION { $$ = parser_text(parser, "function"); }
  | PROBE { $$ = parser_text(parser, "probe"); }
  | GLOBAL { $$ = parser_text(parser, "global"); }
  | PRIVATE { $$ = parser_text(parser, "private"); }
  | ELSE { $$ = parser_text(parser, "else"); }
  | WHILE { $$ = parser_text(parser, "while"); }
  | FOR { $$ = parser_text(parser, "for"); }
  | FOREACH { $$ = parser_text(parser, "foreach"); }
  | IN { $$ = parser_text(parser, "in"); }
  | LIMIT { $$ = parser_text(parser, "limit"); }
  | BREAK { $$ = parser_text(parser, "break"); }
  | CONTINUE { $$ = parser_text(parser, "continue"); }
  | NEXT { $$ = parser_text(parser, "next"); }
  | DELETE { $$ = parser_text(parser, "delete"); }
  | TRY { $$ = parser_text(parser, "try"); }
  | CATCH { $$ = parser_text(parser, "catch"); }
  ;

point_argument:
    signed_number                { $$ = parser_number(parser, $1, &@1); }
  | string_literal               { $$ = parser_string(parser, $1, &@1); }
  ;

/* block -> '{' statement* '}' */
block:
    '{' statements '}'           { $$ = parser_block(parser, &$2, &@$); }
  | '{' statements error '}'     { $$ = parser_block(parser, &$2, &@$); }
  ;

statements:
    %empty                       { $$ = (syn_stmt_list){0}; }
  | statements statement         { $$ = $1; syn_stmt_list_append(ARENA, &$$, $2); }
  ;

statement:
    block                        { $$ = $1; }
  | simple_statement %prec BARE  { $$ = $1; }
  | simple_statement ';'         { $$ = $1; }
  | ';'                          { $$ = syn_stmt_new(ARENA, SYN_STMT_NULL, @1); }
  | IF '(' expr ')' statement %prec THEN
        { $$ = parser_if(parser, $3, $5, NULL, &@$); }
  | IF '(' expr ')' statement ELSE statement
        { $$ = parser_if(parser, $3, $5, $7, &@$); }
  | WHILE '(' expr ')' statement
        { $$ = parser_while(parser, $3, $5, &@$); }
  | FOR '(' opt_expr ';' opt_expr ';' opt_expr ')' statement
        { $$ = parser_for(parser, $3, $5, $7, $9, &@$); }
  | foreach_statement            { $$ = $1; }
  | try_statement                { $$ = $1; }
  | error ';'                    { $$ = syn_stmt_new(ARENA, SYN_STMT_NULL, @$); }
  ;

/* Statements that may end with an optional ';'. */
simple_statement:
    expr                         { $$ = parser_expr_statement(parser, SYN_STMT_EXPR, $1, &@$); }
  | BREAK                        { $$ = syn_stmt_new(ARENA, SYN_STMT_BREAK, @1); }
  | CONTINUE                     { $$ = syn_stmt_new(ARENA, SYN_STMT_CONTINUE, @1); }
  | NEXT                         { $$ = syn_stmt_new(ARENA, SYN_STMT_NEXT, @1); }
  | RETURN %prec BARE            { $$ = parser_return(parser, NULL, &@$); }
  | RETURN expr                  { $$ = parser_return(parser, $2, &@$); }
  | DELETE expr                  { $$ = parser_expr_statement(parser, SYN_STMT_DELETE, $2, &@$); }
  ;

opt_expr:
    %empty                       { $$ = NULL; }
  | expr                         { $$ = $1; }
  ;

/* foreach -> 'foreach' '(' [value [sort] '='] keys 'in' array [@stat] [sort]
 *            ['limit' expr] ')' statement */
foreach_statement:
    FOREACH '(' foreach_head IN foreach_array foreach_tail_sort opt_limit ')' statement
        { $$ = parser_foreach(parser, &$3, $5, $6, $7, $9, &@$, &@6); }
  ;

foreach_head:
    foreach_keys                 { $$ = $1; }
  | IDENTIFIER opt_sort '=' foreach_keys
        { $$ = parser_foreach_value(parser, $1, &@1, $2, $4, &@2); }
  ;

foreach_keys:
    IDENTIFIER opt_sort
        { $$ = parser_foreach_key(parser, (syn_foreach_head){0}, $1, &@1, $2, &@2); }
  | '[' foreach_key_list ']'
        { $$ = $2; $$.bracketed = true; }
  ;

foreach_key_list:
    IDENTIFIER opt_sort
        { $$ = parser_foreach_key(parser, (syn_foreach_head){0}, $1, &@1, $2, &@2); }
  | foreach_key_list ',' IDENTIFIER opt_sort
        { $$ = parser_foreach_key(parser, $1, $3, &@3, $4, &@4); }
  ;

opt_sort:
    %empty                       { $$ = (syn_foreach_sort){0}; }
  | '+'                          { $$ = (syn_foreach_sort){.column = 1, .direction = 1}; }
  | '-'                          { $$ = (syn_foreach_sort){.column = 1, .direction = -1}; }
  ;

foreach_array:
    IDENTIFIER                   { $$ = parser_symbol(parser, $1, &@1); }
  | IDENTIFIER '[' index_keys ']'
        { $$ = parser_index(parser, parser_symbol(parser, $1, &@1), &$3, &@$); }
  ;

foreach_tail_sort:
    opt_aggregate opt_sort
        { $$ = $2; $$.aggregate = (syn_stat_op)$1;
          /* An empty aggregate has no place of its own; point at the sign. */
          if (!$1) @$ = @2; }
  ;

opt_aggregate:
    %empty                       { $$ = SYN_STAT_NONE; }
  | STAT_OP                      { $$ = $1; }
  ;

opt_limit:
    %empty                       { $$ = NULL; }
  | LIMIT expr                   { $$ = $2; }
  ;

/* try -> 'try' block 'catch' ['(' name ')'] block */
try_statement:
    TRY block CATCH block
        { $$ = parser_try(parser, $2, NULL, $4, &@$); }
  | TRY block CATCH '(' IDENTIFIER ')' block
        { $$ = parser_try(parser, $2, parser_symbol(parser, $5, &@5), $7, &@$); }
  ;

/* Expressions, lowest precedence first (SystemTap's order). */
expr:
    assignment                   { $$ = $1; }
  ;

/* assignment -> unary op assignment, right associative */
assignment:
    ternary                      { $$ = $1; }
  | unary assignment_operator assignment
        { $$ = parser_binary(parser, SYN_EXPR_ASSIGN, $2, $1, $3, &@$); }
  ;

assignment_operator:
    '='                  { $$ = SYN_OP_ASSIGN; }
  | AGGREGATE            { $$ = SYN_OP_AGGREGATE; }
  | ADD_ASSIGN           { $$ = SYN_OP_ADD_ASSIGN; }
  | SUBTRACT_ASSIGN      { $$ = SYN_OP_SUBTRACT_ASSIGN; }
  | MULTIPLY_ASSIGN      { $$ = SYN_OP_MULTIPLY_ASSIGN; }
  | DIVIDE_ASSIGN        { $$ = SYN_OP_DIVIDE_ASSIGN; }
  | MODULO_ASSIGN        { $$ = SYN_OP_MODULO_ASSIGN; }
  | SHIFT_LEFT_ASSIGN    { $$ = SYN_OP_SHIFT_LEFT_ASSIGN; }
  | SHIFT_RIGHT_ASSIGN   { $$ = SYN_OP_SHIFT_RIGHT_ASSIGN; }
  | AND_ASSIGN           { $$ = SYN_OP_AND_ASSIGN; }
  | XOR_ASSIGN           { $$ = SYN_OP_XOR_ASSIGN; }
  | OR_ASSIGN            { $$ = SYN_OP_OR_ASSIGN; }
  | CONCAT_ASSIGN        { $$ = SYN_OP_CONCAT_ASSIGN; }
  ;

/* ternary -> logical_or ['?' expr ':' ternary] */
ternary:
    logical_or                   { $$ = $1; }
  | logical_or '?' expr ':' ternary
        { $$ = parser_ternary(parser, $1, $3, $5, &@$); }
  ;

logical_or:
    logical_and                  { $$ = $1; }
  | logical_or LOGICAL_OR logical_and
        { $$ = parser_binary(parser, SYN_EXPR_LOGICAL, SYN_OP_LOGICAL_OR, $1, $3, &@$); }
  ;

logical_and:
    bit_or                       { $$ = $1; }
  | logical_and LOGICAL_AND bit_or
        { $$ = parser_binary(parser, SYN_EXPR_LOGICAL, SYN_OP_LOGICAL_AND, $1, $3, &@$); }
  ;

bit_or:
    bit_xor                      { $$ = $1; }
  | bit_or '|' bit_xor           { $$ = parser_binary(parser, SYN_EXPR_BINARY, SYN_OP_BIT_OR, $1, $3, &@$); }
  ;

bit_xor:
    bit_and                      { $$ = $1; }
  | bit_xor '^' bit_and          { $$ = parser_binary(parser, SYN_EXPR_BINARY, SYN_OP_BIT_XOR, $1, $3, &@$); }
  ;

bit_and:
    array_in                     { $$ = $1; }
  | bit_and '&' array_in         { $$ = parser_binary(parser, SYN_EXPR_BINARY, SYN_OP_BIT_AND, $1, $3, &@$); }
  ;

/* array_in -> comparison ['in' array] | '[' keys ']' 'in' array */
array_in:
    comparison                   { $$ = $1; }
  | comparison IN IDENTIFIER
        { syn_expr_list keys = {0}; syn_expr_list_append(ARENA, &keys, $1);
          $$ = parser_in(parser, &keys, parser_symbol(parser, $3, &@3), &@$); }
  | '[' index_keys ']' IN IDENTIFIER
        { $$ = parser_in(parser, &$2, parser_symbol(parser, $5, &@5), &@$); }
  ;

comparison:
    shift                        { $$ = $1; }
  | comparison comparison_operator shift
        { $$ = parser_binary(parser, SYN_EXPR_BINARY, $2, $1, $3, &@$); }
  | comparison regex_operator shift
        { $$ = parser_regex(parser, $2, $1, $3, &@$); }
  ;

comparison_operator:
    '<'                          { $$ = SYN_OP_LESS; }
  | '>'                          { $$ = SYN_OP_GREATER; }
  | LESS_EQUAL                   { $$ = SYN_OP_LESS_EQUAL; }
  | GREATER_EQUAL                { $$ = SYN_OP_GREATER_EQUAL; }
  | EQUAL                        { $$ = SYN_OP_EQUAL; }
  | NOT_EQUAL                    { $$ = SYN_OP_NOT_EQUAL; }
  ;

regex_operator:
    REGEX_MATCH                  { $$ = SYN_OP_REGEX_MATCH; }
  | REGEX_NO_MATCH               { $$ = SYN_OP_REGEX_NO_MATCH; }
  ;

shift:
    concatenation                { $$ = $1; }
  | shift shift_operator concatenation
        { $$ = parser_binary(parser, SYN_EXPR_BINARY, $2, $1, $3, &@$); }
  ;

shift_operator:
    SHIFT_LEFT                   { $$ = SYN_OP_SHIFT_LEFT; }
  | SHIFT_RIGHT                  { $$ = SYN_OP_SHIFT_RIGHT; }
  | UNSIGNED_SHIFT_RIGHT         { $$ = SYN_OP_UNSIGNED_SHIFT_RIGHT; }
  ;

concatenation:
    additive                     { $$ = $1; }
  | concatenation '.' additive
        { $$ = parser_binary(parser, SYN_EXPR_BINARY, SYN_OP_CONCAT, $1, $3, &@$); }
  ;

additive:
    multiplicative               { $$ = $1; }
  | additive additive_operator multiplicative
        { $$ = parser_binary(parser, SYN_EXPR_BINARY, $2, $1, $3, &@$); }
  ;

additive_operator:
    '+'                          { $$ = SYN_OP_ADD; }
  | '-'                          { $$ = SYN_OP_SUBTRACT; }
  ;

multiplicative:
    unary                        { $$ = $1; }
  | multiplicative multiplicative_operator unary
        { $$ = parser_binary(parser, SYN_EXPR_BINARY, $2, $1, $3, &@$); }
  ;

multiplicative_operator:
    '*'                          { $$ = SYN_OP_MULTIPLY; }
  | '/'                          { $$ = SYN_OP_DIVIDE; }
  | '%'                          { $$ = SYN_OP_MODULO; }
  ;

/* unary -> ('+' | '-' | '!' | '~' | '&') unary | crement */
unary:
    crement                      { $$ = $1; }
  | '+' unary                    { $$ = parser_unary(parser, SYN_EXPR_UNARY, SYN_OP_PLUS, $2, &@$); }
  | '-' unary                    { $$ = parser_unary(parser, SYN_EXPR_UNARY, SYN_OP_NEGATE, $2, &@$); }
  | '!' unary                    { $$ = parser_unary(parser, SYN_EXPR_UNARY, SYN_OP_NOT, $2, &@$); }
  | '~' unary                    { $$ = parser_unary(parser, SYN_EXPR_UNARY, SYN_OP_BIT_NOT, $2, &@$); }
  | '&' unary                    { $$ = parser_unary(parser, SYN_EXPR_UNARY, SYN_OP_ADDRESS_OF, $2, &@$); }
  ;

/* crement -> ('++' | '--') postfix | postfix ['++' | '--']
 * One increment at most, as in SystemTap: `a++` newline `--b` is two statements. */
crement:
    postfix                      { $$ = $1; }
  | postfix INCREMENT            { $$ = parser_unary(parser, SYN_EXPR_POSTFIX, SYN_OP_INCREMENT, $1, &@$); }
  | postfix DECREMENT            { $$ = parser_unary(parser, SYN_EXPR_POSTFIX, SYN_OP_DECREMENT, $1, &@$); }
  | INCREMENT postfix            { $$ = parser_unary(parser, SYN_EXPR_PREFIX, SYN_OP_INCREMENT, $2, &@$); }
  | DECREMENT postfix            { $$ = parser_unary(parser, SYN_EXPR_PREFIX, SYN_OP_DECREMENT, $2, &@$); }
  ;

/* postfix -> primary ('[' keys ']' | '->' field | '$' | '$$')* */
postfix:
    primary                      { $$ = $1; }
  | postfix '[' index_keys ']'   { $$ = parser_index(parser, $1, &$3, &@$); }
  | postfix ARROW IDENTIFIER     { $$ = parser_member(parser, $1, $3, &@$); }
  | postfix DOLLAR               { $$ = parser_pretty(parser, $1, false, &@$); }
  | postfix DOUBLE_DOLLAR        { $$ = parser_pretty(parser, $1, true, &@$); }
  ;

index_keys:
    index_key                    { $$ = (syn_expr_list){0}; syn_expr_list_append(ARENA, &$$, $1); }
  | index_keys ',' index_key     { $$ = $1; syn_expr_list_append(ARENA, &$$, $3); }
  ;

/* A NULL key is the '*' of a slice: delete a[*, 2]. */
index_key:
    expr                         { $$ = $1; }
  | '*'                          { $$ = NULL; }
  ;

primary:
    NUMBER                       { $$ = parser_number(parser, $1, &@1); }
  | string_literal               { $$ = parser_string(parser, $1, &@1); }
  | IDENTIFIER                   { $$ = parser_symbol(parser, $1, &@1); }
  | IDENTIFIER '(' arguments ')' { $$ = parser_call(parser, $1, &$3, &@$); }
  | TARGET                       { $$ = parser_target(parser, $1, false, &@1); }
  | CONTEXT_VARIABLE             { $$ = parser_target(parser, $1, true, &@1); }
  | '(' expr ')'                 { $$ = $2; }
  | STAT_OP '(' expr ')'
        { $$ = parser_stat(parser, (syn_stat_op)$1, $3, NULL, &@$); }
  | STAT_OP '(' expr ',' expr_list ')'
        { $$ = parser_stat(parser, (syn_stat_op)$1, $3, &$5, &@$); }
  | HIST_LOG '(' expr ')'
        { $$ = parser_stat(parser, SYN_STAT_HIST_LOG, $3, NULL, &@$); }
  | HIST_LINEAR '(' expr ',' expr_list ')'
        { $$ = parser_stat(parser, SYN_STAT_HIST_LINEAR, $3, &$5, &@$); }
  | AT_CAST '(' expr ',' string_literal ')'
        { $$ = parser_cast(parser, $3, $5, (syn_text){0}, &@$); }
  | AT_CAST '(' expr ',' string_literal ',' string_literal ')'
        { $$ = parser_cast(parser, $3, $5, $7, &@$); }
  | AT_VAR '(' string_literal ')'
        { $$ = parser_var(parser, $3, (syn_text){0}, &@$); }
  | AT_VAR '(' string_literal ',' string_literal ')'
        { $$ = parser_var(parser, $3, $5, &@$); }
  | AT_DEFINED '(' expr ')'      { $$ = parser_wrap(parser, SYN_EXPR_DEFINED, $3, &@$); }
  | AT_ENTRY '(' expr ')'        { $$ = parser_wrap(parser, SYN_EXPR_ENTRY, $3, &@$); }
  | AT_CHOOSE_DEFINED '(' expr ',' expr ')'
        { $$ = parser_choose_defined(parser, $3, $5, &@$); }
  | AT_CONST '(' string_literal ')'
        { $$ = parser_embedded_expr(parser, $3, &@$); }
  ;

arguments:
    %empty                       { $$ = (syn_expr_list){0}; }
  | expr_list                    { $$ = $1; }
  ;

expr_list:
    expr                         { $$ = (syn_expr_list){0}; syn_expr_list_append(ARENA, &$$, $1); }
  | expr_list ',' expr           { $$ = $1; syn_expr_list_append(ARENA, &$$, $3); }
  ;

%%

int syn_yylex(SYN_YYSTYPE *value, syn_location *location, syn_parser *parser)
{
    if (parser->statements && !parser->statements_started) {
        parser->statements_started = true;
        *location = (syn_location){.source = parser->file->source, .first_line = 1, .first_column = 1,
                                   .last_line = 1, .last_column = 1};
        return START_STATEMENTS;
    }
    return parser_next_token(parser, value, location);
}

void syn_yyerror(syn_location *location, syn_parser *parser, const char *message)
{
    parser_report_failure(parser, location, message);
}

static int yyreport_syntax_error(const yypcontext_t *context, syn_parser *parser)
{
    enum { MAX_EXPECTED = 128 };
    yysymbol_kind_t expected[MAX_EXPECTED];
    int count = yypcontext_expected_tokens(context, expected, MAX_EXPECTED);
    if (count > MAX_EXPECTED)
        count = MAX_EXPECTED;
    const char *names[MAX_EXPECTED];
    for (int i = 0; i < count; i++)
        names[i] = yysymbol_name(expected[i]);
    yysymbol_kind_t found = yypcontext_token(context);
    parser_report_syntax_error(parser, yypcontext_location(context),
                               found == YYSYMBOL_YYEOF ? NULL : yysymbol_name(found),
                               found == YYSYMBOL_YYEOF, names, count < 0 ? 0 : count);
    return 0;
}
