/* listener(port[, address]) for userspace probes: the kernel address of the
 * TCP socket listening on a port in syn's network namespace, found with a
 * BPF iterator over the namespace's TCP sockets (iter/tcp) whose fields are
 * then read with the kernel reader.  The queue functions of the TCP library
 * take it, in userspace probes as in kernel ones. */
#ifndef SYN_RUNTIME_LISTENER_H
#define SYN_RUNTIME_LISTENER_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/kernel_reader.h"

struct btf;

/* What the lookups of a session keep: the iterator program (loaded once)
 * and where struct sock_common keeps the fields that are compared. */
typedef struct syn_listeners {
    bool prepared;
    const char *why;             /* why there can be no lookup, once prepared */
    int program_fd;
    uint32_t family, state, port, address4, address6;
    uint32_t span;               /* bytes of sock_common read per socket, all of them */
    uint64_t *found;             /* the listeners of the last listing */
    size_t found_count, found_capacity;
} syn_listeners;

void syn_listeners_init(syn_listeners *listeners);
void syn_listeners_release(syn_listeners *listeners);

/* The listener on `port` (bound to `address`, its text as ip_ntop or
 * ip6_ntop writes it, when not NULL), or 0 in *sk when there is none.  False
 * with *why when the sockets cannot be listed or read. */
bool syn_listener_find(syn_listeners *listeners, syn_kernel_reader *reader, const struct btf *btf, int64_t port,
                       const char *address, uint64_t *sk, const char **why);

/* The listeners of the namespace one after another, for filling the table
 * kernel probes look listeners up in (stdlib/tcp_listener.syn): with
 * `previous` 0 the sockets are listed again and *sk is the first listener;
 * else *sk is the one listed after `previous`, 0 after the last. */
bool syn_listener_next(syn_listeners *listeners, syn_kernel_reader *reader, const struct btf *btf,
                       uint64_t previous, uint64_t *sk, const char **why);

#endif
