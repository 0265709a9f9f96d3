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

/* The listener on `port` (bound to `address`, its text as ip_ntop or
 * ip6_ntop writes it, when not NULL), or 0 in *sk when there is none.  False
 * with *why when the sockets cannot be listed or read. */
bool syn_listener_find(syn_kernel_reader *reader, const struct btf *btf, int64_t port, const char *address,
                       uint64_t *sk, const char **why);

#endif
