#include "runtime/kernel.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/memory.h"

void syn_kernel_init(syn_kernel *kernel)
{
    memset(kernel, 0, sizeof(*kernel));
}

void syn_kernel_release(syn_kernel *kernel)
{
    free(kernel->tracefs);
    free(kernel->target_command);
    btf__free(kernel->btf);
    memset(kernel, 0, sizeof(*kernel));
}

static bool is_tracefs(const char *path)
{
    char events[600];
    snprintf(events, sizeof(events), "%s/events", path);
    return access(events, R_OK | X_OK) == 0;
}

/* /proc/mounts names tracefs wherever it is; older systems only have it
 * under debugfs. */
static char *find_mounted_tracefs(void)
{
    FILE *mounts = fopen("/proc/mounts", "re");
    if (mounts) {
        char device[256], point[512], type[64];
        while (fscanf(mounts, "%255s %511s %63s %*[^\n]", device, point, type) == 3) {
            if (strcmp(type, "tracefs") == 0 && is_tracefs(point)) {
                fclose(mounts);
                return syn_strdup(point);
            }
        }
        fclose(mounts);
    }
    if (is_tracefs("/sys/kernel/debug/tracing"))
        return syn_strdup("/sys/kernel/debug/tracing");
    return NULL;
}

const char *syn_kernel_tracefs(syn_kernel *kernel)
{
    if (kernel->tracefs_checked)
        return kernel->tracefs;
    kernel->tracefs_checked = true;
    kernel->tracefs = find_mounted_tracefs();
    if (kernel->tracefs)
        return kernel->tracefs;
    const char *point = "/sys/kernel/tracing";
    if (geteuid() != 0) {
        snprintf(kernel->tracefs_error, sizeof(kernel->tracefs_error),
                 "tracefs is not mounted; as root run: mount -t tracefs nodev %s", point);
        return NULL;
    }
    mkdir(point, 0700);
    if (mount("nodev", point, "tracefs", 0, NULL) != 0 || !is_tracefs(point)) {
        snprintf(kernel->tracefs_error, sizeof(kernel->tracefs_error),
                 "tracefs is not mounted and mounting it at %s failed: %s", point, strerror(errno));
        return NULL;
    }
    kernel->tracefs = syn_strdup(point);
    return kernel->tracefs;
}

struct btf *syn_kernel_btf(syn_kernel *kernel)
{
    if (kernel->btf_checked)
        return kernel->btf;
    kernel->btf_checked = true;
    /* The kernel's own copy only, read directly: libbpf's search of other
     * places prints its own complaints, and one message is enough. */
    static const char path[] = "/sys/kernel/btf/vmlinux";
    struct stat info;
    const char *why = NULL;
    if (stat(path, &info) != 0)
        why = strerror(errno);
    else if (!S_ISREG(info.st_mode) || info.st_size == 0)
        why = "not the kernel's BTF (empty or not a file)";
    else if (!(kernel->btf = btf__parse(path, NULL)))
        why = "it does not parse as BTF";
    if (why)
        snprintf(kernel->btf_error, sizeof(kernel->btf_error),
                 "the kernel's BTF is not available (%s: %s); this kernel needs CONFIG_DEBUG_INFO_BTF=y for "
                 "typed probes", path, why);
    return kernel->btf;
}

static const struct btf *btf_on_demand(void *context)
{
    return syn_kernel_btf(context);
}

syn_bpf_btf_source syn_kernel_btf_source(syn_kernel *kernel)
{
    return (syn_bpf_btf_source){.get = btf_on_demand, .context = kernel};
}
