/* A running script: its maps, its loaded and attached kernel programs, the
 * interpreter for its userspace probes, its timers and the ring buffer its
 * kernel probes write to, all served from one epoll descriptor. */
#ifndef SYN_RUNTIME_SESSION_H
#define SYN_RUNTIME_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "compiler/bpf_program.h"
#include "runtime/interpreter.h"
#include "runtime/kernel_reader.h"
#include "runtime/listener.h"
#include "runtime/loader.h"
#include "runtime/maps.h"

struct ring_buffer;

typedef struct syn_timer {
    const syn_ir_probe *probe;
    int fd;
    uint64_t interval_ns;
    uint64_t randomize_ns;
} syn_timer;

typedef struct syn_session {
    const syn_ir_program *program;
    syn_maps maps;
    syn_bpf_object object;
    syn_loader loader;
    syn_interpreter *interpreter;
    syn_kernel_reader reader;    /* kernel memory for userspace probes */
    syn_listeners listeners;     /* listener()'s iterator */
    struct ring_buffer *ring;
    int epoll_fd;
    int stop_fd;
    syn_timer *timers;
    uint32_t timer_count;
    bool finished;               /* exit(), an error or a stop request */
    bool failed;                 /* a runtime error ended it */
    bool fault_reported;
    bool errors_forgiven;        /* syn_evaluate runs statements: an error ends nothing */
    bool detached;               /* syn_stop stopped the probes: they write no more */
    bool release_in_background;  /* syn_set_background_detach */
    int metrics_fd;              /* syn_serve_metrics's listening socket, or -1 */
    uint32_t records_read;       /* by the current read of the buffer (runtime/session.c) */
    volatile sig_atomic_t interrupted;
    int64_t target_pid;
    /* The scripts whose begin probes ran: a script loaded into the running
     * one (syn_update) runs only its own. */
    const syn_source **started;
    uint32_t started_count, started_capacity;
    /* The program's files as the running program was made from them, to go
     * back to when an update fails (runtime/session_update.c). */
    syn_file **applied;
    uint32_t applied_count;
} syn_session;

struct syn_state;

/* For runtime/session_update.c. */
bool syn_session_started(const syn_session *session, const syn_source *source);
void syn_session_run_userspace(struct syn_state *state, syn_userspace_event kind);
bool syn_session_start_timers(struct syn_state *state);
void syn_session_stop_timers(syn_session *session);
syn_interpreter *syn_session_new_interpreter(struct syn_state *state);
/* Notes the program's files as the running program's. */
void syn_session_remember_files(struct syn_state *state);

#endif
