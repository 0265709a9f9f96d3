#include "lang/doc_comment.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "util/buffer.h"
#include "util/memory.h"

typedef struct line {
    const char *text;
    size_t length;
} line;

/* A comment line without its indentation, the '*' that starts it and one
 * space after that, and without trailing blanks; what is indented further
 * keeps its indentation (examples in a description). */
static line clean_line(const char *start, const char *end)
{
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    if (start < end && *start == '*') {
        start++;
        if (start < end && *start == ' ')
            start++;
    }
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    return (line){start, (size_t)(end - start)};
}

static const char *copy(syn_arena *arena, const char *text, size_t length)
{
    return syn_arena_strndup(arena, text, length);
}

static const char *skip_blanks(const char *text, const char *end)
{
    while (text < end && (*text == ' ' || *text == '\t'))
        text++;
    return text;
}

/* "function NAME - summary", "probe NAME - summary", "NAME - summary" or a
 * summary alone.  SystemTap's tapsets write "sfunction" for functions
 * usable in probe context; here every function is, so it reads as
 * "function". */
static void parse_header(syn_doc *doc, line header, syn_arena *arena)
{
    const char *text = header.text, *end = header.text + header.length;
    static const char *const kinds[][2] = {{"function", "function"}, {"sfunction", "function"}, {"probe", "probe"}};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        size_t length = strlen(kinds[i][0]);
        if ((size_t)(end - text) > length && memcmp(text, kinds[i][0], length) == 0 &&
            (text[length] == ' ' || text[length] == '\t')) {
            doc->kind = kinds[i][1];
            text = skip_blanks(text + length, end);
            break;
        }
    }
    const char *dash = NULL;
    for (const char *c = text; c + 2 < end; c++) {
        if (c[0] == ' ' && c[1] == '-' && c[2] == ' ') {
            dash = c;
            break;
        }
    }
    const char *name_end = text;
    while (name_end < end && *name_end != ' ' && *name_end != '\t')
        name_end++;
    bool named = doc->kind || (dash && skip_blanks(name_end, end) == dash + 1);
    if (!named) {
        doc->summary = copy(arena, text, (size_t)(end - text));
        return;
    }
    doc->name = copy(arena, text, (size_t)(name_end - text));
    const char *summary = dash ? skip_blanks(dash + 2, end) : skip_blanks(name_end, end);
    doc->summary = copy(arena, summary, (size_t)(end - summary));
}

/* "@name: text": false when the line is not one. */
static bool parse_parameter(line current, syn_doc_parameter *parameter, syn_arena *arena)
{
    const char *end = current.text + current.length;
    if (current.length < 2 || current.text[0] != '@')
        return false;
    const char *colon = memchr(current.text, ':', current.length);
    if (!colon || colon == current.text + 1)
        return false;
    parameter->name = copy(arena, current.text + 1, (size_t)(colon - current.text - 1));
    const char *text = skip_blanks(colon + 1, end);
    parameter->text = copy(arena, text, (size_t)(end - text));
    return true;
}

/* A summary or a parameter's text continued on the next line. */
static const char *join(syn_arena *arena, const char *before, line more)
{
    const char *start = skip_blanks(more.text, more.text + more.length);
    more.length -= (size_t)(start - more.text);
    more.text = start;
    return syn_arena_printf(arena, "%s%s%.*s", before, *before ? " " : "", (int)more.length, more.text);
}

void syn_doc_parse(syn_doc *doc, const char *text, syn_arena *arena)
{
    memset(doc, 0, sizeof(*doc));
    doc->summary = "";
    enum { HEADER, PARAMETERS, DESCRIPTION } part = HEADER;
    bool header_seen = false;
    unsigned capacity = 0;
    syn_buffer description;
    syn_buffer_init(&description);
    size_t blank_lines = 0;
    for (const char *start = text; *start;) {
        const char *newline = strchr(start, '\n');
        const char *end = newline ? newline : start + strlen(start);
        line current = clean_line(start, end);
        start = newline ? newline + 1 : end;

        if (part == DESCRIPTION) {
            if (current.length == 0) {
                blank_lines++;
                continue;
            }
            /* Blank lines separate paragraphs; one is enough. */
            if (description.length)
                syn_buffer_append_string(&description, blank_lines ? "\n\n" : "\n");
            blank_lines = 0;
            syn_buffer_append(&description, current.text, current.length);
            continue;
        }
        if (current.length == 0) {
            if (header_seen)
                part = DESCRIPTION;
            continue;
        }
        if (!header_seen) {
            parse_header(doc, current, arena);
            header_seen = true;
            continue;
        }
        syn_doc_parameter parameter;
        if (parse_parameter(current, &parameter, arena)) {
            part = PARAMETERS;
            if (doc->parameter_count == capacity) {
                capacity = capacity ? capacity * 2 : 4;
                syn_doc_parameter *grown = syn_arena_alloc(arena, capacity * sizeof(*grown));
                if (doc->parameter_count)
                    memcpy(grown, doc->parameters, doc->parameter_count * sizeof(*grown));
                doc->parameters = grown;
            }
            doc->parameters[doc->parameter_count++] = parameter;
        } else if (part == PARAMETERS) {
            syn_doc_parameter *last = &doc->parameters[doc->parameter_count - 1];
            last->text = join(arena, last->text, current);
        } else {
            doc->summary = join(arena, doc->summary, current);
        }
    }
    if (description.length)
        doc->description = copy(arena, description.data, description.length);
    syn_buffer_release(&description);
}
