/* Tokens as the preprocessor and the parser see them.  The token kinds are
 * the ones bison generates for lang/grammar.y. */
#ifndef SYN_LANG_TOKEN_H
#define SYN_LANG_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "lang/location.h"

typedef struct syn_text {
    char *data;     /* arena-owned, NUL-terminated */
    size_t length;
} syn_text;

typedef union syn_token_value {
    int64_t number;
    syn_text text;
} syn_token_value;

typedef struct syn_token {
    int kind;
    syn_token_value value;
    syn_location location;
} syn_token;

#endif
