/* What the semantic pass knows about a program: its variables with their
 * types, its functions and the probes derived from its probe points.  Later
 * passes (IR, code generation) read these. */
#ifndef SYN_COMPILER_SYMBOLS_H
#define SYN_COMPILER_SYMBOLS_H

#include <stdbool.h>

#include "lang/ast.h"

typedef enum syn_symbol_kind {
    SYN_SYMBOL_GLOBAL,
    SYN_SYMBOL_LOCAL,
    SYN_SYMBOL_PARAMETER,
} syn_symbol_kind;

typedef struct syn_symbol {
    char *name;
    syn_symbol_kind kind;
    syn_location location;        /* declaration, or first use of a local */
    syn_type type;                /* of the value, or of each element */
    syn_location type_location;   /* where the type was first inferred */
    bool is_array;
    int arity;                    /* number of keys; -1 while unknown */
    syn_type *key_types;          /* arity entries once known */
    syn_location arity_location;
    bool assigned;                /* written somewhere (or initialised) */
    bool read;                    /* its value is used somewhere (SystemTap's sense) */
    bool written;                 /* a probe or function writes it (initialisers aside) */
    bool referenced;
    bool is_private;
    const syn_file *file;         /* where a global was declared */
    const syn_global *global;     /* its declaration */
    const char *initial_value;    /* from -G, else NULL */
    struct syn_symbol *next_with_name; /* private globals of other files */
    int32_t ir_index;             /* its IR global, set by lowering (-1 before) */
    bool histogram_log;           /* read with @hist_log */
    bool histogram_linear;        /* read with @hist_linear(low, high, step) */
    int64_t linear_low, linear_high, linear_step;
    syn_location histogram_location;
} syn_symbol;

typedef struct syn_symbol_list {
    syn_symbol **items;
    unsigned count;
    unsigned capacity;
} syn_symbol_list;

void syn_symbol_list_append(syn_arena *arena, syn_symbol_list *list, syn_symbol *symbol);

/* A user function after checking. */
typedef struct syn_function_info {
    syn_function *function;       /* the checked copy */
    syn_symbol **parameters;
    syn_symbol_list locals;
    syn_type return_type;
    syn_location return_location;
    bool reachable;               /* called, directly or not, from a probe */
    bool resolved;                /* a library file's function is resolved only once reachable */
    struct syn_function_info **callees;
    unsigned callee_count;
    const syn_file *file;
    struct syn_function_info *next_with_name; /* overloads, other files' privates */
} syn_function_info;

/* One probe point with the body it runs: the user's body with the prologues
 * and epilogues of the aliases it went through. */
typedef struct syn_derived_probe {
    syn_probe_point *point;       /* after alias expansion */
    const struct syn_point *resolved; /* the concrete point, when a resolver was given */
    const syn_probe *probe;       /* the user's probe */
    char *origin;                 /* how it was derived, for -p2 */
    char *written;                /* the user's point it came from, as written: pn() */
    syn_stmt *body;               /* a checked copy */
    syn_expr *condition;          /* copied, or NULL */
    syn_symbol_list locals;
    const syn_file *file;
} syn_derived_probe;

/* The value of a condition made of @defined(...) settled by the semantic
 * pass, with !, && and ||: 0 or 1, or -1 when it is known only at run time.
 * The branch it rules out is neither checked nor compiled, so that
 * `@defined($x) ? $x : 0` works where $x does not exist. */
int syn_static_condition(const syn_expr *condition);

#endif
