/* The BPF maps behind a program's globals, shared by kernel probes and the
 * interpreter so that a global is one thing wherever it is used:
 *  - scalars live in one mmap-able array map (the globals region), read and
 *    written by the interpreter as plain memory;
 *  - arrays are hash maps (LRU when declared with %), keyed by the packed
 *    keys: 8 bytes per long, MAXSTRINGLEN zero-padded bytes per string;
 *  - statistics are per-CPU records (compiler/statistics.h), combined here;
 *  - output events go through a ring buffer; events that did not fit are
 *    counted per CPU in the lost map. */
#ifndef SYN_RUNTIME_MAPS_H
#define SYN_RUNTIME_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler/ir.h"

typedef struct syn_maps {
    const syn_ir_program *program;
    int globals_fd;
    uint8_t *globals;            /* the scalar region, mmapped */
    size_t globals_mapped;
    int *fds;                    /* per IR global: its map, -1 for scalars */
    uint32_t *key_sizes;
    uint32_t *value_sizes;
    int events_fd;
    int lost_fd;
    uint32_t ring_bytes;
    int cpu_count;               /* possible CPUs: per-CPU values come in this many copies */
    /* What syn_maps_adopt took over from the maps before (per global, the
     * region, the ring buffer and lost counters). */
    bool *shared;
    bool shared_region;
    bool shared_events;
} syn_maps;

/* A combined statistic. */
typedef struct syn_statistic {
    int64_t count;
    int64_t sum;
    int64_t min;
    int64_t max;
    int64_t sum_squares;
    int64_t *buckets;            /* histogram_buckets entries, or NULL */
    uint32_t bucket_count;
} syn_statistic;

/* A key or value as userspace sees it. */
typedef struct syn_map_value {
    int64_t number;
    const char *string;          /* NULL for longs */
} syn_map_value;

bool syn_maps_create(syn_maps *maps, const syn_ir_program *program, uint32_t ring_bytes, char *error,
                     size_t error_size);
void syn_maps_release(syn_maps *maps);

/* The maps of a new version of a running program (syn_update): a global
 * that `previous` has with the same layout keeps its map, and so its
 * values; so do the scalar region (where every scalar fits at its old
 * offset), the ring buffer and the lost counters.  The rest is made anew. */
bool syn_maps_adopt(syn_maps *maps, const syn_ir_program *program, const syn_maps *previous, char *error,
                    size_t error_size);
/* Releases what `maps` holds and `kept` does not use. */
void syn_maps_release_beside(syn_maps *maps, const syn_maps *kept);
/* The index of the global named `name`, or -1. */
int32_t syn_maps_find_global(const syn_maps *maps, const char *name);

/* The scalar region: longs and NUL-terminated strings at their offsets. */
int64_t syn_maps_global_long(const syn_maps *maps, uint32_t global);
const char *syn_maps_global_string(const syn_maps *maps, uint32_t global);
void syn_maps_set_global_long(syn_maps *maps, uint32_t global, int64_t value);
void syn_maps_set_global_string(syn_maps *maps, uint32_t global, const char *value);
void syn_maps_set_reserved(syn_maps *maps, uint32_t offset, int64_t value);

/* Keys are packed into a buffer of key_sizes[global] bytes. */
void syn_maps_encode_key(const syn_maps *maps, uint32_t global, const syn_map_value *keys, uint8_t *buffer);
/* Unpacks a key: strings point into `buffer`. */
void syn_maps_decode_key(const syn_maps *maps, uint32_t global, const uint8_t *buffer, syn_map_value *keys);

/* Arrays: false when absent (lookup) or when the map is full (store). */
bool syn_maps_lookup(const syn_maps *maps, uint32_t global, const uint8_t *key, syn_map_value *value,
                     char *string_buffer);
bool syn_maps_store(syn_maps *maps, uint32_t global, const uint8_t *key, const syn_map_value *value);
bool syn_maps_delete(syn_maps *maps, uint32_t global, const uint8_t *key);
void syn_maps_clear(syn_maps *maps, uint32_t global);

/* Statistics: adds a value on CPU 0's copy; reads the combination. */
bool syn_maps_stat_add(syn_maps *maps, uint32_t global, const uint8_t *key, int64_t value);
bool syn_maps_stat_read(const syn_maps *maps, uint32_t global, const uint8_t *key, syn_statistic *statistic);
void syn_statistic_release(syn_statistic *statistic);
/* The lowest value each of a statistic's histogram buckets holds, as the
 * histogram printers label them (INT64_MIN for an underflow bucket). */
void syn_maps_bucket_lows(const syn_ir_global *global, int64_t *lows, uint32_t count);

/* All keys of an array or statistics array, packed one after another
 * (key_sizes[global] bytes each); the caller frees *keys. */
uint32_t syn_maps_keys(const syn_maps *maps, uint32_t global, uint8_t **keys);

/* Events lost because the ring buffer was full, over all CPUs. */
uint64_t syn_maps_lost_events(const syn_maps *maps);

#endif
