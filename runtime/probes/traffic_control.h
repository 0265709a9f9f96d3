/* Packet programs on a network device: through a tcx link (Linux 6.6+), or
 * as a classic tc filter on a clsact qdisc for older kernels. */
#ifndef SYN_RUNTIME_PROBES_TRAFFIC_CONTROL_H
#define SYN_RUNTIME_PROBES_TRAFFIC_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime/probes/family.h"

/* A tcx link at the head of the device's ingress or egress programs, so
 * that it sees every packet whatever the others decide.  The link goes away
 * with syn's process. */
bool syn_tcx_attach(int ifindex, bool egress, int program_fd, syn_attachment *attachment, char *error,
                    size_t error_size);

/* A direct-action tc filter, on a clsact qdisc that syn adds when the device
 * has none.  Detaching removes the filter, and the qdisc when syn added it;
 * a filter outlives a syn killed with SIGKILL (tc keeps its own reference). */
bool syn_tc_attach(int ifindex, bool egress, int program_fd, syn_attachment *attachment, char *error,
                   size_t error_size);

#endif
