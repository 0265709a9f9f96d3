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
} syn_semantic_options;

typedef struct syn_semantic_program {
    syn_arena arena;              /* copies of the trees, symbols */
    syn_symbol_list globals;      /* in declaration order */
    syn_function_info **functions;
    unsigned function_count;
    syn_derived_probe **probes;
    unsigned probe_count;
} syn_semantic_program;

/* NULL when errors were reported. */
syn_semantic_program *syn_semantic_check(const syn_program *program, syn_diagnostics *diagnostics,
                                         const syn_semantic_options *options);
void syn_semantic_program_free(syn_semantic_program *checked);

/* What -p2 prints: globals, functions and probes with their types. */
void syn_semantic_dump(syn_buffer *out, const syn_semantic_program *checked);

#endif
