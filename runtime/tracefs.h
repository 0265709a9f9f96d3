/* Tracepoints as tracefs describes them: the events/SYSTEM/EVENT/format
 * files with each field's C type, offset, size and signedness. */
#ifndef SYN_RUNTIME_TRACEFS_H
#define SYN_RUNTIME_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct syn_tracepoint_field {
    char *name;
    char *c_type;              /* "unsigned short", "const void *", "__u8[4]", "__data_loc char[]" */
    uint32_t offset;
    uint32_t size;
    bool is_signed;
    bool is_array;             /* name[N] */
    uint32_t array_length;
    bool is_data_loc;          /* __data_loc: a 32-bit offset | length << 16 */
    bool is_common;            /* common_type, common_pid, ... */
} syn_tracepoint_field;

typedef struct syn_tracepoint_format {
    char *system;
    char *event;
    uint32_t id;
    syn_tracepoint_field *fields;
    uint32_t field_count;
} syn_tracepoint_format;

/* Reads events/SYSTEM/EVENT/format under `tracefs`; false with a message. */
bool syn_tracepoint_format_read(const char *tracefs, const char *system, const char *event,
                                syn_tracepoint_format *format, char *error, size_t error_size);
void syn_tracepoint_format_release(syn_tracepoint_format *format);

/* Calls `visit` for each SYSTEM:EVENT whose names match the globs, in
 * sorted order; returns how many matched. */
unsigned syn_tracepoint_each(const char *tracefs, const char *system_glob, const char *event_glob,
                             void (*visit)(void *context, const char *system, const char *event),
                             void *context);

#endif
