/* A span in a script: where a token, node or diagnostic comes from.  Lines
 * and columns are 1-based; the last position is inclusive.  The bison parser
 * uses this type for its locations (YYLTYPE). */
#ifndef SYN_LANG_LOCATION_H
#define SYN_LANG_LOCATION_H

#include "lang/source.h"

typedef struct syn_location {
    const syn_source *source;
    unsigned first_line;
    unsigned first_column;
    unsigned last_line;
    unsigned last_column;
} syn_location;

/* The span from the start of `first` to the end of `last`. */
static inline syn_location syn_location_join(syn_location first, syn_location last)
{
    syn_location joined = first;
    joined.last_line = last.last_line;
    joined.last_column = last.last_column;
    return joined;
}

#endif
