#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lang/print.h"
#include "runtime/probes/family.h"
#include "util/memory.h"

extern const syn_probe_family syn_family_begin_end;
extern const syn_probe_family syn_family_timer;
extern const syn_probe_family syn_family_tracepoint;
extern const syn_probe_family syn_family_raw_tracepoint;
extern const syn_probe_family syn_family_profile;
extern const syn_probe_family syn_family_kernel_function;
extern const syn_probe_family syn_family_process_function;
extern const syn_probe_family syn_family_perf;
extern const syn_probe_family syn_family_socket_lookup;
extern const syn_probe_family syn_family_packet_hook;

static const syn_probe_family *const families[] = {
    &syn_family_begin_end,
    &syn_family_timer,
    &syn_family_profile,
    &syn_family_tracepoint,
    &syn_family_raw_tracepoint,
    &syn_family_kernel_function,
    &syn_family_process_function,
    &syn_family_perf,
    &syn_family_socket_lookup,
    &syn_family_packet_hook,
};

const syn_probe_family *const *syn_probe_families(unsigned *count)
{
    *count = sizeof(families) / sizeof(families[0]);
    return families;
}

static bool resolve(void *context, const syn_probe_point *point, syn_point_list *points, syn_arena *arena,
                    syn_diagnostics *diagnostics)
{
    syn_kernel *kernel = context;
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        uint32_t before = points->count;
        switch (families[i]->resolve(kernel, point, points, arena, diagnostics)) {
        case SYN_FAMILY_NOT_MINE:
            continue;
        case SYN_FAMILY_FAILED:
            return false;
        case SYN_FAMILY_RESOLVED:
            for (uint32_t p = before; p < points->count; p++)
                points->items[p]->family = families[i];
            return true;
        }
    }
    if (point->optional)
        return true;
    syn_error(diagnostics, &point->location, "probe point '%s' matches no probe family or alias",
              syn_point_text(arena, point));
    return false;
}

static const struct btf *kernel_btf(void *context)
{
    return syn_kernel_btf(context);
}

syn_probe_resolver syn_probe_resolver_for(syn_kernel *kernel)
{
    return (syn_probe_resolver){.context = kernel, .resolve = resolve, .kernel_btf = kernel_btf};
}

void syn_attachment_add(syn_attachment *attachment, int fd)
{
    attachment->fds = syn_realloc(attachment->fds, (attachment->count + 1) * sizeof(int));
    attachment->fds[attachment->count++] = fd;
}

void syn_attachment_add_removal(syn_attachment *attachment, const char *file, const char *line)
{
    unsigned count = attachment->removal_count + 1;
    attachment->removal_files = syn_realloc(attachment->removal_files, count * sizeof(char *));
    attachment->removal_lines = syn_realloc(attachment->removal_lines, count * sizeof(char *));
    attachment->removal_files[attachment->removal_count] = syn_strdup(file);
    attachment->removal_lines[attachment->removal_count] = syn_strdup(line);
    attachment->removal_count = count;
}

void syn_attachment_add_undo(syn_attachment *attachment, void (*undo)(void *data), void *data)
{
    attachment->undos = syn_realloc(attachment->undos, (attachment->undo_count + 1) * sizeof(*attachment->undos));
    attachment->undos[attachment->undo_count++] = (syn_attachment_undo){.undo = undo, .data = data};
}

/* Undone in reverse, the last thing done first (a filter before its qdisc). */
static void undo(syn_attachment *attachment)
{
    for (unsigned i = attachment->undo_count; i-- > 0;)
        attachment->undos[i].undo(attachment->undos[i].data);
    free(attachment->undos);
    attachment->undos = NULL;
    attachment->undo_count = 0;
}

/* Links and perf events go in reverse order: a link before its event. */
static void close_descriptors(const syn_attachment *attachment)
{
    for (unsigned i = attachment->count; i-- > 0;)
        close(attachment->fds[i]);
}

static void discard(syn_attachment *attachment)
{
    for (unsigned i = 0; i < attachment->removal_count; i++) {
        free(attachment->removal_files[i]);
        free(attachment->removal_lines[i]);
    }
    free(attachment->fds);
    free(attachment->removal_files);
    free(attachment->removal_lines);
    memset(attachment, 0, sizeof(*attachment));
}

void syn_attachment_close(const syn_attachment *attachment)
{
    close_descriptors(attachment);
    /* Then the tracefs events they used, which the kernel keeps otherwise. */
    for (unsigned i = 0; i < attachment->removal_count; i++) {
        int fd = open(attachment->removal_files[i], O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t written = write(fd, attachment->removal_lines[i], strlen(attachment->removal_lines[i]));
            (void)written;
            close(fd);
        }
    }
}

void syn_attachment_forget(syn_attachment *attachment)
{
    undo(attachment);
    close_descriptors(attachment);
    discard(attachment);
}

void syn_attachment_release(syn_attachment *attachment)
{
    undo(attachment);
    syn_attachment_close(attachment);
    discard(attachment);
}

bool syn_component_is(const syn_probe_point *point, unsigned index, const char *name)
{
    return index < point->count && strcmp(point->components[index].name, name) == 0;
}

bool syn_component_number(const syn_probe_point *point, unsigned index, int64_t *value)
{
    const syn_expr *argument = index < point->count ? point->components[index].argument : NULL;
    if (!argument || argument->kind != SYN_EXPR_NUMBER)
        return false;
    *value = argument->number;
    return true;
}

const char *syn_component_string(const syn_probe_point *point, unsigned index)
{
    const syn_expr *argument = index < point->count ? point->components[index].argument : NULL;
    return argument && argument->kind == SYN_EXPR_STRING ? argument->string.data : NULL;
}

char *syn_point_text(syn_arena *arena, const syn_probe_point *point)
{
    syn_probe_point plain = *point;
    plain.optional = plain.sufficient = false;
    plain.condition = NULL;
    syn_buffer text;
    syn_buffer_init(&text);
    syn_print_probe_point(&text, &plain);
    char *copy = syn_arena_strdup(arena, text.data ? text.data : "");
    syn_buffer_release(&text);
    return copy;
}
