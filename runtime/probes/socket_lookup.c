/* net.socket_lookup and net.socket_lookup.netns("PATH"): the kernel looking
 * for the socket that takes a new connection or datagram (a TCP SYN, mostly,
 * that matched no established connection), in syn's own network namespace
 * or in the one PATH names (/run/netns/NAME, /proc/PID/ns/net).
 *
 * An sk_lookup program (Linux 5.9+) on a BPF link to the namespace: it sees
 * the lookup's addresses and ports before the listeners are searched.  The
 * program returns SK_PASS and selects no socket, which leaves the lookup to
 * the kernel (compiler/bpf_codegen.c); the link goes away with syn's
 * process, however it ends. */
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime/probes/family.h"

extern const syn_probe_family syn_family_socket_lookup;

static const char *const own_namespace = "/proc/self/ns/net";

typedef struct lookup_field {
    const char *name;
    const char *c_type;
    uint32_t offset;
    uint32_t size;
    bool network_order;
    uint32_t element_count;      /* the IPv6 addresses: four 32-bit words */
} lookup_field;

/* IPv4 addresses stay as the kernel has them (network order), which is what
 * ip_ntop() formats; ports and the IPv6 words are host-order numbers. */
static const lookup_field fields[] = {
    {"family", "__u32", offsetof(struct bpf_sk_lookup, family), 4, false, 0},
    {"protocol", "__u32", offsetof(struct bpf_sk_lookup, protocol), 4, false, 0},
    {"remote_ip4", "__be32", offsetof(struct bpf_sk_lookup, remote_ip4), 4, false, 0},
    {"remote_port", "__be16", offsetof(struct bpf_sk_lookup, remote_port), 2, true, 0},
    {"local_ip4", "__be32", offsetof(struct bpf_sk_lookup, local_ip4), 4, false, 0},
    {"local_port", "__u32", offsetof(struct bpf_sk_lookup, local_port), 4, false, 0},
    {"ingress_ifindex", "__u32", offsetof(struct bpf_sk_lookup, ingress_ifindex), 4, false, 0},
    {"remote_ip6", "__be32[4]", offsetof(struct bpf_sk_lookup, remote_ip6), 4, true, 4},
    {"local_ip6", "__be32[4]", offsetof(struct bpf_sk_lookup, local_ip6), 4, true, 4},
};

static void describe(syn_arena *arena, syn_point *point)
{
    size_t count = sizeof(fields) / sizeof(fields[0]);
    point->variables = syn_arena_alloc(arena, count * sizeof(*point->variables));
    for (size_t i = 0; i < count; i++) {
        syn_target_variable *variable = &point->variables[point->variable_count++];
        variable->name = syn_arena_strdup(arena, fields[i].name);
        variable->c_type = syn_arena_strdup(arena, fields[i].c_type);
        variable->offset = fields[i].offset;
        variable->size = fields[i].size;
        variable->network_order = fields[i].network_order;
        if (fields[i].element_count) {
            variable->access = SYN_TARGET_CONTEXT_ARRAY;
            variable->element_count = fields[i].element_count;
            variable->element_size = fields[i].size;
            variable->size = fields[i].size * fields[i].element_count;
        } else {
            variable->access = SYN_TARGET_FIELD;
        }
    }
}

static syn_family_result resolve(syn_kernel *kernel, const syn_probe_point *point, syn_point_list *points,
                                 syn_arena *arena, syn_diagnostics *diagnostics)
{
    (void)kernel;
    if (point->count < 2 || !syn_component_is(point, 0, "net") || !syn_component_is(point, 1, "socket_lookup"))
        return SYN_FAMILY_NOT_MINE;
    if (point->components[0].argument || point->components[1].argument) {
        syn_error(diagnostics, &point->location,
                  "net.socket_lookup takes no argument; its namespace is given by .netns(\"PATH\")");
        return SYN_FAMILY_FAILED;
    }
    const char *path = NULL;
    if (point->count > 2) {
        path = syn_component_string(point, 2);
        if (!syn_component_is(point, 2, "netns") || !path || !*path || point->count > 3) {
            syn_error(diagnostics, &point->components[point->count > 3 ? 3 : 2].location,
                      "after net.socket_lookup only .netns(\"PATH\") can follow: a network namespace's file, "
                      "such as /run/netns/NAME");
            return SYN_FAMILY_FAILED;
        }
        if (access(path, F_OK) != 0) {
            if (point->optional)
                return SYN_FAMILY_RESOLVED;
            syn_error(diagnostics, &point->components[2].location, "no network namespace at %s: %s", path,
                      strerror(errno));
            return SYN_FAMILY_FAILED;
        }
    }
    syn_point *resolved = syn_arena_alloc(arena, sizeof(*resolved));
    resolved->name = path ? syn_arena_printf(arena, "net.socket_lookup.netns(\"%s\")", path)
                          : syn_arena_strdup(arena, "net.socket_lookup");
    resolved->context = SYN_CONTEXT_SOCKET_LOOKUP;
    resolved->family = &syn_family_socket_lookup;
    resolved->attach_name = syn_arena_strdup(arena, path ? path : own_namespace);
    resolved->attach_pid = -1;
    describe(arena, resolved);
    syn_point_list_append(arena, points, resolved);
    return SYN_FAMILY_RESOLVED;
}

static bool attach(syn_kernel *kernel, const syn_point *point, int program_fd, syn_attachment *attachment,
                   char *error, size_t error_size)
{
    (void)kernel;
    int namespace = open(point->attach_name, O_RDONLY | O_CLOEXEC);
    if (namespace < 0) {
        snprintf(error, error_size, "cannot open the network namespace %s: %s", point->attach_name, strerror(errno));
        return false;
    }
    /* The link refers to the namespace itself; the file is not needed after. */
    int link = bpf_link_create(program_fd, namespace, BPF_SK_LOOKUP, NULL);
    int saved = errno;
    close(namespace);
    if (link < 0) {
        snprintf(error, error_size, "linking the sk_lookup program to the network namespace %s failed: %s%s",
                 point->attach_name, strerror(saved),
                 saved == EINVAL ? " (is it a network namespace, on Linux 5.9 or later?)" : "");
        return false;
    }
    syn_attachment_add(attachment, link);
    return true;
}

const syn_probe_family syn_family_socket_lookup = {
    .name = "net.socket_lookup",
    .synopsis = "net.socket_lookup, net.socket_lookup.netns(\"PATH\")",
    .resolve = resolve,
    .attach = attach,
};
