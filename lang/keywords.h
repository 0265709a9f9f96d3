/* The reserved words of the language. */
#ifndef SYN_LANG_KEYWORDS_H
#define SYN_LANG_KEYWORDS_H

#include <stddef.h>

/* The token kind of a keyword, or 0 when `word` is not one. */
int syn_keyword_lookup(const char *word, size_t length);

/* The spelling of a keyword token kind, or NULL. */
const char *syn_keyword_spelling(int kind);

#endif
