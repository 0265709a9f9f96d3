#include "runtime/render.h"

#include <string.h>

#include "compiler/format.h"
#include "compiler/statistics.h"

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
                         const syn_ir_event *event, const syn_output_value *values, uint32_t *empty)
{
    uint32_t start = 0;
    bool any_histogram = false;
    for (uint32_t i = 0; i <= event->argument_count; i++) {
        bool histogram = i < event->argument_count && event->histogram_globals[i];
        if (i < event->argument_count && !histogram)
            continue;
        if (i > start) {
            if (event->kind == SYN_IR_EVENT_PRINTD)
                syn_output_print_delimited(out, event->format, values + start, i - start, false);
            else
                syn_output_print(out, values + start, i - start, false);
        }
        if (histogram) {
            any_histogram = true;
            if (!render_histogram(out, program, maps, event->histogram_globals[i] - 1,
                                  (const uint8_t *)values[i].string)) {
                *empty = event->histogram_globals[i] - 1;
                return false;
            }
        }
        start = i + 1;
    }
    /* A histogram ends with its own blank line; println adds none after it. */
    if (event->newline && !any_histogram)
        syn_buffer_append_char(out, '\n');
    return true;
}

bool syn_render_event(syn_buffer *out, const syn_ir_program *program, const syn_maps *maps, uint32_t event_index,
                      const syn_output_value *values, uint32_t *empty_histogram)
{
    const syn_ir_event *event = &program->events[event_index];
    switch (event->kind) {
    case SYN_IR_EVENT_PRINTF: {
        syn_format format;
        char error[128];
        if (syn_format_parse(event->format, strlen(event->format), &format, error, sizeof(error))) {
            syn_output_format(out, event->format, &format, values, event->argument_count);
            syn_format_release(&format);
        }
        break;
    }
    case SYN_IR_EVENT_PRINT:
    case SYN_IR_EVENT_PRINTD:
        return render_print(out, program, maps, event, values, empty_histogram);
    case SYN_IR_EVENT_WARNING:
        /* The host marks it as a warning; here only its text. */
        syn_output_print(out, values, event->argument_count, false);
        break;
    }
    return true;
}
