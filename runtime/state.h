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
#include "runtime/library.h"
#include "syn/syn.h"
#include "util/buffer.h"
#include "util/settings.h"

struct syn_semantic_program;
struct syn_host_signature;
struct syn_builtin_value;

/* A function of the host: the callback and the kinds it is given. */
typedef struct syn_host_call {
    syn_host_function function;
    void *user_data;
    syn_value_kind result;
    syn_value_kind parameters[4];
} syn_host_call;

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
    char **library_paths;             /* -I DIR */
    unsigned library_path_count;
    syn_library library;              /* what the search path holds (runtime/library.c) */

    char *kernel_release;
    char *architecture;
    syn_kernel_config kernel_config;

    syn_kernel kernel;
    syn_probe_resolver resolver;
    struct syn_semantic_program *checked; /* the result of syn_check */
    syn_ir_program *ir;                   /* the checked program lowered */
    struct syn_session *session;          /* while running */
    long target_pid;
    uint32_t ring_bytes;                  /* 0: the default */
    int verbosity;
    bool updating;                        /* syn_update is checking a new version */
    bool growing;                         /* syn_set_growing */
    bool background_detach;               /* syn_set_background_detach */
    bool output_json;                     /* syn_set_output_format */
    /* What the globals calls hand back, valid until the next such call. */
    char *returned_string;
    int64_t *returned_buckets;
    int64_t *returned_lows;
    /* syn_register_function (runtime/api_host.c). */
    struct syn_host_signature *host_signatures;
    syn_host_call *host_calls;
    unsigned host_count;
    int stats_fd;                         /* syn_count_hits: holds the kernel's BPF accounting on */
};

/* The program changed: an earlier check and its IR no longer hold.  A
 * running script keeps its own until syn_update replaces them. */
void syn_state_program_changed(syn_state *state);

/* Lowers the checked program to IR, checking it first when needed. */
syn_status syn_compile(syn_state *state);
/* Stops a running script (syn_free's part). */
void syn_session_free(syn_state *state);
/* -p4: the BPF of each kernel probe, loaded into the verifier, not attached. */
syn_status syn_session_verify(syn_state *state, syn_buffer *out);

/* Runs host function `index` for the interpreter (runtime/api_host.c). */
bool syn_state_call_host(syn_state *state, uint32_t index, const struct syn_builtin_value *arguments, uint32_t count,
                         int64_t *number, char *string, size_t string_size, char *message, size_t message_size);
void syn_state_release_hosts(syn_state *state);

/* Writes text to the state's output sink. */
void syn_state_output(syn_state *state, const char *text, size_t length);

/* The preprocessor's probe_exists(...): whether the point resolves on this
 * kernel, asked quietly (runtime/listing.c). */
bool syn_probe_point_exists(void *state, const char *point);

#endif
