#include "runtime/render.h"

#include <string.h>

#include <stdlib.h>

#include "compiler/format.h"
#include "compiler/statistics.h"
#include "util/json.h"
#include "util/memory.h"

/* ---- --format json (doc/running.md, "JSON output") ------------------------ */

static void json_output(syn_buffer *out, const char *text, size_t length)
{
    if (!length)
        return;
    syn_buffer_append_string(out, "{\"type\":\"output\",\"text\":");
    syn_json_string(out, text, length);
    syn_buffer_append_string(out, "}\n");
}

void syn_json_keys(syn_buffer *out, const syn_maps *maps, uint32_t global, const uint8_t *element)
{
    const syn_ir_global *description = &maps->program->globals[global];
    if (!description->key_count || !element)
        return;
    syn_map_value keys[SYN_IR_MAX_ARGUMENTS + 1];
    syn_maps_decode_key(maps, global, element, keys);
    syn_buffer_append_string(out, ",\"key\":[");
    for (uint32_t k = 0; k < description->key_count; k++) {
        if (k)
            syn_buffer_append_char(out, ',');
        if (description->key_kinds[k] == SYN_IR_STRING)
            syn_json_string(out, keys[k].string, strnlen(keys[k].string, maps->program->max_string_length));
        else
            syn_buffer_printf(out, "%lld", (long long)keys[k].number);
    }
    syn_buffer_append_char(out, ']');
}

void syn_json_statistic(syn_buffer *out, const syn_ir_global *global, const syn_statistic *statistic)
{
    syn_buffer_printf(out, ",\"count\":%lld,\"sum\":%lld", (long long)statistic->count,
                      (long long)statistic->sum);
    if (statistic->count)
        syn_buffer_printf(out, ",\"min\":%lld,\"max\":%lld,\"avg\":%lld", (long long)statistic->min,
                          (long long)statistic->max, (long long)(statistic->sum / statistic->count));
    if (!statistic->buckets || !statistic->bucket_count)
        return;
    int64_t *lows = syn_calloc(statistic->bucket_count, sizeof(int64_t));
    syn_maps_bucket_lows(global, lows, statistic->bucket_count);
    syn_buffer_printf(out, ",\"scale\":\"%s\",\"buckets\":[", global->log_histogram ? "log" : "linear");
    bool first = true;
    for (uint32_t i = 0; i < statistic->bucket_count; i++) {
        if (!statistic->buckets[i])
            continue;
        if (!first)
            syn_buffer_append_char(out, ',');
        first = false;
        if (lows[i] == INT64_MIN)
            syn_buffer_printf(out, "{\"low\":null,\"count\":%lld}", (long long)statistic->buckets[i]);
        else
            syn_buffer_printf(out, "{\"low\":%lld,\"count\":%lld}", (long long)lows[i],
                              (long long)statistic->buckets[i]);
    }
    syn_buffer_append_char(out, ']');
    free(lows);
}

static bool json_histogram(syn_buffer *out, const syn_ir_program *program, const syn_maps *maps, uint32_t global,
                           const uint8_t *element)
{
    static const uint8_t scalar[8] = {0};
    syn_statistic statistic;
    if (!syn_maps_stat_read(maps, global, element ? element : scalar, &statistic) || !statistic.count) {
        syn_statistic_release(&statistic);
        return false;
    }
    syn_buffer_append_string(out, "{\"type\":\"histogram\",\"name\":");
    syn_json_string(out, program->globals[global].name, strlen(program->globals[global].name));
    syn_json_keys(out, maps, global, element);
    syn_json_statistic(out, &program->globals[global], &statistic);
    syn_buffer_append_string(out, "}\n");
    syn_statistic_release(&statistic);
    return true;
}

static bool render_histogram(syn_buffer *out, const syn_ir_program *program, const syn_maps *maps, uint32_t global,
                             const uint8_t *element)
{
    const syn_ir_global *description = &program->globals[global];
    static const uint8_t scalar[8] = {0};
    syn_statistic statistic;
    if (!syn_maps_stat_read(maps, global, element ? element : scalar, &statistic)) {
        syn_statistic_release(&statistic);
        return false;
    }
    syn_output_histogram histogram = {
        .is_log = description->log_histogram,
        .low = description->linear_low,
        .high = description->linear_high,
        .step = description->linear_step,
        .buckets = statistic.buckets,
        .bucket_count = statistic.bucket_count,
    };
    syn_output_print_histogram(out, &histogram);
    syn_statistic_release(&statistic);
    return true;
}

/* print(@hist_log(s), x): histograms print themselves; the other values
 * print between them as print() would. */
static bool render_print(syn_buffer *out, const syn_ir_program *program, const syn_maps *maps,
                         const syn_ir_event *event, const syn_output_value *values, uint32_t *empty, bool json)
{
    uint32_t start = 0;
    bool any_histogram = false;
    syn_buffer text;
    syn_buffer_init(&text);
    bool rendered = true;
    for (uint32_t i = 0; i <= event->argument_count && rendered; i++) {
        bool histogram = i < event->argument_count && event->histogram_globals[i];
        if (i < event->argument_count && !histogram)
            continue;
        if (i > start) {
            if (event->kind == SYN_IR_EVENT_PRINTD)
                syn_output_print_delimited(json ? &text : out, event->format, values + start, i - start, false);
            else
                syn_output_print(json ? &text : out, values + start, i - start, false);
        }
        if (histogram) {
            any_histogram = true;
            uint32_t global = event->histogram_globals[i] - 1;
            const uint8_t *element = (const uint8_t *)values[i].string;
            if (json) {
                /* Text before the histogram is an object of its own. */
                json_output(out, text.data, text.length);
                syn_buffer_clear(&text);
            }
            if (!(json ? json_histogram(out, program, maps, global, element)
                       : render_histogram(out, program, maps, global, element))) {
                *empty = global;
                rendered = false;
            }
        }
        start = i + 1;
    }
    /* A histogram ends with its own blank line; println adds none after it. */
    if (rendered && event->newline && !any_histogram)
        syn_buffer_append_char(json ? &text : out, '\n');
    if (json)
        json_output(out, text.data, text.length);
    syn_buffer_release(&text);
    return rendered;
}

bool syn_render_event(syn_buffer *out, const syn_ir_program *program, const syn_maps *maps, uint32_t event_index,
                      const syn_output_value *values, uint32_t *empty_histogram, bool json)
{
    const syn_ir_event *event = &program->events[event_index];
    switch (event->kind) {
    case SYN_IR_EVENT_PRINTF: {
        syn_format format;
        char error[128];
        if (syn_format_parse(event->format, strlen(event->format), &format, error, sizeof(error))) {
            syn_buffer text;
            syn_buffer_init(&text);
            syn_output_format(json ? &text : out, event->format, &format, values, event->argument_count);
            if (json)
                json_output(out, text.data, text.length);
            syn_buffer_release(&text);
            syn_format_release(&format);
        }
        break;
    }
    case SYN_IR_EVENT_PRINT:
    case SYN_IR_EVENT_PRINTD:
        return render_print(out, program, maps, event, values, empty_histogram, json);
    case SYN_IR_EVENT_WARNING:
        /* The host marks it as a warning; here only its text. */
        syn_output_print(out, values, event->argument_count, false);
        break;
    }
    return true;
}
