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

/* The global NAME of the running script, or -1 (reported). */
static int32_t find(syn_state *state, const char *name, syn_status *status)
{
    if (!state->session) {
        syn_error(&state->diagnostics, NULL, "no script is running: its globals exist from syn_start to syn_stop");
        *status = SYN_ERROR_STATE;
        return -1;
    }
    int32_t index = name ? syn_maps_find_global(&state->session->maps, name) : -1;
    if (index < 0) {
        syn_error(&state->diagnostics, NULL, "the running script has no global named '%s' (or never uses it)",
                  name ? name : "(null)");
        *status = SYN_ERROR_USAGE;
    }
    return index;
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
    syn_status status = SYN_OK;
    int32_t index = find(state, name, &status);
    if (index < 0)
        return status;
    const syn_ir_global *global = &state->session->maps.program->globals[index];
    memset(info, 0, sizeof(*info));
    info->kind = global->kind == SYN_IR_GLOBAL_SCALAR  ? SYN_GLOBAL_SCALAR
               : global->kind == SYN_IR_GLOBAL_ARRAY ? SYN_GLOBAL_ARRAY
                                                       : SYN_GLOBAL_STATISTIC;
    info->value_kind = kind_of(global->value_kind);
    info->key_count = global->key_count < SYN_MAX_KEYS ? global->key_count : SYN_MAX_KEYS;
    for (unsigned k = 0; k < info->key_count; k++)
        info->key_kinds[k] = kind_of(global->key_kinds[k]);
    return SYN_OK;
}

syn_status syn_global_get(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                          syn_value *value, bool *present)
{
    syn_status status = SYN_OK;
    int32_t index = find(state, name, &status);
    if (index < 0)
        return status;
    syn_maps *maps = &state->session->maps;
    const syn_ir_global *global = &maps->program->globals[index];
    value->kind = kind_of(global->value_kind);
    value->number = 0;
    value->string = NULL;
    if (global->kind == SYN_IR_GLOBAL_STATISTIC) {
        syn_error(&state->diagnostics, NULL, "'%s' is a statistic: syn_statistic_get reads it", name);
        return SYN_ERROR_USAGE;
    }
    if (global->kind == SYN_IR_GLOBAL_SCALAR) {
        if (key_count) {
            syn_error(&state->diagnostics, NULL, "'%s' is a scalar: it takes no keys", name);
            return SYN_ERROR_USAGE;
        }
        if (value->kind == SYN_VALUE_STRING)
            value->string = keep(state, syn_maps_global_string(maps, (uint32_t)index));
        else
            value->number = syn_maps_global_long(maps, (uint32_t)index);
        if (present)
            *present = true;
        return SYN_OK;
    }
    uint8_t *key;
    if (!pack_keys(state, (uint32_t)index, keys, key_count, &key))
        return SYN_ERROR_USAGE;
    char *text = syn_calloc(1, maps->program->max_string_length + 1);
    syn_map_value found = {0};
    bool there = syn_maps_lookup(maps, (uint32_t)index, key, &found, text);
    if (value->kind == SYN_VALUE_STRING)
        value->string = keep(state, there ? text : "");
    else
        value->number = there ? found.number : 0;
    if (present)
        *present = there;
    free(text);
    free(key);
    return SYN_OK;
}

syn_status syn_global_set(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                          const syn_value *value)
{
    syn_status status = SYN_OK;
    int32_t index = find(state, name, &status);
    if (index < 0)
        return status;
    syn_maps *maps = &state->session->maps;
    const syn_ir_global *global = &maps->program->globals[index];
    syn_value_kind wanted = kind_of(global->value_kind);
    if (global->kind == SYN_IR_GLOBAL_STATISTIC || !value || value->kind != wanted ||
        (wanted == SYN_VALUE_STRING && !value->string)) {
        syn_error(&state->diagnostics, NULL, "'%s' holds %s", name,
                  global->kind == SYN_IR_GLOBAL_STATISTIC ? "a statistic, which only the script adds to"
                  : wanted == SYN_VALUE_STRING            ? "strings"
                                                          : "numbers");
        return SYN_ERROR_USAGE;
    }
    if (global->kind == SYN_IR_GLOBAL_SCALAR) {
        if (key_count) {
            syn_error(&state->diagnostics, NULL, "'%s' is a scalar: it takes no keys", name);
            return SYN_ERROR_USAGE;
        }
        if (wanted == SYN_VALUE_STRING)
            syn_maps_set_global_string(maps, (uint32_t)index, value->string);
        else
            syn_maps_set_global_long(maps, (uint32_t)index, value->number);
        return SYN_OK;
    }
    uint8_t *key;
    if (!pack_keys(state, (uint32_t)index, keys, key_count, &key))
        return SYN_ERROR_USAGE;
    syn_map_value stored = {.number = value->number, .string = value->string};
    bool fitted = syn_maps_store(maps, (uint32_t)index, key, &stored);
    free(key);
    if (!fitted) {
        syn_error(&state->diagnostics, NULL, "'%s' is full (%u elements): raise MAXMAPENTRIES or declare it bigger",
                  name, global->max_entries);
        return SYN_ERROR_RUNTIME;
    }
    return SYN_OK;
}

syn_status syn_global_delete(syn_state *state, const char *name, const syn_value *keys, unsigned key_count)
{
    syn_status status = SYN_OK;
    int32_t index = find(state, name, &status);
    if (index < 0)
        return status;
    syn_maps *maps = &state->session->maps;
    if (!key_count) {
        syn_maps_clear(maps, (uint32_t)index);
        return SYN_OK;
    }
    uint8_t *key;
    if (!pack_keys(state, (uint32_t)index, keys, key_count, &key))
        return SYN_ERROR_USAGE;
    syn_maps_delete(maps, (uint32_t)index, key);
    free(key);
    return SYN_OK;
}

syn_status syn_global_foreach(syn_state *state, const char *name, syn_global_visitor visit, void *user_data)
{
    syn_status status = SYN_OK;
    int32_t index = find(state, name, &status);
    if (index < 0)
        return status;
    syn_maps *maps = &state->session->maps;
    const syn_ir_global *global = &maps->program->globals[index];
    if (!visit || !global->key_count) {
        syn_error(&state->diagnostics, NULL, "'%s' is not an array: syn_global_get reads it", name);
        return SYN_ERROR_USAGE;
    }
    uint8_t *packed;
    uint32_t count = syn_maps_keys(maps, (uint32_t)index, &packed);
    char *text = syn_calloc(1, maps->program->max_string_length + 1);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *key = packed + (size_t)i * maps->key_sizes[index];
        syn_map_value decoded[SYN_MAX_KEYS + 1];
        syn_value keys[SYN_MAX_KEYS];
        if (global->key_count > SYN_MAX_KEYS)
            break;
        syn_maps_decode_key(maps, (uint32_t)index, key, decoded);
        for (uint32_t k = 0; k < global->key_count; k++)
            keys[k] = (syn_value){.kind = kind_of(global->key_kinds[k]), .number = decoded[k].number,
                                  .string = decoded[k].string};
        syn_value value = {.kind = kind_of(global->value_kind)};
        if (global->kind == SYN_IR_GLOBAL_STATISTIC) {
            syn_statistic statistic;
            value.kind = SYN_VALUE_LONG;
            if (!syn_maps_stat_read(maps, (uint32_t)index, key, &statistic))
                continue;
            value.number = statistic.count;
            syn_statistic_release(&statistic);
        } else {
            syn_map_value found = {0};
            if (!syn_maps_lookup(maps, (uint32_t)index, key, &found, text))
                continue;   /* deleted since the keys were listed */
            value.number = found.number;
            value.string = value.kind == SYN_VALUE_STRING ? text : NULL;
        }
        if (!visit(keys, global->key_count, &value, user_data))
            break;
    }
    free(text);
    free(packed);
    return SYN_OK;
}

syn_status syn_statistic_get(syn_state *state, const char *name, const syn_value *keys, unsigned key_count,
                             syn_statistic_values *values)
{
    syn_status status = SYN_OK;
    int32_t index = find(state, name, &status);
    if (index < 0)
        return status;
    syn_maps *maps = &state->session->maps;
    const syn_ir_global *global = &maps->program->globals[index];
    memset(values, 0, sizeof(*values));
    if (global->kind != SYN_IR_GLOBAL_STATISTIC) {
        syn_error(&state->diagnostics, NULL, "'%s' is not a statistic (it is filled with =, not <<<)", name);
        return SYN_ERROR_USAGE;
    }
    uint8_t *key;
    if (global->key_count) {
        if (!pack_keys(state, (uint32_t)index, keys, key_count, &key))
            return SYN_ERROR_USAGE;
    } else {
        key = syn_calloc(1, 8);
    }
    syn_statistic statistic;
    bool there = syn_maps_stat_read(maps, (uint32_t)index, key, &statistic);
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
        syn_maps_bucket_lows(global, state->returned_lows, statistic.bucket_count);
        values->bucket_count = statistic.bucket_count;
        values->buckets = (const long long *)state->returned_buckets;
        values->bucket_lows = (const long long *)state->returned_lows;
        values->log_histogram = global->log_histogram;
    }
    syn_statistic_release(&statistic);
    return SYN_OK;
}
