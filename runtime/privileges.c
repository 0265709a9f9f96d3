#include "runtime/privileges.h"

#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Numbers from Linux 5.8, absent from older headers. */
enum { CAPABILITY_PERFMON = 38, CAPABILITY_BPF = 39, CAPABILITY_SYS_ADMIN = 21 };

static bool effective(const struct __user_cap_data_struct *data, int capability)
{
    return (data[capability / 32].effective >> (capability % 32)) & 1;
}

bool syn_privileges_check(char *message, size_t size)
{
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {0};
    if (syscall(SYS_capget, &header, data) != 0)
        return true; /* cannot tell: let the kernel decide */
    if (effective(data, CAPABILITY_SYS_ADMIN))
        return true;
    bool bpf = effective(data, CAPABILITY_BPF), perfmon = effective(data, CAPABILITY_PERFMON);
    if (bpf && perfmon)
        return true;
    snprintf(message, size,
             "syn needs CAP_BPF and CAP_PERFMON to load its probes, and this process lacks %s; run it as root",
             !bpf && !perfmon ? "both" : !bpf ? "CAP_BPF" : "CAP_PERFMON");
    return false;
}
