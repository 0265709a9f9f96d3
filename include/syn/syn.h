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

#include <stdbool.h>
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
    SYN_ERROR_STATE,       /* the call is not valid in the state's current phase */
    SYN_ERROR_INCOMPLETE   /* a syntax error that is only that the text ended early
                              (an open brace or string): a REPL reads another line */
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

/* Text as the script prints it (the default), or one JSON object a line
 * (syn --format json; the schema is in doc/running.md): print output as
 * {"type":"output","text":...}, histograms printed and globals shown at the
 * end as objects of their own. */
typedef enum syn_output_kind {
    SYN_OUTPUT_TEXT,
    SYN_OUTPUT_JSON
} syn_output_kind;
void syn_set_output_format(syn_state *state, syn_output_kind format);

/* Warnings of the compiler (about the script's text) and of the run (warn(),
 * lost events) are told apart: -w and -W concern the compiler's only. */
typedef enum syn_warning_mode {
    SYN_WARNINGS_SHOW,      /* the default */
    SYN_WARNINGS_HIDE,      /* the compiler's are not shown, like stap -w */
    SYN_WARNINGS_AS_ERRORS, /* the compiler's are errors, like stap -W */
    SYN_WARNINGS_QUIET      /* none is shown, from the compiler or the run (syn -q) */
} syn_warning_mode;
void syn_set_warning_mode(syn_state *state, syn_warning_mode mode);

/* How much libsyn says about what it does (stap -v): 0 by default; 1 adds
 * the kernel verifier's log of a program it rejects, 2 every program's. */
void syn_set_verbosity(syn_state *state, int level);

/* The size of the buffer kernel probes send output through, in MiB (stap -s);
 * 0 for the default of 1.  It is rounded to a power of two. */
void syn_set_buffer_size(syn_state *state, unsigned megabytes);

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

/* Says what the kernel offers for probing functions instead of finding it
 * out, for generating (-p3, -p4) and testing the code of another kernel:
 * "kprobes=yes,fentry=no,uprobes=yes" or any part of it.  A probe point
 * then resolves to the mechanism that kernel would use.  SYN_ERROR_USAGE,
 * with a diagnostic, for a malformed list. */
syn_status syn_set_kernel_features(syn_state *state, const char *features);

/* Listing, like stap -l and -L: the probe points and library probe aliases
 * PATTERN names on this kernel (a probe point as a script writes it,
 * wildcards allowed), one a line and sorted, to the output handler; with
 * `variables`, each point's target variables and their C types, and each
 * alias's values and its points' target variables where it checks here.  SYN_OK when something matched;
 * SYN_ERROR_UNSUPPORTED when nothing did; errors are reported as
 * diagnostics.  syn_list_probe_types lists the forms of every probe family
 * (stap --dump-probe-types). */
syn_status syn_list(syn_state *state, const char *pattern, bool variables);
syn_status syn_list_probe_types(syn_state *state);
/* The members of a kernel struct or union ("sock", "struct sock *"), or of
 * the one reached from it through `path` ("__sk_common", "a->b"), one
 * "name:C type" a line, from the kernel's BTF (members of anonymous members
 * included, as C sees them).  SYN_ERROR_USAGE when there is no such type or
 * member. */
syn_status syn_list_members(syn_state *state, const char *type, const char *path);

/* Loading adds a script to the state's program; a state may load several.
 * The text is copied.  SYN_ERROR_SYNTAX means the script was reported and
 * not added. */
syn_status syn_load_string(syn_state *state, const char *chunk_name, const char *text, size_t length);
syn_status syn_load_file(syn_state *state, const char *path);

/* The text as statements, as a REPL line: they become the body of a begin
 * probe, so that syn_update runs them once (see syn_evaluate). */
syn_status syn_load_statements(syn_state *state, const char *chunk_name, const char *text, size_t length);

/* Resolves symbols and infers types over everything loaded (stap's pass 2). */
syn_status syn_check(syn_state *state);

/* Writes a stage of the loaded program to the output: 1 prints the parse
 * tree as a script (stap -p1), 2 the resolved program with its types
 * (stap -p2, after syn_check), 3 the IR, 4 the BPF instructions of each
 * kernel probe, which are then loaded into the kernel's verifier without
 * being attached. */
syn_status syn_dump(syn_state *state, int stage);

/* Running.  syn_start compiles the program, loads it into the kernel,
 * runs the begin probes and attaches the rest.  Then either call syn_run,
 * which serves the script until it ends, or serve it from the host's own
 * event loop: add syn_poll_fd to it and call syn_service whenever that fd
 * is readable (or at least every few hundred milliseconds).  syn_stop
 * detaches every probe, delivers the last output and runs the end (or error)
 * probes; syn_free also stops a running script. */
syn_status syn_start(syn_state *state);
int syn_poll_fd(const syn_state *state);
/* Handles what is ready, waiting at most timeout_ms (0: do not wait).
 * Returns SYN_OK while the script runs; once it has ended (exit(), an
 * error, syn_request_stop) it returns the script's final status. */
syn_status syn_service(syn_state *state, int timeout_ms);
/* True once the script has asked to end or failed. */
int syn_finished(const syn_state *state);
syn_status syn_stop(syn_state *state);
/* Asks a running script to end; safe to call from a signal handler. */
void syn_request_stop(syn_state *state);
/* Sets what target() returns in probes (stap -x PID, or -c's command). */
void syn_set_target_pid(syn_state *state, long pid);
/* The command -c runs, before it is started: process.function("F")
 * without a path probes the executable its first word names, as stap does. */
void syn_set_target_command(syn_state *state, const char *command);

/* ---- Live programs (doc/embedding.md, what the REPL does) -------------
 * While a script runs, more can be loaded into it.  syn_update checks the
 * whole program again and brings the running one in line with it: probes of
 * new scripts are attached and their begin probes run; probes already
 * attached stay attached, untouched; globals keep their values (a global
 * whose layout changed, a statistic that now needs histogram buckets, starts
 * anew).  When the update fails (its errors are reported) the running
 * program is as it was and what was loaded or unloaded since the last
 * update is undone.  SYN_ERROR_STATE when no script runs. */
syn_status syn_update(syn_state *state);
/* Says before syn_start that the script will grow: its statistics keep
 * log-histogram buckets from the start (a few nanoseconds an event), so
 * that @hist_log asked for later shows what the probes saw.  The REPL sets
 * it; the first syn_update sets it too. */
void syn_set_growing(syn_state *state, bool growing);
/* Says that syn_stop may leave the kernel's detachment of perf-event probes
 * (kernel.trace, kprobes and uprobes through tracefs, perf.*) to a
 * short-lived background process, `syn-detach`: that detachment waits for
 * RCU grace periods, tens of milliseconds a probe, while the probes already
 * do nothing once syn_stop has begun.  The process closes the descriptors it
 * took over and exits; it holds nothing else.  It is made with fork(), which
 * is why it is the host's choice; `syn` sets it. */
void syn_set_background_detach(syn_state *state, bool background);
/* Takes the script loaded under `chunk_name` back out; its probes are
 * detached by the next syn_update.  SYN_ERROR_USAGE when there is none. */
syn_status syn_unload(syn_state *state, const char *chunk_name);
/* Runs statements once in the running program, against its live globals,
 * as a begin probe would (in the userspace interpreter), and keeps nothing
 * of them; an error they raise is reported and ends nothing. */
syn_status syn_evaluate(syn_state *state, const char *chunk_name, const char *text, size_t length);

/* Writes a global of the running script to the output as SystemTap shows
 * globals when a script ends ("count=0x2a", "names[\"bash\"]=0x3", a
 * statistic's @count, @min, ...), or with NAME NULL every global the script
 * declared.  SYN_ERROR_USAGE when it has none of that name. */
syn_status syn_display(syn_state *state, const char *name);

/* The probes of the running script, for listings (the REPL's :list). */
typedef struct syn_probe_status {
    const char *chunk;           /* the name of the script it came from */
    const char *point;           /* its probe point, resolved */
    bool in_kernel;              /* a BPF program; else the interpreter runs it */
    bool hits_known;             /* hits counts: see syn_count_hits */
    unsigned long long hits;     /* times it ran */
} syn_probe_status;
unsigned syn_probe_count(const syn_state *state);
/* Fills `status` for probe `index` (from 0); its strings live until the
 * next syn_update or syn_stop.  SYN_ERROR_USAGE past the last. */
syn_status syn_probe_status_at(syn_state *state, unsigned index, syn_probe_status *status);
/* Kernel probes' hits come from the kernel's own accounting of BPF
 * programs, which costs every BPF program on the machine some nanoseconds
 * a run while it is on: syn_count_hits(state, true) turns it on while the
 * state lives (or until turned off).  SYN_ERROR_PERMISSION without it. */
syn_status syn_count_hits(syn_state *state, bool on);
/* Output events the running script lost because the buffer was full. */
unsigned long long syn_lost_events(const syn_state *state);

/* ---- Globals from the host (doc/embedding.md) -------------------------
 * A running script's globals, read and written by name while it runs (they
 * are the maps its probes use).  SYN_ERROR_STATE before syn_start and after
 * syn_stop; SYN_ERROR_USAGE, with a diagnostic, for a name the script has no
 * global of, keys of the wrong number or kind, or a value of the wrong kind.
 * Strings handed back stay valid until the next call on the state. */
enum { SYN_MAX_KEYS = 9 };

typedef enum syn_value_kind {
    SYN_VALUE_LONG,
    SYN_VALUE_STRING
} syn_value_kind;

typedef struct syn_value {
    syn_value_kind kind;
    long long number;            /* SYN_VALUE_LONG */
    const char *string;          /* SYN_VALUE_STRING */
} syn_value;

typedef enum syn_global_kind {
    SYN_GLOBAL_SCALAR,
    SYN_GLOBAL_ARRAY,
    SYN_GLOBAL_STATISTIC
} syn_global_kind;

typedef struct syn_global_info {
    syn_global_kind kind;
    syn_value_kind value_kind;   /* of a scalar or an array's elements */
    unsigned key_count;          /* 0 for a scalar (and a statistic without keys) */
    syn_value_kind key_kinds[SYN_MAX_KEYS];
} syn_global_info;

syn_status syn_global_describe(syn_state *state, const char *name, syn_global_info *info);
/* A scalar (no keys) or an array element; an element that is not there
 * reads as 0 or "", as in the language, and *present says which. */
syn_status syn_global_get(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                          syn_value *value, bool *present);
syn_status syn_global_set(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                          const syn_value *value);
/* Deletes an element; with no keys, empties the whole array (or resets a
 * scalar or statistic), as `delete NAME` does. */
syn_status syn_global_delete(syn_state *state, const char *name, const syn_value *keys, unsigned key_count);

/* Every element of an array, or every keyed statistic (its value is then
 * its count), in no particular order; the visitor returns false to stop. */
typedef bool (*syn_global_visitor)(const syn_value *keys, unsigned key_count, const syn_value *value,
                                   void *user_data);
syn_status syn_global_foreach(syn_state *state, const char *name, syn_global_visitor visit, void *user_data);

/* A statistic's aggregates and histogram buckets as numbers. */
typedef struct syn_statistic_values {
    long long count, sum, min, max, average; /* min, max and average are 0 when count is 0 */
    unsigned bucket_count;       /* 0 when the script reads no histogram of it */
    const long long *buckets;    /* bucket_count counts */
    const long long *bucket_lows; /* the lowest value each bucket holds */
    bool log_histogram;          /* @hist_log's buckets, else @hist_linear's */
} syn_statistic_values;
syn_status syn_statistic_get(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                             syn_statistic_values *values);

/* ---- Host functions (doc/embedding.md) ---------------------------------
 * A host gives scripts functions of its own, called like builtins from
 * userspace probes (begin, end, timers, the REPL's inputs; a kernel probe
 * calling one is a located error).  Register them before the script that
 * calls them is checked.  The callback gets the arguments (strings valid
 * during the call) and sets result->number, or result->string (copied by
 * syn).  A status other than SYN_OK raises an error in the script at the
 * call, "NAME() failed: ..." with result->string as the reason when it
 * set one; try/catch catches it.  SYN_ERROR_USAGE for a bad name, a
 * builtin's name, one registered already, or more than 4 parameters. */
typedef syn_status (*syn_host_function)(syn_state *state, const syn_value *arguments, unsigned count,
                                        syn_value *result, void *user_data);
syn_status syn_register_function(syn_state *state, const char *name, syn_value_kind result,
                                 const syn_value_kind *parameters, unsigned parameter_count,
                                 syn_host_function function, void *user_data);

/* Serves the running script's globals as Prometheus metrics (text format
 * 0.0.4) over HTTP on "HOST:PORT" (":PORT" for every address), answered by
 * syn_service between events: scalars as gauges, arrays as series labelled
 * key (or key1, key2, ...), statistics as histograms with their buckets (or
 * summaries of count and sum); strings as a `value` label of a series of 1.
 * Names get the prefix syn_.  SYN_ERROR_USAGE when the address cannot be
 * used; SYN_ERROR_STATE when no script runs. */
syn_status syn_serve_metrics(syn_state *state, const char *address);

/* Compiles, loads, attaches and serves the program until it exits, a stop
 * is requested, or timeout_ms passes (negative: no timeout); then stops it.
 * Returns the script's status: SYN_OK, or SYN_ERROR_RUNTIME after a
 * runtime error, or the error that kept it from starting. */
syn_status syn_run(syn_state *state, int timeout_ms);

/* ---- The library: documentation and listings (doc/library.md) ----------
 * Library files are found on the search path (syn_add_library_path, then
 * $SYN_PATH, then the standard library) and pulled into a program by
 * syn_check when it uses what they define.  These calls read the whole
 * library and write to the output. */

/* The documentation of every built-in function, library function and
 * library probe alias whose name matches NAME (a glob: "ansi_*").
 * SYN_ERROR_USAGE, with a diagnostic, when none does. */
syn_status syn_document(syn_state *state, const char *name);
/* Every built-in and library function with its signature, one a line
 * (stap --dump-functions). */
syn_status syn_dump_functions(syn_state *state);
/* Every library probe alias with the points it expands to, one a line
 * (stap --dump-probe-aliases). */
syn_status syn_dump_probe_aliases(syn_state *state);
/* The library's reference page in Markdown, from its doc comments
 * (doc/stdlib.md); undocumented entries are warned about. */
syn_status syn_document_library(syn_state *state);

/* Counts of the diagnostics reported so far. */
unsigned syn_error_count(const syn_state *state);
unsigned syn_warning_count(const syn_state *state);

#ifdef __cplusplus
}
#endif

#endif
