/* The semantic pass (SystemTap's pass 2): probe alias expansion, symbol
 * resolution and type inference over everything a state loaded. */
#ifndef SYN_COMPILER_SEMANTIC_H
#define SYN_COMPILER_SEMANTIC_H

#include "compiler/probe_point.h"
#include "compiler/symbols.h"
#include "lang/diagnostics.h"
#include "lang/program.h"
#include "util/buffer.h"
#include "util/map.h"
#include "util/settings.h"

typedef struct syn_semantic_options {
    const syn_setting *global_initializers; /* -G NAME=VALUE */
    unsigned global_initializer_count;
    /* Matches probe points with the kernel's probe families; without one,
     * points are kept as written and target variables are not checked. */
    const syn_probe_resolver *resolver;
    /* Library files pulled in for the program (runtime/library.c), checked
     * after its own files as if loaded with them. */
    const syn_file *const *library_files;
    unsigned library_file_count;
    /* Resolve and infer every library function, not only those the
     * program reaches (for listing their signatures). */
    bool whole_library;
    /* The host's functions (syn_register_function). */
    const struct syn_host_signature *host_functions;
    unsigned host_function_count;
} syn_semantic_options;

typedef struct syn_semantic_program {
    syn_arena arena;              /* copies of the trees, symbols */
    syn_symbol_list globals;      /* in declaration order */
    syn_function_info **functions;
    unsigned function_count;
    syn_derived_probe **probes;
    unsigned probe_count;
    /* The host's functions the calls name (a copy of the options'). */
    struct syn_host_signature *host_functions;
    unsigned host_function_count;
} syn_semantic_program;

/* NULL when errors were reported. */
syn_semantic_program *syn_semantic_check(const syn_program *program, syn_diagnostics *diagnostics,
                                         const syn_semantic_options *options);
void syn_semantic_program_free(syn_semantic_program *checked);

/* Whether a probe alias name matches a written point, wildcards and
 * components passed through to the alias's points included
 * (compiler/aliases.c). */
bool syn_alias_name_matches(const syn_probe_point *name, const syn_probe_point *point);

/* What -p2 prints: globals, functions and probes with their types. */
void syn_semantic_dump(syn_buffer *out, const syn_semantic_program *checked);

#endif
