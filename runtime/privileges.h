/* Whether this process may load BPF: CAP_BPF and CAP_PERFMON (or, on older
 * kernels, CAP_SYS_ADMIN), so that a missing one is named up front. */
#ifndef SYN_RUNTIME_PRIVILEGES_H
#define SYN_RUNTIME_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>

/* False with one sentence naming what is missing. */
bool syn_privileges_check(char *message, size_t size);

#endif
