#include "util/json.h"

#include <stdint.h>

/* The length of the valid UTF-8 sequence at text (1 to 4), or 0. */
static size_t utf8_sequence(const unsigned char *text, size_t left)
{
    unsigned char first = text[0];
    size_t length = first >= 0xf0 && first <= 0xf4 ? 4 : first >= 0xe0 ? 3 : first >= 0xc2 && first < 0xe0 ? 2 : 0;
    if (!length || length > left)
        return 0;
    for (size_t i = 1; i < length; i++) {
        if ((text[i] & 0xc0) != 0x80)
            return 0;
    }
    /* Overlong three-byte forms, surrogates, and past U+10FFFF. */
    if ((first == 0xe0 && text[1] < 0xa0) || (first == 0xed && text[1] >= 0xa0) ||
        (first == 0xf0 && text[1] < 0x90) || (first == 0xf4 && text[1] >= 0x90))
        return 0;
    return length;
}

void syn_json_string(syn_buffer *out, const char *text, size_t length)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *bytes = (const unsigned char *)text;
    syn_buffer_append_char(out, '"');
    for (size_t i = 0; i < length;) {
        unsigned char c = bytes[i];
        if (c == '"' || c == '\\') {
            syn_buffer_append_char(out, '\\');
            syn_buffer_append_char(out, (char)c);
        } else if (c == '\n') {
            syn_buffer_append_string(out, "\\n");
        } else if (c == '\t') {
            syn_buffer_append_string(out, "\\t");
        } else if (c < 0x20 || c == 0x7f) {
            syn_buffer_printf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
        } else if (c >= 0x80) {
            size_t sequence = utf8_sequence(bytes + i, length - i);
            if (sequence) {
                syn_buffer_append(out, text + i, sequence);
                i += sequence;
                continue;
            }
            syn_buffer_printf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
        } else {
            syn_buffer_append_char(out, (char)c);
        }
        i++;
    }
    syn_buffer_append_char(out, '"');
}
