/* Shared state of the semantic pass's parts: alias expansion
 * (compiler/aliases.c), resolution (compiler/resolve.c) and type inference
 * (compiler/infer.c), driven by compiler/semantic.c. */
#ifndef SYN_COMPILER_SEMANTIC_INTERNAL_H
#define SYN_COMPILER_SEMANTIC_INTERNAL_H

#include "compiler/builtins.h"
#include "compiler/semantic.h"

typedef struct syn_checker {
    syn_semantic_program *result;
    syn_arena *arena;
    syn_diagnostics *diagnostics;
    const syn_semantic_options *options;
    const syn_file **files;   /* the program's, then the library files it pulled */
    unsigned file_count;
    syn_map globals;          /* name -> syn_symbol chain */
    syn_map functions;        /* name -> syn_function_info chain */
    bool reporting;           /* inference reports mismatches only in its last round */
    bool changed;             /* a round of inference learnt a type */
} syn_checker;

/* Where a body is being checked. */
typedef struct syn_scope {
    syn_symbol_list *locals;
    syn_function_info *function;  /* NULL in a probe */
    syn_derived_probe *probe;     /* NULL in a function */
    const syn_file *file;
} syn_scope;

/* aliases.c: one derived probe per probe point, through aliases. */
void syn_derive_probes(syn_checker *checker);

/* resolve.c: binds names to symbols and functions; checks structure. */
void syn_resolve_function(syn_checker *checker, syn_function_info *info);
void syn_resolve_probe(syn_checker *checker, syn_derived_probe *probe);
syn_symbol *syn_find_global(syn_checker *checker, const char *name, const syn_file *file);
syn_function_info *syn_find_functions(syn_checker *checker, const char *name, const syn_file *file);
syn_symbol *syn_new_symbol(syn_checker *checker, const char *name, syn_symbol_kind kind,
                           const syn_location *location);

/* infer.c: one round of type inference over a body. */
void syn_infer_function(syn_checker *checker, syn_function_info *info);
void syn_infer_probe(syn_checker *checker, syn_derived_probe *probe);
void syn_unify_symbol(syn_checker *checker, syn_symbol *symbol, syn_type type, const syn_location *location);

#endif
