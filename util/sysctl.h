#ifndef SYN_UTIL_SYSCTL_H
#define SYN_UTIL_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The TCP sysctls that decide a listener's queues, as the builtins name them. */
typedef struct {
    const char *builtin;   /* somaxconn, tcp_syncookies, ... */
    const char *path;      /* below /proc/sys */
} syn_sysctl;

/* The sysctl a builtin of that name reads, or NULL. */
const syn_sysctl *syn_sysctl_for_builtin(const char *name);

/* Reads an integer sysctl of the calling process's network namespace; on failure
 * writes why into error. */
bool syn_sysctl_read(const syn_sysctl *sysctl, int64_t *value, char *error, size_t error_size);

#endif
