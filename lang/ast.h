/* The abstract syntax tree of a script.  Nodes live in the program's arena.
 * The semantic pass (compiler/) annotates them in place: types, and the
 * symbols and functions names resolve to. */
#ifndef SYN_LANG_AST_H
#define SYN_LANG_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "lang/location.h"
#include "lang/token.h"
#include "util/arena.h"

struct syn_symbol;
struct syn_function;

/* Value types as SystemTap infers them. */
typedef enum syn_type {
    SYN_TYPE_UNKNOWN = 0,
    SYN_TYPE_LONG,
    SYN_TYPE_STRING,
    SYN_TYPE_STATS,
    SYN_TYPE_HISTOGRAM,      /* @hist_log(s), @hist_linear(s, ...): printed or indexed */
} syn_type;

const char *syn_type_name(syn_type type);

typedef enum syn_operator {
    SYN_OP_NONE = 0,
    /* arithmetic and bitwise */
    SYN_OP_ADD, SYN_OP_SUBTRACT, SYN_OP_MULTIPLY, SYN_OP_DIVIDE, SYN_OP_MODULO,
    SYN_OP_SHIFT_LEFT, SYN_OP_SHIFT_RIGHT, SYN_OP_UNSIGNED_SHIFT_RIGHT,
    SYN_OP_BIT_AND, SYN_OP_BIT_OR, SYN_OP_BIT_XOR,
    /* comparison */
    SYN_OP_LESS, SYN_OP_GREATER, SYN_OP_LESS_EQUAL, SYN_OP_GREATER_EQUAL,
    SYN_OP_EQUAL, SYN_OP_NOT_EQUAL,
    /* strings */
    SYN_OP_CONCAT, SYN_OP_REGEX_MATCH, SYN_OP_REGEX_NO_MATCH,
    /* logical */
    SYN_OP_LOGICAL_AND, SYN_OP_LOGICAL_OR,
    /* unary */
    SYN_OP_NEGATE, SYN_OP_PLUS, SYN_OP_NOT, SYN_OP_BIT_NOT, SYN_OP_ADDRESS_OF,
    SYN_OP_INCREMENT, SYN_OP_DECREMENT,
    /* assignment */
    SYN_OP_ASSIGN, SYN_OP_ADD_ASSIGN, SYN_OP_SUBTRACT_ASSIGN, SYN_OP_MULTIPLY_ASSIGN,
    SYN_OP_DIVIDE_ASSIGN, SYN_OP_MODULO_ASSIGN, SYN_OP_SHIFT_LEFT_ASSIGN,
    SYN_OP_SHIFT_RIGHT_ASSIGN, SYN_OP_AND_ASSIGN, SYN_OP_OR_ASSIGN, SYN_OP_XOR_ASSIGN,
    SYN_OP_CONCAT_ASSIGN, SYN_OP_AGGREGATE,
} syn_operator;

const char *syn_operator_spelling(syn_operator op);
/* For a compound assignment, the binary operator it applies (+= gives +). */
syn_operator syn_operator_of_assignment(syn_operator op);

/* Statistic extractors and histograms: @count(s), @hist_log(s), ... */
typedef enum syn_stat_op {
    SYN_STAT_NONE = 0,
    SYN_STAT_COUNT, SYN_STAT_SUM, SYN_STAT_MIN, SYN_STAT_MAX, SYN_STAT_AVG,
    SYN_STAT_VARIANCE, SYN_STAT_HIST_LOG, SYN_STAT_HIST_LINEAR,
} syn_stat_op;

const char *syn_stat_op_name(syn_stat_op op); /* "count", ..., "hist_linear" */
syn_stat_op syn_stat_op_lookup(const char *name);

typedef enum syn_expr_kind {
    SYN_EXPR_NUMBER,
    SYN_EXPR_STRING,
    SYN_EXPR_SYMBOL,         /* a variable or array name */
    SYN_EXPR_TARGET,         /* $name, or $$vars/$$parms/$$locals/$$return */
    SYN_EXPR_INDEX,          /* base[keys]: an array element or a target array */
    SYN_EXPR_MEMBER,         /* base->field */
    SYN_EXPR_CALL,           /* name(arguments) */
    SYN_EXPR_UNARY,          /* -x !x ~x +x &x */
    SYN_EXPR_PREFIX,         /* ++x --x */
    SYN_EXPR_POSTFIX,        /* x++ x-- */
    SYN_EXPR_BINARY,         /* arithmetic, comparison, concatenation, regex */
    SYN_EXPR_LOGICAL,        /* && || */
    SYN_EXPR_ASSIGN,         /* = op= .= <<< */
    SYN_EXPR_TERNARY,
    SYN_EXPR_IN,             /* [keys] in array */
    SYN_EXPR_STAT,           /* @count(x) ... @hist_linear(x, lo, hi, step) */
    SYN_EXPR_CAST,           /* @cast(e, "type"[, "module"]) */
    SYN_EXPR_VAR,            /* @var("name"[, "module"]) */
    SYN_EXPR_DEFINED,        /* @defined(e) */
    SYN_EXPR_ENTRY,          /* @entry(e) */
    SYN_EXPR_CHOOSE_DEFINED, /* @choose_defined(a, b) */
    SYN_EXPR_PRETTY,         /* e$ or e$$ */
    SYN_EXPR_EMBEDDED,       /* @const("C expression") */
} syn_expr_kind;

typedef struct syn_expr syn_expr;
typedef struct syn_stmt syn_stmt;

typedef struct syn_expr_list {
    syn_expr **items;        /* a NULL item is the '*' of an array slice */
    unsigned count;
    unsigned capacity;
} syn_expr_list;

typedef struct syn_stmt_list {
    syn_stmt **items;
    unsigned count;
    unsigned capacity;
} syn_stmt_list;

struct syn_expr {
    syn_expr_kind kind;
    syn_location location;
    unsigned depth;          /* nesting below this node, bounded by the parser */
    syn_type type;           /* inferred by the semantic pass */
    bool decided;            /* @defined(...) settled by the semantic pass ... */
    bool defined;            /* ... to this */
    union {
        int64_t number;
        syn_text string;
        struct {
            char *name;
            struct syn_symbol *symbol;
        } symbol;
        struct {
            char *name;      /* without '$' ("vars" for $$vars) */
            bool context;    /* $$vars and friends */
        } target;
        struct {
            syn_expr *base;
            syn_expr_list keys;
        } index;
        struct {
            syn_expr *base;
            char *field;
        } member;
        struct {
            char *name;
            syn_expr_list arguments;
            struct syn_function *function;
            /* a builtin a library function implements in kernel probes
             * (syn_builtin.kernel_function): that function */
            struct syn_function *kernel_function;
            unsigned host_function;  /* a function of the host (syn_register_function): its index + 1 */
        } call;
        struct {
            syn_operator op;
            syn_expr *operand;
        } unary;
        struct {
            syn_operator op;
            syn_expr *left;
            syn_expr *right;
        } binary;
        struct {
            syn_expr *condition;
            syn_expr *then_value;
            syn_expr *else_value;
        } ternary;
        struct {
            syn_expr_list keys;
            syn_expr *array;     /* a SYMBOL */
        } in;
        struct {
            syn_stat_op op;
            syn_expr *operand;
            syn_expr_list parameters; /* @hist_linear's low, high, step */
        } stat;
        struct {
            syn_expr *operand;
            syn_text type_name;
            syn_text module;     /* data NULL when absent */
        } cast;
        struct {
            syn_text name;
            syn_text module;
        } var;
        struct {
            syn_expr *operand;   /* @defined, @entry */
        } wrap;
        struct {
            syn_expr *first;
            syn_expr *second;
        } choose;
        struct {
            syn_expr *operand;
            bool deep;           /* $$ rather than $ */
        } pretty;
        struct {
            syn_text code;
        } embedded;
    };
};

typedef enum syn_stmt_kind {
    SYN_STMT_BLOCK,
    SYN_STMT_EXPR,
    SYN_STMT_NULL,           /* a lone ';' */
    SYN_STMT_IF,
    SYN_STMT_WHILE,
    SYN_STMT_FOR,
    SYN_STMT_FOREACH,
    SYN_STMT_BREAK,
    SYN_STMT_CONTINUE,
    SYN_STMT_NEXT,
    SYN_STMT_RETURN,
    SYN_STMT_DELETE,
    SYN_STMT_TRY,
    SYN_STMT_EMBEDDED,       /* %{ C %} as a function body */
} syn_stmt_kind;

/* How a foreach orders its iterations. */
typedef struct syn_foreach_sort {
    int column;              /* 0: none; -1: the value; 1..n: that key */
    int direction;           /* +1 ascending, -1 descending */
    syn_stat_op aggregate;   /* for statistics arrays: what the value sort uses */
} syn_foreach_sort;

struct syn_stmt {
    syn_stmt_kind kind;
    syn_location location;
    unsigned depth;
    union {
        syn_stmt_list block;
        syn_expr *expr;      /* EXPR, DELETE, RETURN (NULL when bare) */
        struct {
            syn_expr *condition;
            syn_stmt *then_branch;
            syn_stmt *else_branch;
        } if_;
        struct {
            syn_expr *condition;
            syn_stmt *body;
        } while_;
        struct {
            syn_expr *init;      /* each may be NULL */
            syn_expr *condition;
            syn_expr *step;
            syn_stmt *body;
        } for_;
        struct {
            syn_expr *value;     /* SYMBOL of `v = [k] in a`, or NULL */
            syn_expr_list keys;  /* SYMBOLs */
            bool bracketed;      /* keys written as [k1, k2] */
            syn_expr *array;     /* SYMBOL, or INDEX for a slice a[*, k] */
            syn_foreach_sort sort;
            syn_expr *limit;
            syn_stmt *body;
        } foreach;
        struct {
            syn_stmt *body;
            syn_expr *variable;  /* SYMBOL of catch (msg), or NULL */
            syn_stmt *handler;
        } try_;
        syn_text embedded;
    };
};

/* One component of a probe point: kernel, function("tcp_*"), return, ... */
typedef struct syn_probe_component {
    char *name;              /* may hold wildcards: "*", "**", "tcp_*" */
    syn_expr *argument;      /* NUMBER or STRING, or NULL */
    syn_location location;
} syn_probe_component;

typedef struct syn_probe_point {
    syn_probe_component *components;
    unsigned count;
    bool optional;           /* '?' */
    bool sufficient;         /* '!' */
    syn_expr *condition;     /* if (cond), or NULL */
    syn_location location;
} syn_probe_point;

typedef struct syn_probe_point_list {
    syn_probe_point **items;
    unsigned count;
    unsigned capacity;
} syn_probe_point_list;

typedef enum syn_probe_kind {
    SYN_PROBE_PLAIN,
    SYN_PROBE_ALIAS,         /* probe a.b = points { prologue } */
    SYN_PROBE_EPILOGUE_ALIAS /* probe a.b += points { epilogue } */
} syn_probe_kind;

typedef struct syn_probe {
    syn_probe_kind kind;
    syn_probe_point_list alias_names;   /* the names an alias defines */
    syn_probe_point_list points;
    syn_stmt *body;
    syn_stmt *epilogue;                 /* probe a = points {pre}, {post} */
    bool is_private;
    syn_location location;
    struct syn_probe_scope *scope;      /* locals, set by the semantic pass */
} syn_probe;

typedef struct syn_global {
    char *name;
    syn_location location;
    syn_expr *initializer;   /* NUMBER or STRING, or NULL */
    bool is_array;           /* declared with [] or [size] */
    int64_t size;            /* 0 when not given */
    bool wrap;               /* a% */
    bool is_private;
    struct syn_symbol *symbol;
} syn_global;

typedef struct syn_parameter {
    char *name;
    syn_type annotation;     /* SYN_TYPE_UNKNOWN when not written */
    syn_location location;
} syn_parameter;

typedef struct syn_function {
    char *name;
    syn_location location;
    syn_type annotation;     /* return type as written, or UNKNOWN */
    syn_parameter *parameters;
    unsigned parameter_count;
    syn_stmt *body;          /* a BLOCK, or EMBEDDED */
    int64_t priority;        /* function f() : 5 { }, 0 when not written */
    bool is_private;
    struct syn_function_info *info; /* set by the semantic pass */
} syn_function;

typedef enum syn_item_kind {
    SYN_ITEM_GLOBAL,
    SYN_ITEM_FUNCTION,
    SYN_ITEM_PROBE,
    SYN_ITEM_EMBEDDED,       /* %{ C %} at the top level */
} syn_item_kind;

typedef struct syn_item {
    syn_item_kind kind;
    union {
        syn_global *global;
        syn_function *function;
        syn_probe *probe;
        struct {
            syn_text code;
            syn_location location;
        } embedded;
    };
} syn_item;

/* One parsed script: its items in source order. */
typedef struct syn_file {
    const syn_source *source;
    syn_item *items;
    unsigned count;
    unsigned capacity;
    struct syn_file *next;
} syn_file;

/* Construction helpers used by the grammar (lang/ast.c). */
syn_expr *syn_expr_new(syn_arena *arena, syn_expr_kind kind, syn_location location);
syn_stmt *syn_stmt_new(syn_arena *arena, syn_stmt_kind kind, syn_location location);
void syn_expr_list_append(syn_arena *arena, syn_expr_list *list, syn_expr *expr);
void syn_stmt_list_append(syn_arena *arena, syn_stmt_list *list, syn_stmt *stmt);
void syn_probe_point_list_append(syn_arena *arena, syn_probe_point_list *list, syn_probe_point *point);
void syn_file_append(syn_arena *arena, syn_file *file, syn_item item);

/* Children's depth plus one; the parser rejects trees deeper than this so
 * that every recursive pass has a bounded stack. */
enum { SYN_MAX_NESTING = 1000 };
void syn_expr_update_depth(syn_expr *expr);
void syn_stmt_update_depth(syn_stmt *stmt);

#endif
