#include "util/buffer.h"

#include <stdio.h>
#include <string.h>

#include "util/memory.h"

void syn_buffer_init(syn_buffer *buffer)
{
    buffer->data = NULL;
    buffer->length = 0;
    buffer->capacity = 0;
}

void syn_buffer_release(syn_buffer *buffer)
{
    free(buffer->data);
    syn_buffer_init(buffer);
}

void syn_buffer_clear(syn_buffer *buffer)
{
    buffer->length = 0;
    if (buffer->data)
        buffer->data[0] = '\0';
}

static void reserve(syn_buffer *buffer, size_t extra)
{
    SYN_GROW(buffer->data, buffer->capacity, buffer->length + extra + 1);
}

void syn_buffer_append(syn_buffer *buffer, const char *text, size_t length)
{
    reserve(buffer, length);
    memcpy(buffer->data + buffer->length, text, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

void syn_buffer_append_string(syn_buffer *buffer, const char *text)
{
    syn_buffer_append(buffer, text, strlen(text));
}

void syn_buffer_append_char(syn_buffer *buffer, char character)
{
    syn_buffer_append(buffer, &character, 1);
}

void syn_buffer_append_repeated(syn_buffer *buffer, char character, size_t count)
{
    reserve(buffer, count);
    memset(buffer->data + buffer->length, character, count);
    buffer->length += count;
    buffer->data[buffer->length] = '\0';
}

void syn_buffer_vprintf(syn_buffer *buffer, const char *format, va_list args)
{
    va_list copy;
    va_copy(copy, args);
    int length = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (length <= 0)
        return;
    reserve(buffer, (size_t)length);
    vsnprintf(buffer->data + buffer->length, (size_t)length + 1, format, args);
    buffer->length += (size_t)length;
}

void syn_buffer_printf(syn_buffer *buffer, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    syn_buffer_vprintf(buffer, format, args);
    va_end(args);
}

char *syn_buffer_take(syn_buffer *buffer)
{
    char *text = buffer->data ? buffer->data : syn_strdup("");
    syn_buffer_init(buffer);
    return text;
}
