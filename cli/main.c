/* The syn command: a thin client of libsyn's public API. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/options.h"
#include "cli/repl.h"
#include "syn/syn.h"

/* The state a signal asks to stop; the handler only calls the library's
 * async-signal-safe syn_request_stop. */
static syn_state *running_state;

static void request_stop(int signal_number)
{
    (void)signal_number;
    if (running_state)
        syn_request_stop(running_state);
}

static void handle_signals(void)
{
    struct sigaction action = {.sa_handler = request_stop};
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

static int configure(syn_state *state, const syn_options *options)
{
    if (options->no_warnings)
        syn_set_warning_mode(state, SYN_WARNINGS_HIDE);
    if (options->quiet)
        syn_set_warning_mode(state, SYN_WARNINGS_QUIET);
    if (options->warnings_are_errors)
        syn_set_warning_mode(state, SYN_WARNINGS_AS_ERRORS);
    syn_set_verbosity(state, options->verbosity);
    if (options->json)
        syn_set_output_format(state, SYN_OUTPUT_JSON);
    syn_set_buffer_size(state, options->buffer_megabytes);
    for (int i = 0; i < options->define_count; i++) {
        if (syn_define(state, options->defines[i].name, options->defines[i].value) != SYN_OK) {
            fprintf(stderr, "syn: -D %s: not a valid name\n", options->defines[i].name);
            return 2;
        }
    }
    for (int i = 0; i < options->global_count; i++) {
        if (syn_set_global_initializer(state, options->globals[i].name, options->globals[i].value) != SYN_OK) {
            fprintf(stderr, "syn: -G %s: not a valid name\n", options->globals[i].name);
            return 2;
        }
    }
    for (int i = 0; i < options->include_count; i++)
        syn_add_library_path(state, options->include_paths[i]);
    if (options->kernel_release && syn_set_kernel_release(state, options->kernel_release) != SYN_OK)
        return 2;
    if (options->architecture && syn_set_architecture(state, options->architecture) != SYN_OK)
        return 2;
    if (options->kernel_features && syn_set_kernel_features(state, options->kernel_features) != SYN_OK)
        return 2;
    if (options->target_pid)
        syn_set_target_pid(state, options->target_pid);
    if (options->command)
        syn_set_target_command(state, options->command);
    syn_set_arguments(state, options->argument_count, options->arguments);
    return 0;
}

/* A command without shell syntax runs directly, so that target() is its own
 * process id rather than a shell's. */
static bool needs_shell(const char *command)
{
    return strpbrk(command, "|&;<>()$`\\\"'*?[]{}~#=\n") != NULL;
}

static void exec_command(const char *command)
{
    if (needs_shell(command)) {
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        return;
    }
    char *copy = strdup(command);
    char *words[256];
    int count = 0;
    for (char *word = strtok(copy, " \t"); word && count < 255; word = strtok(NULL, " \t"))
        words[count++] = word;
    words[count] = NULL;
    if (count)
        execvp(words[0], words);
}

/* -c: the command starts stopped on a pipe, so that target() is known and
 * the probes are attached before it runs its first instruction. */
static pid_t spawn_command(const char *command, int *release_fd)
{
    int gate[2];
    if (pipe(gate) != 0)
        return -1;
    pid_t child = fork();
    if (child == 0) {
        close(gate[1]);
        char go;
        if (read(gate[0], &go, 1) != 1)
            _exit(127);
        close(gate[0]);
        exec_command(command);
        fprintf(stderr, "syn: cannot run '%s': %s\n", command, strerror(errno));
        _exit(127);
    }
    close(gate[0]);
    *release_fd = gate[1];
    return child;
}

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Serves the running script from our own loop, watching the -c command
 * and the -T deadline.  *child_status receives the command's wait status
 * when it ended while the script ran. */
static syn_status serve(syn_state *state, const syn_options *options, pid_t child, int *child_status,
                        bool *child_ended)
{
    long long deadline = options->timeout_seconds ? now_ms() + options->timeout_seconds * 1000LL : -1;
    /* The command's pidfd wakes the loop the moment it exits (a kernel
     * without pidfds leaves it to the 200 ms poll). */
    int command_fd = child > 0 ? (int)syscall(SYS_pidfd_open, child, 0) : -1;
    struct pollfd watched[2] = {{.fd = syn_poll_fd(state), .events = POLLIN}, {.fd = command_fd, .events = POLLIN}};
    while (!syn_finished(state)) {
        int wait = 200;
        if (deadline >= 0) {
            long long left = deadline - now_ms();
            if (left <= 0)
                break;
            if (left < wait)
                wait = (int)left;
        }
        poll(watched, 2, wait);
        syn_service(state, 0);
        if (child > 0 && waitpid(child, child_status, WNOHANG) == child) {
            *child_ended = true;
            syn_service(state, 0);
            break;
        }
    }
    if (command_fd >= 0)
        close(command_fd);
    return syn_stop(state);
}

/* A -c command that failed is reported, as SystemTap does, and fails the run. */
static bool command_failed(int status, bool quiet)
{
    if (quiet)
        return (WIFEXITED(status) && WEXITSTATUS(status) != 0) || WIFSIGNALED(status);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        fprintf(stderr, "warning: the -c command exited with status %d\n", WEXITSTATUS(status));
        return true;
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "warning: the -c command exited with signal %d (%s)\n", WTERMSIG(status),
                strsignal(WTERMSIG(status)));
        return true;
    }
    return false;
}

/* --doc, --dump-functions, --dump-probe-aliases, --doc-reference. */
static int query_library(syn_state *state, const syn_options *options)
{
    syn_status status = SYN_OK;
    if (options->doc_name)
        status = syn_document(state, options->doc_name);
    if (status == SYN_OK && options->dump_functions)
        status = syn_dump_functions(state);
    if (status == SYN_OK && options->dump_probe_aliases)
        status = syn_dump_probe_aliases(state);
    if (status == SYN_OK && options->doc_reference)
        status = syn_document_library(state);
    return status == SYN_OK ? 0 : 1;
}

/* The REPL starts with nothing attached: what is typed joins the running
 * script.  A script needs a probe, as in SystemTap: an empty begin is it. */
static int interact(syn_state *state)
{
    static const char start[] = "probe begin {}\n";
    syn_set_growing(state, true);
    if (syn_load_string(state, "<start>", start, sizeof(start) - 1) != SYN_OK || syn_start(state) != SYN_OK)
        return 1;
    return repl_run(state);
}

static int run(syn_state *state, const syn_options *options)
{
    if (options->interactive)
        return interact(state);
    if (options->dump_probe_types)
        return syn_list_probe_types(state) == SYN_OK ? 0 : 1;
    if (options->list_pattern)
        return syn_list(state, options->list_pattern, options->list_variables) == SYN_OK ? 0 : 1;
    syn_status status = options->script_text
                            ? syn_load_string(state, "<input>", options->script_text, strlen(options->script_text))
                            : syn_load_file(state, options->script_path);
    if (status != SYN_OK)
        return 1;
    if (options->last_pass == 1)
        return syn_dump(state, 1) == SYN_OK ? 0 : 1;
    if (syn_check(state) != SYN_OK)
        return 1;
    if (options->last_pass <= 4)
        return syn_dump(state, options->last_pass) == SYN_OK ? 0 : 1;

    int release_fd = -1;
    pid_t child = -1;
    if (options->command) {
        child = spawn_command(options->command, &release_fd);
        if (child < 0) {
            fprintf(stderr, "syn: cannot start '%s': %s\n", options->command, strerror(errno));
            return 1;
        }
        syn_set_target_pid(state, child);
    }
    running_state = state;
    handle_signals();
    status = syn_start(state);
    if (status == SYN_OK && options->serve && syn_serve_metrics(state, options->serve) != SYN_OK) {
        syn_stop(state);
        status = SYN_ERROR_USAGE;
    }
    if (child > 0) {
        if (status == SYN_OK) {
            ssize_t released = write(release_fd, "g", 1);
            (void)released;
        } else {
            kill(child, SIGKILL);
        }
        close(release_fd);
    }
    int child_status = 0;
    bool child_ended = false;
    if (status == SYN_OK)
        status = serve(state, options, child, &child_status, &child_ended);
    else if (child > 0)
        waitpid(child, NULL, 0);
    if (child > 0 && !child_ended && waitpid(child, &child_status, WNOHANG) == child)
        child_ended = true;
    running_state = NULL;
    /* A command still running when the script ends is left to run, as with stap. */
    bool failed = child_ended && command_failed(child_status, options->quiet);
    return status == SYN_OK && !failed ? 0 : 1;
}

int main(int argc, char **argv)
{
    syn_options options;
    int code = syn_options_parse(&options, argc, argv);
    if (code != 0) {
        syn_options_release(&options);
        return code;
    }
    if (options.help || options.version) {
        if (options.help)
            syn_options_print_help(argv[0]);
        else
            printf("syn %s (library %s)\n", SYN_VERSION, syn_version());
        syn_options_release(&options);
        return 0;
    }

    FILE *output = NULL;
    if (options.output_path) {
        output = fopen(options.output_path, "w");
        if (!output) {
            fprintf(stderr, "syn: cannot write '%s': %s\n", options.output_path, strerror(errno));
            syn_options_release(&options);
            return 1;
        }
    }
    /* Output reaches a pipe or file as it is produced, as stap's does. */
    setvbuf(output ? output : stdout, NULL, _IOLBF, 0);
    syn_state *state = syn_new();
    /* syn's output is complete once syn_stop returns: the kernel's waits in
     * detaching perf events need not hold up the shell (runtime/probes/background_release.c). */
    if (state)
        syn_set_background_detach(state, true);
    if (output)
        syn_set_output_file(state, output);
    code = configure(state, &options);
    if (code == 0)
        code = syn_options_library_query(&options) ? query_library(state, &options) : run(state, &options);
    syn_free(state);
    if (output && fclose(output) != 0 && code == 0) {
        fprintf(stderr, "syn: writing '%s' failed: %s\n", options.output_path, strerror(errno));
        code = 1;
    }
    syn_options_release(&options);
    return code;
}
