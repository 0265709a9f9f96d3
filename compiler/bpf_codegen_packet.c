/* Builtins of packet probes (net.ingress, net.egress): the packet's bytes,
 * its IPv4/IPv6 and TCP/UDP header fields, and the socket the kernel
 * delivers it to.
 *
 * Headers are read with bpf_skb_load_bytes_relative from the network
 * header, which the kernel has set at both tc hooks whatever the link
 * layer (Ethernet, loopback, none on a tun device), into the probe's
 * scratch memory.  Direct packet access would need a proof of every
 * offset's range for the verifier.  A field the packet does not have (the
 * TCP flags of an ARP packet, a truncated header) reads as 0, so that a
 * handler can test a packet without guarding each call; only the raw
 * packet_u8/u16/u32 reads fault, as SystemTap's kernel reads do. */
#include <linux/bpf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/bpf_codegen_internal.h"

enum {
    ETHERTYPE_IP = 0x0800,
    ETHERTYPE_IPV6 = 0x86dd,
    FAMILY_INET = 2,             /* AF_INET */
    FAMILY_INET6 = 10,           /* AF_INET6 */
    PROTOCOL_TCP = 6,
    PROTOCOL_UDP = 17,
    /* Where each part lies in the scratch room (syn_bpf_packet_room). */
    ROOM_NETWORK = 0,            /* the IP header: 20 bytes of IPv4, 40 of IPv6 */
    ROOM_TRANSPORT = 40,         /* the first 14 bytes of the TCP or UDP header */
    ROOM_TUPLE = 56,             /* struct bpf_sock_tuple: 12 bytes for IPv4, 36 for IPv6 */
    ROOM_SIZE = 96,
    TCP_DATA_OFFSET = 12,
    TCP_FLAGS_OFFSET = 13,
    BPF_CURRENT_NETNS = -1,      /* BPF_F_CURRENT_NETNS: the namespace of the packet's device */
};

typedef enum packet_part {
    PART_LENGTH,
    PART_FAMILY,
    PART_PROTOCOL,
    PART_SOURCE_ADDRESS,
    PART_DESTINATION_ADDRESS,
    PART_SOURCE_PORT,
    PART_DESTINATION_PORT,
    PART_TCP_FLAGS,
    PART_TCP_PAYLOAD,
    PART_SOCKET,
    PART_SOURCE_TEXT,
    PART_DESTINATION_TEXT,
} packet_part;

typedef struct packet_builtin {
    const char *name;
    packet_part part;
    int flag;                    /* PART_TCP_FLAGS: one flag's bit as 0 or 1, or -1 for the whole byte */
} packet_builtin;

static const packet_builtin builtins[] = {
    {"packet_len", PART_LENGTH, -1},
    {"packet_family", PART_FAMILY, -1},
    {"packet_protocol", PART_PROTOCOL, -1},
    {"packet_saddr", PART_SOURCE_ADDRESS, -1},
    {"packet_daddr", PART_DESTINATION_ADDRESS, -1},
    {"packet_sport", PART_SOURCE_PORT, -1},
    {"packet_dport", PART_DESTINATION_PORT, -1},
    {"packet_tcp_flags", PART_TCP_FLAGS, -1},
    {"packet_tcp_fin", PART_TCP_FLAGS, 0},
    {"packet_tcp_syn", PART_TCP_FLAGS, 1},
    {"packet_tcp_rst", PART_TCP_FLAGS, 2},
    {"packet_tcp_psh", PART_TCP_FLAGS, 3},
    {"packet_tcp_ack", PART_TCP_FLAGS, 4},
    {"packet_tcp_urg", PART_TCP_FLAGS, 5},
    {"packet_tcp_payload", PART_TCP_PAYLOAD, -1},
    {"packet_socket", PART_SOCKET, -1},
    {"packet_saddr_str", PART_SOURCE_TEXT, -1},
    {"packet_daddr_str", PART_DESTINATION_TEXT, -1},
};

static const packet_builtin *find(const char *name)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    }
    return NULL;
}

bool syn_bpf_is_packet_builtin(const char *name)
{
    return strncmp(name, "packet_u", 8) == 0 || find(name) != NULL;
}

uint32_t syn_bpf_packet_room(void)
{
    return ROOM_SIZE;
}

/* r0 = bpf_skb_load_bytes_relative(ctx, offset, room + at, size, network
 * header); on failure to `missing`.  The offset is a register or, when
 * offset_register is -1, the constant `offset`. */
static void load_relative(syn_bpf_generator *g, int offset_register, int32_t offset, uint32_t at, uint32_t size,
                          uint32_t missing)
{
    syn_bpf_emitter *e = &g->emitter;
    if (offset_register >= 0)
        syn_bpf_move(e, BPF_REG_2, offset_register);
    else
        syn_bpf_move_immediate(e, BPF_REG_2, offset);
    syn_bpf_move(e, BPF_REG_1, SYN_BPF_CONTEXT);
    syn_bpf_scratch_address(g, BPF_REG_3, g->temporary_offset + at);
    syn_bpf_move_immediate(e, BPF_REG_4, (int32_t)size);
    syn_bpf_move_immediate(e, BPF_REG_5, BPF_HDR_START_NET);
    syn_bpf_call(e, BPF_FUNC_skb_load_bytes_relative);
    syn_bpf_jump_immediate(e, BPF_JSLT, BPF_REG_0, 0, missing);
}

/* reg = the room's `size` bytes at `at`, as they lie in memory. */
static void room_load(syn_bpf_generator *g, int reg, uint32_t at, uint32_t size)
{
    syn_bpf_scratch_address(g, reg, g->temporary_offset + at);
    syn_bpf_load(&g->emitter, syn_bpf_size_code(size), reg, reg, 0);
}

static void room_copy(syn_bpf_generator *g, uint32_t to, uint32_t from, uint32_t size)
{
    syn_bpf_emitter *e = &g->emitter;
    for (uint32_t done = 0; done < size; done += 4) {
        room_load(g, BPF_REG_0, from + done, 4);
        syn_bpf_scratch_address(g, BPF_REG_1, g->temporary_offset + to + done);
        syn_bpf_store(e, BPF_W, BPF_REG_1, 0, BPF_REG_0);
    }
}

/* The socket that takes the packet: bpf_skc_lookup_tcp returns a counted
 * reference that must be released, and the verifier forbids keeping it.
 * Its copy on the stack survives the release as a plain number when the
 * loader may leak pointers (CAP_PERFMON), which is how syn loads. */
static void socket_lookup(syn_bpf_generator *g, uint32_t tuple_size, uint32_t missing, uint32_t found)
{
    syn_bpf_emitter *e = &g->emitter;
    syn_bpf_move(e, BPF_REG_1, SYN_BPF_CONTEXT);
    syn_bpf_scratch_address(g, BPF_REG_2, g->temporary_offset + ROOM_TUPLE);
    syn_bpf_move_immediate(e, BPF_REG_3, (int32_t)tuple_size);
    syn_bpf_move_immediate(e, BPF_REG_4, BPF_CURRENT_NETNS);
    syn_bpf_move_immediate(e, BPF_REG_5, 0);
    syn_bpf_call(e, BPF_FUNC_skc_lookup_tcp);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, 0, missing);
    syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP, BPF_REG_0);
    syn_bpf_move(e, BPF_REG_1, BPF_REG_0);
    syn_bpf_call(e, BPF_FUNC_sk_release);
    syn_bpf_load(e, BPF_DW, BPF_REG_0, BPF_REG_10, SYN_BPF_TEMP);
    syn_bpf_goto(e, found);
}

/* Everything after the IP header: r0 holds the transport protocol and
 * BPF_REG_2 the transport header's offset from the network header. */
static void transport(syn_bpf_generator *g, const packet_builtin *builtin, uint32_t tuple_ports, uint32_t missing,
                      uint32_t found)
{
    syn_bpf_emitter *e = &g->emitter;
    packet_part part = builtin->part;
    bool ports = part == PART_SOURCE_PORT || part == PART_DESTINATION_PORT;
    if (ports) {
        uint32_t has_ports = syn_bpf_label_new(e);
        syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, PROTOCOL_TCP, has_ports);
        syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, PROTOCOL_UDP, missing);
        syn_bpf_label_place(e, has_ports);
    } else {
        syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, PROTOCOL_TCP, missing);
    }
    /* Ports need 4 bytes (a UDP header may be all there is), flags and the
     * data offset 14. */
    uint32_t size = part == PART_TCP_FLAGS || part == PART_TCP_PAYLOAD ? TCP_FLAGS_OFFSET + 1 : 4;
    load_relative(g, BPF_REG_2, 0, ROOM_TRANSPORT, size, missing);
    switch (part) {
    case PART_SOURCE_PORT:
    case PART_DESTINATION_PORT:
        room_load(g, BPF_REG_0, ROOM_TRANSPORT + (part == PART_SOURCE_PORT ? 0 : 2), 2);
        syn_bpf_from_network_order(e, BPF_REG_0, 2);
        break;
    case PART_TCP_FLAGS:
        room_load(g, BPF_REG_0, ROOM_TRANSPORT + TCP_FLAGS_OFFSET, 1);
        if (builtin->flag >= 0) {
            syn_bpf_alu_immediate(e, BPF_RSH, BPF_REG_0, builtin->flag);
            syn_bpf_alu_immediate(e, BPF_AND, BPF_REG_0, 1);
        }
        break;
    case PART_TCP_PAYLOAD:
        /* What the IP header says follows it, less the TCP header. */
        room_load(g, BPF_REG_0, ROOM_TRANSPORT + TCP_DATA_OFFSET, 1);
        syn_bpf_alu_immediate(e, BPF_RSH, BPF_REG_0, 4);
        syn_bpf_alu_immediate(e, BPF_LSH, BPF_REG_0, 2);
        syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_TEMP2);
        syn_bpf_alu(e, BPF_SUB, BPF_REG_1, BPF_REG_0);
        syn_bpf_jump_immediate(e, BPF_JSLT, BPF_REG_1, 0, missing);
        syn_bpf_move(e, BPF_REG_0, BPF_REG_1);
        break;
    case PART_SOCKET:
        room_copy(g, ROOM_TUPLE + tuple_ports, ROOM_TRANSPORT, 4);
        socket_lookup(g, tuple_ports + 4, missing, found);
        return;
    default:
        break;
    }
    syn_bpf_goto(e, found);
}

static void ipv4(syn_bpf_generator *g, const packet_builtin *builtin, uint32_t missing, uint32_t found)
{
    syn_bpf_emitter *e = &g->emitter;
    packet_part part = builtin->part;
    if (part == PART_FAMILY) {
        syn_bpf_move_immediate(e, BPF_REG_0, FAMILY_INET);
        syn_bpf_goto(e, found);
        return;
    }
    load_relative(g, -1, 0, ROOM_NETWORK, 20, missing);
    if (part == PART_SOURCE_ADDRESS || part == PART_DESTINATION_ADDRESS) {
        /* As the kernel keeps it, which is what ip_ntop() formats. */
        room_load(g, BPF_REG_0, ROOM_NETWORK + (part == PART_SOURCE_ADDRESS ? 12 : 16), 4);
        syn_bpf_goto(e, found);
        return;
    }
    /* A fragment after the first has no transport header. */
    room_load(g, BPF_REG_0, ROOM_NETWORK + 6, 2);
    syn_bpf_from_network_order(e, BPF_REG_0, 2);
    syn_bpf_alu_immediate(e, BPF_AND, BPF_REG_0, 0x1fff);
    if (part != PART_PROTOCOL)
        syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, 0, missing);
    if (part == PART_SOCKET)
        room_copy(g, ROOM_TUPLE, ROOM_NETWORK + 12, 8);
    room_load(g, BPF_REG_2, ROOM_NETWORK, 1);
    syn_bpf_alu_immediate(e, BPF_AND, BPF_REG_2, 15);
    syn_bpf_alu_immediate(e, BPF_LSH, BPF_REG_2, 2);
    if (part == PART_TCP_PAYLOAD) {
        /* The total length less the IP header: what follows it. */
        room_load(g, BPF_REG_0, ROOM_NETWORK + 2, 2);
        syn_bpf_from_network_order(e, BPF_REG_0, 2);
        syn_bpf_alu(e, BPF_SUB, BPF_REG_0, BPF_REG_2);
        syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP2, BPF_REG_0);
    }
    room_load(g, BPF_REG_0, ROOM_NETWORK + 9, 1);
    if (part == PART_PROTOCOL) {
        syn_bpf_goto(e, found);
        return;
    }
    transport(g, builtin, 8, missing, found);
}

/* IPv6: the fixed header only; a packet with extension headers has the
 * first one's number as its protocol and no ports. */
static void ipv6(syn_bpf_generator *g, const packet_builtin *builtin, uint32_t missing, uint32_t found)
{
    syn_bpf_emitter *e = &g->emitter;
    packet_part part = builtin->part;
    if (part == PART_FAMILY) {
        syn_bpf_move_immediate(e, BPF_REG_0, FAMILY_INET6);
        syn_bpf_goto(e, found);
        return;
    }
    /* Addresses are IPv4 numbers only: an IPv6 one does not fit a long. */
    if (part == PART_SOURCE_ADDRESS || part == PART_DESTINATION_ADDRESS) {
        syn_bpf_goto(e, missing);
        return;
    }
    load_relative(g, -1, 0, ROOM_NETWORK, 40, missing);
    if (part == PART_SOCKET)
        room_copy(g, ROOM_TUPLE, ROOM_NETWORK + 8, 32);
    if (part == PART_TCP_PAYLOAD) {
        /* The payload length: what follows the fixed header. */
        room_load(g, BPF_REG_0, ROOM_NETWORK + 4, 2);
        syn_bpf_from_network_order(e, BPF_REG_0, 2);
        syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP2, BPF_REG_0);
    }
    room_load(g, BPF_REG_0, ROOM_NETWORK + 6, 1);
    if (part == PART_PROTOCOL) {
        syn_bpf_goto(e, found);
        return;
    }
    syn_bpf_move_immediate(e, BPF_REG_2, 40);
    transport(g, builtin, 32, missing, found);
}

/* packet_u8/u16/u32(offset): bytes from the start of the packet (the
 * link-layer header where the device has one); outside it is a fault. */
static void packet_read(syn_bpf_generator *g, const syn_ir_instruction *instruction, uint32_t size)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t outside = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
    int offset = syn_bpf_operand(g, instruction->arguments[0], BPF_REG_2);
    syn_bpf_move(e, BPF_REG_2, offset);
    syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP2, BPF_REG_2);
    /* The helper takes 32 bits: a larger offset must not wrap into the packet. */
    syn_bpf_jump_immediate(e, BPF_JSLT, BPF_REG_2, 0, outside);
    syn_bpf_jump_immediate(e, BPF_JSGT, BPF_REG_2, 0x7fffffff, outside);
    syn_bpf_store_immediate(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP, 0);
    syn_bpf_move(e, BPF_REG_1, SYN_BPF_CONTEXT);
    syn_bpf_move(e, BPF_REG_3, BPF_REG_10);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_3, SYN_BPF_TEMP);
    syn_bpf_move_immediate(e, BPF_REG_4, (int32_t)size);
    syn_bpf_call(e, BPF_FUNC_skb_load_bytes);
    syn_bpf_jump_immediate(e, BPF_JSLT, BPF_REG_0, 0, outside);
    syn_bpf_load(e, syn_bpf_size_code(size), BPF_REG_0, BPF_REG_10, SYN_BPF_TEMP);
    syn_bpf_from_network_order(e, BPF_REG_0, size);
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
    syn_bpf_goto(e, done);
    syn_bpf_label_place(e, outside);
    syn_bpf_load(e, BPF_DW, BPF_REG_1, BPF_REG_10, SYN_BPF_TEMP2);
    syn_bpf_fault(g, instruction, SYN_IR_FAULT_PACKET_READ, BPF_REG_1);
    syn_bpf_label_place(e, done);
}

/* packet_saddr_str/packet_daddr_str: the address as ip_ntop or ip6_ntop
 * writes it, or "" for a packet that is not IP.  An IPv6 address is read
 * straight into the string slot's free half, where the formatter wants it. */
static void address_text(syn_bpf_generator *g, const syn_ir_instruction *instruction, bool source)
{
    syn_bpf_emitter *e = &g->emitter;
    uint32_t version6 = syn_bpf_label_new(e), missing = syn_bpf_label_new(e), done = syn_bpf_label_new(e);
    syn_bpf_load(e, BPF_W, BPF_REG_0, SYN_BPF_CONTEXT, offsetof(struct __sk_buff, protocol));
    syn_bpf_from_network_order(e, BPF_REG_0, 2);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, ETHERTYPE_IPV6, version6);
    syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, ETHERTYPE_IP, missing);
    load_relative(g, -1, 0, ROOM_NETWORK, 20, missing);
    room_load(g, BPF_REG_0, ROOM_NETWORK + (source ? 12 : 16), 4);
    syn_bpf_store(e, BPF_DW, BPF_REG_10, SYN_BPF_TEMP, BPF_REG_0);
    syn_bpf_ipv4_text(g, instruction->dest);
    syn_bpf_goto(e, done);
    syn_bpf_label_place(e, version6);
    syn_bpf_move(e, BPF_REG_1, SYN_BPF_CONTEXT);
    syn_bpf_move_immediate(e, BPF_REG_2, source ? 8 : 24);
    syn_bpf_string_address(g, BPF_REG_3, instruction->dest);
    syn_bpf_alu_immediate(e, BPF_ADD, BPF_REG_3, (int32_t)syn_bpf_ipv6_raw_offset(g));
    syn_bpf_move_immediate(e, BPF_REG_4, 16);
    syn_bpf_move_immediate(e, BPF_REG_5, BPF_HDR_START_NET);
    syn_bpf_call(e, BPF_FUNC_skb_load_bytes_relative);
    syn_bpf_jump_immediate(e, BPF_JSLT, BPF_REG_0, 0, missing);
    syn_bpf_ipv6_text(g, instruction->dest);
    syn_bpf_goto(e, done);
    syn_bpf_label_place(e, missing);
    syn_bpf_string_address(g, BPF_REG_1, instruction->dest);
    syn_bpf_store_immediate(e, BPF_B, BPF_REG_1, 0, 0);
    syn_bpf_label_place(e, done);
}

void syn_bpf_packet_builtin(syn_bpf_generator *g, const syn_ir_instruction *instruction, const char *name)
{
    if (strncmp(name, "packet_u", 8) == 0) {
        packet_read(g, instruction, (uint32_t)strtoul(name + 8, NULL, 10) / 8);
        return;
    }
    const packet_builtin *builtin = find(name);
    syn_bpf_emitter *e = &g->emitter;
    if (builtin->part == PART_SOURCE_TEXT || builtin->part == PART_DESTINATION_TEXT) {
        address_text(g, instruction, builtin->part == PART_SOURCE_TEXT);
        return;
    }
    if (builtin->part == PART_LENGTH) {
        syn_bpf_load(e, BPF_W, BPF_REG_0, SYN_BPF_CONTEXT, offsetof(struct __sk_buff, len));
        syn_bpf_commit(g, instruction->dest, BPF_REG_0);
        return;
    }
    uint32_t missing = syn_bpf_label_new(e), found = syn_bpf_label_new(e), version6 = syn_bpf_label_new(e);
    /* The link layer's type field, which the kernel keeps for every packet. */
    syn_bpf_load(e, BPF_W, BPF_REG_0, SYN_BPF_CONTEXT, offsetof(struct __sk_buff, protocol));
    syn_bpf_from_network_order(e, BPF_REG_0, 2);
    syn_bpf_jump_immediate(e, BPF_JEQ, BPF_REG_0, ETHERTYPE_IPV6, version6);
    syn_bpf_jump_immediate(e, BPF_JNE, BPF_REG_0, ETHERTYPE_IP, missing);
    ipv4(g, builtin, missing, found);
    syn_bpf_label_place(e, version6);
    ipv6(g, builtin, missing, found);
    syn_bpf_label_place(e, missing);
    syn_bpf_move_immediate(e, BPF_REG_0, 0);
    syn_bpf_label_place(e, found);
    syn_bpf_commit(g, instruction->dest, BPF_REG_0);
}
