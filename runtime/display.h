/* SystemTap prints, when a script ends, every global that the script writes
 * but never reads: "count=0x2a", "names["bash"]=0x3", "lat @count=...". */
#ifndef SYN_RUNTIME_DISPLAY_H
#define SYN_RUNTIME_DISPLAY_H

#include "runtime/maps.h"
#include "util/buffer.h"

void syn_display_unread_globals(syn_buffer *out, const syn_maps *maps, bool json);
/* One global that way, whatever the script does with it (syn_display).
 * With `json`, a JSON object a line: {"type":"global","name":...,
 * ["key":[...],] "value":...}, or {"type":"statistic",...}. */
void syn_display_global(syn_buffer *out, const syn_maps *maps, uint32_t index, bool json);

#endif
