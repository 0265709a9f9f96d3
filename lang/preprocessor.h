/* The token filter between the lexer and the parser, as in SystemTap:
 * conditionals %( cond %? a %: b %), macros @define/@name(args), and script
 * arguments $1 @1 $# @#. */
#ifndef SYN_LANG_PREPROCESSOR_H
#define SYN_LANG_PREPROCESSOR_H

#include <stdbool.h>

#include "lang/diagnostics.h"
#include "lang/token.h"
#include "util/arena.h"

/* What conditions compare against.  Everything is borrowed. */
typedef struct syn_preprocessor_environment {
    const char *kernel_release;      /* kernel_vr, e.g. "6.18.44-fc-v509" */
    const char *architecture;        /* arch, e.g. "x86_64" */
    const char *const *arguments;    /* $1 ... */
    int argument_count;
    /* The value of a kernel config option ("y", "m", "1024"), or NULL. */
    const char *(*config_lookup)(void *context, const char *name);
    void *config_context;
    /* Whether a probe point (as a script writes it) can be probed on this
     * kernel: probe_exists(...) in conditions; NULL answers no. */
    bool (*probe_exists)(void *context, const char *point);
    void *probe_context;
} syn_preprocessor_environment;

typedef struct syn_preprocessor syn_preprocessor;

syn_preprocessor *syn_preprocessor_new(const syn_source *source, syn_arena *arena,
                                       syn_diagnostics *diagnostics,
                                       const syn_preprocessor_environment *environment);
void syn_preprocessor_free(syn_preprocessor *preprocessor);

/* The next token for the parser; END_OF_INPUT at the end. */
int syn_preprocessor_next(syn_preprocessor *preprocessor, syn_token *token);

/* True when the input ended inside a token, a conditional or a macro call:
 * an interactive reader should ask for more. */
bool syn_preprocessor_incomplete(const syn_preprocessor *preprocessor);

/* Condition evaluation (lang/preprocessor_condition.c): `tokens` run from
 * the token after %( up to, not including, %?. */
bool syn_preprocessor_evaluate(const syn_token *tokens, unsigned count, const syn_location *where,
                               const syn_preprocessor_environment *environment,
                               syn_diagnostics *diagnostics);

#endif
