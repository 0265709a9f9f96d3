/* Region allocator: every AST node and string of a loaded program lives in
 * one arena and is released at once, so no pass needs a recursive free. */
#ifndef SYN_UTIL_ARENA_H
#define SYN_UTIL_ARENA_H

#include <stddef.h>

typedef struct syn_arena_block syn_arena_block;

typedef struct syn_arena {
    syn_arena_block *head;
    size_t used_bytes;
} syn_arena;

void syn_arena_init(syn_arena *arena);
void syn_arena_release(syn_arena *arena);

/* Zeroed memory aligned for any object; aborts the process only when the
 * system is out of memory, like every allocation in libsyn (see util/memory.h). */
void *syn_arena_alloc(syn_arena *arena, size_t size);
char *syn_arena_strndup(syn_arena *arena, const char *text, size_t length);
char *syn_arena_strdup(syn_arena *arena, const char *text);
char *syn_arena_printf(syn_arena *arena, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

#endif
