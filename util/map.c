#include "util/map.h"

#include <stdint.h>
#include <string.h>

#include "util/memory.h"

void syn_map_init(syn_map *map)
{
    map->entries = NULL;
    map->capacity = 0;
    map->count = 0;
}

void syn_map_release(syn_map *map)
{
    free(map->entries);
    syn_map_init(map);
}

/* FNV-1a: short identifiers, no adversary. */
static uint64_t hash(const char *key)
{
    uint64_t value = 1469598103934665603ULL;
    for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
        value ^= *c;
        value *= 1099511628211ULL;
    }
    return value;
}

static syn_map_entry *find(const syn_map *map, const char *key)
{
    size_t mask = map->capacity - 1;
    for (size_t slot = (size_t)hash(key) & mask;; slot = (slot + 1) & mask) {
        syn_map_entry *entry = &map->entries[slot];
        if (!entry->key || strcmp(entry->key, key) == 0)
            return entry;
    }
}

void *syn_map_get(const syn_map *map, const char *key)
{
    if (!map->capacity)
        return NULL;
    return find(map, key)->value;
}

static void grow(syn_map *map)
{
    syn_map old = *map;
    map->capacity = old.capacity ? old.capacity * 2 : 16;
    map->entries = syn_calloc(map->capacity, sizeof(*map->entries));
    map->count = 0;
    for (size_t i = 0; i < old.capacity; i++) {
        if (old.entries[i].key)
            syn_map_put(map, old.entries[i].key, old.entries[i].value);
    }
    free(old.entries);
}

void *syn_map_put(syn_map *map, const char *key, void *value)
{
    if ((map->count + 1) * 4 > map->capacity * 3)
        grow(map);
    syn_map_entry *entry = find(map, key);
    void *previous = entry->value;
    if (!entry->key) {
        entry->key = key;
        map->count++;
    }
    entry->value = value;
    return previous;
}
