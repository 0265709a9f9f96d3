/* Loading more into a running script through the public API (syn_update,
 * syn_unload, syn_evaluate): the real kernel, counting this process's own
 * getppid() and getpid() calls. */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syn/syn.h"
#include "tap.h"

typedef struct captured {
    char text[16384];
    size_t length;
} captured;

static void capture(const char *data, size_t length, void *user_data)
{
    captured *out = user_data;
    if (out->length + length < sizeof(out->text)) {
        memcpy(out->text + out->length, data, length);
        out->length += length;
        out->text[out->length] = '\0';
    }
}

static void keep_errors(const syn_diagnostic *diagnostic, void *user_data)
{
    capture(diagnostic->rendered, strlen(diagnostic->rendered), user_data);
}

static void calls(long number, int count)
{
    for (int i = 0; i < count; i++)
        syscall(number);
}

/* Serves the script until what kernel probes sent has arrived. */
static void settle(syn_state *state)
{
    for (int i = 0; i < 5; i++)
        syn_service(state, 10);
}

/* Evaluates `text` and returns what it printed. */
static const char *evaluate(syn_state *state, captured *out, const char *text, syn_status *status)
{
    settle(state);
    out->length = 0;
    out->text[0] = '\0';
    *status = syn_evaluate(state, "<eval>", text, strlen(text));
    return out->text;
}

int main(void)
{
    if (geteuid() != 0) {
        printf("1..0 # SKIP loading BPF programs needs root (CAP_BPF and CAP_PERFMON)\n");
        return 0;
    }
    captured out = {0}, errors = {0};
    syn_state *state = syn_new();
    syn_set_output_handler(state, capture, &out);
    syn_set_diagnostic_handler(state, keep_errors, &errors);
    syn_set_target_pid(state, getpid());
    const char *first = "global parents\n"
                        "probe kernel.trace(\"syscalls:sys_enter_getppid\") { if (pid() == target()) parents++ }\n";
    is_int(syn_load_string(state, "<first>", first, strlen(first)), SYN_OK, "the first script loads");
    is_int(syn_start(state), SYN_OK, "and starts");
    calls(SYS_getppid, 5);
    syn_status status;
    is_string(evaluate(state, &out, "printf(\"parents=%d\\n\", parents)", &status), "parents=5\n",
              "an evaluated statement reads the live global");
    is_int(status, SYN_OK, "evaluating: SYN_OK");

    const char *second = "global own\n"
                         "probe begin { printf(\"second begins\\n\") }\n"
                         "probe kernel.trace(\"syscalls:sys_enter_getpid\") { if (pid() == target()) own++ }\n";
    out.length = 0;
    is_int(syn_load_string(state, "<second>", second, strlen(second)), SYN_OK, "a second script loads");
    syn_set_verbosity(state, 1);
    errors.length = 0;
    is_int(syn_update(state), SYN_OK, "syn_update attaches it");
    syn_set_verbosity(state, 0);
    is_string(out.text, "second begins\n", "only the new script's begin probe ran");
    ok(strstr(errors.text, "note: 1 kernel programs attached in ") && strstr(errors.text, "ms, 1 kept as they were"),
       "the first script's program stayed attached, untouched: %s", errors.text);
    calls(SYS_getppid, 3);
    calls(SYS_getpid, 4);
    is_string(evaluate(state, &out, "printf(\"%d %d\\n\", parents, own)", &status), "8 4\n",
              "the first probe kept counting through the update; the second counts");

    const char *broken = "probe begin { no_such_function() }\n";
    errors.length = 0;
    is_int(syn_load_string(state, "<broken>", broken, strlen(broken)), SYN_OK, "a script with a semantic error parses");
    is_int(syn_update(state), SYN_ERROR_SEMANTIC, "syn_update reports it");
    ok(strstr(errors.text, "<broken>:1:15: error:") != NULL, "located in its own chunk: %s", errors.text);
    calls(SYS_getppid, 2);
    is_string(evaluate(state, &out, "printf(\"%d\\n\", parents)", &status), "10\n",
              "after a failed update the running program is as it was");

    errors.length = 0;
    is_string(evaluate(state, &out, "printf(\"%d\\n\", 1 / (parents - parents))", &status), "",
              "a statement that divides by zero prints nothing");
    is_int(status, SYN_ERROR_RUNTIME, "its status: SYN_ERROR_RUNTIME");
    ok(strstr(errors.text, "<eval>:1:16: error: division by 0") != NULL, "and the error is reported: %s", errors.text);
    calls(SYS_getppid, 1);
    is_string(evaluate(state, &out, "printf(\"%d\\n\", parents)", &status), "11\n",
              "the script runs on after the error");

    is_int(syn_evaluate(state, "<incomplete>", "if (1) {", 8), SYN_ERROR_INCOMPLETE,
           "an open brace: SYN_ERROR_INCOMPLETE");

    /* A statistic fed by a kernel probe, its histogram asked for later: the
     * buckets were there from the start (syn_set_growing, set by the first
     * update). */
    const char *latencies = "global sizes\n"
                            "probe kernel.trace(\"syscalls:sys_enter_getppid\") { if (pid() == target()) sizes <<< 100 }\n";
    is_int(syn_load_string(state, "<sizes>", latencies, strlen(latencies)), SYN_OK, "a statistic loads");
    is_int(syn_update(state), SYN_OK, "and its probe attaches");
    calls(SYS_getppid, 3);
    const char *histogram = evaluate(state, &out, "print(@hist_log(sizes))", &status);
    ok(strstr(histogram, "   64 |@@@                                                3\n") != NULL,
       "@hist_log asked for later shows the 3 values the probe kept: %s", histogram);
    is_int(syn_unload(state, "<sizes>"), SYN_OK, "and unloads");
    calls(SYS_getppid, 1);

    is_int(syn_unload(state, "<second>"), SYN_OK, "syn_unload takes the second script out");
    is_int(syn_update(state), SYN_OK, "and syn_update detaches its probe");
    calls(SYS_getpid, 6);
    calls(SYS_getppid, 1);
    is_string(evaluate(state, &out, "printf(\"%d\\n\", parents)", &status), "16\n", "the first probe still counts");
    is_int(syn_unload(state, "<nothing>"), SYN_ERROR_USAGE, "unloading an unknown chunk: SYN_ERROR_USAGE");

    const char *ending = "probe end { printf(\"end: %d\\n\", parents) }\n";
    is_int(syn_load_string(state, "<ending>", ending, strlen(ending)), SYN_OK, "an end probe loads");
    is_int(syn_update(state), SYN_OK, "and joins");
    out.length = 0;
    out.text[0] = '\0';
    is_int(syn_stop(state), SYN_OK, "syn_stop");
    is_string(out.text, "end: 16\n", "the end probe loaded last runs at the end");
    syn_free(state);
    return done_testing();
}
