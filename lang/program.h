/* Everything a state has loaded: the source texts, their parsed files and
 * the arena their trees live in. */
#ifndef SYN_LANG_PROGRAM_H
#define SYN_LANG_PROGRAM_H

#include "lang/ast.h"
#include "lang/parse.h"

typedef struct syn_program {
    syn_arena arena;
    syn_source *sources;     /* every text loaded, kept for diagnostics */
    syn_file *files;         /* parsed files in load order */
    syn_file *last_file;
} syn_program;

void syn_program_init(syn_program *program);
void syn_program_release(syn_program *program);

/* Parses `text` and, when it has no errors, adds it to the program. */
syn_parse_result syn_program_parse(syn_program *program, const char *name, const char *text,
                                   size_t length, syn_diagnostics *diagnostics,
                                   const syn_preprocessor_environment *environment);

/* The same for statements (syn_parse_statements). */
syn_parse_result syn_program_parse_statements(syn_program *program, const char *name, const char *text,
                                              size_t length, syn_diagnostics *diagnostics,
                                              const syn_preprocessor_environment *environment);
/* Takes a file back out of the program; its text stays for the
 * diagnostics that may point into it. */
void syn_program_remove(syn_program *program, const syn_file *file);

#endif
