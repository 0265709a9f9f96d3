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

enum { TCP_LISTEN = 10, FAMILY_INET = 2, FAMILY_INET6 = 10 };

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

/* Where the fields of struct sock_common lie. */
typedef struct layout {
    uint32_t family, state, port, address4, address6;
} layout;

static bool find_layout(const struct btf *btf, layout *where)
{
    int32_t id = btf__find_by_name_kind(btf, "sock_common", BTF_KIND_STRUCT);
    const char *names[] = {"skc_family", "skc_state", "skc_num", "skc_rcv_saddr", "skc_v6_rcv_saddr"};
    uint32_t *offsets[] = {&where->family, &where->state, &where->port, &where->address4, &where->address6};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        uint32_t bits, bitfield;
        int32_t type;
        if (id < 0 || !syn_btf_member(btf, id, names[i], &bits, &type, &bitfield) || bitfield)
            return false;
        *offsets[i] = bits / 8;
    }
    return true;
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
static uint64_t *list_sockets(const struct btf *btf, size_t *count, const char **why)
{
    *count = 0;
    int program = load_iterator(btf, why);
    if (program < 0)
        return NULL;
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
    close(program);
    return sockets;
}

/* The socket's bound address as text, "" when it cannot be read. */
static void bound_address(syn_kernel_reader *reader, const layout *where, uint64_t sk, int family, char *text,
                          size_t size)
{
    uint8_t raw[16];
    text[0] = '\0';
    bool six = family == FAMILY_INET6;
    if (!syn_kernel_reader_read(reader, sk + (six ? where->address6 : where->address4), raw, six ? 16 : 4, false,
                                NULL) ||
        !inet_ntop(six ? AF_INET6 : AF_INET, raw, text, (socklen_t)size))
        text[0] = '\0';
}

bool syn_listener_find(syn_kernel_reader *reader, const struct btf *btf, int64_t port, const char *address,
                       uint64_t *sk, const char **why)
{
    *sk = 0;
    *why = NULL;
    layout where;
    if (!btf || !find_layout(btf, &where)) {
        *why = "the kernel's BTF has no struct sock_common as syn knows it";
        return false;
    }
    size_t count;
    uint64_t *sockets = list_sockets(btf, &count, why);
    if (*why) {
        free(sockets);
        return false;
    }
    for (size_t i = 0; i < count && !*sk; i++) {
        uint8_t state = 0;
        uint16_t family = 0, number = 0;
        if (!syn_kernel_reader_read(reader, sockets[i] + where.state, &state, 1, false, why) ||
            !syn_kernel_reader_read(reader, sockets[i] + where.family, &family, 2, false, why) ||
            !syn_kernel_reader_read(reader, sockets[i] + where.port, &number, 2, false, why)) {
            if (*why)
                break;
            continue;   /* a socket freed since it was listed */
        }
        if (state != TCP_LISTEN || number != port || (family != FAMILY_INET && family != FAMILY_INET6))
            continue;
        char text[INET6_ADDRSTRLEN];
        if (address)
            bound_address(reader, &where, sockets[i], family, text, sizeof(text));
        if (!address || strcmp(text, address) == 0)
            *sk = sockets[i];
    }
    free(sockets);
    return *why == NULL;
}
