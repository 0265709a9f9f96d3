/* printf-style format strings as SystemTap reads them: %[flags][width]
 * [.precision][length]conversion with conversions d i u o x X p c s b m M %.
 * The semantic pass checks arguments against them; the output stage formats
 * with them. */
#ifndef SYN_COMPILER_FORMAT_H
#define SYN_COMPILER_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/ast.h"

typedef enum syn_format_conversion {
    SYN_FORMAT_TEXT,         /* literal text between directives */
    SYN_FORMAT_SIGNED,       /* %d %i */
    SYN_FORMAT_UNSIGNED,     /* %u */
    SYN_FORMAT_OCTAL,        /* %o */
    SYN_FORMAT_HEX,          /* %x */
    SYN_FORMAT_HEX_UPPER,    /* %X */
    SYN_FORMAT_POINTER,      /* %p */
    SYN_FORMAT_CHAR,         /* %c */
    SYN_FORMAT_STRING,       /* %s */
    SYN_FORMAT_BINARY,       /* %b: the value's bytes */
    SYN_FORMAT_MEMORY,       /* %m: bytes at an address, width long */
    SYN_FORMAT_MEMORY_HEX,   /* %M: the same in hex */
    SYN_FORMAT_PERCENT,      /* %% */
} syn_format_conversion;

enum {
    SYN_FORMAT_LEFT = 1,      /* - */
    SYN_FORMAT_PLUS = 2,      /* + */
    SYN_FORMAT_SPACE = 4,     /* ' ' */
    SYN_FORMAT_ALTERNATE = 8, /* # */
    SYN_FORMAT_ZERO = 16,     /* 0 */
};

typedef struct syn_format_piece {
    syn_format_conversion conversion;
    unsigned flags;
    int width;               /* -1 when absent */
    bool width_argument;     /* '*': taken from the arguments */
    int precision;           /* -1 when absent */
    bool precision_argument;
    size_t offset;           /* the piece's bytes in the format string */
    size_t length;
} syn_format_piece;

typedef struct syn_format {
    syn_format_piece *pieces;
    unsigned count;
    unsigned capacity;
} syn_format;

/* Splits a format into pieces.  On a bad directive returns false with a
 * message in `error`; the pieces are then released. */
bool syn_format_parse(const char *text, size_t length, syn_format *format, char *error, size_t error_size);
void syn_format_release(syn_format *format);

/* The type a directive consumes: long or string (or UNKNOWN for text). */
syn_type syn_format_argument_type(const syn_format_piece *piece);

#endif
