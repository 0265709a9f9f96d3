/* Turning an output event (a print statement's values) into text, for the
 * interpreter and for events read from the kernel's ring buffer alike. */
#ifndef SYN_RUNTIME_RENDER_H
#define SYN_RUNTIME_RENDER_H

#include "compiler/ir.h"
#include "runtime/maps.h"
#include "runtime/output_format.h"
#include "util/buffer.h"

/* Formats event `event` with `values` (one per argument; histogram
 * arguments are read from the maps, the element whose encoded key a
 * histogram argument's `string` holds, or the scalar statistic when NULL).  False when a histogram to print is
 * empty (SystemTap's "empty aggregate" error); *empty_histogram names it. */
bool syn_render_event(syn_buffer *out, const syn_ir_program *program, const syn_maps *maps, uint32_t event,
                      const syn_output_value *values, uint32_t *empty_histogram, bool json);

/* With `json`, output goes out as JSON objects, one a line (--format json):
 * text as {"type":"output","text":...}, a histogram as
 * {"type":"histogram",...}.  These write the parts of such objects. */
void syn_json_keys(syn_buffer *out, const syn_maps *maps, uint32_t global, const uint8_t *element);
void syn_json_statistic(syn_buffer *out, const syn_ir_global *global, const syn_statistic *statistic);

#endif
