#include "runtime/loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/memory.h"

enum { SYN_VERIFIER_LOG_BYTES = 16 * 1024 * 1024 };

static int map_fd(const syn_maps *maps, const syn_loader *loader, const syn_loaded_program *loaded,
                  const syn_bpf_relocation *relocation)
{
    switch (relocation->map) {
    case SYN_BPF_MAP_RODATA: return loader->rodata_fd;
    case SYN_BPF_MAP_GLOBAL: return maps->fds[relocation->global];
    case SYN_BPF_MAP_GLOBALS_VALUE: return maps->globals_fd;
    case SYN_BPF_MAP_EVENTS: return maps->events_fd;
    case SYN_BPF_MAP_LOST: return maps->lost_fd;
    case SYN_BPF_MAP_SCRATCH: return loaded->scratch_fd;
    }
    return -1;
}

/* The verifier's log ends with the reason, just before a "processed N
 * insns" line; the instruction it was looking at is the last "N: " line. */
static void explain_rejection(const char *log, char *reason, size_t reason_size, long *instruction)
{
    *instruction = -1;
    reason[0] = '\0';
    const char *line = log;
    char previous[512] = "";
    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        if (isdigit((unsigned char)line[0])) {
            char *after;
            long index = strtol(line, &after, 10);
            if (*after == ':')
                *instruction = index;
        }
        if (strncmp(line, "processed ", 10) == 0 && previous[0]) {
            snprintf(reason, reason_size, "%s", previous);
        } else if (length) {
            snprintf(previous, sizeof(previous), "%.*s", (int)(length < 511 ? length : 511), line);
        }
        line = end ? end + 1 : NULL;
    }
    if (!reason[0])
        snprintf(reason, reason_size, "%s", previous);
}

/* Whether the verifier got as far as walking instructions. */
static bool verifier_ran(const char *log)
{
    return log && (strstr(log, "\nprocessed ") || strncmp(log, "processed ", 10) == 0 || strstr(log, "0: R1="));
}

static syn_status report_rejection(const syn_bpf_program *program, int error, const char *log,
                                   syn_diagnostics *diagnostics)
{
    if ((error == EPERM || error == EACCES) && !verifier_ran(log)) {
        /* The capabilities were checked before loading: the kernel refuses this kind of program.
         * The verifier also answers EACCES (a pointer spilled and refilled at the wrong size, say);
         * then its log says so and the rejection is the script's. */
        if (program->type == BPF_PROG_TYPE_TRACING && program->expected_attach_type != BPF_TRACE_RAW_TP)
            syn_error(diagnostics, NULL,
                      "the kernel refused the %s program of %s (%s): it does not allow BPF trampolines here",
                      program->expected_attach_type == BPF_TRACE_FEXIT ? "fexit" : "fentry", program->probe->point,
                      strerror(error));
        else
            syn_error(diagnostics, NULL, "the kernel refused the program of %s (%s): loading BPF programs "
                                         "needs CAP_BPF and CAP_PERFMON (run syn as root)",
                      program->probe->point, strerror(error));
        return SYN_ERROR_PERMISSION;
    }
    char reason[512];
    long instruction;
    explain_rejection(log ? log : "", reason, sizeof(reason), &instruction);
    const syn_location *location = NULL;
    if (instruction >= 0 && (uint32_t)instruction < program->instruction_count) {
        /* Entry code has no script place; the nearest later one stands in. */
        for (uint32_t i = (uint32_t)instruction; i < program->instruction_count && !location; i++) {
            if (program->locations[i].source)
                location = &program->locations[i];
        }
    }
    syn_error(diagnostics, location,
              "the kernel's BPF verifier rejected %s%s%s (%s); syn -v shows its log",
              program->probe->point, reason[0] ? ": " : "", reason, strerror(error));
    return SYN_ERROR_VERIFIER;
}

static bool create_scratch(syn_loaded_program *loaded, const syn_maps *maps, syn_diagnostics *diagnostics)
{
    uint32_t size = (loaded->program->scratch_size + 7) & ~7u;
    if (size < 8)
        size = 8;
    loaded->scratch_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "syn_scratch", 4, size, (uint32_t)maps->cpu_count, NULL);
    if (loaded->scratch_fd < 0) {
        syn_error(diagnostics, NULL, "creating %u bytes of scratch memory per CPU for %s failed: %s", size,
                  loaded->program->probe->point, strerror(-loaded->scratch_fd));
        return false;
    }
    return true;
}

static syn_status load_one(const syn_loader *loader, syn_loaded_program *loaded, const syn_maps *maps,
                           syn_diagnostics *diagnostics, syn_verifier_log detail, syn_buffer *verifier_log)
{
    const syn_bpf_program *program = loaded->program;
    if (!create_scratch(loaded, maps, diagnostics))
        return SYN_ERROR_ATTACH;
    struct bpf_insn *instructions = syn_malloc(program->instruction_count * sizeof(*instructions));
    memcpy(instructions, program->instructions, program->instruction_count * sizeof(*instructions));
    for (uint32_t r = 0; r < program->relocation_count; r++) {
        const syn_bpf_relocation *relocation = &program->relocations[r];
        instructions[relocation->instruction].imm = map_fd(maps, loader, loaded, relocation);
    }
    LIBBPF_OPTS(bpf_prog_load_opts, options, .expected_attach_type = program->expected_attach_type,
                .attach_btf_id = program->attach_btf_id);
    loaded->fd = bpf_prog_load(program->type, program->name, "GPL", instructions, program->instruction_count,
                               &options);
    int error = loaded->fd < 0 ? errno : 0;
    char *log = NULL;
    if (loaded->fd < 0 || detail == SYN_VERIFIER_LOG_EVERY) {
        /* Again with the verifier's log, which is only worth its cost now. */
        log = syn_calloc(1, SYN_VERIFIER_LOG_BYTES);
        LIBBPF_OPTS(bpf_prog_load_opts, logged, .expected_attach_type = program->expected_attach_type,
                    .attach_btf_id = program->attach_btf_id, .log_buf = log, .log_size = SYN_VERIFIER_LOG_BYTES,
                    .log_level = detail == SYN_VERIFIER_LOG_EVERY ? 2 : 1);
        int fd = bpf_prog_load(program->type, program->name, "GPL", instructions, program->instruction_count,
                               &logged);
        if (loaded->fd < 0 && fd >= 0) {
            loaded->fd = fd;
            error = 0;
        } else if (fd >= 0) {
            close(fd);
        }
        if (detail != SYN_VERIFIER_LOG_NONE) {
            syn_buffer_printf(verifier_log, "; verifier log for %s\n", program->probe->point);
            syn_buffer_append_string(verifier_log, log);
        }
    }
    free(instructions);
    syn_status status = SYN_OK;
    if (loaded->fd < 0)
        status = report_rejection(program, error, log, diagnostics);
    free(log);
    return status;
}

/* Format strings for bpf_snprintf must sit in a frozen, read-only map. */
static bool create_rodata(syn_loader *loader, const syn_bpf_object *object, syn_diagnostics *diagnostics)
{
    if (!object->rodata_size)
        return true;
    uint32_t size = (object->rodata_size + 7) & ~7u;
    LIBBPF_OPTS(bpf_map_create_opts, options, .map_flags = BPF_F_RDONLY_PROG);
    loader->rodata_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "syn_rodata", 4, size, 1, &options);
    if (loader->rodata_fd < 0) {
        syn_error(diagnostics, NULL, "creating the map of format strings failed: %s", strerror(-loader->rodata_fd));
        return false;
    }
    char *value = syn_calloc(1, size);
    memcpy(value, object->rodata, object->rodata_size);
    uint32_t zero = 0;
    bool ok = bpf_map_update_elem(loader->rodata_fd, &zero, value, BPF_ANY) == 0 &&
              bpf_map_freeze(loader->rodata_fd) == 0;
    free(value);
    if (!ok)
        syn_error(diagnostics, NULL, "filling the map of format strings failed: %s", strerror(errno));
    return ok;
}

/* Whether two programs are the same code: instructions, the kinds of map
 * they name at the same places, scratch memory.  Which maps those are is
 * the callers' to check. */
static bool same_code(const syn_bpf_program *a, const syn_bpf_program *b)
{
    if (a->type != b->type || a->expected_attach_type != b->expected_attach_type ||
        a->attach_btf_id != b->attach_btf_id || a->instruction_count != b->instruction_count ||
        a->relocation_count != b->relocation_count || a->scratch_size != b->scratch_size ||
        memcmp(a->instructions, b->instructions, a->instruction_count * sizeof(struct bpf_insn)))
        return false;
    for (uint32_t r = 0; r < a->relocation_count; r++) {
        const syn_bpf_relocation *x = &a->relocations[r], *y = &b->relocations[r];
        if (x->instruction != y->instruction || x->map != y->map || x->offset != y->offset)
            return false;
    }
    return true;
}

/* Whether `loaded`, loaded for an earlier version of the program, does
 * exactly what `program` would: the same code at the same point, reading
 * the same maps.  The tables its numbers index (output events, fault
 * sites) are the new program's: with the same instructions they mean for
 * it what they mean for the new one. */
static bool same_program(const syn_loader *loader, const syn_maps *maps, const syn_bpf_program *program,
                         const syn_loader *previous, const syn_maps *previous_maps, const syn_loaded_program *loaded,
                         bool rodata_same)
{
    const syn_bpf_program *old = loaded->program;
    if (loaded->fd < 0 || !same_code(old, program) || strcmp(old->probe->point, program->probe->point) != 0)
        return false;
    for (uint32_t r = 0; r < program->relocation_count; r++) {
        const syn_bpf_relocation *a = &old->relocations[r], *b = &program->relocations[r];
        if (b->map == SYN_BPF_MAP_RODATA && !rodata_same)
            return false;
        if (b->map != SYN_BPF_MAP_SCRATCH && b->map != SYN_BPF_MAP_RODATA &&
            map_fd(previous_maps, previous, loaded, a) != map_fd(maps, loader, NULL, b))
            return false;
    }
    return true;
}

/* Two programs of one object reading the same globals' maps. */
static bool same_globals(const syn_bpf_program *a, const syn_bpf_program *b)
{
    for (uint32_t r = 0; r < a->relocation_count; r++) {
        if (a->relocations[r].global != b->relocations[r].global)
            return false;
    }
    return true;
}

/* A probe on several points of one kind (net.ingress on every device, say)
 * is often one program attached several times: the kernel verifies it once
 * (a quarter of a second for a large packet program) instead of once a
 * point.  The copy holds duplicates of the descriptors, so that releasing
 * each program stays the same. */
static bool share_loaded(syn_loader *loader, syn_loaded_program *loaded)
{
    for (uint32_t q = 0; q + 1 < loader->count; q++) {
        const syn_loaded_program *earlier = &loader->programs[q];
        if (earlier->fd < 0 || earlier->kept_from >= 0 || !same_code(earlier->program, loaded->program) ||
            !same_globals(earlier->program, loaded->program))
            continue;
        loaded->fd = fcntl(earlier->fd, F_DUPFD_CLOEXEC, 0);
        loaded->scratch_fd = fcntl(earlier->scratch_fd, F_DUPFD_CLOEXEC, 0);
        if (loaded->fd >= 0 && loaded->scratch_fd >= 0)
            return true;
        if (loaded->fd >= 0)
            close(loaded->fd);
        if (loaded->scratch_fd >= 0)
            close(loaded->scratch_fd);
        loaded->fd = loaded->scratch_fd = -1;
        return false;
    }
    return false;
}

static syn_status load(syn_loader *loader, const syn_bpf_object *object, const syn_maps *maps,
                       syn_loader *previous, const syn_bpf_object *previous_object, const syn_maps *previous_maps,
                       syn_diagnostics *diagnostics, syn_verifier_log detail, syn_buffer *verifier_log)
{
    memset(loader, 0, sizeof(*loader));
    loader->rodata_fd = -1;
    loader->programs = syn_calloc(object->program_count + 1, sizeof(*loader->programs));
    if (!create_rodata(loader, object, diagnostics))
        return SYN_ERROR_ATTACH;
    /* Kept programs read the constants they were loaded with: the same when
     * the old ones begin the new ones. */
    bool rodata_same = previous_object && previous_object->rodata_size <= object->rodata_size &&
                       (!previous_object->rodata_size ||
                        memcmp(previous_object->rodata, object->rodata, previous_object->rodata_size) == 0);
    for (uint32_t p = 0; p < object->program_count; p++) {
        syn_loaded_program *loaded = &loader->programs[loader->count++];
        loaded->program = &object->programs[p];
        loaded->fd = loaded->scratch_fd = -1;
        loaded->kept_from = -1;
        for (uint32_t q = 0; previous && q < previous->count; q++) {
            syn_loaded_program *old = &previous->programs[q];
            if (!same_program(loader, maps, loaded->program, previous, previous_maps, old, rodata_same))
                continue;
            /* Taken over, attached as it is; given back if the update fails. */
            const syn_bpf_program *program = loaded->program;
            *loaded = *old;
            loaded->program = program;
            loaded->kept_from = (int32_t)q;
            loaded->attached = true;
            old->fd = old->scratch_fd = -1;
            memset(&old->attachment, 0, sizeof(old->attachment));
            break;
        }
        if (loaded->kept_from >= 0 || share_loaded(loader, loaded))
            continue;
        syn_status status = load_one(loader, loaded, maps, diagnostics, detail, verifier_log);
        if (status != SYN_OK)
            return status;
    }
    return SYN_OK;
}

syn_status syn_loader_load(syn_loader *loader, const syn_bpf_object *object, const syn_maps *maps,
                           syn_diagnostics *diagnostics, syn_verifier_log detail, syn_buffer *verifier_log)
{
    return load(loader, object, maps, NULL, NULL, NULL, diagnostics, detail, verifier_log);
}

syn_status syn_loader_update(syn_loader *loader, const syn_bpf_object *object, const syn_maps *maps,
                             syn_loader *previous, const syn_bpf_object *previous_object,
                             const syn_maps *previous_maps, syn_diagnostics *diagnostics, syn_verifier_log detail,
                             syn_buffer *verifier_log)
{
    return load(loader, object, maps, previous, previous_object, previous_maps, diagnostics, detail, verifier_log);
}

void syn_loader_give_back(syn_loader *loader, syn_loader *previous)
{
    for (uint32_t p = 0; p < loader->count; p++) {
        syn_loaded_program *loaded = &loader->programs[p];
        if (loaded->kept_from < 0)
            continue;
        syn_loaded_program *old = &previous->programs[loaded->kept_from];
        const syn_bpf_program *program = old->program;
        *old = *loaded;
        old->program = program;
        old->kept_from = -1;
        loaded->fd = loaded->scratch_fd = -1;
        memset(&loaded->attachment, 0, sizeof(loaded->attachment));
    }
}

uint32_t syn_loader_kept(const syn_loader *loader)
{
    uint32_t kept = 0;
    for (uint32_t p = 0; p < loader->count; p++)
        kept += loader->programs[p].kept_from >= 0;
    return kept;
}

syn_status syn_loader_attach(syn_loader *loader, syn_kernel *kernel, syn_diagnostics *diagnostics)
{
    for (uint32_t p = 0; p < loader->count; p++) {
        syn_loaded_program *loaded = &loader->programs[p];
        if (loaded->attached)
            continue;
        const syn_point *point = loaded->program->probe->derived->resolved;
        const syn_probe_family *family = point->family;
        char error[512];
        if (!family || !family->attach ||
            !family->attach(kernel, point, loaded->fd, &loaded->attachment, error, sizeof(error))) {
            syn_error(diagnostics, &loaded->program->probe->derived->point->location, "cannot attach %s: %s",
                      point->name, family && family->attach ? error : "its family cannot attach programs");
            return SYN_ERROR_ATTACH;
        }
        loaded->attached = true;
    }
    return SYN_OK;
}

void syn_loader_release_in_background(syn_loader *loader)
{
    syn_attachment **attachments = syn_calloc(loader->count ? loader->count : 1, sizeof(*attachments));
    for (uint32_t p = 0; p < loader->count; p++)
        attachments[p] = &loader->programs[p].attachment;
    syn_attachments_release_in_background(attachments, loader->count);
    free(attachments);
    syn_loader_release(loader);
}

void syn_loader_release(syn_loader *loader)
{
    for (uint32_t p = 0; p < loader->count; p++) {
        syn_loaded_program *loaded = &loader->programs[p];
        syn_attachment_release(&loaded->attachment);
        if (loaded->fd >= 0)
            close(loaded->fd);
        if (loaded->scratch_fd >= 0)
            close(loaded->scratch_fd);
    }
    free(loader->programs);
    if (loader->rodata_fd >= 0)
        close(loader->rodata_fd);
    memset(loader, 0, sizeof(*loader));
    loader->rodata_fd = -1;
}
