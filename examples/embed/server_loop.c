/* server_loop PORT [SECONDS]: a TCP server whose own epoll loop also runs a
 * syn script.  The server accepts clients and echoes what they send; the
 * script counts the handshakes the kernel completed for the server's port
 * (in the kernel, with the TCP library) and once a second prints them beside
 * what only the server knows, through a host function: server_clients(),
 * the clients it holds now.  syn's descriptor is one more entry of the
 * server's epoll set; no thread, no signal handler of libsyn's.
 *
 * Build: cc server_loop.c $(pkg-config --cflags --libs libsyn) */
#define _GNU_SOURCE   /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <syn/syn.h>

static const char script[] =
    "global completed\n"
    "probe tcp.handshake.complete { if (lport == $1) completed++ }\n"
    "probe timer.s(1) { printf(\"handshakes %d, clients held %d\\n\", completed, server_clients()) }\n"
    "probe end { printf(\"handshakes %d in all\\n\", completed) }\n";

enum { SCRIPT_TAG = -1 };

typedef struct server {
    int listening;
    int clients;
} server;

static volatile sig_atomic_t stopping;

static void stop(int signal_number)
{
    (void)signal_number;
    stopping = 1;
}

/* server_clients(): what the host alone knows, handed to the script. */
static syn_status clients_held(syn_state *state, const syn_value *arguments, unsigned count, syn_value *result,
                               void *user_data)
{
    (void)state;
    (void)arguments;
    (void)count;
    result->number = ((const server *)user_data)->clients;
    return SYN_OK;
}

static void write_output(const char *data, size_t length, void *user_data)
{
    (void)user_data;
    fwrite(data, 1, length, stdout);
    fflush(stdout);
}

static int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof(address)) != 0 || listen(fd, 64) != 0) {
        perror("server_loop: listen");
        exit(1);
    }
    return fd;
}

static void watch(int epoll_fd, int fd, int tag)
{
    struct epoll_event event = {.events = EPOLLIN, .data.fd = tag};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: server_loop PORT [SECONDS]\n");
        return 2;
    }
    server self = {.listening = listen_on(atoi(argv[1]))};
    time_t deadline = argc > 2 ? time(NULL) + atoi(argv[2]) : 0;

    syn_state *state = syn_new();
    syn_set_output_handler(state, write_output, NULL);
    const char *arguments[] = {argv[1]};
    syn_set_arguments(state, 1, arguments);
    syn_register_function(state, "server_clients", SYN_VALUE_LONG, NULL, 0, clients_held, &self);
    if (syn_load_string(state, "server_loop", script, strlen(script)) != SYN_OK || syn_start(state) != SYN_OK) {
        syn_free(state);
        return 1;
    }
    signal(SIGINT, stop);
    signal(SIGTERM, stop);
    int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    watch(epoll_fd, self.listening, self.listening);
    watch(epoll_fd, syn_poll_fd(state), SCRIPT_TAG);
    printf("serving port %s\n", argv[1]);
    fflush(stdout);
    while (!stopping && !syn_finished(state) && (!deadline || time(NULL) < deadline)) {
        struct epoll_event events[16];
        int ready = epoll_wait(epoll_fd, events, 16, 200);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            if (fd == SCRIPT_TAG) {
                syn_service(state, 0);
            } else if (fd == self.listening) {
                int client;
                while ((client = accept4(self.listening, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    watch(epoll_fd, client, client);
                    self.clients++;
                }
            } else {
                char buffer[4096];
                ssize_t got = read(fd, buffer, sizeof(buffer));
                if (got > 0) {
                    ssize_t written = write(fd, buffer, (size_t)got);
                    (void)written;
                } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                    close(fd);   /* leaves the epoll set with it */
                    self.clients--;
                }
            }
        }
        /* Timers are due even when nothing else happens. */
        syn_service(state, 0);
    }
    syn_status status = syn_stop(state);
    syn_free(state);
    close(epoll_fd);
    close(self.listening);
    return status == SYN_OK ? 0 : 1;
}
