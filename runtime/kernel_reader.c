#include "runtime/kernel_reader.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { CHUNK = 256 };

/* The map's one value: the request syn writes and the answer the program
 * leaves beside it. */
typedef struct request {
    uint64_t address;
    uint64_t size;               /* 1 to CHUNK */
    uint64_t string;             /* 1: probe_read_kernel_str */
    int64_t result;              /* the helper's return value */
    uint8_t data[CHUNK];
} request;

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

static bool load(syn_kernel_reader *reader)
{
    reader->tried = true;
    reader->map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "syn_reader", 4, sizeof(request), 1, NULL);
    if (reader->map_fd < 0) {
        snprintf(reader->why, sizeof(reader->why), "cannot make its map: %s", strerror(errno));
        return false;
    }
    const int data = (int)offsetof(request, data);
    struct bpf_insn program[] = {
        /* r0 = &value[0] of the map, or exit */
        INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
        INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
        INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
        INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, reader->map_fd),
        INSN(0, 0, 0, 0, 0),
        INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
        INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 12, 0),
        INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_0, 0, 0),
        /* r2 = size, bounded to 1..CHUNK for the verifier */
        INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_2, BPF_REG_6, (int16_t)offsetof(request, size), 0),
        INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -1),
        INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, CHUNK - 1),
        INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, 1),
        INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_3, BPF_REG_6, (int16_t)offsetof(request, address), 0),
        INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_4, BPF_REG_6, (int16_t)offsetof(request, string), 0),
        INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0),
        INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, data),
        INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 2, 0),
        INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_kernel),
        INSN(BPF_JMP | BPF_JA, 0, 0, 1, 0),
        INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_kernel_str),
        INSN(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_6, BPF_REG_0, (int16_t)offsetof(request, result), 0),
        INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
        INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
    };
    /* Syscall programs must be sleepable; test runs need no attachment. */
    LIBBPF_OPTS(bpf_prog_load_opts, options, .prog_flags = BPF_F_SLEEPABLE);
    reader->program_fd = bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "syn_reader", "GPL", program,
                                       sizeof(program) / sizeof(program[0]), &options);
    if (reader->program_fd < 0) {
        snprintf(reader->why, sizeof(reader->why),
                 "the kernel refused its reader program (%s): it needs BPF syscall programs (Linux 5.14) "
                 "that may call bpf_probe_read_kernel", strerror(errno));
        return false;
    }
    return true;
}

void syn_kernel_reader_init(syn_kernel_reader *reader)
{
    memset(reader, 0, sizeof(*reader));
    reader->map_fd = reader->program_fd = -1;
}

void syn_kernel_reader_release(syn_kernel_reader *reader)
{
    if (reader->program_fd >= 0)
        close(reader->program_fd);
    if (reader->map_fd >= 0)
        close(reader->map_fd);
    syn_kernel_reader_init(reader);
}

/* One chunk; the helper's result, or a negative errno of the run itself. */
static int64_t read_chunk(syn_kernel_reader *reader, request *asked)
{
    uint32_t key = 0;
    LIBBPF_OPTS(bpf_test_run_opts, run);
    if (bpf_map_update_elem(reader->map_fd, &key, asked, BPF_ANY) < 0 ||
        bpf_prog_test_run_opts(reader->program_fd, &run) < 0 ||
        bpf_map_lookup_elem(reader->map_fd, &key, asked) < 0)
        return -errno;
    return asked->result;
}

bool syn_kernel_reader_read(syn_kernel_reader *reader, uint64_t address, void *buffer, size_t size, bool string,
                            const char **why)
{
    if (why)
        *why = NULL;
    if (!reader->tried)
        load(reader);
    if (reader->program_fd < 0) {
        if (why)
            *why = reader->why;
        return false;
    }
    uint8_t *out = buffer;
    request asked;
    for (size_t done = 0; done < size;) {
        size_t part = size - done < CHUNK ? size - done : CHUNK;
        memset(&asked, 0, sizeof(asked));
        asked.address = address + done;
        asked.size = part;
        asked.string = string;
        int64_t result = read_chunk(reader, &asked);
        if (result < 0)
            return false;
        memcpy(out + done, asked.data, part);
        if (!string) {
            done += part;
            continue;
        }
        /* The _str helper always ends the chunk with a NUL, counted in its
         * result: a result short of the chunk is the string's end, a full one
         * cut it, and the next chunk starts where that NUL was put. */
        if ((size_t)result < part || part == 1)
            return true;
        done += part - 1;
    }
    return true;
}
