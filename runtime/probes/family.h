/* A probe family: the points of one kind (begin/end, timers, tracepoints,
 * ...), how a written point is recognised and resolved against the running
 * kernel, and how a loaded program is attached.  Adding a family is one new
 * file and one line in runtime/probes/registry.c. */
#ifndef SYN_RUNTIME_PROBES_FAMILY_H
#define SYN_RUNTIME_PROBES_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/probe_point.h"
#include "runtime/kernel.h"

typedef enum syn_family_result {
    SYN_FAMILY_NOT_MINE,      /* the point belongs to another family */
    SYN_FAMILY_RESOLVED,      /* concrete points were appended (maybe none, for '?') */
    SYN_FAMILY_FAILED,        /* the point is this family's but wrong; reported */
} syn_family_result;

/* Something attaching did that closing a descriptor does not undo (a tc
 * filter, a qdisc syn added): `undo` runs on detach and frees `data`. */
typedef struct syn_attachment_undo {
    void (*undo)(void *data);
    void *data;
} syn_attachment_undo;

/* What attaching a probe created: file descriptors to close on detach, and
 * lines to write to tracefs files then (removing kprobe_events and
 * uprobe_events entries), and other things to undo. */
typedef struct syn_attachment {
    int *fds;
    unsigned count;
    char **removal_files;
    char **removal_lines;
    unsigned removal_count;
    syn_attachment_undo *undos;
    unsigned undo_count;
    bool waits_on_release;    /* closing its descriptors sleeps in the kernel (perf events) */
} syn_attachment;

typedef struct syn_probe_family {
    const char *name;         /* "begin", "timer", "kernel.trace", ... */
    const char *synopsis;     /* "kernel.trace(\"SYSTEM:EVENT\")": for listings */
    syn_family_result (*resolve)(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics);
    /* Kernel families: attach a loaded program to a resolved point. */
    bool (*attach)(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size);
} syn_probe_family;

/* The families (runtime/probes/registry.c). */
const syn_probe_family *const *syn_probe_families(unsigned *count);

/* A resolver for the semantic pass over the families and a kernel. */
syn_probe_resolver syn_probe_resolver_for(syn_kernel *kernel);

void syn_attachment_add(syn_attachment *attachment, int fd);
void syn_attachment_add_removal(syn_attachment *attachment, const char *file, const char *line);
void syn_attachment_add_undo(syn_attachment *attachment, void (*undo)(void *data), void *data);
/* Undoes, closes (a link before its event), writes the tracefs removals, frees. */
void syn_attachment_release(syn_attachment *attachment);
/* Its two halves when another process takes the descriptors over: closing
 * and the removals, async-signal-safe (no allocation, nothing freed), in
 * that process; the undos, closing this process's copies and freeing, here. */
void syn_attachment_close(const syn_attachment *attachment);
void syn_attachment_forget(syn_attachment *attachment);
/* Hands the attachments whose release waits in the kernel to a background
 * process that closes their descriptors and writes their tracefs removals
 * (runtime/probes/background_release.c); the caller's copies are closed and
 * the attachments emptied.  Those that do not wait, or all of them when no
 * process can be made, are left for syn_attachment_release. */
void syn_attachments_release_in_background(syn_attachment *const *attachments, unsigned count);

/* Helpers for families: component `index` is `name` with no argument, or
 * with a numeric/string argument. */
bool syn_component_is(const syn_probe_point *point, unsigned index, const char *name);
bool syn_component_number(const syn_probe_point *point, unsigned index, int64_t *value);
const char *syn_component_string(const syn_probe_point *point, unsigned index);
char *syn_point_text(syn_arena *arena, const syn_probe_point *point);

#endif
