#include "runtime/maps.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compiler/statistics.h"
#include "util/memory.h"

static uint32_t string_size(const syn_maps *maps)
{
    return maps->program->max_string_length;
}

static uint32_t kind_size(const syn_maps *maps, syn_ir_register_kind kind)
{
    return kind == SYN_IR_STRING ? string_size(maps) : 8;
}

static uint32_t statistic_words(const syn_ir_global *global)
{
    return SYN_STAT_WORD_BUCKETS + global->histogram_buckets;
}

static int create_map(enum bpf_map_type type, const char *name, uint32_t key_size, uint32_t value_size,
                      uint32_t entries, uint32_t flags)
{
    LIBBPF_OPTS(bpf_map_create_opts, options, .map_flags = flags);
    return bpf_map_create(type, name, key_size, value_size, entries, &options);
}

static void map_name(char *buffer, size_t size, const char *global)
{
    /* The kernel keeps 15 characters of a map's name; "syn_" tells bpftool whose it is. */
    snprintf(buffer, size, "syn_%.11s", global);
    for (char *c = buffer; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
            *c = '_';
    }
}

static bool create_global_map(syn_maps *maps, uint32_t index, char *error, size_t error_size)
{
    const syn_ir_global *global = &maps->program->globals[index];
    maps->fds[index] = -1;
    if (global->kind == SYN_IR_GLOBAL_SCALAR)
        return true;
    uint32_t key_size = 0;
    for (uint32_t k = 0; k < global->key_count; k++)
        key_size += syn_ir_key_width(maps->program, global, k);
    enum bpf_map_type type;
    uint32_t value_size;
    if (global->kind == SYN_IR_GLOBAL_STATISTIC) {
        value_size = statistic_words(global) * 8;
        type = global->key_count ? BPF_MAP_TYPE_PERCPU_HASH : BPF_MAP_TYPE_PERCPU_ARRAY;
    } else {
        value_size = kind_size(maps, global->value_kind);
        type = global->wrap ? BPF_MAP_TYPE_LRU_HASH : BPF_MAP_TYPE_HASH;
    }
    if (!key_size)
        key_size = 4;
    char name[16];
    map_name(name, sizeof(name), global->name);
    int fd = create_map(type, name, key_size, value_size, global->max_entries, 0);
    if (fd < 0) {
        snprintf(error, error_size, "creating the map for '%s' (%u entries of %u bytes) failed: %s", global->name,
                 global->max_entries, key_size + value_size, strerror(-fd));
        return false;
    }
    maps->fds[index] = fd;
    maps->key_sizes[index] = key_size;
    maps->value_sizes[index] = value_size;
    return true;
}

/* The region is a page or more: a program loaded into a running script
 * (syn_update) adds its scalars after the others' in the same region, so
 * that the probes already attached keep theirs where they are. */
enum { SYN_GLOBALS_REGION_MINIMUM = 16384 };

static bool create_globals_region(syn_maps *maps, char *error, size_t error_size)
{
    uint32_t size = maps->program->globals_size;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (size < SYN_GLOBALS_REGION_MINIMUM)
        size = SYN_GLOBALS_REGION_MINIMUM;
    maps->globals_mapped = (size + page - 1) / page * page;
    maps->globals_fd = create_map(BPF_MAP_TYPE_ARRAY, "syn_globals", 4, (uint32_t)maps->globals_mapped, 1,
                                  BPF_F_MMAPABLE);
    if (maps->globals_fd < 0) {
        snprintf(error, error_size, "creating the map of scalar globals failed: %s", strerror(-maps->globals_fd));
        return false;
    }
    void *region = mmap(NULL, maps->globals_mapped, PROT_READ | PROT_WRITE, MAP_SHARED, maps->globals_fd, 0);
    if (region == MAP_FAILED) {
        snprintf(error, error_size, "mapping the scalar globals failed: %s", strerror(errno));
        return false;
    }
    maps->globals = region;
    return true;
}

/* The initial values of the scalars `previous` did not have (all of them
 * without one). */
static void set_initial_values(syn_maps *maps, const syn_maps *previous)
{
    for (uint32_t i = 0; i < maps->program->global_count; i++) {
        const syn_ir_global *global = &maps->program->globals[i];
        if (global->kind != SYN_IR_GLOBAL_SCALAR || !global->has_initial_value)
            continue;
        if (previous && syn_maps_find_global(previous, global->name) >= 0)
            continue;
        if (global->value_kind == SYN_IR_STRING)
            syn_maps_set_global_string(maps, i, global->initial_string ? global->initial_string : "");
        else
            syn_maps_set_global_long(maps, i, global->initial_long);
    }
}

int32_t syn_maps_find_global(const syn_maps *maps, const char *name)
{
    for (uint32_t i = 0; i < maps->program->global_count; i++) {
        if (strcmp(maps->program->globals[i].name, name) == 0)
            return (int32_t)i;
    }
    return -1;
}

/* Whether two globals keep their values the same way, so that a map made
 * for one serves the other. */
static bool same_layout(const syn_ir_global *a, const syn_ir_global *b)
{
    if (a->kind != b->kind || a->value_kind != b->value_kind || a->key_count != b->key_count ||
        a->max_entries != b->max_entries || a->wrap != b->wrap || a->histogram_buckets != b->histogram_buckets)
        return false;
    for (uint32_t k = 0; k < a->key_count; k++) {
        uint32_t a_width = a->key_widths ? a->key_widths[k] : 0, b_width = b->key_widths ? b->key_widths[k] : 0;
        if (a->key_kinds[k] != b->key_kinds[k] || a_width != b_width)
            return false;
    }
    return true;
}

/* The global of `previous` whose map (or place in the region) the global
 * `index` of `maps` can take over, or -1. */
static int32_t predecessor(const syn_maps *maps, uint32_t index, const syn_maps *previous)
{
    if (!previous)
        return -1;
    const syn_ir_global *global = &maps->program->globals[index];
    int32_t found = syn_maps_find_global(previous, global->name);
    if (found < 0 || !same_layout(global, &previous->program->globals[found]) ||
        previous->program->max_string_length != maps->program->max_string_length)
        return -1;
    return found;
}

/* Every scalar at the offset it had, and the new ones inside the region. */
static bool region_fits(const syn_maps *maps, const syn_maps *previous)
{
    if (maps->program->globals_size > previous->globals_mapped)
        return false;
    for (uint32_t i = 0; i < maps->program->global_count; i++) {
        const syn_ir_global *global = &maps->program->globals[i];
        if (global->kind != SYN_IR_GLOBAL_SCALAR)
            continue;
        int32_t before = syn_maps_find_global(previous, global->name);
        if (before >= 0 && (predecessor(maps, i, previous) < 0 ||
                            previous->program->globals[before].offset != global->offset))
            return false;
    }
    /* The reserved slots (target(), the clock offset) sit before the first scalar: same program shape. */
    return true;
}

static bool create(syn_maps *maps, const syn_ir_program *program, uint32_t ring_bytes, const syn_maps *previous,
                   char *error, size_t error_size)
{
    memset(maps, 0, sizeof(*maps));
    maps->program = program;
    maps->globals_fd = maps->events_fd = maps->lost_fd = -1;
    maps->cpu_count = libbpf_num_possible_cpus();
    if (maps->cpu_count <= 0) {
        snprintf(error, error_size, "cannot count the possible CPUs");
        return false;
    }
    maps->fds = syn_malloc((program->global_count + 1) * sizeof(int));
    maps->key_sizes = syn_calloc(program->global_count + 1, sizeof(uint32_t));
    maps->value_sizes = syn_calloc(program->global_count + 1, sizeof(uint32_t));
    maps->shared = syn_calloc(program->global_count + 1, sizeof(bool));
    for (uint32_t i = 0; i < program->global_count; i++)
        maps->fds[i] = -1;
    if (previous && region_fits(maps, previous)) {
        maps->globals_fd = previous->globals_fd;
        maps->globals = previous->globals;
        maps->globals_mapped = previous->globals_mapped;
        maps->shared_region = true;
    } else if (!create_globals_region(maps, error, error_size)) {
        return false;
    } else if (previous) {
        /* A new region: the values the scalars had come along. */
        for (uint32_t i = 0; i < program->global_count; i++) {
            int32_t before = predecessor(maps, i, previous);
            if (program->globals[i].kind == SYN_IR_GLOBAL_SCALAR && before >= 0)
                memcpy(maps->globals + program->globals[i].offset,
                       previous->globals + previous->program->globals[before].offset,
                       program->globals[i].value_kind == SYN_IR_STRING ? string_size(maps) : 8);
        }
    }
    for (uint32_t i = 0; i < program->global_count; i++) {
        int32_t before = predecessor(maps, i, previous);
        if (before >= 0 && previous->fds[before] >= 0) {
            maps->fds[i] = previous->fds[before];
            maps->key_sizes[i] = previous->key_sizes[before];
            maps->value_sizes[i] = previous->value_sizes[before];
            maps->shared[i] = true;
        } else if (!create_global_map(maps, i, error, error_size)) {
            return false;
        }
    }
    if (previous) {
        maps->ring_bytes = previous->ring_bytes;
        maps->events_fd = previous->events_fd;
        maps->lost_fd = previous->lost_fd;
        maps->shared_events = true;
        set_initial_values(maps, previous);
        return true;
    }
    maps->ring_bytes = ring_bytes;
    maps->events_fd = create_map(BPF_MAP_TYPE_RINGBUF, "syn_events", 0, 0, ring_bytes, 0);
    if (maps->events_fd < 0) {
        snprintf(error, error_size, "creating the %u-byte output ring buffer failed: %s", ring_bytes,
                 strerror(-maps->events_fd));
        return false;
    }
    maps->lost_fd = create_map(BPF_MAP_TYPE_PERCPU_ARRAY, "syn_lost", 4, 8, 1, 0);
    if (maps->lost_fd < 0) {
        snprintf(error, error_size, "creating the lost-event counters failed: %s", strerror(-maps->lost_fd));
        return false;
    }
    set_initial_values(maps, NULL);
    return true;
}

bool syn_maps_create(syn_maps *maps, const syn_ir_program *program, uint32_t ring_bytes, char *error,
                     size_t error_size)
{
    return create(maps, program, ring_bytes, NULL, error, error_size);
}

bool syn_maps_adopt(syn_maps *maps, const syn_ir_program *program, const syn_maps *previous, char *error,
                    size_t error_size)
{
    return create(maps, program, previous->ring_bytes, previous, error, error_size);
}

/* Whether `fd` is one `maps` owns and `other` uses too. */
static bool used_by(const syn_maps *other, int fd)
{
    if (fd < 0)
        return false;
    if (fd == other->globals_fd || fd == other->events_fd || fd == other->lost_fd)
        return true;
    for (uint32_t i = 0; i < other->program->global_count; i++) {
        if (other->fds[i] == fd)
            return true;
    }
    return false;
}

void syn_maps_release_beside(syn_maps *maps, const syn_maps *kept)
{
    for (uint32_t i = 0; maps->fds && i < maps->program->global_count; i++) {
        if (used_by(kept, maps->fds[i]))
            maps->fds[i] = -1;
    }
    if (used_by(kept, maps->globals_fd)) {
        maps->globals_fd = -1;
        maps->globals = NULL;
    }
    if (used_by(kept, maps->events_fd))
        maps->events_fd = -1;
    if (used_by(kept, maps->lost_fd))
        maps->lost_fd = -1;
    syn_maps_release(maps);
}

void syn_maps_release(syn_maps *maps)
{
    if (maps->globals)
        munmap(maps->globals, maps->globals_mapped);
    if (maps->fds) {
        for (uint32_t i = 0; i < maps->program->global_count; i++) {
            if (maps->fds[i] >= 0)
                close(maps->fds[i]);
        }
    }
    int others[] = {maps->globals_fd, maps->events_fd, maps->lost_fd};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        if (others[i] >= 0)
            close(others[i]);
    }
    free(maps->fds);
    free(maps->shared);
    free(maps->key_sizes);
    free(maps->value_sizes);
    memset(maps, 0, sizeof(*maps));
    maps->globals_fd = maps->events_fd = maps->lost_fd = -1;
}

int64_t syn_maps_global_long(const syn_maps *maps, uint32_t global)
{
    int64_t value;
    memcpy(&value, maps->globals + maps->program->globals[global].offset, sizeof(value));
    return value;
}

const char *syn_maps_global_string(const syn_maps *maps, uint32_t global)
{
    return (const char *)maps->globals + maps->program->globals[global].offset;
}

void syn_maps_set_global_long(syn_maps *maps, uint32_t global, int64_t value)
{
    memcpy(maps->globals + maps->program->globals[global].offset, &value, sizeof(value));
}

void syn_maps_set_global_string(syn_maps *maps, uint32_t global, const char *value)
{
    char *slot = (char *)maps->globals + maps->program->globals[global].offset;
    uint32_t size = string_size(maps);
    size_t length = strnlen(value, size - 1);
    memcpy(slot, value, length);
    memset(slot + length, 0, size - length);
}

void syn_maps_set_reserved(syn_maps *maps, uint32_t offset, int64_t value)
{
    memcpy(maps->globals + offset, &value, sizeof(value));
}

void syn_maps_encode_key(const syn_maps *maps, uint32_t global, const syn_map_value *keys, uint8_t *buffer)
{
    const syn_ir_global *description = &maps->program->globals[global];
    memset(buffer, 0, maps->key_sizes[global]);
    uint32_t offset = 0;
    for (uint32_t k = 0; k < description->key_count; k++) {
        if (description->key_kinds[k] == SYN_IR_STRING) {
            uint32_t width = syn_ir_key_width(maps->program, description, k);
            size_t length = strnlen(keys[k].string ? keys[k].string : "", width - 1);
            memcpy(buffer + offset, keys[k].string, length);
            offset += width;
        } else {
            memcpy(buffer + offset, &keys[k].number, 8);
            offset += 8;
        }
    }
}

void syn_maps_decode_key(const syn_maps *maps, uint32_t global, const uint8_t *buffer, syn_map_value *keys)
{
    const syn_ir_global *description = &maps->program->globals[global];
    uint32_t offset = 0;
    for (uint32_t k = 0; k < description->key_count; k++) {
        if (description->key_kinds[k] == SYN_IR_STRING) {
            keys[k].string = (const char *)buffer + offset;
            keys[k].number = 0;
            offset += syn_ir_key_width(maps->program, description, k);
        } else {
            memcpy(&keys[k].number, buffer + offset, 8);
            keys[k].string = NULL;
            offset += 8;
        }
    }
}

bool syn_maps_lookup(const syn_maps *maps, uint32_t global, const uint8_t *key, syn_map_value *value,
                     char *string_buffer)
{
    const syn_ir_global *description = &maps->program->globals[global];
    uint8_t stack[4096];
    uint32_t size = maps->value_sizes[global];
    uint8_t *bytes = size <= sizeof(stack) ? stack : syn_malloc(size);
    bool found = bpf_map_lookup_elem(maps->fds[global], key, bytes) == 0;
    if (description->value_kind == SYN_IR_STRING) {
        size_t length = found ? strnlen((const char *)bytes, size - 1) : 0;
        memcpy(string_buffer, bytes, length);
        string_buffer[length] = '\0';
        value->string = string_buffer;
        value->number = 0;
    } else {
        value->string = NULL;
        value->number = 0;
        if (found)
            memcpy(&value->number, bytes, 8);
    }
    if (bytes != stack)
        free(bytes);
    return found;
}

bool syn_maps_store(syn_maps *maps, uint32_t global, const uint8_t *key, const syn_map_value *value)
{
    const syn_ir_global *description = &maps->program->globals[global];
    uint32_t size = maps->value_sizes[global];
    uint8_t *bytes = syn_calloc(1, size);
    if (description->value_kind == SYN_IR_STRING) {
        size_t length = strnlen(value->string ? value->string : "", size - 1);
        memcpy(bytes, value->string, length);
    } else {
        memcpy(bytes, &value->number, 8);
    }
    bool stored = bpf_map_update_elem(maps->fds[global], key, bytes, BPF_ANY) == 0;
    free(bytes);
    return stored;
}

bool syn_maps_delete(syn_maps *maps, uint32_t global, const uint8_t *key)
{
    return bpf_map_delete_elem(maps->fds[global], key) == 0;
}

void syn_maps_clear(syn_maps *maps, uint32_t global)
{
    const syn_ir_global *description = &maps->program->globals[global];
    if (description->kind == SYN_IR_GLOBAL_SCALAR) {
        if (description->value_kind == SYN_IR_STRING)
            syn_maps_set_global_string(maps, global, "");
        else
            syn_maps_set_global_long(maps, global, 0);
        return;
    }
    if (description->kind == SYN_IR_GLOBAL_STATISTIC && !description->key_count) {
        uint32_t zero = 0;
        size_t size = (size_t)maps->value_sizes[global] * (size_t)maps->cpu_count;
        void *values = syn_calloc(1, size);
        bpf_map_update_elem(maps->fds[global], &zero, values, BPF_ANY);
        free(values);
        return;
    }
    uint8_t *keys;
    uint32_t count = syn_maps_keys(maps, global, &keys);
    for (uint32_t i = 0; i < count; i++)
        bpf_map_delete_elem(maps->fds[global], keys + (size_t)i * maps->key_sizes[global]);
    free(keys);
}

/* Per-CPU values come as cpu_count copies of the value, each rounded up to 8 bytes. */
static int64_t *read_per_cpu(const syn_maps *maps, uint32_t global, const uint8_t *key, bool *found)
{
    size_t words = maps->value_sizes[global] / 8;
    int64_t *values = syn_calloc(words * (size_t)maps->cpu_count, 8);
    *found = bpf_map_lookup_elem(maps->fds[global], key, values) == 0;
    return values;
}

bool syn_maps_stat_add(syn_maps *maps, uint32_t global, const uint8_t *key, int64_t value)
{
    const syn_ir_global *description = &maps->program->globals[global];
    bool found;
    int64_t *values = read_per_cpu(maps, global, key, &found);
    int64_t *mine = values;
    if (!found)
        memset(values, 0, (size_t)maps->value_sizes[global] * (size_t)maps->cpu_count);
    if (mine[SYN_STAT_WORD_COUNT] == 0 || value < mine[SYN_STAT_WORD_MIN])
        mine[SYN_STAT_WORD_MIN] = value;
    if (mine[SYN_STAT_WORD_COUNT] == 0 || value > mine[SYN_STAT_WORD_MAX])
        mine[SYN_STAT_WORD_MAX] = value;
    mine[SYN_STAT_WORD_COUNT]++;
    /* Sums wrap as the kernel's 64-bit adds do. */
    mine[SYN_STAT_WORD_SUM] = (int64_t)((uint64_t)mine[SYN_STAT_WORD_SUM] + (uint64_t)value);
    mine[SYN_STAT_WORD_SUM_SQUARES] =
        (int64_t)((uint64_t)mine[SYN_STAT_WORD_SUM_SQUARES] + (uint64_t)value * (uint64_t)value);
    if (description->histogram_buckets) {
        uint32_t bucket = description->log_histogram
                              ? syn_log_bucket(value)
                              : syn_linear_bucket(value, description->linear_low, description->linear_high,
                                                  description->linear_step);
        mine[SYN_STAT_WORD_BUCKETS + bucket]++;
    }
    bool stored = bpf_map_update_elem(maps->fds[global], key, values, BPF_ANY) == 0;
    free(values);
    return stored;
}

bool syn_maps_stat_read(const syn_maps *maps, uint32_t global, const uint8_t *key, syn_statistic *statistic)
{
    const syn_ir_global *description = &maps->program->globals[global];
    memset(statistic, 0, sizeof(*statistic));
    statistic->bucket_count = description->histogram_buckets;
    if (statistic->bucket_count)
        statistic->buckets = syn_calloc(statistic->bucket_count, sizeof(int64_t));
    bool found;
    int64_t *values = read_per_cpu(maps, global, key, &found);
    size_t words = maps->value_sizes[global] / 8;
    for (int cpu = 0; found && cpu < maps->cpu_count; cpu++) {
        const int64_t *copy = values + (size_t)cpu * words;
        if (copy[SYN_STAT_WORD_COUNT] == 0)
            continue;
        if (statistic->count == 0 || copy[SYN_STAT_WORD_MIN] < statistic->min)
            statistic->min = copy[SYN_STAT_WORD_MIN];
        if (statistic->count == 0 || copy[SYN_STAT_WORD_MAX] > statistic->max)
            statistic->max = copy[SYN_STAT_WORD_MAX];
        statistic->count += copy[SYN_STAT_WORD_COUNT];
        statistic->sum = (int64_t)((uint64_t)statistic->sum + (uint64_t)copy[SYN_STAT_WORD_SUM]);
        statistic->sum_squares =
            (int64_t)((uint64_t)statistic->sum_squares + (uint64_t)copy[SYN_STAT_WORD_SUM_SQUARES]);
        for (uint32_t b = 0; b < statistic->bucket_count; b++)
            statistic->buckets[b] += copy[SYN_STAT_WORD_BUCKETS + b];
    }
    free(values);
    return statistic->count > 0;
}

void syn_statistic_release(syn_statistic *statistic)
{
    free(statistic->buckets);
    statistic->buckets = NULL;
}

uint32_t syn_maps_keys(const syn_maps *maps, uint32_t global, uint8_t **keys)
{
    uint32_t size = maps->key_sizes[global];
    uint32_t capacity = 64, count = 0;
    uint8_t *collected = syn_malloc((size_t)capacity * size);
    uint8_t *previous = NULL;
    uint8_t *next = syn_malloc(size);
    int fd = maps->fds[global];
    /* A map may change while it is walked; the walk is bounded by its size. */
    for (uint32_t steps = 0; steps <= maps->program->globals[global].max_entries; steps++) {
        if (bpf_map_get_next_key(fd, previous, next) != 0)
            break;
        if (count == capacity) {
            capacity *= 2;
            collected = syn_realloc(collected, (size_t)capacity * size);
        }
        memcpy(collected + (size_t)count * size, next, size);
        previous = collected + (size_t)count * size;
        count++;
    }
    free(next);
    *keys = collected;
    return count;
}

uint64_t syn_maps_lost_events(const syn_maps *maps)
{
    uint32_t zero = 0;
    uint64_t *counts = syn_calloc((size_t)maps->cpu_count, 8);
    uint64_t total = 0;
    if (bpf_map_lookup_elem(maps->lost_fd, &zero, counts) == 0) {
        for (int cpu = 0; cpu < maps->cpu_count; cpu++)
            total += counts[cpu];
    }
    free(counts);
    return total;
}

void syn_maps_bucket_lows(const syn_ir_global *global, int64_t *lows, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (global->log_histogram) {
            if (i == SYN_LOG_BUCKET_ZERO)
                lows[i] = 0;
            else if (i > SYN_LOG_BUCKET_ZERO)
                lows[i] = (int64_t)(1ULL << (i - SYN_LOG_BUCKET_ZERO - 1));
            else
                lows[i] = i == 0 ? INT64_MIN : -(int64_t)((1ULL << (SYN_LOG_BUCKET_ZERO - i)) - 1);
        } else {
            lows[i] = i == 0 ? INT64_MIN : global->linear_low + (int64_t)(i - 1) * global->linear_step;
        }
    }
}
