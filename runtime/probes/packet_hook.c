/* net.ingress("DEVICE") and net.egress("DEVICE"), and net.ingress and
 * net.egress for every device: each packet a network device receives or sends, at the kernel's traffic-control hook, with the
 * packet's metadata (struct __sk_buff) as target variables and its bytes
 * through packet_u8() and friends.  DEVICE may hold wildcards ("veth*"):
 * each device that matches gets its own copy of the handler.  Devices are
 * those of syn's network namespace.
 *
 * A sched_cls program, linked through tcx where the kernel has it (6.6+;
 * --kernel-features tcx=no chooses the other way), else a classic tc filter
 * on a clsact qdisc (runtime/probes/traffic_control.c).  It returns
 * TCX_NEXT, the same value as tc's TC_ACT_UNSPEC, so the packet goes on as
 * if the program was not there (compiler/bpf_codegen.c). */
#include <errno.h>
#include <fnmatch.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "runtime/probes/traffic_control.h"

extern const syn_probe_family syn_family_packet_hook;

typedef struct packet_field {
    const char *name;
    uint32_t offset;
    uint32_t size;
    bool network_order;
} packet_field;

#define FIELD(name, size, network_order) {#name, offsetof(struct __sk_buff, name), size, network_order}

/* What a tc program may read of struct __sk_buff.  $protocol and
 * $vlan_proto are big-endian 16-bit values in the kernel (ETH_P_IP reads as
 * 0x800 here); the others are numbers already. */
static const packet_field fields[] = {
    FIELD(len, 4, false),
    FIELD(pkt_type, 4, false),
    FIELD(mark, 4, false),
    FIELD(queue_mapping, 4, false),
    FIELD(protocol, 2, true),
    FIELD(vlan_present, 4, false),
    FIELD(vlan_tci, 4, false),
    FIELD(vlan_proto, 2, true),
    FIELD(priority, 4, false),
    FIELD(ingress_ifindex, 4, false),
    FIELD(ifindex, 4, false),
    FIELD(tc_index, 4, false),
    FIELD(hash, 4, false),
    FIELD(tc_classid, 4, false),
    FIELD(napi_id, 4, false),
    FIELD(tstamp, 8, false),
    FIELD(wire_len, 4, false),
    FIELD(gso_segs, 4, false),
    FIELD(gso_size, 4, false),
};

typedef struct packet_hook {
    const char *device;
    bool egress;
} packet_hook;

static void describe(syn_arena *arena, syn_point *point)
{
    size_t count = sizeof(fields) / sizeof(fields[0]);
    point->variables = syn_arena_alloc(arena, count * sizeof(*point->variables));
    for (size_t i = 0; i < count; i++) {
        syn_target_variable *variable = &point->variables[point->variable_count++];
        variable->name = syn_arena_strdup(arena, fields[i].name);
        variable->c_type = syn_arena_strdup(arena, fields[i].network_order ? "__be16"
                                                   : fields[i].size == 8    ? "__u64"
                                                                            : "__u32");
        variable->access = SYN_TARGET_FIELD;
        variable->offset = fields[i].offset;
        variable->size = fields[i].size;
        variable->network_order = fields[i].network_order;
    }
}

static void add_point(syn_arena *arena, syn_point_list *points, const char *device, bool egress)
{
    char *name = syn_arena_strdup(arena, device);
    packet_hook *hook = syn_arena_alloc(arena, sizeof(*hook));
    hook->device = name;
    hook->egress = egress;
    syn_point *point = syn_arena_alloc(arena, sizeof(*point));
    point->name = syn_arena_printf(arena, "net.%s(\"%s\")", egress ? "egress" : "ingress", device);
    point->context = SYN_CONTEXT_PACKET;
    point->family = &syn_family_packet_hook;
    point->family_data = hook;
    point->attach_name = name;
    point->attach_pid = -1;
    describe(arena, point);
    syn_point_list_append(arena, points, point);
}

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    bool egress = syn_component_is(point, 1, "egress");
    if (point->count < 2 || !syn_component_is(point, 0, "net") || (!egress && !syn_component_is(point, 1, "ingress")))
        return SYN_FAMILY_NOT_MINE;
    /* Without a device: every one, the loopback device included. */
    const char *pattern = point->components[1].argument ? syn_component_string(point, 1) : "*";
    if (!pattern || !*pattern || point->components[0].argument) {
        syn_error(diagnostics, &point->components[1].location,
                  "net.%s takes a string, the network device's name (\"eth0\", \"veth*\"), or nothing for every device",
                  point->components[1].name);
        return SYN_FAMILY_FAILED;
    }
    if (point->count > 2) {
        syn_error(diagnostics, &point->components[2].location, "nothing can follow net.%s(\"DEVICE\")",
                  point->components[1].name);
        return SYN_FAMILY_FAILED;
    }
    if (!syn_kernel_has(kernel, SYN_FEATURE_TCX) && !syn_kernel_has(kernel, SYN_FEATURE_TC)) {
        if (point->optional)
            return SYN_FAMILY_RESOLVED;
        syn_error(diagnostics, &point->location,
                  "net.%s: this kernel has neither tcx links (Linux 6.6) nor tc classifiers (CONFIG_NET_CLS_ACT)",
                  point->components[1].name);
        return SYN_FAMILY_FAILED;
    }
    struct if_nameindex *devices = if_nameindex();
    if (!devices) {
        syn_error(diagnostics, &point->location, "cannot list the network devices: %s", strerror(errno));
        return SYN_FAMILY_FAILED;
    }
    unsigned matched = 0;
    for (struct if_nameindex *device = devices; device->if_index != 0; device++) {
        if (fnmatch(pattern, device->if_name, 0) == 0) {
            add_point(arena, points, device->if_name, egress);
            matched++;
        }
    }
    if_freenameindex(devices);
    if (matched == 0 && !point->optional) {
        syn_error(diagnostics, &point->components[1].location,
                  "no network device \"%s\" in syn's network namespace (ip link lists them)", pattern);
        return SYN_FAMILY_FAILED;
    }
    return SYN_FAMILY_RESOLVED;
}

static bool attach(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size)
{
    const packet_hook *hook = point->family_data;
    unsigned ifindex = if_nametoindex(hook->device);
    if (ifindex == 0) {
        snprintf(error, error_size, "the network device %s is gone", hook->device);
        return false;
    }
    if (syn_kernel_has(kernel, SYN_FEATURE_TCX))
        return syn_tcx_attach((int)ifindex, hook->egress, program_fd, attachment, error, error_size);
    return syn_tc_attach((int)ifindex, hook->egress, program_fd, attachment, error, error_size);
}

const syn_probe_family syn_family_packet_hook = {
    .name = "net.ingress",
    .synopsis = "net.ingress, net.egress, net.ingress(\"DEVICE\"), net.egress(\"DEVICE\")",
    .resolve = resolve,
    .attach = attach,
};
