#include "runtime/listener.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/btf_types.h"

enum { TCP_LISTEN = 10, FAMILY_INET = 2, FAMILY_INET6 = 10, SPAN_LIMIT = 256 };

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

/* Where sock_common keeps the compared fields, and how much of it to read
 * so that one read per socket takes them all. */
static bool find_layout(const struct btf *btf, syn_listeners *listeners)
{
    int32_t id = btf__find_by_name_kind(btf, "sock_common", BTF_KIND_STRUCT);
    const char *names[] = {"skc_family", "skc_state", "skc_num", "skc_rcv_saddr", "skc_v6_rcv_saddr"};
    uint32_t *offsets[] = {&listeners->family, &listeners->state, &listeners->port, &listeners->address4,
                           &listeners->address6};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        uint32_t bits, bitfield;
        int32_t type;
        if (id < 0 || !syn_btf_member(btf, id, names[i], &bits, &type, &bitfield) || bitfield)
            return false;
        *offsets[i] = bits / 8;
        uint32_t end = *offsets[i] + 16;   /* the widest field, an IPv6 address */
        if (end > listeners->span)
            listeners->span = end;
    }
    return listeners->span <= SPAN_LIMIT;
}

/* The iterator program: the address of every TCP socket, 8 bytes each. */
static int load_iterator(const struct btf *btf, const char **why)
{
    int32_t target = btf__find_by_name_kind(btf, "bpf_iter_tcp", BTF_KIND_FUNC);
    if (target < 0) {
        *why = "the kernel has no TCP socket iterator (bpf_iter_tcp, Linux 5.9)";
        return -1;
    }
    struct bpf_insn program[] = {
        INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_6, BPF_REG_1, 0, 0),   /* ctx->meta */
        INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_7, BPF_REG_1, 8, 0),   /* ctx->sk_common */
        INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_7, 0, 6, 0),
        INSN(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_7, -8, 0),
        INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_6, 0, 0),   /* meta->seq */
        INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
        INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -8),
        INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 8),
        INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_seq_write),
        INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
        INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
    };
    LIBBPF_OPTS(bpf_prog_load_opts, options, .expected_attach_type = BPF_TRACE_ITER,
                .attach_btf_id = (uint32_t)target);
    int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "syn_listeners", "GPL", program,
                           sizeof(program) / sizeof(program[0]), &options);
    if (fd < 0)
        *why = "the kernel refused the TCP socket iterator program";
    return fd;
}

/* Every TCP socket of the namespace; a malloc'd array of addresses. */
static uint64_t *list_sockets(int program, size_t *count, const char **why)
{
    *count = 0;
    uint64_t *sockets = NULL;
    int link = bpf_link_create(program, 0, BPF_TRACE_ITER, NULL);
    int iterator = link < 0 ? -1 : bpf_iter_create(link);
    if (iterator < 0) {
        *why = "cannot start the TCP socket iterator";
    } else {
        size_t capacity = 0, bytes = 0;
        for (;;) {
            if (bytes + 4096 > capacity) {
                capacity = capacity ? capacity * 2 : 16384;
                sockets = realloc(sockets, capacity);
                if (!sockets)
                    abort();
            }
            ssize_t got = read(iterator, (char *)sockets + bytes, capacity - bytes);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                if (got < 0)
                    *why = "reading the TCP socket iterator failed";
                break;
            }
            bytes += (size_t)got;
        }
        *count = bytes / sizeof(uint64_t);
        close(iterator);
    }
    if (link >= 0)
        close(link);
    return sockets;
}

void syn_listeners_init(syn_listeners *listeners)
{
    memset(listeners, 0, sizeof(*listeners));
    listeners->program_fd = -1;
}

void syn_listeners_release(syn_listeners *listeners)
{
    if (listeners->program_fd >= 0)
        close(listeners->program_fd);
    free(listeners->found);
    syn_listeners_init(listeners);
}

/* Once per session: the layout and the iterator program. */
static bool prepare(syn_listeners *listeners, const struct btf *btf)
{
    if (!listeners->prepared) {
        listeners->prepared = true;
        if (!btf || !find_layout(btf, listeners))
            listeners->why = "the kernel's BTF has no struct sock_common as syn knows it";
        else
            listeners->program_fd = load_iterator(btf, &listeners->why);
    }
    return listeners->program_fd >= 0;
}

static bool bound_to(const syn_listeners *listeners, const uint8_t *common, int family, const char *address)
{
    char text[INET6_ADDRSTRLEN];
    bool six = family == FAMILY_INET6;
    const uint8_t *raw = common + (six ? listeners->address6 : listeners->address4);
    return inet_ntop(six ? AF_INET6 : AF_INET, raw, text, sizeof(text)) && strcmp(text, address) == 0;
}

/* Every listening IPv4 or IPv6 TCP socket of the namespace on `port` (any
 * port when negative) bound to `address` (any when NULL), into the
 * session's list; `first` stops at the first found.  False with *why when
 * the sockets cannot be listed or read. */
static bool collect(syn_listeners *listeners, syn_kernel_reader *reader, const struct btf *btf, int64_t port,
                    const char *address, bool first, const char **why)
{
    listeners->found_count = 0;
    *why = NULL;
    if (!prepare(listeners, btf)) {
        *why = listeners->why;
        return false;
    }
    size_t count;
    uint64_t *sockets = list_sockets(listeners->program_fd, &count, why);
    for (size_t i = 0; i < count && !*why && !(first && listeners->found_count); i++) {
        uint8_t common[SPAN_LIMIT];
        if (!syn_kernel_reader_read(reader, sockets[i], common, listeners->span, false, why))
            continue;   /* a socket freed since it was listed, unless *why says the reader failed */
        uint16_t family, number;
        memcpy(&family, common + listeners->family, 2);
        memcpy(&number, common + listeners->port, 2);
        if (common[listeners->state] != TCP_LISTEN || (port >= 0 && number != port) ||
            (family != FAMILY_INET && family != FAMILY_INET6))
            continue;
        if (address && !bound_to(listeners, common, family, address))
            continue;
        if (listeners->found_count == listeners->found_capacity) {
            listeners->found_capacity = listeners->found_capacity ? 2 * listeners->found_capacity : 16;
            listeners->found = realloc(listeners->found, listeners->found_capacity * sizeof(uint64_t));
            if (!listeners->found)
                abort();
        }
        listeners->found[listeners->found_count++] = sockets[i];
    }
    free(sockets);
    return *why == NULL;
}

bool syn_listener_find(syn_listeners *listeners, syn_kernel_reader *reader, const struct btf *btf, int64_t port,
                       const char *address, uint64_t *sk, const char **why)
{
    bool listed = collect(listeners, reader, btf, port, address, true, why);
    *sk = listed && listeners->found_count ? listeners->found[0] : 0;
    listeners->found_count = 0;
    return listed;
}

bool syn_listener_next(syn_listeners *listeners, syn_kernel_reader *reader, const struct btf *btf,
                       uint64_t previous, uint64_t *sk, const char **why)
{
    *sk = 0;
    *why = NULL;
    if (!previous) {
        bool listed = collect(listeners, reader, btf, -1, NULL, false, why);
        *sk = listed && listeners->found_count ? listeners->found[0] : 0;
        return listed;
    }
    for (size_t i = 0; i + 1 < listeners->found_count; i++) {
        if (listeners->found[i] == previous) {
            *sk = listeners->found[i + 1];
            break;
        }
    }
    return true;
}
