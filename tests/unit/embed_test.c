/* Embedding rules of libsyn, on the real kernel: two states in one process,
 * each served from its own thread, tracing different things; every failure
 * class returning its status with a message and never ending the host; and
 * 1,000 load/start/stop/free cycles with memory and file descriptors flat
 * (under ASan the suite also finds any leak). */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syn/syn.h"
#include "tap.h"

static void quiet_output(const char *data, size_t length, void *user_data)
{
    (void)data;
    (void)length;
    (void)user_data;
}

typedef struct collected {
    char text[2048];
    size_t length;
    syn_severity severity;
    unsigned line, column;
} collected;

static void collect(const syn_diagnostic *diagnostic, void *user_data)
{
    collected *c = user_data;
    if (!c->length) {
        c->severity = diagnostic->severity;
        c->line = diagnostic->line;
        c->column = diagnostic->column;
    }
    size_t length = strlen(diagnostic->message);
    if (c->length + length + 2 < sizeof(c->text)) {
        memcpy(c->text + c->length, diagnostic->message, length);
        c->length += length;
        c->text[c->length++] = '\n';
        c->text[c->length] = '\0';
    }
}

/* ---- two states, two threads -------------------------------------------------- */

typedef struct worker {
    const char *script;
    long syscall_number;
    int calls;
    long long counted;
    syn_status status;
} worker;

static void *trace(void *argument)
{
    worker *w = argument;
    syn_state *state = syn_new();
    syn_set_output_handler(state, quiet_output, NULL);
    syn_set_target_pid(state, syscall(SYS_gettid));
    w->status = syn_load_string(state, "<worker>", w->script, strlen(w->script));
    if (w->status == SYN_OK)
        w->status = syn_start(state);
    if (w->status == SYN_OK) {
        for (int i = 0; i < w->calls; i++)
            syscall(w->syscall_number);
        for (int i = 0; i < 5; i++)
            syn_service(state, 10);
        syn_value value;
        bool present;
        if (syn_global_get(state, "seen", NULL, 0, &value, &present) == SYN_OK)
            w->counted = value.number;
        w->status = syn_stop(state);
    }
    syn_free(state);
    return NULL;
}

static void two_threads(void)
{
    worker parents = {
        .script = "global seen\nprobe kernel.trace(\"syscalls:sys_enter_getppid\") { if (tid() == target()) seen++ }\n",
        .syscall_number = SYS_getppid,
        .calls = 300,
    };
    worker pids = {
        .script = "global seen\nprobe kernel.trace(\"syscalls:sys_enter_getpid\") { if (tid() == target()) seen++ }\n",
        .syscall_number = SYS_getpid,
        .calls = 170,
    };
    pthread_t first, second;
    pthread_create(&first, NULL, trace, &parents);
    pthread_create(&second, NULL, trace, &pids);
    pthread_join(first, NULL);
    pthread_join(second, NULL);
    is_int(parents.status, SYN_OK, "thread 1's state ran");
    is_int(parents.counted, 300, "thread 1 counted its own 300 getppid() calls");
    is_int(pids.status, SYN_OK, "thread 2's state ran");
    is_int(pids.counted, 170, "thread 2 counted its own 170 getpid() calls");
}

/* ---- failure classes ---------------------------------------------------------- */

typedef struct failure {
    const char *name;
    const char *script;
    syn_status expected;
    const char *message;       /* a part of the first message */
    unsigned line, column;     /* where it is reported, 0 when unlocated */
} failure;

static void failure_classes(void)
{
    const failure cases[] = {
        {"syntax", "probe begin { x = }\n", SYN_ERROR_SYNTAX, "syntax error", 1, 19},
        {"semantic", "probe begin { undefined_thing() }\n", SYN_ERROR_SEMANTIC, "unresolved function", 1, 15},
        {"verifier", "probe kernel.trace(\"syscalls:sys_enter_getppid\") { i = 0 while (i < 100000000) i++ }\n",
         SYN_ERROR_VERIFIER, "verifier rejected", 1, 0},
        {"attach", "probe perf.type(77).config(0) { }\n", SYN_ERROR_ATTACH, "cannot attach", 1, 7},
        {"runtime", "probe begin { x = 1 / (x - x) }\n", SYN_ERROR_RUNTIME, "division by 0", 1, 19},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        collected c = {0};
        syn_state *state = syn_new();
        syn_set_output_handler(state, quiet_output, NULL);
        syn_set_diagnostic_handler(state, collect, &c);
        syn_status status = syn_load_string(state, "<case>", cases[i].script, strlen(cases[i].script));
        if (status == SYN_OK)
            status = syn_run(state, 2000);
        syn_free(state);
        is_int(status, cases[i].expected, "%s: %s", cases[i].name, syn_status_string(cases[i].expected));
        ok(strstr(c.text, cases[i].message) && c.severity == SYN_SEVERITY_ERROR && c.line == cases[i].line &&
               (!cases[i].column || c.column == cases[i].column),
           "%s: located message (%u:%u) %s", cases[i].name, c.line, c.column, c.text);
    }
    /* Without privileges (a child that became nobody): SYN_ERROR_PERMISSION. */
    pid_t child = fork();
    if (child == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(2);
        collected c = {0};
        syn_state *unprivileged = syn_new();
        syn_set_output_handler(unprivileged, quiet_output, NULL);
        syn_set_diagnostic_handler(unprivileged, collect, &c);
        const char *script = "probe begin { exit() }\n";
        syn_status status = syn_load_string(unprivileged, "<nobody>", script, strlen(script));
        if (status == SYN_OK)
            status = syn_start(unprivileged);
        syn_free(unprivileged);
        _exit(status == SYN_ERROR_PERMISSION && strstr(c.text, "CAP_BPF") ? 0 : 1);
    }
    int child_status = 0;
    waitpid(child, &child_status, 0);
    ok(WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0,
       "permission: SYN_ERROR_PERMISSION, with a message naming CAP_BPF, as user nobody");

    /* Calls out of order and bad arguments. */
    syn_state *state = syn_new();
    syn_set_diagnostic_handler(state, collect, &(collected){0});
    is_int(syn_load_file(state, "/nonexistent/script.syn"), SYN_ERROR_IO, "a missing file: SYN_ERROR_IO");
    is_int(syn_stop(state), SYN_ERROR_STATE, "syn_stop before syn_start: SYN_ERROR_STATE");
    is_int(syn_update(state), SYN_ERROR_STATE, "syn_update before syn_start: SYN_ERROR_STATE");
    is_int(syn_define(state, "not a name", "1"), SYN_ERROR_USAGE, "a bad -D name: SYN_ERROR_USAGE");
    ok(syn_status_string((syn_status)999) != NULL, "every status has a string, even an unknown one");
    syn_free(state);
}

/* ---- cycles -------------------------------------------------------------------- */

static long resident_kib(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (status && fgets(line, sizeof(line), status)) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    }
    if (status)
        fclose(status);
    return kib;
}

static int open_descriptors(void)
{
    DIR *directory = opendir("/proc/self/fd");
    int count = 0;
    while (directory && readdir(directory))
        count++;
    if (directory)
        closedir(directory);
    return count;
}

static bool cycle(void)
{
    /* A raw tracepoint: attached in microseconds, where a syscall tracepoint
     * through perf takes tens of milliseconds (bench/findings.md). */
    const char *script = "global n\nprobe kernel.tracepoint(\"sys_enter\") { n++ }\n"
                         "probe begin { n = 1 }\n";
    syn_state *state = syn_new();
    syn_set_output_handler(state, quiet_output, NULL);
    bool fine = syn_load_string(state, "<cycle>", script, strlen(script)) == SYN_OK && syn_start(state) == SYN_OK;
    syn_service(state, 0);
    if (fine)
        fine = syn_stop(state) == SYN_OK;
    syn_free(state);
    return fine;
}

static void cycles(int total)
{
    bool all = true;
    for (int i = 0; i < total / 10; i++)
        all &= cycle();
    long rss_before = resident_kib();
    int descriptors_before = open_descriptors();
    for (int i = total / 10; i < total; i++)
        all &= cycle();
    long rss_after = resident_kib();
    int descriptors_after = open_descriptors();
    ok(all, "%d load/start/stop/free cycles", total);
    is_int(descriptors_after, descriptors_before, "file descriptors flat (no kernel object left behind)");
    ok(rss_after - rss_before < 4096, "resident memory flat: %ld KiB after %d cycles, %ld KiB after %d",
       rss_before, total / 10, rss_after, total);
}

int main(int argc, char **argv)
{
    if (geteuid() != 0) {
        printf("1..0 # SKIP loading BPF programs needs root (CAP_BPF and CAP_PERFMON)\n");
        return 0;
    }
    /* The library installs no signal handler: SIGINT keeps its default here. */
    struct sigaction before;
    sigaction(SIGINT, NULL, &before);
    two_threads();
    failure_classes();
    cycles(argc > 1 ? atoi(argv[1]) : 1000);
    struct sigaction after;
    sigaction(SIGINT, NULL, &after);
    ok(after.sa_handler == before.sa_handler, "no signal handler was installed by the library");
    return done_testing();
}
