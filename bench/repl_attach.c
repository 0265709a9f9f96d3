/* REPL attach latency: what happens between Enter and "[N] attached" when
 * a one-line tracepoint probe is typed at the REPL's prompt.  The REPL
 * runs syn_load_string and syn_update on its running state; this times
 * those two calls on a state that already runs a counting probe (so that
 * the update has something to keep), then takes the probe out again.
 *
 *   repl_attach [RUNS]   prints "attach_ms MEDIAN min MIN max MAX runs N"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "syn/syn.h"

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void quiet(const char *data, size_t length, void *user_data)
{
    (void)data;
    (void)length;
    (void)user_data;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 21;
    if (runs < 1)
        runs = 1;
    syn_state *state = syn_new();
    syn_set_output_handler(state, quiet, NULL);
    const char *running = "global calls\nprobe kernel.trace(\"syscalls:sys_enter_getpid\") { calls++ }\n";
    if (syn_load_string(state, "<running>", running, strlen(running)) != SYN_OK || syn_start(state) != SYN_OK) {
        fprintf(stderr, "repl_attach: cannot start the running script\n");
        return 1;
    }
    const char *typed = "probe kernel.trace(\"syscalls:sys_enter_getppid\") { calls++ }\n";
    double *spent = calloc((size_t)runs, sizeof(double));
    for (int i = 0; i < runs; i++) {
        double start = now_ms();
        if (syn_load_string(state, "<typed>", typed, strlen(typed)) != SYN_OK || syn_update(state) != SYN_OK) {
            fprintf(stderr, "repl_attach: attaching failed\n");
            return 1;
        }
        spent[i] = now_ms() - start;
        if (syn_unload(state, "<typed>") != SYN_OK || syn_update(state) != SYN_OK) {
            fprintf(stderr, "repl_attach: detaching failed\n");
            return 1;
        }
    }
    qsort(spent, (size_t)runs, sizeof(double), compare);
    printf("attach_ms %.2f min %.2f max %.2f runs %d\n", spent[runs / 2], spent[0], spent[runs - 1], runs);
    free(spent);
    syn_stop(state);
    syn_free(state);
    return 0;
}
