/* queue_watch PORT [SECONDS]: a host embedding libsyn to watch one
 * listener's queues through syn's TCP library.  The script keeps the
 * listener's accept queue (length and limit) and counts the connections
 * the kernel dropped because it was full; the host serves the script from
 * its own poll() loop, reads those globals twice a second and prints a line
 * whenever the queue is full or something was dropped.  Run it in the
 * network namespace of the listener (ip netns exec NS queue_watch 8080).
 *
 * Build: cc queue_watch.c $(pkg-config --cflags --libs libsyn) */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <syn/syn.h>

static const char script[] =
    "global queue_length = -1, queue_limit, queue_full, dropped\n"
    "probe tcp.accept_queue.overflow { if (lport == $1) dropped++ }\n"
    "probe timer.ms(200) {\n"
    "    l = listener($1)\n"
    "    queue_length = l ? accept_queue_len(l) : -1\n"
    "    queue_limit = l ? accept_queue_max(l) : 0\n"
    "    queue_full = l ? accept_queue_full(l) : 0\n"
    "}\n";

static syn_state *watched;

static void stop(int signal_number)
{
    (void)signal_number;
    syn_request_stop(watched);   /* async-signal-safe */
}

static long long number(syn_state *state, const char *name)
{
    syn_value value = {0};
    bool present;
    return syn_global_get(state, name, NULL, 0, &value, &present) == SYN_OK ? value.number : 0;
}

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: queue_watch PORT [SECONDS]\n");
        return 2;
    }
    long long deadline = argc > 2 ? now_ms() + atoll(argv[2]) * 1000 : -1;
    syn_state *state = syn_new();
    const char *arguments[] = {argv[1]};
    syn_set_arguments(state, 1, arguments);
    if (syn_load_string(state, "queue_watch", script, strlen(script)) != SYN_OK || syn_start(state) != SYN_OK) {
        syn_free(state);   /* the diagnostics went to stderr */
        return 1;
    }
    watched = state;
    signal(SIGINT, stop);
    signal(SIGTERM, stop);
    printf("watching the listener on port %s\n", argv[1]);
    fflush(stdout);
    long long reported_drops = 0, next_look = now_ms() + 500;
    struct pollfd script_fd = {.fd = syn_poll_fd(state), .events = POLLIN};
    while (!syn_finished(state) && (deadline < 0 || now_ms() < deadline)) {
        poll(&script_fd, 1, 100);
        syn_service(state, 0);
        if (now_ms() < next_look)
            continue;
        next_look += 500;
        long long length = number(state, "queue_length"), limit = number(state, "queue_limit");
        long long dropped = number(state, "dropped"), full = number(state, "queue_full");
        if (length < 0)
            continue;   /* nothing listens there (yet) */
        if (full || dropped > reported_drops) {
            printf("port %s: accept queue %s (%lld of %lld), %lld connections dropped\n", argv[1],
                   full ? "full" : "not full", length, limit, dropped);
            fflush(stdout);
            reported_drops = dropped;
        }
    }
    syn_status status = syn_stop(state);
    syn_free(state);
    return status == SYN_OK ? 0 : 1;
}
