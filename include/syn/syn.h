/* libsyn: the syn tracing engine.
 *
 * A host creates a syn_state, sets its options, loads one or more scripts
 * (from strings with a chunk name, or from files), checks them, and runs
 * them.  Every result is a syn_status; every problem found in a script is
 * also reported as a located syn_diagnostic to the host's handler.  The
 * library keeps no global state: independent states may live in one process,
 * each used by one thread at a time. */
#ifndef SYN_SYN_H
#define SYN_SYN_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYN_VERSION_MAJOR 0
#define SYN_VERSION_MINOR 1
#define SYN_VERSION_PATCH 0
#define SYN_VERSION "0.1.0"

typedef struct syn_state syn_state;

/* The outcome of every call that can fail, one code per failure class. */
typedef enum syn_status {
    SYN_OK = 0,
    SYN_ERROR_USAGE,       /* the host passed a bad argument or option */
    SYN_ERROR_IO,          /* a script file could not be read */
    SYN_ERROR_SYNTAX,      /* lexing, preprocessing or parsing failed */
    SYN_ERROR_SEMANTIC,    /* resolution or type checking failed */
    SYN_ERROR_VERIFIER,    /* the kernel's BPF verifier rejected a program */
    SYN_ERROR_ATTACH,      /* the kernel refused to attach a probe */
    SYN_ERROR_PERMISSION,  /* a privilege or capability is missing */
    SYN_ERROR_RUNTIME,     /* the running script raised an error */
    SYN_ERROR_UNSUPPORTED, /* this build or kernel cannot do what was asked */
    SYN_ERROR_STATE        /* the call is not valid in the state's current phase */
} syn_status;

/* A short English description of a status code; never NULL. */
const char *syn_status_string(syn_status status);

typedef enum syn_severity {
    SYN_SEVERITY_ERROR,
    SYN_SEVERITY_WARNING,
    SYN_SEVERITY_NOTE
} syn_severity;

/* One located message.  Lines and columns count from 1; they are 0 when the
 * message has no place in a script (a missing file, a kernel refusal).
 * Columns count bytes.  Every pointer is valid only during the callback. */
typedef struct syn_diagnostic {
    syn_severity severity;
    const char *file;        /* chunk name or file name; NULL when unlocated */
    unsigned line;
    unsigned column;
    unsigned end_line;       /* last line and column of the span, inclusive */
    unsigned end_column;
    const char *message;     /* the message alone, without location */
    const char *rendered;    /* "file:line:col: error: message", the source
                                line and a caret under the span, each line
                                ending in a newline */
} syn_diagnostic;

typedef void (*syn_diagnostic_handler)(const syn_diagnostic *diagnostic, void *user_data);
typedef void (*syn_output_handler)(const char *data, size_t length, void *user_data);

/* Creation and release.  syn_new returns NULL only when memory is exhausted. */
syn_state *syn_new(void);
void syn_free(syn_state *state);

/* The library's own version, for comparing with SYN_VERSION at run time. */
const char *syn_version(void);

/* Options; set them before loading.  Without a diagnostic handler the
 * rendered diagnostics go to stderr; without an output handler output goes to
 * stdout. */
void syn_set_diagnostic_handler(syn_state *state, syn_diagnostic_handler handler, void *user_data);
void syn_set_output_handler(syn_state *state, syn_output_handler handler, void *user_data);
void syn_set_output_file(syn_state *state, FILE *file);

typedef enum syn_warning_mode {
    SYN_WARNINGS_SHOW,     /* the default */
    SYN_WARNINGS_HIDE,     /* like stap -w */
    SYN_WARNINGS_AS_ERRORS /* like stap -W */
} syn_warning_mode;
void syn_set_warning_mode(syn_state *state, syn_warning_mode mode);

/* Script arguments, $1 and @1 onwards; the strings are copied. */
syn_status syn_set_arguments(syn_state *state, int count, const char *const *arguments);

/* A -D NAME=VALUE setting (MAXSTRINGLEN, MAXMAPENTRIES, ...); copied. */
syn_status syn_define(syn_state *state, const char *name, const char *value);

/* A -G NAME=VALUE initial value for a global; copied. */
syn_status syn_set_global_initializer(syn_state *state, const char *name, const char *value);

/* Directories searched for library scripts, in the order added; copied. */
syn_status syn_add_library_path(syn_state *state, const char *directory);

/* The kernel release and architecture the preprocessor's kernel_v,
 * kernel_vr and arch conditions compare against (stap -r and -a).  By
 * default those of the running kernel. */
syn_status syn_set_kernel_release(syn_state *state, const char *release);
syn_status syn_set_architecture(syn_state *state, const char *architecture);

/* Loading adds a script to the state's program; a state may load several.
 * The text is copied.  SYN_ERROR_SYNTAX means the script was reported and
 * not added. */
syn_status syn_load_string(syn_state *state, const char *chunk_name, const char *text, size_t length);
syn_status syn_load_file(syn_state *state, const char *path);

/* Resolves symbols and infers types over everything loaded (stap's pass 2). */
syn_status syn_check(syn_state *state);

/* Writes a stage of the loaded program to the output: 1 prints the parse
 * tree as a script (stap -p1), 2 the resolved program with its types
 * (stap -p2, after syn_check). */
syn_status syn_dump(syn_state *state, int stage);

/* Compiles, loads, attaches and runs the program until it exits, an end is
 * requested, or timeout_ms passes (negative: no timeout).  The compiler
 * stage is not part of this build yet: it reports SYN_ERROR_UNSUPPORTED. */
syn_status syn_run(syn_state *state, int timeout_ms);

/* Counts of the diagnostics reported so far. */
unsigned syn_error_count(const syn_state *state);
unsigned syn_warning_count(const syn_state *state);

#ifdef __cplusplus
}
#endif

#endif
