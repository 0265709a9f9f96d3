#include "util/memory.h"

#include <stdio.h>
#include <string.h>

static void out_of_memory(size_t size)
{
    fprintf(stderr, "syn: out of memory (allocating %zu bytes)\n", size);
    abort();
}

void *syn_malloc(size_t size)
{
    void *memory = malloc(size ? size : 1);
    if (!memory)
        out_of_memory(size);
    return memory;
}

void *syn_calloc(size_t count, size_t size)
{
    void *memory = calloc(count ? count : 1, size ? size : 1);
    if (!memory)
        out_of_memory(count * size);
    return memory;
}

void *syn_realloc(void *memory, size_t size)
{
    void *grown = realloc(memory, size ? size : 1);
    if (!grown)
        out_of_memory(size);
    return grown;
}

char *syn_strndup(const char *text, size_t length)
{
    char *copy = syn_malloc(length + 1);
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

char *syn_strdup(const char *text)
{
    return syn_strndup(text, strlen(text));
}
