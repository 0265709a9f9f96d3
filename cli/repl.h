/* The interactive REPL (doc/repl.md): a readline session in which probes
 * are attached, inspected and detached while the system runs.  Like the
 * rest of the syn command it uses only libsyn's public API. */
#ifndef SYN_CLI_REPL_H
#define SYN_CLI_REPL_H

#include <stdbool.h>
#include <stddef.h>

#include "syn/syn.h"

/* A growing string. */
typedef struct repl_text {
    char *data;
    size_t length;
    size_t capacity;
} repl_text;

void repl_text_append(repl_text *text, const char *data, size_t length);
void repl_text_clear(repl_text *text);

/* What was typed at the prompt and kept: a global, function or probe
 * definition, numbered as it was entered. */
typedef struct repl_chunk {
    unsigned number;
    char *name;                  /* "<N>" or a :load's path: the chunk name libsyn knows it by */
    char *text;
    bool is_probe;
    bool enabled;
} repl_chunk;

typedef struct repl {
    syn_state *state;
    bool prompt_shown;           /* readline's line is on the screen */
    bool quit;
    repl_text pending;           /* the lines of an input not complete yet */
    repl_text partial_output;    /* output after its last newline, held back */
    repl_text *capture;          /* output goes here instead of the screen */
    repl_text diagnostics;       /* held while an input may be incomplete */
    bool holding_diagnostics;
    const char *typed_chunk;     /* while an input is checked: its chunk name */
    unsigned next_number;
    repl_chunk *chunks;
    unsigned chunk_count;
    char *history_path;
} repl;

/* Runs the REPL on a started state until :quit or end of input; the exit status. */
int repl_run(syn_state *state);

/* Prints text above the prompt (or where output goes now). */
void repl_print(repl *r, const char *data, size_t length);
void repl_printf(repl *r, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Keeps a definition that was attached or defined, numbered `number`. */
repl_chunk *repl_keep_chunk(repl *r, unsigned number, const char *name, const char *text);

/* :commands (cli/repl_commands.c): true when `line` was one. */
bool repl_command(repl *r, const char *line);
/* The i-th command's name (for completion), NULL past the last. */
const char *repl_command_name(unsigned index);
/* Applies the enabled chunks again (after :detach, :disable, :enable). */
syn_status repl_update(repl *r);
/* Tab completion (cli/repl_complete.c). */
void repl_complete_install(repl *r);

#endif
