/* Loading generated programs into the kernel: per-program scratch maps,
 * map descriptors patched into the instructions, the verifier's verdict
 * traced back to the script line it is about, and attachment through each
 * probe's family. */
#ifndef SYN_RUNTIME_LOADER_H
#define SYN_RUNTIME_LOADER_H

#include "compiler/bpf_program.h"
#include "compiler/symbols.h"
#include "runtime/maps.h"
#include "runtime/probes/family.h"
#include "syn/syn.h"
#include "util/buffer.h"

typedef struct syn_loaded_program {
    const syn_bpf_program *program;
    int fd;
    int scratch_fd;
    syn_attachment attachment;
    bool attached;
    int32_t kept_from;           /* syn_loader_update: the previous loader's program it took over, or -1 */
} syn_loaded_program;

typedef struct syn_loader {
    syn_loaded_program *programs;
    uint32_t count;
    int rodata_fd;               /* read-only constants shared by the programs, or -1 */
} syn_loader;

/* How much of the verifier's own log is kept. */
typedef enum syn_verifier_log {
    SYN_VERIFIER_LOG_NONE,
    SYN_VERIFIER_LOG_REJECTED,   /* the log of a program it refused (-v) */
    SYN_VERIFIER_LOG_EVERY       /* every program's full log (-vv) */
} syn_verifier_log;

/* Loads every program of `object`; a rejection is reported at the script
 * location of the instruction the verifier refused, and the verifier's own
 * log goes to `log` as `detail` asks. */
syn_status syn_loader_load(syn_loader *loader, const syn_bpf_object *object, const syn_maps *maps,
                           syn_diagnostics *diagnostics, syn_verifier_log detail, syn_buffer *log);
/* The same for a new version of a running program (syn_update): a
 * program of `previous` that does exactly what a new one would is taken
 * over as it is, still attached, instead of being loaded again. */
syn_status syn_loader_update(syn_loader *loader, const syn_bpf_object *object, const syn_maps *maps,
                             syn_loader *previous, const syn_bpf_object *previous_object,
                             const syn_maps *previous_maps, syn_diagnostics *diagnostics, syn_verifier_log detail,
                             syn_buffer *verifier_log);
/* After a failed update: the programs taken over go back to `previous`. */
void syn_loader_give_back(syn_loader *loader, syn_loader *previous);
/* How many programs were taken over. */
uint32_t syn_loader_kept(const syn_loader *loader);
/* Attaches the programs not attached yet. */
syn_status syn_loader_attach(syn_loader *loader, syn_kernel *kernel, syn_diagnostics *diagnostics);
void syn_loader_release(syn_loader *loader);
/* The same, with the detachments that wait in the kernel done by a
 * background process (syn_attachments_release_in_background), so that the
 * caller need not wait for them: for probes the exit flag has stopped. */
void syn_loader_release_in_background(syn_loader *loader);

#endif
