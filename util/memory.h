/* Allocation that never returns NULL.  A tracer that cannot allocate a few
 * bytes of userspace memory cannot report anything useful either, so running
 * out of memory ends the process with a message instead of threading an error
 * code through every pass.  This is the one exit libsyn performs. */
#ifndef SYN_UTIL_MEMORY_H
#define SYN_UTIL_MEMORY_H

#include <stddef.h>
#include <stdlib.h>

void *syn_malloc(size_t size);
void *syn_calloc(size_t count, size_t size);
void *syn_realloc(void *memory, size_t size);
char *syn_strdup(const char *text);
char *syn_strndup(const char *text, size_t length);

/* Grow a dynamic array so that it can hold at least `needed` elements. */
#define SYN_GROW(array, capacity, needed)                                        \
    do {                                                                         \
        if ((size_t)(needed) > (capacity)) {                                     \
            size_t syn_new_capacity_ = (capacity) ? (capacity) * 2 : 8;          \
            while (syn_new_capacity_ < (size_t)(needed))                         \
                syn_new_capacity_ *= 2;                                          \
            (array) = syn_realloc((array), syn_new_capacity_ * sizeof(*(array))); \
            (capacity) = syn_new_capacity_;                                      \
        }                                                                        \
    } while (0)

#endif
