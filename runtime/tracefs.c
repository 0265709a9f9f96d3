#include "runtime/tracefs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/memory.h"

/* "unsigned short common_type" -> type "unsigned short", name "common_type";
 * "__u8 saddr[4]" -> type "__u8[4]", array of 4. */
static bool parse_declaration(char *declaration, syn_tracepoint_field *field)
{
    size_t length = strlen(declaration);
    while (length && isspace((unsigned char)declaration[length - 1]))
        declaration[--length] = '\0';
    char *bracket = NULL;
    if (length && declaration[length - 1] == ']') {
        bracket = strrchr(declaration, '[');
        if (!bracket)
            return false;
        field->is_array = true;
        field->array_length = (uint32_t)strtoul(bracket + 1, NULL, 10);
        *bracket = '\0';
        length = strlen(declaration);
    }
    size_t end = length;
    while (end && (isalnum((unsigned char)declaration[end - 1]) || declaration[end - 1] == '_'))
        end--;
    if (end == length)
        return false;
    field->name = syn_strdup(declaration + end);
    declaration[end] = '\0';
    size_t type_length = strlen(declaration);
    while (type_length && isspace((unsigned char)declaration[type_length - 1]))
        declaration[--type_length] = '\0';
    field->is_data_loc = strncmp(declaration, "__data_loc", 10) == 0;
    if (bracket && !field->is_data_loc) {
        size_t size = type_length + 24;
        field->c_type = syn_malloc(size);
        snprintf(field->c_type, size, "%s[%u]", declaration, field->array_length);
    } else {
        field->c_type = syn_strdup(declaration);
    }
    field->is_common = strncmp(field->name, "common_", 7) == 0;
    return true;
}

static bool parse_field_line(const char *line, syn_tracepoint_field *field)
{
    const char *start = strstr(line, "field:");
    if (!start)
        return false;
    start += 6;
    const char *semicolon = strchr(start, ';');
    if (!semicolon)
        return false;
    char *declaration = syn_strndup(start, (size_t)(semicolon - start));
    memset(field, 0, sizeof(*field));
    bool parsed = parse_declaration(declaration, field);
    free(declaration);
    const char *offset = strstr(semicolon, "offset:");
    const char *size = strstr(semicolon, "size:");
    const char *is_signed = strstr(semicolon, "signed:");
    if (!parsed || !offset || !size) {
        free(field->name);
        free(field->c_type);
        return false;
    }
    field->offset = (uint32_t)strtoul(offset + 7, NULL, 10);
    field->size = (uint32_t)strtoul(size + 5, NULL, 10);
    field->is_signed = is_signed && atoi(is_signed + 7) != 0;
    return true;
}

bool syn_tracepoint_format_read(const char *tracefs, const char *system, const char *event,
                                syn_tracepoint_format *format, char *error, size_t error_size)
{
    memset(format, 0, sizeof(*format));
    char path[1024];
    snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs, system, event);
    FILE *file = fopen(path, "re");
    if (!file) {
        snprintf(error, error_size, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    format->system = syn_strdup(system);
    format->event = syn_strdup(event);
    uint32_t capacity = 0;
    char line[1024];
    while (fgets(line, sizeof(line), file)) {
        if (strncmp(line, "ID:", 3) == 0) {
            format->id = (uint32_t)strtoul(line + 3, NULL, 10);
            continue;
        }
        syn_tracepoint_field field;
        if (!parse_field_line(line, &field))
            continue;
        SYN_GROW(format->fields, capacity, format->field_count + 1);
        format->fields[format->field_count++] = field;
    }
    fclose(file);
    if (!format->id) {
        snprintf(error, error_size, "%s has no tracepoint ID", path);
        syn_tracepoint_format_release(format);
        return false;
    }
    return true;
}

void syn_tracepoint_format_release(syn_tracepoint_format *format)
{
    for (uint32_t i = 0; i < format->field_count; i++) {
        free(format->fields[i].name);
        free(format->fields[i].c_type);
    }
    free(format->fields);
    free(format->system);
    free(format->event);
    memset(format, 0, sizeof(*format));
}

static int is_visible_directory(const struct dirent *entry)
{
    return entry->d_name[0] != '.' && (entry->d_type == DT_DIR || entry->d_type == DT_UNKNOWN);
}

unsigned syn_tracepoint_each(const char *tracefs, const char *system_glob, const char *event_glob,
                             void (*visit)(void *context, const char *system, const char *event),
                             void *context)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/events", tracefs);
    struct dirent **systems = NULL;
    int system_count = scandir(path, &systems, is_visible_directory, alphasort);
    unsigned matched = 0;
    for (int s = 0; s < system_count; s++) {
        const char *system = systems[s]->d_name;
        if (fnmatch(system_glob, system, 0) == 0) {
            char system_path[1024];
            snprintf(system_path, sizeof(system_path), "%s/events/%s", tracefs, system);
            struct dirent **events = NULL;
            int event_count = scandir(system_path, &events, is_visible_directory, alphasort);
            for (int e = 0; e < event_count; e++) {
                if (fnmatch(event_glob, events[e]->d_name, 0) == 0) {
                    visit(context, system, events[e]->d_name);
                    matched++;
                }
                free(events[e]);
            }
            free(events);
        }
        free(systems[s]);
    }
    free(systems);
    return matched;
}
