/* Growable byte buffer, always NUL-terminated, used to build text output. */
#ifndef SYN_UTIL_BUFFER_H
#define SYN_UTIL_BUFFER_H

#include <stdarg.h>
#include <stddef.h>

typedef struct syn_buffer {
    char *data;
    size_t length;
    size_t capacity;
} syn_buffer;

void syn_buffer_init(syn_buffer *buffer);
void syn_buffer_release(syn_buffer *buffer);
void syn_buffer_clear(syn_buffer *buffer);
void syn_buffer_append(syn_buffer *buffer, const char *text, size_t length);
void syn_buffer_append_string(syn_buffer *buffer, const char *text);
void syn_buffer_append_char(syn_buffer *buffer, char character);
void syn_buffer_append_repeated(syn_buffer *buffer, char character, size_t count);
void syn_buffer_printf(syn_buffer *buffer, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
void syn_buffer_vprintf(syn_buffer *buffer, const char *format, va_list args)
    __attribute__((format(printf, 2, 0)));
/* Hands the text to the caller (free() it) and leaves the buffer empty. */
char *syn_buffer_take(syn_buffer *buffer);

#endif
