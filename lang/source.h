/* A loaded script text and its line index, kept for the life of the state so
 * that any later pass can quote the line a diagnostic points at. */
#ifndef SYN_LANG_SOURCE_H
#define SYN_LANG_SOURCE_H

#include <stddef.h>

typedef struct syn_source {
    char *name;
    char *text;           /* NUL-terminated copy; may also contain NULs */
    size_t length;
    size_t *line_starts;  /* byte offset of each line's first byte */
    size_t line_count;
    struct syn_source *next;
} syn_source;

syn_source *syn_source_new(const char *name, const char *text, size_t length);
void syn_source_free(syn_source *source);

/* The text of a 1-based line without its newline; NULL past the end. */
const char *syn_source_line(const syn_source *source, unsigned line, size_t *length);

#endif
