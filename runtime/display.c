#define _GNU_SOURCE
#include "runtime/display.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/format.h"
#include "runtime/output_format.h"
#include "runtime/render.h"
#include "util/json.h"
#include "util/memory.h"

static void format_into(syn_buffer *out, const char *format_text, const syn_output_value *values, unsigned count)
{
    syn_format format;
    char error[128];
    if (!syn_format_parse(format_text, strlen(format_text), &format, error, sizeof(error)))
        return;
    syn_output_format(out, format_text, &format, values, count);
    syn_format_release(&format);
}

static syn_output_value long_value(int64_t number)
{
    return (syn_output_value){.number = number};
}

static syn_output_value string_value(const char *text, size_t limit)
{
    return (syn_output_value){.is_string = true, .string = text, .length = strnlen(text, limit)};
}

/* " @count=%#d @min=... @avg=%#d" for a statistic, or " @count=0x0". */
static void display_statistic(syn_buffer *out, const syn_statistic *statistic)
{
    if (statistic->count == 0) {
        syn_buffer_append_string(out, " @count=0x0\n");
        return;
    }
    syn_output_value values[5] = {long_value(statistic->count), long_value(statistic->min),
                                   long_value(statistic->max), long_value(statistic->sum),
                                   long_value(statistic->sum / statistic->count)};
    format_into(out, " @count=%#d @min=%#d @max=%#d @sum=%#d @avg=%#d\n", values, 5);
}

typedef struct entry {
    uint8_t *key;
    int64_t number;
    char *string;
} entry;

typedef struct sort_context {
    const syn_maps *maps;
    uint32_t global;
} sort_context;

static int compare_keys(const sort_context *sort, const uint8_t *a, const uint8_t *b)
{
    syn_map_value left[SYN_IR_MAX_ARGUMENTS], right[SYN_IR_MAX_ARGUMENTS];
    syn_maps_decode_key(sort->maps, sort->global, a, left);
    syn_maps_decode_key(sort->maps, sort->global, b, right);
    const syn_ir_global *global = &sort->maps->program->globals[sort->global];
    for (uint32_t k = 0; k < global->key_count; k++) {
        int order = left[k].string ? strcmp(left[k].string, right[k].string)
                                   : (left[k].number > right[k].number) - (left[k].number < right[k].number);
        if (order)
            return order;
    }
    return 0;
}

/* Largest value first, as SystemTap's generated foreach (... in a-) does. */
static int compare_entries(const void *left, const void *right, void *context)
{
    const entry *a = left, *b = right;
    int order = a->string ? strcmp(b->string, a->string) : (b->number > a->number) - (b->number < a->number);
    return order ? order : compare_keys(context, a->key, b->key);
}

static void display_key(syn_buffer *out, const syn_maps *maps, uint32_t global, const uint8_t *key)
{
    const syn_ir_global *description = &maps->program->globals[global];
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS];
    syn_maps_decode_key(maps, global, key, keys);
    syn_buffer_append_char(out, '[');
    for (uint32_t k = 0; k < description->key_count; k++) {
        if (k)
            syn_buffer_append_char(out, ',');
        if (description->key_kinds[k] == SYN_IR_STRING) {
            syn_output_value value = string_value(keys[k].string, maps->program->max_string_length);
            format_into(out, "\"%#s\"", &value, 1);
        } else {
            syn_output_value value = long_value(keys[k].number);
            format_into(out, "%#d", &value, 1);
        }
    }
    syn_buffer_append_char(out, ']');
}

static void display_value(syn_buffer *out, const syn_maps *maps, const syn_ir_global *global, const entry *item)
{
    if (global->value_kind == SYN_IR_STRING) {
        syn_output_value value = string_value(item->string, maps->program->max_string_length);
        format_into(out, "=\"%#s\"\n", &value, 1);
    } else {
        syn_output_value value = long_value(item->number);
        format_into(out, "=%#x\n", &value, 1);
    }
}

static void display_array(syn_buffer *out, const syn_maps *maps, uint32_t index)
{
    const syn_ir_global *global = &maps->program->globals[index];
    uint8_t *keys;
    uint32_t count = syn_maps_keys(maps, index, &keys);
    uint32_t key_size = maps->key_sizes[index];
    entry *entries = syn_calloc(count + 1, sizeof(*entries));
    for (uint32_t i = 0; i < count; i++) {
        entries[i].key = keys + (size_t)i * key_size;
        if (global->kind == SYN_IR_GLOBAL_STATISTIC) {
            syn_statistic statistic;
            syn_maps_stat_read(maps, index, entries[i].key, &statistic);
            entries[i].number = statistic.count;
            syn_statistic_release(&statistic);
        } else {
            syn_map_value value;
            if (global->value_kind == SYN_IR_STRING)
                entries[i].string = syn_malloc(maps->program->max_string_length);
            syn_maps_lookup(maps, index, entries[i].key, &value, entries[i].string);
            entries[i].number = value.number;
        }
    }
    sort_context sort = {.maps = maps, .global = index};
    qsort_r(entries, count, sizeof(*entries), compare_entries, &sort);
    for (uint32_t i = 0; i < count; i++) {
        syn_buffer_append_string(out, global->name);
        display_key(out, maps, index, entries[i].key);
        if (global->kind == SYN_IR_GLOBAL_STATISTIC) {
            syn_statistic statistic;
            syn_maps_stat_read(maps, index, entries[i].key, &statistic);
            display_statistic(out, &statistic);
            syn_statistic_release(&statistic);
        } else {
            display_value(out, maps, global, &entries[i]);
        }
        free(entries[i].string);
    }
    free(entries);
    free(keys);
}

/* ---- --format json ------------------------------------------------------------- */

static void json_element(syn_buffer *out, const syn_maps *maps, uint32_t index, const uint8_t *key)
{
    const syn_ir_global *global = &maps->program->globals[index];
    bool statistic = global->kind == SYN_IR_GLOBAL_STATISTIC;
    syn_buffer_printf(out, "{\"type\":\"%s\",\"name\":", statistic ? "statistic" : "global");
    syn_json_string(out, global->name, strlen(global->name));
    syn_json_keys(out, maps, index, key);
    static const uint8_t scalar[8] = {0};
    if (statistic) {
        syn_statistic value;
        if (syn_maps_stat_read(maps, index, key ? key : scalar, &value))
            syn_json_statistic(out, global, &value);
        syn_statistic_release(&value);
    } else if (!global->key_count) {
        syn_buffer_append_string(out, ",\"value\":");
        if (global->value_kind == SYN_IR_STRING) {
            const char *text = syn_maps_global_string(maps, index);
            syn_json_string(out, text, strnlen(text, maps->program->max_string_length));
        } else {
            syn_buffer_printf(out, "%lld", (long long)syn_maps_global_long(maps, index));
        }
    } else {
        char *text = syn_calloc(1, maps->program->max_string_length + 1);
        syn_map_value value = {0};
        syn_maps_lookup(maps, index, key, &value, global->value_kind == SYN_IR_STRING ? text : NULL);
        syn_buffer_append_string(out, ",\"value\":");
        if (global->value_kind == SYN_IR_STRING)
            syn_json_string(out, text, strlen(text));
        else
            syn_buffer_printf(out, "%lld", (long long)value.number);
        free(text);
    }
    syn_buffer_append_string(out, "}\n");
}

static void json_global(syn_buffer *out, const syn_maps *maps, uint32_t index)
{
    if (!maps->program->globals[index].key_count) {
        json_element(out, maps, index, NULL);
        return;
    }
    uint8_t *keys;
    uint32_t count = syn_maps_keys(maps, index, &keys);
    for (uint32_t i = 0; i < count; i++)
        json_element(out, maps, index, keys + (size_t)i * maps->key_sizes[index]);
    free(keys);
}

void syn_display_global(syn_buffer *out, const syn_maps *maps, uint32_t index, bool json)
{
    if (json) {
        json_global(out, maps, index);
        return;
    }
    const syn_ir_program *program = maps->program;
    const syn_ir_global *global = &program->globals[index];
    if (global->key_count) {
        display_array(out, maps, index);
        return;
    }
    syn_buffer_append_string(out, global->name);
    if (global->kind == SYN_IR_GLOBAL_STATISTIC) {
        uint8_t zero[8] = {0};
        syn_statistic statistic;
        syn_maps_stat_read(maps, index, zero, &statistic);
        display_statistic(out, &statistic);
        syn_statistic_release(&statistic);
    } else if (global->value_kind == SYN_IR_STRING) {
        syn_output_value value = string_value(syn_maps_global_string(maps, index), program->max_string_length);
        format_into(out, "=\"%#s\"\n", &value, 1);
    } else {
        syn_output_value value = long_value(syn_maps_global_long(maps, index));
        format_into(out, "=%#x\n", &value, 1);
    }
}

void syn_display_unread_globals(syn_buffer *out, const syn_maps *maps, bool json)
{
    for (uint32_t i = 0; i < maps->program->global_count; i++) {
        if (maps->program->globals[i].display_at_end)
            syn_display_global(out, maps, i, json);
    }
}
