/* The public calls that read and write a running script's globals by name
 * (include/syn/syn.h, "Globals from the host"): thin wrappers around the
 * maps the probes use (runtime/maps.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/statistics.h"
#include "runtime/session.h"
#include "runtime/state.h"
#include "util/memory.h"

/* The global NAME of the running script: its maps, index and description. */
typedef struct found_global {
    syn_maps *maps;
    uint32_t index;
    const syn_ir_global *global;
} found_global;

static syn_status find(syn_state *state, const char *name, found_global *found)
{
    if (!state->session) {
        syn_error(&state->diagnostics, NULL, "no script is running: its globals exist from syn_start to syn_stop");
        return SYN_ERROR_STATE;
    }
    int32_t index = name ? syn_maps_find_global(&state->session->maps, name) : -1;
    if (index < 0) {
        syn_error(&state->diagnostics, NULL, "the running script has no global named '%s' (or never uses it)",
                  name ? name : "(null)");
        return SYN_ERROR_USAGE;
    }
    found->maps = &state->session->maps;
    found->index = index;
    found->global = &found->maps->program->globals[index];
    return SYN_OK;
}

/* A scalar takes no keys. */
static bool keys_fit_scalar(syn_state *state, const char *name, unsigned key_count)
{
    if (key_count)
        syn_error(&state->diagnostics, NULL, "'%s' is a scalar: it takes no keys", name);
    return key_count == 0;
}

static syn_value_kind kind_of(syn_ir_register_kind kind)
{
    return kind == SYN_IR_STRING ? SYN_VALUE_STRING : SYN_VALUE_LONG;
}

static const char *kind_name(syn_value_kind kind)
{
    return kind == SYN_VALUE_STRING ? "string" : "long";
}

/* Checks the keys against the global's and packs them. */
static bool pack_keys(syn_state *state, uint32_t index, const syn_value *keys, unsigned count, uint8_t **packed)
{
    const syn_maps *maps = &state->session->maps;
    const syn_ir_global *global = &maps->program->globals[index];
    if (count != global->key_count) {
        syn_error(&state->diagnostics, NULL, "'%s' takes %u key%s, not %u", global->name, global->key_count,
                  global->key_count == 1 ? "" : "s", count);
        return false;
    }
    syn_map_value values[SYN_MAX_KEYS];
    for (unsigned k = 0; k < count; k++) {
        syn_value_kind wanted = kind_of(global->key_kinds[k]);
        if (keys[k].kind != wanted || (wanted == SYN_VALUE_STRING && !keys[k].string)) {
            syn_error(&state->diagnostics, NULL, "key %u of '%s' is a %s", k + 1, global->name, kind_name(wanted));
            return false;
        }
        uint32_t width = syn_ir_key_width(maps->program, global, k);
        if (wanted == SYN_VALUE_STRING && width < maps->program->max_string_length &&
            strlen(keys[k].string) >= width) {
            /* The script's own keys there are shorter (compiler/key_width.c): cut, it could name one of them. */
            syn_error(&state->diagnostics, NULL, "key %u of '%s' is longer than any the script gives it (%u bytes)",
                      k + 1, global->name, width - 1);
            return false;
        }
        values[k] = (syn_map_value){.number = keys[k].number, .string = keys[k].string};
    }
    *packed = syn_calloc(1, maps->key_sizes[index] ? maps->key_sizes[index] : 8);
    syn_maps_encode_key(maps, index, values, *packed);
    return true;
}

/* A string handed back to the host lives until the next call. */
static const char *keep(syn_state *state, const char *text)
{
    free(state->returned_string);
    state->returned_string = syn_strdup(text ? text : "");
    return state->returned_string;
}

syn_status syn_global_describe(syn_state *state, const char *name, syn_global_info *info)
{
    found_global target;
    syn_status status = find(state, name, &target);
    if (status != SYN_OK)
        return status;
    memset(info, 0, sizeof(*info));
    info->kind = target.global->kind == SYN_IR_GLOBAL_SCALAR  ? SYN_GLOBAL_SCALAR
               : target.global->kind == SYN_IR_GLOBAL_ARRAY ? SYN_GLOBAL_ARRAY
                                                       : SYN_GLOBAL_STATISTIC;
    info->value_kind = kind_of(target.global->value_kind);
    info->key_count = target.global->key_count < SYN_MAX_KEYS ? target.global->key_count : SYN_MAX_KEYS;
    for (unsigned k = 0; k < info->key_count; k++)
        info->key_kinds[k] = kind_of(target.global->key_kinds[k]);
    return SYN_OK;
}

syn_status syn_global_get(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                          syn_value *value, bool *present)
{
    found_global target;
    syn_status status = find(state, name, &target);
    if (status != SYN_OK)
        return status;
    value->kind = kind_of(target.global->value_kind);
    value->number = 0;
    value->string = NULL;
    if (target.global->kind == SYN_IR_GLOBAL_STATISTIC) {
        syn_error(&state->diagnostics, NULL, "'%s' is a statistic: syn_statistic_get reads it", name);
        return SYN_ERROR_USAGE;
    }
    if (target.global->kind == SYN_IR_GLOBAL_SCALAR) {
        if (!keys_fit_scalar(state, name, key_count))
            return SYN_ERROR_USAGE;
        if (value->kind == SYN_VALUE_STRING)
            value->string = keep(state, syn_maps_global_string(target.maps, target.index));
        else
            value->number = syn_maps_global_long(target.maps, target.index);
        if (present)
            *present = true;
        return SYN_OK;
    }
    uint8_t *key;
    if (!pack_keys(state, target.index, keys, key_count, &key))
        return SYN_ERROR_USAGE;
    char *text = syn_calloc(1, target.maps->program->max_string_length + 1);
    syn_map_value looked_up = {0};
    bool there = syn_maps_lookup(target.maps, target.index, key, &looked_up, text);
    if (value->kind == SYN_VALUE_STRING)
        value->string = keep(state, there ? text : "");
    else
        value->number = there ? looked_up.number : 0;
    if (present)
        *present = there;
    free(text);
    free(key);
    return SYN_OK;
}

syn_status syn_global_set(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                          const syn_value *value)
{
    found_global target;
    syn_status status = find(state, name, &target);
    if (status != SYN_OK)
        return status;
    syn_value_kind wanted = kind_of(target.global->value_kind);
    if (target.global->kind == SYN_IR_GLOBAL_STATISTIC || !value || value->kind != wanted ||
        (wanted == SYN_VALUE_STRING && !value->string)) {
        syn_error(&state->diagnostics, NULL, "'%s' holds %s", name,
                  target.global->kind == SYN_IR_GLOBAL_STATISTIC ? "a statistic, which only the script adds to"
                  : wanted == SYN_VALUE_STRING            ? "strings"
                                                          : "numbers");
        return SYN_ERROR_USAGE;
    }
    if (target.global->kind == SYN_IR_GLOBAL_SCALAR) {
        if (!keys_fit_scalar(state, name, key_count))
            return SYN_ERROR_USAGE;
        if (wanted == SYN_VALUE_STRING)
            syn_maps_set_global_string(target.maps, target.index, value->string);
        else
            syn_maps_set_global_long(target.maps, target.index, value->number);
        return SYN_OK;
    }
    uint8_t *key;
    if (!pack_keys(state, target.index, keys, key_count, &key))
        return SYN_ERROR_USAGE;
    syn_map_value stored = {.number = value->number, .string = value->string};
    bool fitted = syn_maps_store(target.maps, target.index, key, &stored);
    free(key);
    if (!fitted) {
        syn_error(&state->diagnostics, NULL, "'%s' is full (%u elements): raise MAXMAPENTRIES or declare it bigger",
                  name, target.global->max_entries);
        return SYN_ERROR_RUNTIME;
    }
    return SYN_OK;
}

syn_status syn_global_delete(syn_state *state, const char *name, const syn_value *keys, unsigned key_count)
{
    found_global target;
    syn_status status = find(state, name, &target);
    if (status != SYN_OK)
        return status;
    if (!key_count) {
        syn_maps_clear(target.maps, target.index);
        return SYN_OK;
    }
    uint8_t *key;
    if (!pack_keys(state, target.index, keys, key_count, &key))
        return SYN_ERROR_USAGE;
    syn_maps_delete(target.maps, target.index, key);
    free(key);
    return SYN_OK;
}

syn_status syn_global_foreach(syn_state *state, const char *name, syn_global_visitor visit, void *user_data)
{
    found_global target;
    syn_status status = find(state, name, &target);
    if (status != SYN_OK)
        return status;
    if (!visit || !target.global->key_count) {
        syn_error(&state->diagnostics, NULL, "'%s' is not an array: syn_global_get reads it", name);
        return SYN_ERROR_USAGE;
    }
    uint8_t *packed;
    uint32_t count = syn_maps_keys(target.maps, target.index, &packed);
    char *text = syn_calloc(1, target.maps->program->max_string_length + 1);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *key = packed + (size_t)i * target.maps->key_sizes[target.index];
        syn_map_value decoded[SYN_MAX_KEYS + 1];
        syn_value keys[SYN_MAX_KEYS];
        if (target.global->key_count > SYN_MAX_KEYS)
            break;
        syn_maps_decode_key(target.maps, target.index, key, decoded);
        for (uint32_t k = 0; k < target.global->key_count; k++)
            keys[k] = (syn_value){.kind = kind_of(target.global->key_kinds[k]), .number = decoded[k].number,
                                  .string = decoded[k].string};
        syn_value value = {.kind = kind_of(target.global->value_kind)};
        if (target.global->kind == SYN_IR_GLOBAL_STATISTIC) {
            syn_statistic statistic;
            value.kind = SYN_VALUE_LONG;
            if (!syn_maps_stat_read(target.maps, target.index, key, &statistic))
                continue;
            value.number = statistic.count;
            syn_statistic_release(&statistic);
        } else {
            syn_map_value looked_up = {0};
            if (!syn_maps_lookup(target.maps, target.index, key, &looked_up, text))
                continue;   /* deleted since the keys were listed */
            value.number = looked_up.number;
            value.string = value.kind == SYN_VALUE_STRING ? text : NULL;
        }
        if (!visit(keys, target.global->key_count, &value, user_data))
            break;
    }
    free(text);
    free(packed);
    return SYN_OK;
}

syn_status syn_statistic_get(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                             syn_statistic_values *values)
{
    found_global target;
    syn_status status = find(state, name, &target);
    if (status != SYN_OK)
        return status;
    memset(values, 0, sizeof(*values));
    if (target.global->kind != SYN_IR_GLOBAL_STATISTIC) {
        syn_error(&state->diagnostics, NULL, "'%s' is not a statistic (it is filled with =, not <<<)", name);
        return SYN_ERROR_USAGE;
    }
    uint8_t *key;
    if (target.global->key_count) {
        if (!pack_keys(state, target.index, keys, key_count, &key))
            return SYN_ERROR_USAGE;
    } else {
        key = syn_calloc(1, 8);
    }
    syn_statistic statistic;
    bool there = syn_maps_stat_read(target.maps, target.index, key, &statistic);
    free(key);
    if (!there)
        return SYN_OK;
    values->count = statistic.count;
    values->sum = statistic.sum;
    if (statistic.count) {
        values->min = statistic.min;
        values->max = statistic.max;
        values->average = statistic.sum / statistic.count;
    }
    free(state->returned_buckets);
    free(state->returned_lows);
    state->returned_buckets = NULL;
    state->returned_lows = NULL;
    if (statistic.buckets && statistic.bucket_count) {
        state->returned_buckets = syn_calloc(statistic.bucket_count, sizeof(int64_t));
        state->returned_lows = syn_calloc(statistic.bucket_count, sizeof(int64_t));
        memcpy(state->returned_buckets, statistic.buckets, statistic.bucket_count * sizeof(int64_t));
        syn_maps_bucket_lows(target.global, state->returned_lows, statistic.bucket_count);
        values->bucket_count = statistic.bucket_count;
        values->buckets = (const long long *)state->returned_buckets;
        values->bucket_lows = (const long long *)state->returned_lows;
        values->log_histogram = target.global->log_histogram;
    }
    syn_statistic_release(&statistic);
    return SYN_OK;
}
