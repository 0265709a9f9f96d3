/* The interface between the flex scanner (lang/lexer.l) and the rest of
 * libsyn.  A syn_lexer turns one source text into tokens. */
#ifndef SYN_LANG_LEXER_H
#define SYN_LANG_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/diagnostics.h"
#include "lang/token.h"
#include "util/arena.h"
#include "util/buffer.h"

typedef struct syn_lexer {
    const syn_source *source;
    size_t offset;               /* the bytes of source->text being scanned */
    size_t length;
    syn_arena *arena;            /* token texts live here */
    syn_diagnostics *diagnostics;

    void *scanner;               /* flex's reentrant state */
    syn_token *token;            /* the token being filled by syn_lexer_scan */
    int token_location_set;
    unsigned line;               /* position of the next byte */
    unsigned column;
    syn_location current;        /* span of the text flex matched last */
    syn_location start;          /* start of a token made of several matches */
    syn_buffer text;             /* body of the string or embedded code being read */
    syn_location end_of_last_token; /* where the end of input is reported */
    bool keep_doc_comments;      /* return each comment opening with slash-star-star as a DOC_COMMENT */
} syn_lexer;

/* Prepares a lexer over `length` bytes of `source` from `offset`, starting at
 * the given line and column (for re-lexing part of a text). */
void syn_lexer_init(syn_lexer *lexer, const syn_source *source, syn_arena *arena,
                    syn_diagnostics *diagnostics);
int syn_lexer_open(syn_lexer *lexer);
void syn_lexer_close(syn_lexer *lexer);
void syn_lexer_release(syn_lexer *lexer);

/* Reads the next token; returns its kind (END_OF_INPUT at the end). */
int syn_lexer_scan(syn_lexer *lexer, syn_token *token);

/* Helpers for the scanner's actions (lang/lexer_actions.c). */
void syn_lexer_step(syn_lexer *lexer, const char *text, size_t length);
void syn_lexer_error(syn_lexer *lexer, const syn_location *location, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
void syn_lexer_fatal(const char *message) __attribute__((noreturn));
int syn_lexer_number(syn_lexer *lexer, syn_token *token, const char *text, int base);
int syn_lexer_text(syn_lexer *lexer, syn_token *token, int kind, const char *text);
int syn_lexer_text_n(syn_lexer *lexer, syn_token *token, int kind, const char *text, size_t length);
int syn_lexer_argument(syn_lexer *lexer, syn_token *token, int kind, const char *digits);
void syn_lexer_octal_escape(syn_lexer *lexer, const char *digits);
void syn_lexer_hex_escape(syn_lexer *lexer, const char *digits);
void syn_lexer_simple_escape(syn_lexer *lexer, char escaped);
void syn_lexer_bad_character(syn_lexer *lexer, unsigned char character);

#endif
