#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/memory.h"

struct syn_arena_block {
    syn_arena_block *next;
    size_t capacity;
    size_t used;
    max_align_t data[];
};

enum { SYN_ARENA_BLOCK_BYTES = 32 * 1024 };

void syn_arena_init(syn_arena *arena)
{
    arena->head = NULL;
    arena->used_bytes = 0;
}

void syn_arena_release(syn_arena *arena)
{
    syn_arena_block *block = arena->head;
    while (block) {
        syn_arena_block *next = block->next;
        free(block);
        block = next;
    }
    arena->head = NULL;
    arena->used_bytes = 0;
}

void *syn_arena_alloc(syn_arena *arena, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    syn_arena_block *block = arena->head;
    if (!block || block->capacity - block->used < size) {
        size_t capacity = size > SYN_ARENA_BLOCK_BYTES ? size : SYN_ARENA_BLOCK_BYTES;
        block = syn_malloc(sizeof(*block) + capacity);
        block->capacity = capacity;
        block->used = 0;
        /* A large single allocation gets its own block behind the current one
         * so the current block's free space is not abandoned. */
        if (arena->head && size > SYN_ARENA_BLOCK_BYTES) {
            block->next = arena->head->next;
            arena->head->next = block;
        } else {
            block->next = arena->head;
            arena->head = block;
        }
    }
    void *memory = (char *)block->data + block->used;
    block->used += size;
    arena->used_bytes += size;
    memset(memory, 0, size);
    return memory;
}

char *syn_arena_strndup(syn_arena *arena, const char *text, size_t length)
{
    char *copy = syn_arena_alloc(arena, length + 1);
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

char *syn_arena_strdup(syn_arena *arena, const char *text)
{
    return syn_arena_strndup(arena, text, strlen(text));
}

char *syn_arena_printf(syn_arena *arena, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int length = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (length < 0)
        length = 0;
    char *text = syn_arena_alloc(arena, (size_t)length + 1);
    va_start(args, format);
    vsnprintf(text, (size_t)length + 1, format, args);
    va_end(args);
    return text;
}
