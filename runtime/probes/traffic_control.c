#include "runtime/probes/traffic_control.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/memory.h"

/* From Linux 6.6's include/uapi/linux/bpf.h, newer than the headers syn may
 * be built with; the numbers are ABI. */
enum {
    SYN_BPF_TCX_INGRESS = 46,
    SYN_BPF_TCX_EGRESS = 47,
    SYN_BPF_F_BEFORE = 1u << 3,  /* with no relative program: first of all */
};

bool syn_tcx_attach(int ifindex, bool egress, int program_fd, syn_attachment *attachment, char *error,
                    size_t error_size)
{
    LIBBPF_OPTS(bpf_link_create_opts, options, .flags = SYN_BPF_F_BEFORE);
    int link = bpf_link_create(program_fd, ifindex,
                               (enum bpf_attach_type)(egress ? SYN_BPF_TCX_EGRESS : SYN_BPF_TCX_INGRESS), &options);
    if (link < 0) {
        snprintf(error, error_size, "linking the program to the device's tcx %s failed: %s",
                 egress ? "egress" : "ingress", strerror(errno));
        return false;
    }
    syn_attachment_add(attachment, link);
    attachment->waits_on_release = true;   /* closing the link waits for an RCU grace period */
    return true;
}

typedef struct tc_filter {
    struct bpf_tc_hook hook;
    struct bpf_tc_opts filter;   /* its handle and priority, as the kernel chose them */
    bool added_qdisc;
} tc_filter;

/* libbpf prints the kernel's netlink complaints itself, and two are
 * expected here: a clsact qdisc that exists already, a filter gone with the
 * qdisc a sibling probe removed first.  Its printer is the process's, so it
 * is set aside for those calls only. */
static libbpf_print_fn_t quiet(void)
{
    return libbpf_set_print(NULL);
}

static void tc_detach(void *data)
{
    tc_filter *added = data;
    libbpf_print_fn_t printer = quiet();
    /* bpf_tc_detach wants the filter named by handle and priority alone. */
    added->filter.prog_fd = 0;
    added->filter.prog_id = 0;
    added->filter.flags = 0;
    bpf_tc_detach(&added->hook, &added->filter);
    if (added->added_qdisc) {
        /* Both directions at once name the clsact qdisc itself. */
        added->hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
        bpf_tc_hook_destroy(&added->hook);
    }
    libbpf_set_print(printer);
    free(added);
}

bool syn_tc_attach(int ifindex, bool egress, int program_fd, syn_attachment *attachment, char *error,
                   size_t error_size)
{
    tc_filter *added = syn_calloc(1, sizeof(*added));
    added->hook.sz = sizeof(added->hook);
    added->hook.ifindex = ifindex;
    added->hook.attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS;
    libbpf_print_fn_t printer = quiet();
    int result = bpf_tc_hook_create(&added->hook);
    libbpf_set_print(printer);
    if (result != 0 && result != -EEXIST) {
        snprintf(error, error_size, "adding a clsact qdisc to the device failed: %s", strerror(-result));
        free(added);
        return false;
    }
    added->added_qdisc = result == 0;
    /* Priority 0: the kernel picks one ahead of the filters already there. */
    added->filter.sz = sizeof(added->filter);
    added->filter.prog_fd = program_fd;
    result = bpf_tc_attach(&added->hook, &added->filter);
    if (result != 0) {
        snprintf(error, error_size, "adding a tc %s filter to the device failed: %s", egress ? "egress" : "ingress",
                 strerror(-result));
        added->filter.handle = 0;
        if (added->added_qdisc) {
            added->hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
            bpf_tc_hook_destroy(&added->hook);
        }
        free(added);
        return false;
    }
    syn_attachment_add_undo(attachment, tc_detach, added);
    return true;
}
