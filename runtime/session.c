/* Running a script: the public syn_start / syn_service / syn_stop / syn_run
 * and the session behind them. */
#include "runtime/session.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "runtime/display.h"
#include "runtime/metrics.h"
#include "runtime/privileges.h"
#include "runtime/render.h"
#include "runtime/state.h"
#include "util/memory.h"

/* 1 MiB: the kernel maps the whole ring into the process at once (twice over,
 * for reads that wrap), so its size is most of syn's resident memory; 1 MiB
 * holds thousands of events between two reads (bench/findings.md). */
enum { SYN_DEFAULT_RING_BYTES = 1024 * 1024 };

/* ---- output of the interpreter and of kernel records ------------------------------ */

static void host_output(void *context, const char *text, size_t length)
{
    syn_state_output(context, text, length);
}

static void host_warning(void *context, const char *text, size_t length)
{
    syn_state *state = context;
    while (length && text[length - 1] == '\n')
        length--;
    syn_warning(&state->diagnostics, NULL, "%.*s", (int)length, text);
}

/* The script is stopping: the flag in the globals map also stops the kernel probes at once,
 * so none runs between this moment and their detachment. */
static void finish(syn_session *session)
{
    if (!session->finished && session->maps.globals)
        syn_maps_set_reserved(&session->maps, SYN_IR_RESERVED_EXIT, 1);
    session->finished = true;
}

static void host_exit(void *context)
{
    syn_state *state = context;
    finish(state->session);
}

static bool host_kernel_read(void *context, uint64_t address, void *buffer, size_t size, bool string,
                             const char **why)
{
    syn_state *state = context;
    return syn_kernel_reader_read(&state->session->reader, address, buffer, size, string, why);
}

static bool host_listener(void *context, int64_t port, const char *address, uint64_t *sk, const char **why)
{
    syn_state *state = context;
    syn_session *session = state->session;
    return syn_listener_find(&session->listeners, &session->reader, syn_kernel_btf(&state->kernel), port, address,
                             sk, why);
}

static bool host_listener_next(void *context, uint64_t previous, uint64_t *sk, const char **why)
{
    syn_state *state = context;
    syn_session *session = state->session;
    return syn_listener_next(&session->listeners, &session->reader, syn_kernel_btf(&state->kernel), previous, sk,
                             why);
}

static bool host_function(void *context, uint32_t index, const syn_builtin_value *arguments, uint32_t count,
                          int64_t *number, char *string, size_t string_size, char *message, size_t message_size)
{
    return syn_state_call_host(context, index, arguments, count, number, string, string_size, message,
                               message_size);
}

static int64_t kernel_hz(void *context)
{
    syn_state *state = context;
    const char *value = syn_kernel_config_lookup(&state->kernel_config, "CONFIG_HZ");
    long hz = value ? strtol(value, NULL, 10) : 0;
    return hz > 0 ? hz : 250;
}

static int64_t clock_ns(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void report_fault(syn_state *state, uint32_t site_index, uint64_t detail, const char *message)
{
    syn_session *session = state->session;
    session->failed = true;
    finish(session);
    if (session->fault_reported || site_index >= session->object.fault_count)
        return;
    session->fault_reported = true;
    const syn_bpf_fault_site *site = &session->object.faults[site_index];
    switch (site->kind) {
    case SYN_IR_FAULT_NONE:
        syn_error(&state->diagnostics, &site->location, "%s (in probe %s)", message ? message : "error()",
                  site->probe);
        break;
    case SYN_IR_FAULT_READ:
        syn_error(&state->diagnostics, &site->location, "%s at 0x%llx (in probe %s)",
                  syn_ir_fault_message(site->kind), (unsigned long long)detail, site->probe);
        break;
    case SYN_IR_FAULT_STRING_INDEX:
    case SYN_IR_FAULT_PACKET_READ:
        syn_error(&state->diagnostics, &site->location, "%s: %lld (in probe %s)", syn_ir_fault_message(site->kind),
                  (long long)detail, site->probe);
        break;
    default:
        syn_error(&state->diagnostics, &site->location, "%s (in probe %s)", syn_ir_fault_message(site->kind),
                  site->probe);
        break;
    }
}

static void render_print_record(syn_state *state, const uint8_t *data, size_t size)
{
    syn_session *session = state->session;
    uint32_t event_index;
    memcpy(&event_index, data + 4, 4);
    if (event_index >= session->program->event_count)
        return;
    const syn_ir_event *event = &session->program->events[event_index];
    uint32_t string_field = (session->program->max_string_length + 7) & ~7u;
    syn_output_value values[SYN_IR_MAX_ARGUMENTS + 1];
    size_t offset = 8;
    for (uint32_t i = 0; i < event->argument_count; i++) {
        memset(&values[i], 0, sizeof(values[i]));
        if (event->argument_kinds[i] == SYN_IR_STRING) {
            if (offset + string_field > size)
                return;
            values[i].is_string = true;
            values[i].string = (const char *)data + offset;
            values[i].length = strnlen(values[i].string, session->program->max_string_length - 1);
            offset += string_field;
        } else {
            if (offset + 8 > size)
                return;
            memcpy(&values[i].number, data + offset, 8);
            offset += 8;
        }
    }
    /* Strings are NUL-terminated within the field: the kernel copy writes it. */
    syn_buffer out;
    syn_buffer_init(&out);
    uint32_t empty;
    const syn_ir_event *event_kind = &session->program->events[event_index];
    syn_render_event(&out, session->program, &session->maps, event_index, values, &empty,
                     state->output_json && event_kind->kind != SYN_IR_EVENT_WARNING);
    if (out.length && event->kind == SYN_IR_EVENT_WARNING)
        host_warning(state, out.data, out.length);
    else if (out.length)
        syn_state_output(state, out.data, out.length);
    syn_buffer_release(&out);
}

static int handle_record(void *context, void *data, size_t size)
{
    syn_state *state = context;
    if (size < 8)
        return 0;
    uint32_t kind;
    memcpy(&kind, data, 4);
    switch (kind) {
    case SYN_BPF_RECORD_PRINT:
        render_print_record(state, data, size);
        break;
    case SYN_BPF_RECORD_EXIT:
        finish(state->session);
        break;
    case SYN_BPF_RECORD_FAULT: {
        uint32_t site;
        uint64_t detail = 0;
        memcpy(&site, (uint8_t *)data + 4, 4);
        if (size >= 16)
            memcpy(&detail, (uint8_t *)data + 8, 8);
        const char *message = size > 16 ? (const char *)data + 16 : NULL;
        report_fault(state, site, detail, message);
        break;
    }
    default:
        break;
    }
    /* Under a storm the probes fill the buffer as fast as it is read: a
     * read that never ends would keep the loop from timers, signals and
     * stop requests.  So, once this record is handled, a read stops after
     * a bounded number of records, and at once when the script is to end
     * while its probes still run (the rest is read after they are
     * detached).  libbpf counts the record as read. */
    syn_session *session = state->session;
    if (!session->detached && (session->interrupted || session->finished || ++session->records_read >= 65536))
        return -EINTR;
    return 0;
}

/* Reads what the stopped probes left in the buffer.  A probe already running
 * when the exit flag was set may not have finished its record (reserved, not
 * yet committed: libbpf's read stops there), so the read goes on until the
 * consumer has caught up with the producer, for 100 ms at most. */
static void drain(syn_session *session)
{
    long page = sysconf(_SC_PAGESIZE);
    const volatile uint64_t *positions = mmap(NULL, 2 * (size_t)page, PROT_READ, MAP_SHARED,
                                              session->maps.events_fd, 0);
    ring_buffer__consume(session->ring);
    if (positions == MAP_FAILED)
        return;
    int64_t deadline = clock_ns(CLOCK_MONOTONIC) + 100 * 1000000LL;
    for (;;) {
        uint64_t consumer = __atomic_load_n(&positions[0], __ATOMIC_ACQUIRE);
        uint64_t producer = __atomic_load_n(&positions[page / 8], __ATOMIC_ACQUIRE);
        if (consumer >= producer || clock_ns(CLOCK_MONOTONIC) > deadline)
            break;
        sched_yield();
        ring_buffer__consume(session->ring);
    }
    munmap((void *)positions, 2 * (size_t)page);
}

/* Reads what the kernel probes wrote, a bounded amount while they run. */
static void read_records(syn_session *session)
{
    session->records_read = 0;
    ring_buffer__consume(session->ring);
}

/* exit() and faults also leave a flag, seen even when their record was lost. */
static void check_flags(syn_state *state)
{
    syn_session *session = state->session;
    int64_t exit_flag, fault_flag;
    memcpy(&exit_flag, session->maps.globals + SYN_IR_RESERVED_EXIT, 8);
    memcpy(&fault_flag, session->maps.globals + SYN_IR_RESERVED_FAULT, 8);
    if (exit_flag)
        finish(session);
    if (fault_flag && !session->fault_reported)
        report_fault(state, (uint32_t)(fault_flag - 1), 0, NULL);
}

/* ---- userspace probes --------------------------------------------------------------- */

static int compare_order(const void *left, const void *right)
{
    const syn_ir_probe *a = *(const syn_ir_probe *const *)left, *b = *(const syn_ir_probe *const *)right;
    int64_t order_a = a->derived->resolved->order, order_b = b->derived->resolved->order;
    if (order_a != order_b)
        return order_a < order_b ? -1 : 1;
    return (a > b) - (a < b);
}

/* Runs every probe of one userspace kind, lowest order first. */
bool syn_session_started(const syn_session *session, const syn_source *source)
{
    for (uint32_t i = 0; i < session->started_count; i++) {
        if (session->started[i] == source)
            return true;
    }
    return false;
}

void syn_session_run_userspace(syn_state *state, syn_userspace_event kind)
{
    syn_session *session = state->session;
    const syn_ir_program *program = session->program;
    const syn_ir_probe **probes = syn_malloc((program->probe_count + 1) * sizeof(*probes));
    uint32_t count = 0;
    for (uint32_t p = 0; p < program->probe_count; p++) {
        const syn_ir_probe *probe = &program->probes[p];
        const syn_point *point = probe->derived->resolved;
        if (!probe->in_kernel && point && point->userspace_event == kind &&
            !(kind == SYN_USERSPACE_BEGIN && syn_session_started(session, probe->derived->file->source)))
            probes[count++] = probe;
    }
    qsort(probes, count, sizeof(*probes), compare_order);
    /* A script loaded into a running one (syn_update) runs its own begin probes only. */
    if (kind == SYN_USERSPACE_BEGIN) {
        for (uint32_t p = 0; p < program->probe_count; p++) {
            const syn_source *source = program->probes[p].derived->file->source;
            if (!syn_session_started(session, source)) {
                SYN_GROW(session->started, session->started_capacity, session->started_count + 1);
                session->started[session->started_count++] = source;
            }
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        if (!syn_interpreter_run(session->interpreter, probes[i])) {
            /* syn_evaluate's statements: reported, and the script runs on. */
            if (session->errors_forgiven)
                continue;
            session->failed = true;
            finish(session);
            /* After an error in begin or a timer the rest of that kind is skipped, as in SystemTap. */
            if (kind != SYN_USERSPACE_END && kind != SYN_USERSPACE_ERROR)
                break;
        }
    }
    free(probes);
}

static uint64_t next_interval(const syn_timer *timer)
{
    if (!timer->randomize_ns)
        return timer->interval_ns;
    uint64_t random_value = 0;
    if (getrandom(&random_value, sizeof(random_value), 0) != (ssize_t)sizeof(random_value))
        random_value = (uint64_t)rand();
    int64_t offset = (int64_t)(random_value % (2 * timer->randomize_ns + 1)) - (int64_t)timer->randomize_ns;
    int64_t interval = (int64_t)timer->interval_ns + offset;
    return interval > 1000 ? (uint64_t)interval : 1000;
}

static void arm_timer(const syn_timer *timer)
{
    uint64_t interval = next_interval(timer);
    struct itimerspec setting = {
        .it_value = {.tv_sec = (time_t)(interval / 1000000000ULL), .tv_nsec = (long)(interval % 1000000000ULL)},
    };
    timerfd_settime(timer->fd, 0, &setting, NULL);
}

static bool add_watch(syn_session *session, int fd, uint64_t tag)
{
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = tag};
    return epoll_ctl(session->epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0;
}

enum { TAG_RING = 1, TAG_STOP = 2, TAG_METRICS = 3, TAG_TIMER = 16 };

bool syn_session_start_timers(syn_state *state)
{
    syn_session *session = state->session;
    const syn_ir_program *program = session->program;
    session->timers = syn_calloc(program->probe_count + 1, sizeof(syn_timer));
    for (uint32_t p = 0; p < program->probe_count; p++) {
        const syn_ir_probe *probe = &program->probes[p];
        const syn_point *point = probe->derived->resolved;
        if (probe->in_kernel || point->userspace_event != SYN_USERSPACE_TIMER)
            continue;
        syn_timer *timer = &session->timers[session->timer_count];
        timer->probe = probe;
        timer->interval_ns = point->interval_ns;
        timer->randomize_ns = point->randomize_ns;
        timer->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (timer->fd < 0 || !add_watch(session, timer->fd, TAG_TIMER + session->timer_count)) {
            syn_error(&state->diagnostics, NULL, "cannot create a timer for %s: %s", probe->point, strerror(errno));
            if (timer->fd >= 0)
                close(timer->fd);
            return false;
        }
        session->timer_count++;
        arm_timer(timer);
    }
    return true;
}

/* ---- lifecycle ------------------------------------------------------------------ */

void syn_session_stop_timers(syn_session *session)
{
    for (uint32_t t = 0; t < session->timer_count; t++)
        close(session->timers[t].fd);
    free(session->timers);
    session->timers = NULL;
    session->timer_count = 0;
}

static void session_free(syn_session *session)
{
    if (!session)
        return;
    syn_session_stop_timers(session);
    if (session->metrics_fd >= 0)
        close(session->metrics_fd);
    free(session->started);
    free(session->applied);
    if (session->ring)
        ring_buffer__free(session->ring);
    if (session->release_in_background)
        syn_loader_release_in_background(&session->loader);
    else
        syn_loader_release(&session->loader);
    syn_interpreter_free(session->interpreter);
    syn_kernel_reader_release(&session->reader);
    syn_listeners_release(&session->listeners);
    syn_bpf_object_release(&session->object);
    syn_maps_release(&session->maps);
    if (session->epoll_fd >= 0)
        close(session->epoll_fd);
    if (session->stop_fd >= 0)
        close(session->stop_fd);
    free(session);
}

static syn_status prepare(syn_state *state, bool attach)
{
    syn_session *session = state->session;
    char error[512];
    if (!syn_maps_create(&session->maps, state->ir, state->ring_bytes ? state->ring_bytes : SYN_DEFAULT_RING_BYTES,
                         error, sizeof(error))) {
        syn_error(&state->diagnostics, NULL, "%s", error);
        return errno == EPERM ? SYN_ERROR_PERMISSION : SYN_ERROR_ATTACH;
    }
    syn_maps_set_reserved(&session->maps, SYN_IR_RESERVED_TARGET, session->target_pid);
    syn_maps_set_reserved(&session->maps, SYN_IR_RESERVED_REALTIME_OFFSET,
                          clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME));
    if (!syn_bpf_generate(state->ir, syn_kernel_btf_source(&state->kernel), &session->object, &state->diagnostics))
        return SYN_ERROR_SEMANTIC;
    syn_buffer log;
    syn_buffer_init(&log);
    syn_status status = syn_loader_load(&session->loader, &session->object, &session->maps, &state->diagnostics,
                                        state->verbosity >= 2   ? SYN_VERIFIER_LOG_EVERY
                                        : state->verbosity == 1 ? SYN_VERIFIER_LOG_REJECTED
                                                                : SYN_VERIFIER_LOG_NONE,
                                        &log);
    /* The raw log goes to the diagnostics handler like any message, so an embedding tool sees it. */
    if (log.length)
        syn_note(&state->diagnostics, NULL, "the kernel's BPF verifier log:\n%.*s", (int)log.length, log.data);
    syn_buffer_release(&log);
    (void)attach;
    return status;
}

syn_interpreter *syn_session_new_interpreter(syn_state *state)
{
    syn_session *session = state->session;
    syn_interpreter_host host = {
        .output = host_output,
        .warning = host_warning,
        .exit = host_exit,
        .context = state,
        .interrupted = &session->interrupted,
        .target_pid = session->target_pid,
        .hz = kernel_hz,
        .json = state->output_json,
        .kernel_read = host_kernel_read,
        .listener = host_listener,
        .listener_next = host_listener_next,
        .host_function = host_function,
    };
    return syn_interpreter_new(session->program, &session->maps, &host, &state->diagnostics);
}

syn_status syn_start(syn_state *state)
{
    if (state->session)
        return SYN_ERROR_STATE;
    syn_status status = syn_compile(state);
    if (status != SYN_OK)
        return status;
    syn_diagnostics_begin(&state->diagnostics);
    char missing[256];
    if (!syn_privileges_check(missing, sizeof(missing))) {
        syn_error(&state->diagnostics, NULL, "%s", missing);
        return SYN_ERROR_PERMISSION;
    }
    syn_session *session = syn_calloc(1, sizeof(*session));
    syn_kernel_reader_init(&session->reader);
    syn_listeners_init(&session->listeners);
    session->epoll_fd = session->stop_fd = session->metrics_fd = -1;
    session->program = state->ir;
    session->target_pid = state->target_pid;
    session->release_in_background = state->background_detach;
    state->session = session;
    status = prepare(state, true);
    if (status == SYN_OK) {
        session->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        session->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        session->ring = ring_buffer__new(session->maps.events_fd, handle_record, state, NULL);
        if (session->epoll_fd < 0 || session->stop_fd < 0 || !session->ring ||
            !add_watch(session, ring_buffer__epoll_fd(session->ring), TAG_RING) ||
            !add_watch(session, session->stop_fd, TAG_STOP)) {
            syn_error(&state->diagnostics, NULL, "cannot set up the event loop: %s", strerror(errno));
            status = SYN_ERROR_ATTACH;
        }
    }
    if (status == SYN_OK) {
        session->interpreter = syn_session_new_interpreter(state);
        state->diagnostics.at_run_time = true;
        syn_session_run_userspace(state, SYN_USERSPACE_BEGIN);
        if (!session->finished) {
            int64_t started = clock_ns(CLOCK_MONOTONIC);
            status = syn_loader_attach(&session->loader, &state->kernel, &state->diagnostics);
            /* Says when the kernel probes are live: begin ran before them, as in
             * SystemTap, so a line it prints is no sign that they are. */
            if (status == SYN_OK && state->verbosity >= 1)
                syn_note(&state->diagnostics, NULL, "%u kernel programs attached in %.1f ms",
                         session->loader.count, (double)(clock_ns(CLOCK_MONOTONIC) - started) / 1e6);
        }
        if (status == SYN_OK && !session->finished && !syn_session_start_timers(state))
            status = SYN_ERROR_ATTACH;
        if (status == SYN_OK)
            syn_session_remember_files(state);
    }
    if (status != SYN_OK) {
        session_free(session);
        state->session = NULL;
    }
    return status;
}

int syn_poll_fd(const syn_state *state)
{
    return state->session ? state->session->epoll_fd : -1;
}

int syn_finished(const syn_state *state)
{
    return state->session ? state->session->finished : 1;
}

void syn_request_stop(syn_state *state)
{
    /* Only async-signal-safe calls here: a signal handler may be the caller. */
    if (!state->session)
        return;
    state->session->interrupted = 1;
    uint64_t one = 1;
    ssize_t written = write(state->session->stop_fd, &one, sizeof(one));
    (void)written;
}

void syn_set_target_pid(syn_state *state, long pid)
{
    state->target_pid = pid;
    state->kernel.target_pid = pid;
    if (state->session) {
        state->session->target_pid = pid;
        syn_maps_set_reserved(&state->session->maps, SYN_IR_RESERVED_TARGET, pid);
    }
}

static void run_timer(syn_state *state, uint32_t index)
{
    syn_session *session = state->session;
    syn_timer *timer = &session->timers[index];
    uint64_t expirations;
    if (read(timer->fd, &expirations, sizeof(expirations)) != (ssize_t)sizeof(expirations))
        return;
    if (!syn_interpreter_run(session->interpreter, timer->probe)) {
        session->failed = true;
        finish(session);
        return;
    }
    arm_timer(timer);
}

syn_status syn_service(syn_state *state, int timeout_ms)
{
    syn_session *session = state->session;
    if (!session)
        return SYN_ERROR_STATE;
    if (!session->finished) {
        struct epoll_event events[16];
        int count = epoll_wait(session->epoll_fd, events, 16, timeout_ms);
        for (int i = 0; i < count && !session->finished; i++) {
            uint64_t tag = events[i].data.u64;
            if (tag == TAG_RING) {
                read_records(session);
            } else if (tag == TAG_STOP) {
                finish(session);
            } else if (tag == TAG_METRICS) {
                syn_metrics_answer(session->metrics_fd, &session->maps);
            } else if (tag >= TAG_TIMER) {
                run_timer(state, (uint32_t)(tag - TAG_TIMER));
            }
        }
        check_flags(state);
    }
    if (!session->finished)
        return SYN_OK;
    return session->failed ? SYN_ERROR_RUNTIME : SYN_OK;
}

syn_status syn_stop(syn_state *state)
{
    syn_session *session = state->session;
    if (!session)
        return SYN_ERROR_STATE;
    /* Stop the probes, take what they wrote, then end.  The exit flag makes every kernel probe a
     * no-op from its next event on, at once; the probes are detached after the end probes, when the
     * session is freed, since detaching waits in the kernel (syn_loader_release_in_background). */
    finish(session);
    session->detached = true;   /* the buffer holds no more than it will now: read it all */
    if (session->ring)
        drain(session);
    check_flags(state);
    uint64_t lost = syn_maps_lost_events(&session->maps);
    if (lost)
        syn_warning(&state->diagnostics, NULL,
                    "%llu output events were lost because the output buffer was full", (unsigned long long)lost);
    session->interrupted = 0;
    syn_session_run_userspace(state, session->failed ? SYN_USERSPACE_ERROR : SYN_USERSPACE_END);
    if (session->ring)
        ring_buffer__consume(session->ring);
    if (!session->failed) {
        syn_buffer shown;
        syn_buffer_init(&shown);
        syn_display_unread_globals(&shown, &session->maps, state->output_json);
        if (shown.length)
            syn_state_output(state, shown.data, shown.length);
        syn_buffer_release(&shown);
    }
    syn_status status = session->failed ? SYN_ERROR_RUNTIME : SYN_OK;
    session_free(session);
    state->session = NULL;
    state->diagnostics.at_run_time = false;
    return status;
}

syn_status syn_run(syn_state *state, int timeout_ms)
{
    syn_status status = syn_start(state);
    if (status != SYN_OK)
        return status;
    int64_t deadline = timeout_ms >= 0 ? clock_ns(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000LL : -1;
    while (!syn_finished(state)) {
        int wait = 500;
        if (deadline >= 0) {
            int64_t left = (deadline - clock_ns(CLOCK_MONOTONIC)) / 1000000LL;
            if (left <= 0)
                break;
            if (left < wait)
                wait = (int)left;
        }
        syn_service(state, wait);
    }
    return syn_stop(state);
}

void syn_session_free(syn_state *state)
{
    if (state->session)
        syn_stop(state);
}

syn_status syn_session_verify(syn_state *state, syn_buffer *out)
{
    syn_status status = syn_compile(state);
    if (status != SYN_OK)
        return status;
    char missing[256];
    if (!syn_privileges_check(missing, sizeof(missing))) {
        syn_error(&state->diagnostics, NULL, "%s", missing);
        return SYN_ERROR_PERMISSION;
    }
    syn_session *session = syn_calloc(1, sizeof(*session));
    syn_kernel_reader_init(&session->reader);
    syn_listeners_init(&session->listeners);
    session->epoll_fd = session->stop_fd = session->metrics_fd = -1;
    session->program = state->ir;
    state->session = session;
    status = prepare(state, false);
    for (uint32_t p = 0; p < session->object.program_count; p++) {
        const syn_bpf_program *program = &session->object.programs[p];
        syn_buffer_printf(out, "# %s: %u instructions%s\n", program->probe->point, program->instruction_count,
                          p < session->loader.count && session->loader.programs[p].fd >= 0
                              ? ", accepted by the kernel's verifier" : "");
        syn_bpf_disassemble(out, program);
    }
    session_free(session);
    state->session = NULL;
    return status;
}

syn_status syn_serve_metrics(syn_state *state, const char *address)
{
    syn_session *session = state->session;
    if (!session) {
        syn_error(&state->diagnostics, NULL, "syn_serve_metrics: no script is running (call syn_start first)");
        return SYN_ERROR_STATE;
    }
    char error[512];
    int fd = syn_metrics_listen(address, error, sizeof(error));
    if (fd < 0) {
        syn_error(&state->diagnostics, NULL, "%s", error);
        return SYN_ERROR_USAGE;
    }
    if (!add_watch(session, fd, TAG_METRICS)) {
        syn_error(&state->diagnostics, NULL, "cannot serve metrics: %s", strerror(errno));
        close(fd);
        return SYN_ERROR_ATTACH;
    }
    if (session->metrics_fd >= 0)
        close(session->metrics_fd);
    session->metrics_fd = fd;
    return SYN_OK;
}
