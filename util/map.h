/* A string-keyed hash map of pointers (open addressing).  Keys are borrowed:
 * they must outlive the map, which they do when they live in an arena. */
#ifndef SYN_UTIL_MAP_H
#define SYN_UTIL_MAP_H

#include <stddef.h>

typedef struct syn_map_entry {
    const char *key;
    void *value;
} syn_map_entry;

typedef struct syn_map {
    syn_map_entry *entries;
    size_t capacity;     /* a power of two, or 0 */
    size_t count;
} syn_map;

void syn_map_init(syn_map *map);
void syn_map_release(syn_map *map);
void *syn_map_get(const syn_map *map, const char *key);
/* Sets the value of `key`, returning the previous value or NULL. */
void *syn_map_put(syn_map *map, const char *key, void *value);

#endif
