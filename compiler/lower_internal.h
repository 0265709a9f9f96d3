/* Shared state of lowering: compiler/lower.c (program, globals, statements),
 * compiler/lower_expr.c (expressions), compiler/lower_call.c (builtins and
 * calls), compiler/lower_target.c ($target variables and BTF chains). */
#ifndef SYN_COMPILER_LOWER_INTERNAL_H
#define SYN_COMPILER_LOWER_INTERNAL_H

#include "compiler/builtins.h"
#include "compiler/lower.h"
#include "compiler/probe_point.h"

typedef struct syn_lowerer {
    syn_ir_program *program;
    const syn_semantic_program *checked;
    const syn_lower_options *options;
    syn_diagnostics *diagnostics;
    uint32_t *function_indexes;    /* IR function of each checked function, or UINT32_MAX */
    const struct btf *btf;         /* once asked for (syn_lower_btf) */
    bool btf_asked;
} syn_lowerer;

/* The kernel's types, loaded at the first need (syn_lower_options.btf). */
const struct btf *syn_lower_btf(syn_lowerer *lowerer);

typedef struct syn_local_binding {
    const syn_symbol *symbol;
    syn_ir_register reg;
} syn_local_binding;

typedef struct syn_loop_targets {
    uint32_t continue_block;
    uint32_t break_block;
} syn_loop_targets;

/* An inlined function's frame: where `return` goes and what it sets. */
typedef struct syn_inline_frame {
    const syn_function_info *function;
    uint32_t exit_block;
    syn_ir_register result;
    syn_local_binding *bindings;   /* the caller's, restored after */
    uint32_t binding_count;
    struct syn_inline_frame *outer;
} syn_inline_frame;

typedef struct syn_entry_captures syn_entry_captures;

/* Lowering one IR function (a probe handler or a userspace function). */
typedef struct syn_function_lowering {
    syn_lowerer *lowerer;
    syn_ir_function *function;
    uint32_t block;                /* where instructions go now */
    const syn_derived_probe *probe;/* NULL in a function */
    const syn_point *point;        /* the probe's concrete point, or NULL */
    bool in_kernel;
    syn_local_binding *bindings;
    uint32_t binding_count;
    uint32_t binding_capacity;
    syn_loop_targets *loops;
    uint32_t loop_count;
    uint32_t loop_capacity;
    syn_inline_frame *inline_frame;
    uint32_t inline_depth;
    uint32_t next_iterator;
    /* The innermost try: faults go to its handler with the message. */
    uint32_t fault_block;
    syn_ir_register fault_message;
    syn_ir_register return_register; /* userspace functions */
    syn_entry_captures *captures;    /* a return probe's values taken at the entry */
    bool in_entry_probe;             /* the probe that takes them */
    bool failed;
} syn_function_lowering;

/* lower.c */
void syn_lower_init(syn_function_lowering *f, syn_lowerer *l, syn_ir_function *function);
void syn_lower_initialize_locals(syn_function_lowering *f, const syn_symbol_list *locals,
                                 const syn_location *location);
/* Ends the current block with a return where it has no terminator. */
void syn_lower_finish(syn_function_lowering *f, const syn_location *location);
void syn_lower_add_probe(syn_lowerer *l, const syn_derived_probe *probe, uint32_t function_index,
                         const char *point_name);
syn_ir_instruction *syn_lower_emit(syn_function_lowering *f, syn_ir_opcode opcode, const syn_location *location);
syn_ir_register syn_lower_register(syn_function_lowering *f, syn_ir_register_kind kind);
syn_ir_register_kind syn_lower_kind(syn_type type);
syn_ir_register syn_lower_local(syn_function_lowering *f, const syn_symbol *symbol);
void syn_lower_set_arguments(syn_function_lowering *f, syn_ir_instruction *instruction,
                             const syn_ir_register *registers, uint32_t count);
void syn_lower_statement(syn_function_lowering *f, const syn_stmt *stmt);
void syn_lower_error(syn_function_lowering *f, const syn_location *location, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* A kernel probe cannot run this; says so at `location`. */
void syn_lower_kernel_only_userspace(syn_function_lowering *f, const syn_location *location, const char *what);
uint32_t syn_lower_global(syn_function_lowering *f, const syn_symbol *symbol);
void syn_lower_mark_fault(syn_function_lowering *f, syn_ir_instruction *instruction);
/* A user function called from a userspace probe: an IR function of its own,
 * lowered once; returns its index. */
uint32_t syn_lower_userspace_function(syn_lowerer *l, const syn_function_info *info);

/* lower_expr.c */
syn_ir_register syn_lower_expr(syn_function_lowering *f, const syn_expr *expr);
/* An expression whose value is not used: lets adds become atomic updates. */
void syn_lower_effect(syn_function_lowering *f, const syn_expr *expr);
void syn_lower_condition(syn_function_lowering *f, const syn_expr *expr, uint32_t true_block,
                         uint32_t false_block);
syn_ir_register syn_lower_keys(syn_function_lowering *f, const syn_expr_list *keys, syn_ir_register *registers);
/* The statistic a @hist_log/@hist_linear expression reads, its bucket
 * layout recorded (an error when it conflicts with another use). */
uint32_t syn_lower_histogram(syn_function_lowering *f, const syn_expr *expr);

/* lower_call.c */
syn_ir_register syn_lower_call(syn_function_lowering *f, const syn_expr *expr, bool value_used);
/* lower_entry.c: @entry(...) and parameters read at a function's entry. */
syn_entry_captures *syn_lower_entry_begin(syn_function_lowering *f);
void syn_lower_entry_end(syn_function_lowering *f, syn_entry_captures *captures, uint32_t probe_number,
                         const syn_location *location);
/* True when `expr` is a value taken at the entry: *reg holds it. */
bool syn_lower_captured(syn_function_lowering *f, const syn_expr *expr, syn_ir_register *reg);

/* sprintf(format, values...) of registers already computed. */
syn_ir_register syn_lower_format(syn_function_lowering *f, const char *format, const syn_ir_register *values,
                                 const syn_ir_register_kind *kinds, uint32_t count, const syn_location *location);

/* lower_registers.c: register("rdi"), int_arg(n), ...; false when `name` is
 * none of them. */
bool syn_lower_register_call(syn_function_lowering *f, const syn_expr *expr, const char *name,
                             syn_ir_register *result);
/* lower_byte_order.c: ntohs(x) and friends. */
bool syn_lower_is_byte_order(const char *name);
syn_ir_register syn_lower_byte_order(syn_function_lowering *f, const syn_expr *expr);

/* lower_target.c */
syn_ir_register syn_lower_target(syn_function_lowering *f, const syn_expr *expr);

#endif
