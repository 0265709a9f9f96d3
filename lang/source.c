#include "lang/source.h"

#include <string.h>

#include "util/memory.h"

syn_source *syn_source_new(const char *name, const char *text, size_t length)
{
    syn_source *source = syn_calloc(1, sizeof(*source));
    source->name = syn_strdup(name);
    source->text = syn_malloc(length + 1);
    memcpy(source->text, text, length);
    source->text[length] = '\0';
    source->length = length;

    size_t capacity = 0;
    SYN_GROW(source->line_starts, capacity, 1);
    source->line_starts[source->line_count++] = 0;
    for (size_t offset = 0; offset < length; offset++) {
        if (text[offset] == '\n') {
            SYN_GROW(source->line_starts, capacity, source->line_count + 1);
            source->line_starts[source->line_count++] = offset + 1;
        }
    }
    return source;
}

void syn_source_free(syn_source *source)
{
    if (!source)
        return;
    free(source->name);
    free(source->text);
    free(source->line_starts);
    free(source);
}

const char *syn_source_line(const syn_source *source, unsigned line, size_t *length)
{
    if (line == 0 || line > source->line_count)
        return NULL;
    size_t start = source->line_starts[line - 1];
    size_t end = line < source->line_count ? source->line_starts[line] - 1 : source->length;
    if (end > start && source->text[end - 1] == '\r')
        end--;
    *length = end - start;
    return source->text + start;
}
