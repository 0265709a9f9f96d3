#include "util/sysctl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const syn_sysctl sysctls[] = {
    {"somaxconn", "net/core/somaxconn"},
    {"tcp_max_syn_backlog", "net/ipv4/tcp_max_syn_backlog"},
    {"tcp_syncookies", "net/ipv4/tcp_syncookies"},
    {"tcp_abort_on_overflow", "net/ipv4/tcp_abort_on_overflow"},
    {"tcp_synack_retries", "net/ipv4/tcp_synack_retries"},
};

const syn_sysctl *syn_sysctl_for_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
        if (strcmp(sysctls[i].builtin, name) == 0)
            return &sysctls[i];
    }
    return NULL;
}

bool syn_sysctl_read(const syn_sysctl *sysctl, int64_t *value, char *error, size_t error_size)
{
    char path[128];
    snprintf(path, sizeof(path), "/proc/sys/%s", sysctl->path);
    FILE *file = fopen(path, "r");
    if (!file) {
        snprintf(error, error_size, "%s() cannot read %s: %s", sysctl->builtin, path, strerror(errno));
        return false;
    }
    bool read = fscanf(file, "%" SCNd64, value) == 1;
    fclose(file);
    if (!read)
        snprintf(error, error_size, "%s() found no number in %s", sysctl->builtin, path);
    return read;
}
