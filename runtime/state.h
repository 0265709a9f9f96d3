/* The engine behind the public syn_state handle.  Everything a state owns
 * hangs off this struct; libsyn has no other mutable state. */
#ifndef SYN_RUNTIME_STATE_H
#define SYN_RUNTIME_STATE_H

#include <stdio.h>

#include "lang/diagnostics.h"
#include "lang/program.h"
#include "compiler/ir.h"
#include "compiler/probe_point.h"
#include "runtime/kernel.h"
#include "runtime/kernel_config.h"
#include "syn/syn.h"
#include "util/settings.h"

struct syn_semantic_program;

struct syn_state {
    syn_diagnostics diagnostics;
    syn_program program;

    syn_output_handler output_handler;
    void *output_data;
    FILE *output_file;

    char **arguments;
    int argument_count;
    syn_settings defines;             /* -D NAME=VALUE */
    syn_settings global_initializers; /* -G NAME=VALUE */
    char **library_paths;
    unsigned library_path_count;

    char *kernel_release;
    char *architecture;
    syn_kernel_config kernel_config;

    syn_kernel kernel;
    syn_probe_resolver resolver;
    struct syn_semantic_program *checked; /* the result of syn_check */
    syn_ir_program *ir;                   /* the checked program lowered */
};

/* Writes text to the state's output sink. */
void syn_state_output(syn_state *state, const char *text, size_t length);

#endif
