/* The syn command line, parsed into what main() hands to libsyn. */
#ifndef SYN_CLI_OPTIONS_H
#define SYN_CLI_OPTIONS_H

#include <stdbool.h>

typedef struct syn_name_value {
    const char *name;
    const char *value;
} syn_name_value;

typedef struct syn_options {
    int last_pass;              /* -p: 1 parse, 2 check, 5 run (default) */
    const char *script_text;    /* -e */
    const char *script_path;    /* FILE or "-" */
    const char *const *arguments; /* after the script: $1 ... */
    int argument_count;
    int verbosity;              /* -v count */
    bool no_warnings;           /* -w */
    bool quiet;                 /* -q: no warnings of any kind */
    bool warnings_are_errors;   /* -W */
    syn_name_value *defines;    /* -D */
    int define_count;
    syn_name_value *globals;    /* -G */
    int global_count;
    const char **include_paths; /* -I */
    int include_count;
    const char *kernel_release; /* -r */
    const char *architecture;   /* -a */
    const char *kernel_features; /* --kernel-features */
    const char *list_pattern;   /* -l, -L */
    bool list_variables;        /* -L */
    bool dump_probe_types;      /* --dump-probe-types */
    const char *output_path;    /* -o */
    const char *command;        /* -c: run it, stop when it exits */
    long target_pid;            /* -x */
    long timeout_seconds;       /* -T, 0 for none */
    unsigned buffer_megabytes;  /* -s */
    bool interactive;           /* -i, or no script on a terminal: the REPL */
    bool json;                  /* --format json */
    const char *serve;          /* --serve HOST:PORT */
    bool help;
    bool version;
    /* The library (doc/library.md): these need no script. */
    const char *doc_name;       /* --doc NAME */
    bool dump_functions;        /* --dump-functions */
    bool dump_probe_aliases;    /* --dump-probe-aliases */
    bool doc_reference;         /* --doc-reference */
} syn_options;

/* True when the command documents or lists the library instead of running a script. */
bool syn_options_library_query(const syn_options *options);

/* Returns 0 on success; on a usage error prints why and returns 2. */
int syn_options_parse(syn_options *options, int argc, char **argv);
void syn_options_release(syn_options *options);
void syn_options_print_help(const char *program);

#endif
