/* JSON text for --format json: strings escaped so that every line is valid
 * JSON (RFC 8259) whatever bytes a probe read. */
#ifndef SYN_UTIL_JSON_H
#define SYN_UTIL_JSON_H

#include <stddef.h>

#include "util/buffer.h"

/* Appends "text" as a JSON string: quotes, backslashes and control
 * characters escaped; bytes that are not valid UTF-8 become the code point
 * of the same value (\u00XX), as if the text were Latin-1 there. */
void syn_json_string(syn_buffer *out, const char *text, size_t length);

#endif
